/// Shallow trees padded to complete binary trees of one depth, in level order: node `i`'s
/// true child is `2i + 1`, its false child `2i + 2`, and every walk takes exactly `depth`
/// steps. The walk then has no data-dependent branches, so the processor overlaps many
/// trees at once; gradient-boosted trees (depth 3 by default) are the usual beneficiaries.
///
/// A leaf above the bottom level is padded with branches whose two subtrees both end at
/// that leaf, so whichever way the padding compares, the result is the leaf's weight, and
/// the weights are still added tree by tree in onnxruntime's order.
struct CompleteForest<Scalar: TreeScalar>: Sendable {
    struct Branch: Sendable {
        var threshold: Scalar
        var feature: Int32
    }

    struct Leaf: Sendable {
        var value: Scalar
        var classIndex: Int32
    }

    let depth: Int
    /// `2^depth - 1` branches per tree, tree after tree.
    let branches: [Branch]
    /// `2^depth` leaves per tree, tree after tree.
    let leaves: [Leaf]
    let mode: BranchMode

    /// nil unless every branch compares under `mode` without missing-value tracking, every
    /// leaf carries exactly one weight, and padding at most quadruples the node count.
    init?(_ definition: TreeEnsembleDefinition<Scalar>, mode: BranchMode?) {
        guard let mode,
            definition.nodes.indices.allSatisfy({ index in
                !definition.nodes[index].isLeaf || definition.leafWeights[index].count == 1
            })
        else { return nil }
        var depth = 0
        for root in definition.roots {
            var stack = [(root, 0)]
            while let (index, level) = stack.popLast() {
                depth = max(depth, level)
                guard depth <= 10 else { return nil }
                if !definition.nodes[index].isLeaf {
                    stack.append((definition.nodes[index].trueChild, level + 1))
                    stack.append((definition.nodes[index].falseChild, level + 1))
                }
            }
        }
        let leafCount = 1 << depth
        guard definition.roots.count * leafCount * 2 <= max(4 * definition.nodes.count, 4096)
        else { return nil }

        var branches: [Branch] = []
        var leaves: [Leaf] = []
        branches.reserveCapacity(definition.roots.count * (leafCount - 1))
        leaves.reserveCapacity(definition.roots.count * leafCount)
        for root in definition.roots {
            var treeBranches = [Branch](
                repeating: Branch(threshold: 0, feature: 0), count: leafCount - 1)
            var treeLeaves = [Leaf](repeating: Leaf(value: 0, classIndex: 0), count: leafCount)
            // (definition node, level-order position)
            var stack = [(root, 0)]
            while let (index, position) = stack.popLast() {
                if position >= leafCount - 1 {
                    let weight = definition.leafWeights[index][0]
                    treeLeaves[position - (leafCount - 1)] = Leaf(
                        value: weight.value, classIndex: Int32(weight.classIndex))
                    continue
                }
                let node = definition.nodes[index]
                if node.isLeaf {
                    // Padding: both ways lead to this same leaf.
                    stack.append((index, 2 * position + 1))
                    stack.append((index, 2 * position + 2))
                } else {
                    treeBranches[position] = Branch(
                        threshold: node.threshold, feature: Int32(node.feature))
                    stack.append((node.trueChild, 2 * position + 1))
                    stack.append((node.falseChild, 2 * position + 2))
                }
            }
            branches += treeBranches
            leaves += treeLeaves
        }
        self.depth = depth
        self.branches = branches
        self.leaves = leaves
        self.mode = mode
    }

    /// The padded trees lent as pointers for one run of many rows, so a row costs no
    /// reference counting.
    struct Walker {
        /// nil when the trees are single leaves (depth 0) and have no branches to read.
        let branches: UnsafePointer<Branch>?
        let leaves: UnsafePointer<Leaf>
        let depth: Int
        let treeCount: Int
        let mode: BranchMode

        /// Walks every tree for row `x` and combines each reached leaf into `scores` under
        /// `Combiner`, tree by tree in order.
        @inline(__always)
        func accumulate<Combiner: LeafCombiner>(
            _ x: UnsafePointer<Scalar>, into scores: UnsafeMutablePointer<Scalar>,
            _ hasScore: UnsafeMutablePointer<Bool>, _ combiner: Combiner.Type
        ) {
            switch mode {
            case .lessOrEqual: walk(x, scores, hasScore, combiner) { $0 <= $1 }
            case .less: walk(x, scores, hasScore, combiner) { $0 < $1 }
            case .greaterOrEqual: walk(x, scores, hasScore, combiner) { $0 >= $1 }
            case .greater: walk(x, scores, hasScore, combiner) { $0 > $1 }
            case .equal: walk(x, scores, hasScore, combiner) { $0 == $1 }
            case .notEqual: walk(x, scores, hasScore, combiner) { $0 != $1 }
            }
        }

        @inline(__always)
        private func walk<Combiner: LeafCombiner>(
            _ x: UnsafePointer<Scalar>, _ scores: UnsafeMutablePointer<Scalar>,
            _ hasScore: UnsafeMutablePointer<Bool>, _ combiner: Combiner.Type,
            _ goesTrue: (Scalar, Scalar) -> Bool
        ) {
            let leafCount = 1 << depth
            // With depth 0 there are no branches, and `tree` is never read.
            var tree = branches ?? UnsafePointer(bitPattern: 16)!
            var treeLeaves = leaves
            for _ in 0..<treeCount {
                var position = 0
                for _ in 0..<depth {
                    let branch = tree[position]
                    let step = goesTrue(x[Int(branch.feature)], branch.threshold) ? 1 : 2
                    position = 2 * position + step
                }
                let leaf = treeLeaves[position - (leafCount - 1)]
                Combiner.add(leaf.value, to: Int(leaf.classIndex), scores, hasScore)
                tree += leafCount - 1
                treeLeaves += leafCount
            }
        }
    }

    /// Lends the padded trees to `body` for one run.
    func withWalker<Result>(_ body: (Walker) -> Result) -> Result {
        branches.withUnsafeBufferPointer { branches in
            leaves.withUnsafeBufferPointer { leaves in
                body(
                    Walker(
                        branches: branches.baseAddress, leaves: leaves.baseAddress!,
                        depth: depth, treeCount: leaves.count >> depth, mode: mode))
            }
        }
    }
}
