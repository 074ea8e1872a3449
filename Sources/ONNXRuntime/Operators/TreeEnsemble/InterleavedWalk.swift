/// Deep trees walked all at once, one level at a time, without data-dependent branches.
///
/// One tree's walk is a chain of dependent loads, each followed by a branch the processor
/// guesses wrong about half the time; a 100-tree forest of depth 10 spends most of its time
/// waiting on those. Here each pass advances every tree that is still walking by one level,
/// and the comparison picks which of the node's two offsets to load instead of steering a
/// branch, so the loads of different trees overlap. A leaf's offsets are both 0: a walk
/// that reaches a leaf early stays on it. Trees are kept deepest first, so pass `k` touches
/// only the prefix of trees deeper than `k`.
///
/// Positions are those of the Forest's node array, so the caller reads the reached leaves'
/// weights from there, tree by tree in onnxruntime's order.
struct InterleavedWalk<Scalar: TreeScalar>: Sendable {
    struct Step: Sendable {
        var threshold: Scalar
        /// The input feature; the sign bit set when NaN goes to the true child.
        var feature: Int32
        /// Where the walk goes from here: +1 (0 at a leaf) when the comparison is true,
        /// `falseOffset` (0 at a leaf) when not. The walk loads one or the other by its byte
        /// offset, which the comparison picks.
        var trueOffset: Int32
        var falseOffset: Int32
    }

    /// One step per Forest node.
    let steps: [Step]
    /// The trees' roots, deepest tree first.
    let roots: [Int32]
    /// Tree `t`'s place in `roots`.
    let rank: [Int32]
    /// Per level `k`, how many trees have a branch at depth `k` (a prefix of `roots`).
    let walking: [Int32]
    let mode: BranchMode
    /// Whether any branch sends NaN to its true child.
    let tracksMissing: Bool

    /// nil unless every branch compares under `mode` and some tree branches.
    init?(nodes: [Forest<Scalar>.Node], roots treeRoots: [Int32], mode: BranchMode?) {
        guard let mode else { return nil }
        steps = nodes.indices.map { position in
            let node = nodes[position]
            guard node.kind < Forest<Scalar>.singleWeightLeaf else {
                return Step(threshold: 0, feature: 0, trueOffset: 0, falseOffset: 0)
            }
            return Step(
                threshold: node.value,
                feature: node.missingTracksTrue ? node.feature | .min : node.feature,
                trueOffset: 1, falseOffset: node.next - Int32(position))
        }
        tracksMissing = nodes.contains { $0.missingTracksTrue }
        let depths = treeRoots.map { Self.depth(of: Int($0), in: nodes) }
        let order = depths.indices.sorted { (depths[$0], $1) > (depths[$1], $0) }
        guard let deepest = order.first.map({ depths[$0] }), deepest > 0 else { return nil }
        roots = order.map { treeRoots[$0] }
        var rank = [Int32](repeating: 0, count: order.count)
        for (place, tree) in order.enumerated() { rank[tree] = Int32(place) }
        self.rank = rank
        walking = (0..<deepest).map { level in Int32(depths.count { $0 > level }) }
        self.mode = mode
    }

    private static func depth(of root: Int, in nodes: [Forest<Scalar>.Node]) -> Int {
        var deepest = 0
        var stack = [(root, 0)]
        while let (position, level) = stack.popLast() {
            deepest = max(deepest, level)
            if nodes[position].kind < Forest<Scalar>.singleWeightLeaf {
                stack.append((position + 1, level + 1))
                stack.append((Int(nodes[position].next), level + 1))
            }
        }
        return deepest
    }

    /// The walk's arrays lent as pointers for one run of many rows, with room for the
    /// trees' positions, so a row costs no reference counting.
    struct Walker {
        let steps: UnsafePointer<Step>
        let roots: UnsafeBufferPointer<Int32>
        let rank: UnsafePointer<Int32>
        let walking: UnsafeBufferPointer<Int32>
        let positions: UnsafeMutablePointer<Int32>
        let mode: BranchMode
        let tracksMissing: Bool

        /// Walks every tree for row `x` and hands `body` a function from tree `t` (in
        /// onnxruntime's order) to the Forest position of the leaf it reached.
        @inline(__always)
        func walk(_ x: UnsafePointer<Scalar>, _ body: (_ reached: (Int) -> Int) -> Void) {
            switch (mode, tracksMissing) {
            case (.lessOrEqual, false): walk(x, body, false) { $0 <= $1 }
            case (.lessOrEqual, true): walk(x, body, true) { $0 <= $1 }
            case (.less, false): walk(x, body, false) { $0 < $1 }
            case (.less, true): walk(x, body, true) { $0 < $1 }
            case (.greaterOrEqual, false): walk(x, body, false) { $0 >= $1 }
            case (.greaterOrEqual, true): walk(x, body, true) { $0 >= $1 }
            case (.greater, false): walk(x, body, false) { $0 > $1 }
            case (.greater, true): walk(x, body, true) { $0 > $1 }
            case (.equal, false): walk(x, body, false) { $0 == $1 }
            case (.equal, true): walk(x, body, true) { $0 == $1 }
            case (.notEqual, false): walk(x, body, false) { $0 != $1 }
            // NaN != t is already true, but the flag still marks the feature's sign bit.
            case (.notEqual, true): walk(x, body, true) { $0 != $1 }
            }
        }

        @inline(__always)
        private func walk(
            _ x: UnsafePointer<Scalar>, _ body: (_ reached: (Int) -> Int) -> Void,
            _ tracksMissing: Bool, _ goesTrue: (Scalar, Scalar) -> Bool
        ) {
            // Where the two offsets sit in a Step, asked of the compiler rather than assumed.
            let falseAt = MemoryLayout<Step>.offset(of: \.falseOffset)!
            let trueFromFalse = MemoryLayout<Step>.offset(of: \.trueOffset)! - falseAt
            positions.update(from: roots.baseAddress!, count: roots.count)
            for count in walking {
                for tree in 0..<Int(count) {
                    let step = steps + Int(positions[tree])
                    let feature = step.pointee.feature
                    let value = x[Int(tracksMissing ? feature & .max : feature)]
                    var isTrue = Self.bit(goesTrue(value, step.pointee.threshold))
                    if tracksMissing { isTrue |= Self.bit(value.isNaN) & Self.bit(feature < 0) }
                    // The comparison picks which offset to load. A select between the two
                    // would be compiled back into a branch that mispredicts on every other
                    // node.
                    positions[tree] &+= UnsafeRawPointer(step).load(
                        fromByteOffset: falseAt &+ Int(isTrue) &* trueFromFalse, as: Int32.self)
                }
            }
            body { Int(positions[Int(rank[$0])]) }
        }

        @inline(__always)
        private static func bit(_ value: Bool) -> UInt8 { unsafeBitCast(value, to: UInt8.self) }
    }

    /// Lends the walk's arrays to `body` for one run.
    func withWalker<Result>(_ body: (Walker) -> Result) -> Result {
        steps.withUnsafeBufferPointer { steps in
            roots.withUnsafeBufferPointer { roots in
                rank.withUnsafeBufferPointer { rank in
                    walking.withUnsafeBufferPointer { walking in
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: roots.count) {
                            positions in
                            positions.initialize(repeating: 0)
                            return body(
                                Walker(
                                    steps: steps.baseAddress!, roots: roots,
                                    rank: rank.baseAddress!, walking: walking,
                                    positions: positions.baseAddress!, mode: mode,
                                    tracksMissing: tracksMissing))
                        }
                    }
                }
            }
        }
    }
}
