/// A graph input or output as the model declares it.
public struct TensorInfo: Sendable, Equatable {
    /// A plain tensor, or a sequence of maps whose values have `elementType`.
    public enum Kind: Sendable, Equatable {
        case tensor
        case sequenceOfMaps(keyType: ElementType)
    }

    public let name: String
    /// The tensor's element type; for a sequence of maps, the type of the map values.
    public let elementType: ElementType
    /// The declared dimensions, batch first; nil when the model declares no shape (and for
    /// a sequence of maps).
    public let shape: [Dimension]?
    public let kind: Kind

    public init(name: String, elementType: ElementType, shape: [Dimension]?, kind: Kind = .tensor) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.kind = kind
    }
}
