/// ValueInfoProto: a value's name and TypeProto. Tensor types are kept, and a sequence of
/// maps to tensors (ZipMap's output); for the others `isTensor` stays false so the caller
/// can refuse them by name.
struct ValueInfoProto: Sendable {
    var name = ""
    var elementType: Int32?
    var shape: [Dimension]?
    var isTensor = false
    /// For `seq(map(K, V))`: K's data type; `elementType` is then V's.
    var mapKeyType: Int32?
    /// Which TypeProto case was set, for messages about non-tensor values.
    var kind = "no type"

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
                isTensor = true
                kind = "tensor"
                var tensorType = try reader.readMessage("TypeProto.Tensor")
                try readTensorType(&tensorType)
            case (4, .lengthDelimited):
                kind = "sequence"
                var sequence = try reader.readMessage("TypeProto.Sequence")
                try readSequence(&sequence)
            case (5, .lengthDelimited), (8, .lengthDelimited), (9, .lengthDelimited):
                kind = [4: "sequence", 5: "map", 8: "sparse tensor", 9: "optional"][field]!
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
                    kind = "sequence of maps"
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
