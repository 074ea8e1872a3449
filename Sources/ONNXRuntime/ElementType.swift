/// Tensor element types, numbered as ONNX's `TensorProto.DataType`.
public enum ElementType: Int32, Sendable, CustomStringConvertible {
    case float = 1
    case uint8 = 2
    case int8 = 3
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case double = 11

    public var description: String {
        switch self {
        case .float: "float"
        case .uint8: "uint8"
        case .int8: "int8"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .double: "double"
        }
    }

    /// Whether a Tensor can hold values of this type (int32 initializers widen to int64).
    var isStorable: Bool {
        switch self {
        case .float, .double, .int64, .int32, .string, .bool: true
        case .uint8, .int8: false
        }
    }

    /// The name of an ONNX data type number, for messages about types this runtime lacks.
    static func describe(_ raw: Int32) -> String {
        let names: [Int32: String] = [
            0: "undefined", 4: "uint16", 5: "int16", 10: "float16", 12: "uint32", 13: "uint64",
            14: "complex64", 15: "complex128", 16: "bfloat16",
        ]
        return ElementType(rawValue: raw)?.description ?? names[raw] ?? "type \(raw)"
    }
}
