/// The one error type of ONNXRuntime. A model is refused at load with one of the load kinds;
/// a bad feed at run time is `invalidInput`. The description is one line that says what was
/// expected, what was found and where (node name and `domain:op_type`, attribute).
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case malformedProtobuf
        case unsupportedOperators
        case unsupportedOpset
        case invalidAttribute
        case invalidGraph
        case unsupportedType
        case invalidInput
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func malformed(_ message: String) -> ModelError {
        ModelError(.malformedProtobuf, "malformed ONNX protobuf: " + message)
    }

    static func attribute(_ node: Node, _ name: String, _ message: String) -> ModelError {
        ModelError(.invalidAttribute, "\(node.label) attribute '\(name)': \(message)")
    }

    static func graph(_ message: String) -> ModelError {
        ModelError(.invalidGraph, message)
    }

    static func input(_ message: String) -> ModelError {
        ModelError(.invalidInput, message)
    }
}
