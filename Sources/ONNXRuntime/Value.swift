/// What a graph value holds: a tensor, or (ZipMap's output) a sequence of maps from class
/// label to probability.
enum Value: Sendable, Equatable {
    case tensor(Tensor)
    // Indirect, so that a Value is no larger than a Tensor: slots hold tensors nearly always.
    indirect case sequenceOfMaps(MapSequence)

    /// The tensor, or for a sequence of maps its dense `[N, classes]` probabilities.
    var denseTensor: Tensor {
        switch self {
        case .tensor(let tensor): tensor
        case .sequenceOfMaps(let maps): maps.values
        }
    }
}
