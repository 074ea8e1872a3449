/// The one error type of ONNXRuntime. A bad model is refused at load with one of the load
/// kinds; a bad feed at run time is `invalidInput`. The description is one line that says
/// where (node name and `domain:op_type`, attribute), what was expected and what was found.
public struct ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, as a stable set of static members (new kinds can be added without
    /// breaking callers that switch on the ones they know).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case malformedProtobuf, unsupportedOperators, unsupportedOpset, invalidAttribute
            case invalidGraph, unsupportedType, invalidInput
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The bytes are not a well-formed ONNX ModelProto.
        public static let malformedProtobuf = Kind(.malformedProtobuf)
        /// Operators this runtime does not implement; the message lists all of them.
        public static let unsupportedOperators = Kind(.unsupportedOperators)
        /// An IR version or opset import outside what the operators follow.
        public static let unsupportedOpset = Kind(.unsupportedOpset)
        /// A node attribute is missing, mistyped or inconsistent with the others.
        public static let invalidAttribute = Kind(.invalidAttribute)
        /// Dangling references, cycles, missing outputs, duplicate definitions.
        public static let invalidGraph = Kind(.invalidGraph)
        /// An element type or value kind (sequence, map, external data) not supported.
        public static let unsupportedType = Kind(.unsupportedType)
        /// At run time: a feed is missing or has the wrong type, shape or batch size.
        public static let invalidInput = Kind(.invalidInput)

        public var description: String { base.rawValue }
    }

    public let kind: Kind
    /// One line: where, what was expected, what was found.
    public let message: String

    init(_ kind: Kind, _ message: String) {
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
