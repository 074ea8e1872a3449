@testable import ONNXRuntime

/// Builders for the operator tests: a graph of one node, its inputs declared with symbolic
/// dimensions of the feeds' rank, and its outputs without types (so they take their
/// producer's).
enum OneNodeGraph {
    /// ONNX's number for an element type.
    static func code(_ type: ElementType) -> Int64 { Int64(type.rawValue) }

    /// ValueInfoProto with only a name: the output takes its producer's type.
    static func untyped(_ name: String) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        return writer
    }

    /// TensorProto of any tensor: dims 1, data_type 2, then float 4, int32 5 (bools),
    /// string 6, int64 7, double 10; name 8.
    static func initializer(_ name: String, _ tensor: Tensor) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.packedInts(1, tensor.shape.map { Int64($0) })
        writer.int(2, code(tensor.elementType))
        switch tensor.storage {
        case .float(let values): writer.packedFloats(4, values)
        case .double(let values): writer.packedDoubles(10, values)
        case .int64(let values): writer.packedInts(7, values)
        case .bool(let values): writer.packedInts(5, values.map { $0 ? 1 : 0 })
        case .string(let values): for value in values { writer.string(6, value) }
        }
        writer.string(8, name)
        return writer
    }

    static func bytes(
        _ node: ProtoWriter, feeds: [(String, Tensor)], constants: [(String, Tensor)] = [],
        outputs: [String], opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)]
    ) -> [UInt8] {
        ONNX.model(
            nodes: [node],
            inputs: feeds.map { name, tensor in
                ONNX.value(name, code(tensor.elementType), tensor.shape.map { _ in nil })
            },
            outputs: outputs.map(untyped), initializers: constants.map(initializer),
            opsets: opsets)
    }

    /// Loads the graph and evaluates it on `feeds`.
    static func evaluate(
        _ node: ProtoWriter, feeds: [(String, Tensor)], constants: [(String, Tensor)] = [],
        outputs: [String] = ["Y"], opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)]
    ) throws -> [String: Value] {
        let model = try InferenceModel(
            onnx: bytes(
                node, feeds: feeds, constants: constants, outputs: outputs, opsets: opsets))
        return try model.evaluate(Dictionary(uniqueKeysWithValues: feeds))
    }

    /// The same, for a node whose outputs are tensors.
    static func run(
        _ node: ProtoWriter, feeds: [(String, Tensor)], constants: [(String, Tensor)] = [],
        outputs: [String] = ["Y"], opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)]
    ) throws -> [String: Tensor] {
        try evaluate(
            node, feeds: feeds, constants: constants, outputs: outputs, opsets: opsets
        ).mapValues(\.denseTensor)
    }

    /// The floats of a tensor, for approximate comparisons.
    static func floats(_ tensor: Tensor?) -> [Float] { tensor?.floatValues ?? [] }
}

func floats(_ shape: [Int], _ values: [Float]) -> Tensor {
    Tensor(shape: shape, storage: .float(values))
}

func int64s(_ shape: [Int], _ values: [Int64]) -> Tensor {
    Tensor(shape: shape, storage: .int64(values))
}

func strings(_ shape: [Int], _ values: [String]) -> Tensor {
    Tensor(shape: shape, storage: .string(values))
}

/// Whether two float arrays agree within `tolerance` element by element.
func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}
