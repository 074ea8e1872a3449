/// The classes of a classifier, in the order of its probability columns.
public enum ClassLabels: Sendable, Equatable {
    case int64s([Int64])
    case strings([String])

    /// How many classes, which is also the number of probability columns.
    public var count: Int {
        switch self {
        case .int64s(let ids): ids.count
        case .strings(let names): names.count
        }
    }
}
