/// Test-only protobuf encoder: writes fields by number and wire type, so each test states
/// exactly the bytes it feeds the reader.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, 5)
        bytes += Self.littleEndian(UInt64(value.bitPattern), width: 4)
    }

    mutating func double(_ field: Int, _ value: Double) {
        tag(field, 1)
        bytes += Self.littleEndian(value.bitPattern, width: 8)
    }

    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) {
        data(field, Array(value.utf8))
    }

    mutating func message(_ field: Int, _ value: ProtoWriter) {
        data(field, value.bytes)
    }

    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var packed = ProtoWriter()
        for value in values { packed.varint(UInt64(bitPattern: value)) }
        data(field, packed.bytes)
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        data(field, values.flatMap { Self.littleEndian(UInt64($0.bitPattern), width: 4) })
    }

    mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        data(field, values.flatMap { Self.littleEndian($0.bitPattern, width: 8) })
    }

    static func littleEndian(_ bits: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8((bits >> (8 * UInt64($0))) & 0xFF) }
    }
}

/// ONNX messages by onnx.proto's field numbers, for building tiny models in tests.
enum ONNX {
    // TensorProto.DataType
    static let float: Int64 = 1
    static let int32: Int64 = 6
    static let int64: Int64 = 7
    static let string: Int64 = 8
    static let bool: Int64 = 9
    static let float16: Int64 = 10
    static let double: Int64 = 11

    // AttributeProto: name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, type 20.
    static func attribute(_ name: String, ints: [Int64]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.packedInts(8, ints)
        writer.int(20, 7)
        return writer
    }

    static func attribute(_ name: String, floats: [Float]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.packedFloats(7, floats)
        writer.int(20, 6)
        return writer
    }

    static func attribute(_ name: String, strings: [String]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        for value in strings { writer.string(9, value) }
        writer.int(20, 8)
        return writer
    }

    static func attribute(_ name: String, int: Int64) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.int(3, int)
        writer.int(20, 2)
        return writer
    }

    static func attribute(_ name: String, string: String) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.string(4, string)
        writer.int(20, 3)
        return writer
    }

    static func attribute(_ name: String, tensor: ProtoWriter) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.message(5, tensor)
        writer.int(20, 4)
        return writer
    }

    /// An attribute holding a subgraph (field g), which the runtime refuses.
    static func attribute(_ name: String, graph: ProtoWriter) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.message(6, graph)
        writer.int(20, 5)
        return writer
    }

    /// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
    static func node(
        _ opType: String, domain: String = "", name: String? = nil, inputs: [String],
        outputs: [String], attributes: [ProtoWriter] = []
    ) -> ProtoWriter {
        var writer = ProtoWriter()
        for input in inputs { writer.string(1, input) }
        for output in outputs { writer.string(2, output) }
        writer.string(3, name ?? opType.lowercased())
        writer.string(4, opType)
        for attribute in attributes { writer.message(5, attribute) }
        if !domain.isEmpty { writer.string(7, domain) }
        return writer
    }

    /// ValueInfoProto of a tensor; nil dimensions are symbolic ("N"), nil dims no shape.
    static func value(_ name: String, _ elementType: Int64, _ dims: [Int64?]?) -> ProtoWriter {
        var tensorType = ProtoWriter()
        tensorType.int(1, elementType)
        if let dims {
            var shape = ProtoWriter()
            for dim in dims {
                var dimension = ProtoWriter()
                if let dim { dimension.int(1, dim) } else { dimension.string(2, "N") }
                shape.message(1, dimension)
            }
            tensorType.message(2, shape)
        }
        var type = ProtoWriter()
        type.message(1, tensorType)
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.message(2, type)
        return writer
    }

    /// ValueInfoProto of a sequence of tensors (TypeProto field 4).
    static func sequence(_ name: String) -> ProtoWriter {
        var type = ProtoWriter()
        type.message(4, ProtoWriter())
        var writer = ProtoWriter()
        writer.string(1, name)
        writer.message(2, type)
        return writer
    }

    /// TensorProto of int64 values (dims 1, data_type 2, int64_data 7, name 8).
    static func tensor(_ name: String, dims: [Int64], int64s: [Int64]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.packedInts(1, dims)
        writer.int(2, int64)
        writer.packedInts(7, int64s)
        writer.string(8, name)
        return writer
    }

    /// TensorProto of float values in float_data (4).
    static func tensor(_ name: String, dims: [Int64], floats: [Float]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.packedInts(1, dims)
        writer.int(2, float)
        writer.packedFloats(4, floats)
        writer.string(8, name)
        return writer
    }

    /// TensorProto of double values in double_data (10).
    static func tensor(_ name: String, dims: [Int64], doubles: [Double]) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.packedInts(1, dims)
        writer.int(2, double)
        writer.packedDoubles(10, doubles)
        writer.string(8, name)
        return writer
    }

    /// ModelProto (ir_version 1, producer 2/3, graph 7, opset_import 8) around one
    /// GraphProto (node 1, name 2, initializer 5, input 11, output 12).
    static func model(
        nodes: [ProtoWriter], inputs: [ProtoWriter], outputs: [ProtoWriter],
        initializers: [ProtoWriter] = [],
        opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)],
        irVersion: Int64? = 8
    ) -> [UInt8] {
        var graph = ProtoWriter()
        for node in nodes { graph.message(1, node) }
        graph.string(2, "test")
        for initializer in initializers { graph.message(5, initializer) }
        for input in inputs { graph.message(11, input) }
        for output in outputs { graph.message(12, output) }
        var model = ProtoWriter()
        if let irVersion { model.int(1, irVersion) }
        model.string(2, "tests")
        model.string(3, "1")
        model.message(7, graph)
        for (domain, version) in opsets {
            var opset = ProtoWriter()
            opset.string(1, domain)
            opset.int(2, version)
            model.message(8, opset)
        }
        return model.bytes
    }
}
