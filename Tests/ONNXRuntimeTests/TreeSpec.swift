@testable import ONNXRuntime

/// The attributes of a TreeEnsembleClassifier, editable field by field, and the one-node
/// model around it: float input `X` [N, width] → `label`, `probabilities` [N, classes].
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

    /// A single split on feature 0 at `threshold` under `mode`; leaf 1 (true) and 2 (false).
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
        return list
    }

    var modelBytes: [UInt8] {
        let classes = Int64(labelsString?.count ?? labelsInt?.count ?? 2)
        return ONNX.model(
            nodes: [
                ONNX.node(
                    "TreeEnsembleClassifier", domain: "ai.onnx.ml", name: "trees", inputs: ["X"],
                    outputs: ["label", "probabilities"], attributes: attributes)
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, width])],
            outputs: [
                ONNX.value("label", labelsString == nil ? ONNX.int64 : ONNX.string, [nil]),
                ONNX.value("probabilities", ONNX.float, [nil, classes]),
            ])
    }

    func load() throws -> InferenceModel {
        try InferenceModel(onnx: modelBytes)
    }

    /// Runs rows of feature values; returns the label outputs and the probability rows.
    func run(_ rows: [[Float]]) throws -> (labels: Tensor.Storage, probabilities: [[Float]]) {
        let model = try load()
        let width = Int(self.width)
        let input = Tensor(shape: [rows.count, width], storage: .float(rows.flatMap { $0 }))
        let outputs = try model.run(["X": input])
        guard case .float(let flat)? = outputs["probabilities"]?.storage,
            let labels = outputs["label"]?.storage
        else { throw ModelError(.invalidInput, "missing outputs") }
        let classes = flat.count / max(rows.count, 1)
        let probabilities = (0..<rows.count).map {
            Array(flat[($0 * classes)..<(($0 + 1) * classes)])
        }
        return (labels, probabilities)
    }
}
