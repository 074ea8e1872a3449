/// AttributeProto: one named attribute of a node, any of its value fields set.
struct Attribute: Sendable {
    /// AttributeProto.AttributeType, the declared kind of value.
    enum Kind: Int64, CustomStringConvertible {
        case float = 1, int = 2, string = 3, tensor = 4, graph = 5, floats = 6, ints = 7
        case strings = 8, tensors = 9, graphs = 10, sparseTensor = 11, sparseTensors = 12
        case typeProto = 13, typeProtos = 14

        var description: String {
            switch self {
            case .float: "FLOAT"
            case .int: "INT"
            case .string: "STRING"
            case .tensor: "TENSOR"
            case .graph: "GRAPH"
            case .floats: "FLOATS"
            case .ints: "INTS"
            case .strings: "STRINGS"
            case .tensors: "TENSORS"
            case .graphs: "GRAPHS"
            case .sparseTensor: "SPARSE_TENSOR"
            case .sparseTensors: "SPARSE_TENSORS"
            case .typeProto: "TYPE_PROTO"
            case .typeProtos: "TYPE_PROTOS"
            }
        }

        static func describe(_ raw: Int64) -> String {
            Kind(rawValue: raw)?.description ?? (raw == 0 ? "UNDEFINED" : "type \(raw)")
        }
    }

    var name = ""
    /// The declared AttributeType; 0 (UNDEFINED) when the writer left it out.
    var type: Int64 = 0
    var float: Float?
    var int: Int64?
    var bytes: [UInt8]?
    var tensor: TensorProto?
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [[UInt8]] = []
    /// A single subgraph (g), as Scan's body.
    var graph: GraphProto?
    /// Set when the attribute holds a subgraph (g, graphs); only operators that run a body
    /// accept one, the rest are refused at load.
    var holdsGraph = false
    /// Set for values this runtime never reads: tensors, sparse tensors, type protos.
    var holdsUnsupportedValue = false
    /// Set for a reference to an attribute of an enclosing function (ref_attr_name).
    var isReference = false

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
            case (6, .lengthDelimited):
                holdsGraph = true
                var message = try reader.readMessage("GraphProto")
                graph = try GraphProto(&message)
            case (11, .lengthDelimited):
                holdsGraph = true
                _ = try reader.readBytes()
            case (7, _):
                try reader.readRepeated(wireType, field: field, into: &floats) {
                    r throws(ModelError) in try r.readFloat()
                }
            case (8, _):
                try reader.readRepeated(wireType, field: field, into: &ints) {
                    r throws(ModelError) in try r.readInt64()
                }
            case (9, .lengthDelimited): strings.append(Array(try reader.readBytes()))
            case (10, .lengthDelimited), (14, .lengthDelimited), (15, .lengthDelimited),
                (22, .lengthDelimited), (23, .lengthDelimited):
                holdsUnsupportedValue = true
                _ = try reader.readBytes()
            case (20, .varint): type = try reader.readInt64()
            case (21, .lengthDelimited):
                isReference = true
                _ = try reader.readBytes()
            default: try reader.skip(wireType, field: field)
            }
        }
    }
}
