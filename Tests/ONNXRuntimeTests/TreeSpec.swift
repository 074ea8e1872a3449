@testable import ONNXRuntime

/// The attributes of a TreeEnsembleClassifier, editable field by field, and the one-node
/// model around it: input `X` [N, width] → `label` [N], `probabilities` [N, classes].
///
/// The default is a stump on feature 0 at 0.5 (BRANCH_LEQ): true → leaf 1 with weight -1,
/// false → leaf 2 with weight 2, both on class column 0, labels [0, 1], LOGISTIC, base 0.5.
struct TreeSpec {
    var treeIDs: [Int64] = [0, 0, 0]
    var nodeIDs: [Int64] = [0, 1, 2]
    var featureIDs: [Int64] = [0, 0, 0]
    var modes = ["BRANCH_LEQ", "LEAF", "LEAF"]
    var values: [Float] = [0.5, 0, 0]
    var trueIDs: [Int64] = [1, 0, 0]
    var falseIDs: [Int64] = [2, 0, 0]
    var missingTracksTrue: [Int64]?
    var classTreeIDs: [Int64] = [0, 0]
    var classNodeIDs: [Int64] = [1, 2]
    var classIDs: [Int64] = [0, 0]
    var classWeights: [Float] = [-1, 2]
    var labelsInt: [Int64]? = [0, 1]
    var labelsString: [String]?
    var postTransform: String? = "LOGISTIC"
    var baseValues: [Float] = [0.5]
    var width: Int64 = 1
    var inputType: Int64 = ONNX.float
    /// Extra or replacement attributes, written after the others.
    var extraAttributes: [ProtoWriter] = []

    /// A single split on feature 0 at `threshold` under `mode`; leaf 1 (true), leaf 2 (false).
    static func stump(
        mode: String = "BRANCH_LEQ", threshold: Float = 0.5, weights: [Float] = [-1, 2]
    ) -> TreeSpec {
        var spec = TreeSpec()
        spec.modes[0] = mode
        spec.values[0] = threshold
        spec.classWeights = weights
        return spec
    }

    var attributes: [ProtoWriter] {
        var list = [
            ONNX.attribute("nodes_treeids", ints: treeIDs),
            ONNX.attribute("nodes_nodeids", ints: nodeIDs),
            ONNX.attribute("nodes_featureids", ints: featureIDs),
            ONNX.attribute("nodes_modes", strings: modes),
            ONNX.attribute("nodes_values", floats: values),
            ONNX.attribute("nodes_truenodeids", ints: trueIDs),
            ONNX.attribute("nodes_falsenodeids", ints: falseIDs),
            ONNX.attribute("class_treeids", ints: classTreeIDs),
            ONNX.attribute("class_nodeids", ints: classNodeIDs),
            ONNX.attribute("class_ids", ints: classIDs),
            ONNX.attribute("class_weights", floats: classWeights),
        ]
        if let missingTracksTrue {
            list.append(ONNX.attribute("nodes_missing_value_tracks_true", ints: missingTracksTrue))
        }
        if let labelsInt { list.append(ONNX.attribute("classlabels_int64s", ints: labelsInt)) }
        if let labelsString {
            list.append(ONNX.attribute("classlabels_strings", strings: labelsString))
        }
        if let postTransform {
            list.append(ONNX.attribute("post_transform", string: postTransform))
        }
        if !baseValues.isEmpty { list.append(ONNX.attribute("base_values", floats: baseValues)) }
        return list + extraAttributes
    }

    var classCount: Int { labelsString?.count ?? labelsInt?.count ?? 2 }

    var modelBytes: [UInt8] {
        ONNX.model(
            nodes: [
                ONNX.node(
                    "TreeEnsembleClassifier", domain: "ai.onnx.ml", name: "trees", inputs: ["X"],
                    outputs: ["label", "probabilities"], attributes: attributes)
            ],
            inputs: [ONNX.value("X", inputType, [nil, width])],
            outputs: [
                ONNX.value("label", labelsString == nil ? ONNX.int64 : ONNX.string, [nil]),
                ONNX.value("probabilities", ONNX.float, [nil, Int64(classCount)]),
            ])
    }

    func load() throws -> InferenceModel {
        try InferenceModel(onnx: modelBytes)
    }

    /// Runs rows of feature values as float input; returns the labels and probability rows.
    func run(_ rows: [[Float]]) throws -> (labels: Tensor.Storage, probabilities: [[Float]]) {
        let input = Tensor(
            shape: [rows.count, Int(width)], storage: .float(rows.flatMap { $0 }))
        return try run(input)
    }

    func run(_ input: Tensor) throws -> (labels: Tensor.Storage, probabilities: [[Float]]) {
        let outputs = try load().run(["X": input])
        let rows = input.shape[0]
        guard case .float(let flat)? = outputs["probabilities"]?.storage,
            let labels = outputs["label"]?.storage
        else { throw ModelError(.invalidInput, "missing outputs") }
        let probabilities = (0..<rows).map {
            Array(flat[($0 * classCount)..<(($0 + 1) * classCount)])
        }
        return (labels, probabilities)
    }
}
