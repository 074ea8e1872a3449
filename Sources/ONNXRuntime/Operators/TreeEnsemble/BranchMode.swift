/// How a branch node compares the feature value `x` with its threshold `t`; true sends the
/// walk to the node's true child. NaN compares false except under `notEqual`, and the
/// node's missing-value flag can send NaN to the true child instead.
enum BranchMode: UInt8, Sendable {
    case lessOrEqual
    case less
    case greaterOrEqual
    case greater
    case equal
    case notEqual

    /// The `nodes_modes` spellings; LEAF is not a branch and is handled by the caller.
    init?(onnxName: String) {
        switch onnxName {
        case "BRANCH_LEQ": self = .lessOrEqual
        case "BRANCH_LT": self = .less
        case "BRANCH_GTE": self = .greaterOrEqual
        case "BRANCH_GT": self = .greater
        case "BRANCH_EQ": self = .equal
        case "BRANCH_NEQ": self = .notEqual
        default: return nil
        }
    }

    @inline(__always)
    func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ t: Scalar) -> Bool {
        switch self {
        case .lessOrEqual: x <= t
        case .less: x < t
        case .greaterOrEqual: x >= t
        case .greater: x > t
        case .equal: x == t
        case .notEqual: x != t
        }
    }
}
