/// A graph input or output as the model declares it.
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let elementType: ElementType
    /// The declared dimensions, batch first; nil when the model declares no shape.
    public let shape: [Dimension]?

    public init(name: String, elementType: ElementType, shape: [Dimension]?) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }
}
