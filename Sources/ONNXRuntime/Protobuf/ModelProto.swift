/// The parts of onnx.proto this runtime reads. Field numbers are onnx.proto's; unknown
/// fields are skipped, as protobuf requires.
struct ModelProto {
    var irVersion: Int64 = 0
    var opsetImports: [(domain: String, version: Int64)] = []
    var producerName = ""
    var producerVersion = ""
    var graph: GraphProto?

    init(bytes: [UInt8]) throws(ModelError) {
        var reader = ProtobufReader(bytes, message: "ModelProto")
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .varint): irVersion = try reader.readInt64()
            case (2, .lengthDelimited): producerName = try reader.readString()
            case (3, .lengthDelimited): producerVersion = try reader.readString()
            case (7, .lengthDelimited):
                var message = try reader.readMessage("GraphProto")
                graph = try GraphProto(&message)
            case (8, .lengthDelimited):
                var message = try reader.readMessage("OperatorSetIdProto")
                var domain = ""
                var version: Int64 = 0
                while !message.isAtEnd {
                    let (inner, innerType) = try message.readTag()
                    switch (inner, innerType) {
                    case (1, .lengthDelimited): domain = try message.readString()
                    case (2, .varint): version = try message.readInt64()
                    default: try message.skip(innerType)
                    }
                }
                opsetImports.append((domain, version))
            default: try reader.skip(wireType)
            }
        }
    }
}

struct GraphProto {
    var name = ""
    var nodes: [Node] = []
    var initializers: [TensorProto] = []
    var inputs: [ValueInfoProto] = []
    var outputs: [ValueInfoProto] = []

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                var message = try reader.readMessage("NodeProto")
                nodes.append(try Node(&message))
            case (2, .lengthDelimited): name = try reader.readString()
            case (5, .lengthDelimited):
                var message = try reader.readMessage("TensorProto")
                initializers.append(try TensorProto(&message))
            case (11, .lengthDelimited):
                var message = try reader.readMessage("ValueInfoProto")
                inputs.append(try ValueInfoProto(&message))
            case (12, .lengthDelimited):
                var message = try reader.readMessage("ValueInfoProto")
                outputs.append(try ValueInfoProto(&message))
            default: try reader.skip(wireType)
            }
        }
    }
}

/// One operator application: NodeProto.
struct Node: Sendable {
    var name = ""
    var opType = ""
    var domain = ""
    var inputs: [String] = []
    var outputs: [String] = []
    var attributes: [Attribute] = []

    /// How the node is named in error messages.
    var label: String {
        "node '\(name)' (\(domain.isEmpty ? "ai.onnx" : domain):\(opType))"
    }

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): inputs.append(try reader.readString())
            case (2, .lengthDelimited): outputs.append(try reader.readString())
            case (3, .lengthDelimited): name = try reader.readString()
            case (4, .lengthDelimited): opType = try reader.readString()
            case (5, .lengthDelimited):
                var message = try reader.readMessage("AttributeProto")
                attributes.append(try Attribute(&message))
            case (7, .lengthDelimited): domain = try reader.readString()
            default: try reader.skip(wireType)
            }
        }
    }

    init(
        name: String, opType: String, domain: String, inputs: [String], outputs: [String],
        attributes: [Attribute]
    ) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }
}

/// AttributeProto: one named attribute of a node, any of its value fields set.
struct Attribute: Sendable {
    var name = ""
    var type: Int64 = 0
    var float: Float?
    var int: Int64?
    var bytes: [UInt8]?
    var tensor: TensorProto?
    var hasGraph = false
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [[UInt8]] = []

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .fixed32): float = try reader.readFloat()
            case (3, .varint): int = try reader.readInt64()
            case (4, .lengthDelimited): bytes = Array(try reader.readBytes())
            case (5, .lengthDelimited):
                var message = try reader.readMessage("TensorProto")
                tensor = try TensorProto(&message)
            case (6, .lengthDelimited), (11, .lengthDelimited):
                hasGraph = true
                _ = try reader.readBytes()
            case (7, _):
                try reader.readRepeated(wireType, into: &floats) { r throws(ModelError) in
                    try r.readFloat()
                }
            case (8, _):
                try reader.readRepeated(wireType, into: &ints) { r throws(ModelError) in
                    try r.readInt64()
                }
            case (9, .lengthDelimited): strings.append(Array(try reader.readBytes()))
            case (20, .varint): type = try reader.readInt64()
            default: try reader.skip(wireType)
            }
        }
    }
}

