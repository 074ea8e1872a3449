/// What a graph value holds: a tensor, or (ZipMap's output) a sequence of maps from class
/// label to probability.
public enum Value: Sendable, Equatable {
    case tensor(Tensor)
    case sequenceOfMaps(MapSequence)

    /// The tensor, or for a sequence of maps its dense `[N, classes]` probabilities.
    public var denseTensor: Tensor {
        switch self {
        case .tensor(let tensor): tensor
        case .sequenceOfMaps(let maps): maps.values
        }
    }
}
