/// One dimension of a declared shape: a size, or a symbol such as "N" (nil when the model
/// names none) for a size that each run decides.
public enum Dimension: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case symbolic(String?)

    public var description: String {
        switch self {
        case .fixed(let size): "\(size)"
        case .symbolic(let name): name ?? "?"
        }
    }
}