/// TensorProto: an initializer or a tensor-valued attribute.
struct TensorProto: Sendable {
    var name = ""
    var dims: [Int64] = []
    var dataType: Int32 = 0
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    var stringData: [[UInt8]] = []
    var rawData: [UInt8]?
    var hasExternalData = false

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, _):
                try reader.readRepeated(wireType, into: &dims) { r throws(ModelError) in
                    try r.readInt64()
                }
            case (2, .varint): dataType = Int32(truncatingIfNeeded: try reader.readInt64())
            case (4, _):
                try reader.readRepeated(wireType, into: &floatData) { r throws(ModelError) in
                    try r.readFloat()
                }
            case (5, _):
                try reader.readRepeated(wireType, into: &int32Data) { r throws(ModelError) in
                    try r.readInt64()
                }
            case (6, .lengthDelimited): stringData.append(Array(try reader.readBytes()))
            case (7, _):
                try reader.readRepeated(wireType, into: &int64Data) { r throws(ModelError) in
                    try r.readInt64()
                }
            case (8, .lengthDelimited): name = try reader.readString()
            case (9, .lengthDelimited): rawData = Array(try reader.readBytes())
            case (10, _):
                try reader.readRepeated(wireType, into: &doubleData) { r throws(ModelError) in
                    try r.readDouble()
                }
            case (13, .lengthDelimited):
                hasExternalData = true
                _ = try reader.readBytes()
            default: try reader.skip(wireType)
            }
        }
    }

    /// The tensor's values; raw_data is little-endian, as onnx.proto specifies.
    func tensor(context: String) throws(ModelError) -> Tensor {
        guard !hasExternalData else {
            throw ModelError(
                .unsupportedType, "\(context): tensor data in external files is not supported")
        }
        guard let type = ElementType(rawValue: dataType) else {
            throw ModelError(
                .unsupportedType,
                "\(context): tensors of \(ElementType.describe(dataType)) are not supported")
        }
        var shape: [Int] = []
        for dim in dims {
            guard dim >= 0, dim < 1 << 31 else { throw .malformed("\(context): dimension \(dim)") }
            shape.append(Int(dim))
        }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        let storage: Tensor.Storage
        switch type {
        case .float:
            storage = .float(
                try values(rawData, floatData, width: 4, context) {
                    Float(bitPattern: UInt32(truncatingIfNeeded: $0))
                })
        case .double:
            storage = .double(
                try values(rawData, doubleData, width: 8, context) { Double(bitPattern: $0) })
        case .int64:
            storage = .int64(
                try values(rawData, int64Data, width: 8, context) { Int64(bitPattern: $0) })
        case .int32:
            storage = .int64(
                try values(rawData, int32Data, width: 4, context) {
                    Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: $0)))
                })
        case .bool:
            storage = .bool(
                try values(rawData, int32Data.map { $0 != 0 }, width: 1, context) { $0 != 0 })
        case .string:
            var strings: [String] = []
            for data in stringData {
                guard let text = String(validating: data, as: UTF8.self) else {
                    throw .malformed("\(context): a string element is not valid UTF-8")
                }
                strings.append(text)
            }
            storage = .string(strings)
        case .uint8, .int8:
            throw ModelError(.unsupportedType, "\(context): tensors of \(type) are not supported")
        }
        let tensor = Tensor(unchecked: shape, storage)
        guard tensor.count == count else {
            throw .malformed(
                "\(context): shape \(shape) needs \(count) values, found \(tensor.count)")
        }
        return tensor
    }

    private func values<T>(
        _ raw: [UInt8]?, _ typed: [T], width: Int, _ context: String, _ convert: (UInt64) -> T
    ) throws(ModelError) -> [T] {
        guard let raw else { return typed }
        guard raw.count % width == 0 else {
            throw .malformed(
                "\(context): raw_data of \(raw.count) bytes is not a whole number of elements")
        }
        var result: [T] = []
        result.reserveCapacity(raw.count / width)
        var offset = 0
        while offset < raw.count {
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(raw[offset + byte]) << (8 * byte) }
            result.append(convert(bits))
            offset += width
        }
        return result
    }
}

/// ValueInfoProto of a tensor: name, element type and (optional) shape.
struct ValueInfoProto {
    var name = ""
    var elementType: Int32?
    var shape: [Dimension]?
    var isTensor = false

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var type = try reader.readMessage("TypeProto")
                try readType(&type)
            default: try reader.skip(wireType)
            }
        }
    }

    private mutating func readType(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            guard field == 1, wireType == .lengthDelimited else {
                try reader.skip(wireType)
                continue
            }
            isTensor = true
            var tensorType = try reader.readMessage("TypeProto.Tensor")
            while !tensorType.isAtEnd {
                let (inner, innerType) = try tensorType.readTag()
                switch (inner, innerType) {
                case (1, .varint):
                    elementType = Int32(truncatingIfNeeded: try tensorType.readInt64())
                case (2, .lengthDelimited):
                    var shapeMessage = try tensorType.readMessage("TensorShapeProto")
                    var dims: [Dimension] = []
                    while !shapeMessage.isAtEnd {
                        let (dimField, dimType) = try shapeMessage.readTag()
                        guard dimField == 1, dimType == .lengthDelimited else {
                            try shapeMessage.skip(dimType)
                            continue
                        }
                        var dim = try shapeMessage.readMessage("TensorShapeProto.Dimension")
                        var value: Dimension = .symbolic(nil)
                        while !dim.isAtEnd {
                            let (f, t) = try dim.readTag()
                            switch (f, t) {
                            case (1, .varint):
                                value = .fixed(Int(truncatingIfNeeded: try dim.readInt64()))
                            case (2, .lengthDelimited): value = .symbolic(try dim.readString())
                            default: try dim.skip(t)
                            }
                        }
                        dims.append(value)
                    }
                    shape = dims
                default: try tensorType.skip(innerType)
                }
            }
        }
    }
}
