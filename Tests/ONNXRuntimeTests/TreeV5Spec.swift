@testable import ONNXRuntime

/// The attributes of an ai.onnx.ml TreeEnsemble (opset 5), editable field by field, and the
/// one-node model around it: input `X` [N, width] → `Y` [N, targets].
///
/// The default holds two trees over two targets. Tree 0 is node 0, x0 <= 0.5 (BRANCH_LEQ):
/// true → leaf 0 (target 0, 1.0), false → node 1, x1 < 0 (BRANCH_LT): true → leaf 1
/// (target 1, -2.25), false → leaf 2 (target 0, 0.75). Tree 1 is node 2, a one-leaf tree:
/// both branches are leaf 3 (target 1, 4.0), and its feature 7 is never read. SUM, NONE.
struct TreeV5Spec {
    var roots: [Int64] = [0, 2]
    var features: [Int64] = [0, 1, 7]
    var splits: [Double] = [0.5, 0, 0]
    var modes: [Int64] = [0, 1, 0]
    var trueIDs: [Int64] = [0, 1, 3]
    var trueLeafs: [Int64] = [1, 1, 1]
    var falseIDs: [Int64] = [1, 2, 3]
    var falseLeafs: [Int64] = [0, 1, 1]
    var missingTracksTrue: [Int64]?
    var members: [Double]?
    var leafTargets: [Int64] = [0, 1, 0, 1]
    var leafWeights: [Double] = [1, -2.25, 0.75, 4]
    var targets: Int64? = 2
    var aggregate: Int64?
    var postTransform: Int64?
    var width: Int64 = 2
    var inputType: Int64 = ONNX.float
    var mlOpset: Int64 = 5
    /// Declares X without a shape, so any rank may be fed.
    var shapeless = false
    /// Attributes left out, and attributes written after the others (to replace one, leave
    /// it out and add the new one).
    var omitted: Set<String> = []
    var extraAttributes: [ProtoWriter] = []

    /// A tensor of the input's float type, in float_data or double_data.
    func floatTensor(_ values: [Double]) -> ProtoWriter {
        inputType == ONNX.double
            ? ONNX.tensor("", dims: [Int64(values.count)], doubles: values)
            : ONNX.tensor("", dims: [Int64(values.count)], floats: values.map { Float($0) })
    }

    /// A uint8 TensorProto (data_type 2) of `codes` in raw_data, as onnx.helper writes it.
    static func uint8Tensor(_ codes: [Int64]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.packedInts(1, [Int64(codes.count)])
        writer.int(2, 2)
        writer.data(9, codes.map { UInt8(truncatingIfNeeded: $0) })
        return writer
    }

    var attributes: [ProtoWriter] {
        var list: [(String, ProtoWriter)] = [
            ("tree_roots", ONNX.attribute("tree_roots", ints: roots)),
            ("nodes_featureids", ONNX.attribute("nodes_featureids", ints: features)),
            ("nodes_splits", ONNX.attribute("nodes_splits", tensor: floatTensor(splits))),
            ("nodes_modes", ONNX.attribute("nodes_modes", tensor: Self.uint8Tensor(modes))),
            ("nodes_truenodeids", ONNX.attribute("nodes_truenodeids", ints: trueIDs)),
            ("nodes_trueleafs", ONNX.attribute("nodes_trueleafs", ints: trueLeafs)),
            ("nodes_falsenodeids", ONNX.attribute("nodes_falsenodeids", ints: falseIDs)),
            ("nodes_falseleafs", ONNX.attribute("nodes_falseleafs", ints: falseLeafs)),
            ("leaf_targetids", ONNX.attribute("leaf_targetids", ints: leafTargets)),
            ("leaf_weights", ONNX.attribute("leaf_weights", tensor: floatTensor(leafWeights))),
        ]
        if let missingTracksTrue {
            list.append(
                (
                    "nodes_missing_value_tracks_true",
                    ONNX.attribute("nodes_missing_value_tracks_true", ints: missingTracksTrue)
                ))
        }
        if let members {
            list.append(
                (
                    "membership_values",
                    ONNX.attribute("membership_values", tensor: floatTensor(members))
                )
            )
        }
        if let targets { list.append(("n_targets", ONNX.attribute("n_targets", int: targets))) }
        if let aggregate {
            list.append(
                ("aggregate_function", ONNX.attribute("aggregate_function", int: aggregate)))
        }
        if let postTransform {
            list.append(("post_transform", ONNX.attribute("post_transform", int: postTransform)))
        }
        return list.filter { !omitted.contains($0.0) }.map(\.1) + extraAttributes
    }

    var modelBytes: [UInt8] {
        ONNX.model(
            nodes: [
                ONNX.node(
                    "TreeEnsemble", domain: "ai.onnx.ml", name: "trees", inputs: ["X"],
                    outputs: ["Y"], attributes: attributes)
            ],
            inputs: [ONNX.value("X", inputType, shapeless ? nil : [nil, width])],
            outputs: [ONNX.value("Y", inputType, [nil, targets ?? 1])],
            opsets: [("", 17), ("ai.onnx.ml", mlOpset)], irVersion: 10)
    }

    func load() throws -> InferenceModel {
        try InferenceModel(onnx: modelBytes)
    }

    /// Leaves attribute `name` out and writes `attribute` in its place.
    mutating func replace(_ name: String, with attribute: ProtoWriter) {
        omitted.insert(name)
        extraAttributes.append(attribute)
    }

    /// Runs float rows; returns Y's rows.
    func run(_ rows: [[Float]]) throws -> [[Float]] {
        let input = Tensor(shape: [rows.count, Int(width)], storage: .float(rows.flatMap { $0 }))
        guard case .float(let flat)? = try load().run(["X": input])["Y"]?.storage else {
            throw ModelError(.invalidInput, "no float output Y")
        }
        let columns = Int(targets ?? 1)
        return (0..<rows.count).map { Array(flat[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    /// Runs double rows (the spec's `inputType` must be double); returns Y's rows.
    func run(doubles rows: [[Double]]) throws -> [[Double]] {
        let input = Tensor(shape: [rows.count, Int(width)], storage: .double(rows.flatMap { $0 }))
        guard case .double(let flat)? = try load().run(["X": input])["Y"]?.storage else {
            throw ModelError(.invalidInput, "no double output Y")
        }
        let columns = Int(targets ?? 1)
        return (0..<rows.count).map { Array(flat[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    /// A stump on feature 0 under `mode` at `split`: true → leaf 0 (target 0, weight 1),
    /// false → leaf 1 (target 0, weight 2); one target, one feature.
    static func stump(mode: Int64, split: Double = 0.5, members: [Double]? = nil) -> TreeV5Spec {
        var spec = TreeV5Spec()
        spec.roots = [0]
        spec.features = [0]
        spec.splits = [split]
        spec.modes = [mode]
        spec.trueIDs = [0]
        spec.trueLeafs = [1]
        spec.falseIDs = [1]
        spec.falseLeafs = [1]
        spec.leafTargets = [0, 0]
        spec.leafWeights = [1, 2]
        spec.targets = 1
        spec.width = 1
        spec.members = members
        return spec
    }
}
