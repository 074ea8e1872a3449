/// ValueInfoProto: a value's name and TypeProto. Tensor types are kept, and a sequence of
/// maps to tensors (ZipMap's output); the others only by their kind, so the caller can
/// refuse them by name.
struct ValueInfoProto: Sendable {
    /// Which TypeProto case was set.
    enum Kind: String, Sendable, CustomStringConvertible {
        /// No TypeProto: a graph output may leave its type to its producer.
        case untyped = "no type"
        case tensor
        case sequence
        case sequenceOfMaps = "sequence of maps"
        case map
        case sparseTensor = "sparse tensor"
        case optional

        var description: String { rawValue }
    }

    var name = ""
    var elementType: Int32?
    var shape: [Dimension]?
    /// For `seq(map(K, V))`: K's data type; `elementType` is then V's.
    var mapKeyType: Int32?
    var kind = Kind.untyped

    var isTensor: Bool { kind == .tensor }

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var type = try reader.readMessage("TypeProto")
                try readType(&type)
            default: try reader.skip(wireType, field: field)
            }
        }
    }

    /// TypeProto: tensor_type (1), sequence_type (4), map_type (5), optional_type (9),
    /// sparse_tensor_type (8).
    private mutating func readType(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                kind = .tensor
                var tensorType = try reader.readMessage("TypeProto.Tensor")
                try readTensorType(&tensorType)
            case (4, .lengthDelimited):
                kind = .sequence
                var sequence = try reader.readMessage("TypeProto.Sequence")
                try readSequence(&sequence)
            case (5, .lengthDelimited), (8, .lengthDelimited), (9, .lengthDelimited):
                kind = [5: .map, 8: .sparseTensor, 9: .optional][field]!
                _ = try reader.readBytes()
            default: try reader.skip(wireType, field: field)
            }
        }
    }

    /// TypeProto.Sequence whose elem_type (1) is a map_type: key_type (1), value_type (2).
    private mutating func readSequence(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            guard field == 1, wireType == .lengthDelimited else {
                try reader.skip(wireType, field: field)
                continue
            }
            var element = try reader.readMessage("TypeProto")
            while !element.isAtEnd {
                let (elementField, elementWire) = try element.readTag()
                guard elementField == 5, elementWire == .lengthDelimited else {
                    try element.skip(elementWire, field: elementField)
                    continue
                }
                var map = try element.readMessage("TypeProto.Map")
                var key: Int32?
                var value = ValueInfoProto()
                while !map.isAtEnd {
                    let (mapField, mapWire) = try map.readTag()
                    switch (mapField, mapWire) {
                    case (1, .varint): key = Int32(truncatingIfNeeded: try map.readInt64())
                    case (2, .lengthDelimited):
                        var valueType = try map.readMessage("TypeProto")
                        try value.readType(&valueType)
                    default: try map.skip(mapWire, field: mapField)
                    }
                }
                if let key, value.isTensor {
                    kind = .sequenceOfMaps
                    mapKeyType = key
                    elementType = value.elementType
                }
            }
        }
    }

    private init() {}

    private mutating func readTensorType(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .varint): elementType = Int32(truncatingIfNeeded: try reader.readInt64())
            case (2, .lengthDelimited):
                var shapeMessage = try reader.readMessage("TensorShapeProto")
                var dims: [Dimension] = []
                while !shapeMessage.isAtEnd {
                    let (dimField, dimType) = try shapeMessage.readTag()
                    guard dimField == 1, dimType == .lengthDelimited else {
                        try shapeMessage.skip(dimType, field: dimField)
                        continue
                    }
                    var dim = try shapeMessage.readMessage("TensorShapeProto.Dimension")
                    dims.append(try Self.readDimension(&dim))
                }
                shape = dims
            default: try reader.skip(wireType, field: field)
            }
        }
    }

    /// dim_value (1) or dim_param (2); neither set means an unnamed unknown size.
    private static func readDimension(
        _ reader: inout ProtobufReader
    ) throws(ModelError) -> Dimension {
        var value: Dimension = .symbolic(nil)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .varint):
                let size = try reader.readInt64()
                value = size >= 0 ? .fixed(Int(size)) : .symbolic(nil)
            case (2, .lengthDelimited): value = .symbolic(try reader.readString())
            default: try reader.skip(wireType, field: field)
            }
        }
        return value
    }
}
