/// The members a BRANCH_MEMBER node tests, in the form onnxruntime 1.31 tests them. It
/// unrolls a small set (fewer than 31 members, all within 0...30) into a chain of
/// BRANCH_EQ nodes, so x must equal a member exactly; any other set becomes a hash set of
/// int32 that x is truncated into first, so 2.7 is a member of {2, 100}. It refuses
/// members of such a set that are not int32 integers.
enum TreeMembership<Scalar: TreeScalar>: Sendable {
    case exact([Scalar])
    case truncated([Int32])

    /// The set for `members`, or nil when onnxruntime refuses it (`refusedMember` says why).
    init?(_ members: [Scalar]) {
        guard Self.refusedMember(members) == nil else { return nil }
        if Self.isSmall(members) {
            self = .exact(members)
        } else {
            self = .truncated(members.map { Int32($0) }.sorted())
        }
    }

    /// The first member onnxruntime refuses: in a set it truncates x for, one that is not an
    /// integer within Int32.
    static func refusedMember(_ members: [Scalar]) -> Scalar? {
        guard !isSmall(members) else { return nil }
        return members.first { member in
            member != member.rounded(.towardZero) || member < -2_147_483_648
                || member >= 2_147_483_648
        }
    }

    private static func isSmall(_ members: [Scalar]) -> Bool {
        members.count < 31 && members.allSatisfy { $0 >= 0 && $0 <= 30 }
    }

    /// Whether `x` is a member. NaN never is, except that a truncating set holds it when it
    /// holds Int32.min (see `truncate`).
    @inline(__always)
    func contains(_ x: Scalar) -> Bool {
        switch self {
        case .exact(let members):
            for member in members where member == x { return true }
            return false
        case .truncated(let members):
            let key = Self.truncate(x)
            var low = 0
            var high = members.count
            while low < high {
                let middle = (low + high) / 2
                if members[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low < members.count && members[low] == key
        }
    }

    /// C++'s `static_cast<int32_t>(x)` as x86-64 computes it (cvttss2si, cvttsd2si), the
    /// platform the fixtures come from: toward zero, and Int32.min ("integer indefinite")
    /// for NaN, infinities and anything out of range.
    @inline(__always)
    static func truncate(_ x: Scalar) -> Int32 {
        let whole = x.rounded(.towardZero)
        guard whole >= -2_147_483_648, whole < 2_147_483_648 else { return .min }
        return Int32(whole)
    }
}
