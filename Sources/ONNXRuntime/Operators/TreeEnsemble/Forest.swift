/// A validated tree ensemble flattened for evaluation: every tree laid out in preorder in
/// one node array, each branch's true child right after it, so a walk mostly stays within
/// a few cache lines and only the false child needs an index.
final class Forest<Scalar: TreeScalar>: Sendable {
    /// One node. A branch compares input `feature` with `value` under `kind` (a BranchMode,
    /// or `memberBranch`) and continues at the next position or at `next`. A single-weight
    /// leaf adds `value` to class `feature`; any other leaf adds `weights[feature..<next]`.
    struct Node: Sendable {
        var value: Scalar
        var feature: Int32
        var next: Int32
        var kind: UInt8
        var missingTracksTrue: Bool
    }

    struct Weight: Sendable {
        var classIndex: Int32
        var value: Scalar
    }

    /// Node kinds beyond the BranchMode raw values. A member branch tests its feature
    /// against `memberships[position]`.
    static var memberBranch: UInt8 { 0x20 }
    static var singleWeightLeaf: UInt8 { 0x40 }
    static var multiWeightLeaf: UInt8 { 0x41 }

    let nodes: [Node]
    let weights: [Weight]
    /// Per node position, a member branch's set; empty when no branch is one.
    let memberships: [TreeMembership<Scalar>?]
    /// Each tree's root position, in onnxruntime's summation order.
    let roots: [Int32]
    /// The largest feature index any branch reads, -1 when no tree branches.
    let maximumFeature: Int
    /// The same trees padded to one depth, when every branch compares under one mode, no
    /// node sends NaN to its true child, and the trees are shallow enough to pay off.
    let complete: CompleteForest<Scalar>?
    /// Otherwise, when every branch compares under one mode, the trees walked all at once.
    /// With neither (mixed modes, or any member branch), the trees are walked node by node,
    /// each under its own mode.
    let interleaved: InterleavedWalk<Scalar>?

    init(_ definition: TreeEnsembleDefinition<Scalar>) {
        var nodes: [Node] = []
        var weights: [Weight] = []
        var memberships: [Int: TreeMembership<Scalar>] = [:]
        var roots: [Int32] = []
        var modes = Set<BranchMode>()
        var anyMissingTracks = false
        var maximumFeature = -1
        nodes.reserveCapacity(definition.nodes.count)
        for root in definition.roots {
            roots.append(Int32(nodes.count))
            // (definition position, flat position of the branch whose false child it is)
            var stack: [(Int, Int?)] = [(root, nil)]
            while let (index, parent) = stack.popLast() {
                if let parent { nodes[parent].next = Int32(nodes.count) }
                let source = definition.nodes[index]
                let kind: UInt8
                switch source.kind {
                case .leaf:
                    let leafWeights = definition.leafWeights[index]
                    if leafWeights.count == 1 {
                        nodes.append(
                            Node(
                                value: leafWeights[0].value,
                                feature: Int32(leafWeights[0].classIndex), next: 0,
                                kind: Self.singleWeightLeaf, missingTracksTrue: false))
                    } else {
                        nodes.append(
                            Node(
                                value: 0, feature: Int32(weights.count),
                                next: Int32(weights.count + leafWeights.count),
                                kind: Self.multiWeightLeaf, missingTracksTrue: false))
                        for weight in leafWeights {
                            weights.append(
                                Weight(classIndex: Int32(weight.classIndex), value: weight.value))
                        }
                    }
                    continue
                case .branch(let mode):
                    modes.insert(mode)
                    kind = mode.rawValue
                case .member(let set):
                    memberships[nodes.count] = set
                    kind = Self.memberBranch
                }
                let position = nodes.count
                nodes.append(
                    Node(
                        value: source.threshold, feature: Int32(source.feature), next: -1,
                        kind: kind, missingTracksTrue: source.missingTracksTrue))
                anyMissingTracks = anyMissingTracks || source.missingTracksTrue
                maximumFeature = max(maximumFeature, source.feature)
                stack.append((source.falseChild, position))
                stack.append((source.trueChild, nil))
            }
        }
        self.nodes = nodes
        self.weights = weights
        self.memberships =
            memberships.isEmpty ? [] : nodes.indices.map { memberships[$0] }
        self.roots = roots
        self.maximumFeature = maximumFeature
        let singleMode =
            memberships.isEmpty && modes.count <= 1 ? (modes.first ?? .lessOrEqual) : nil
        complete = CompleteForest(definition, mode: anyMissingTracks ? nil : singleMode)
        interleaved =
            complete == nil ? InterleavedWalk(nodes: nodes, roots: roots, mode: singleMode) : nil
    }

    /// The Forest's arrays lent as pointers for one run of many rows, so a row costs no
    /// reference counting: taken once by `withWalker`, used for every row of the run.
    struct Walker {
        let nodes: UnsafePointer<Node>
        let weights: UnsafePointer<Weight>?
        /// nil when no branch is a member branch.
        let memberships: UnsafePointer<TreeMembership<Scalar>?>?
        let roots: UnsafeBufferPointer<Int32>
        let complete: CompleteForest<Scalar>.Walker?
        let interleaved: InterleavedWalk<Scalar>.Walker?

        /// Walks every tree for one row `x` and combines the reached leaves' weights into
        /// `scores` under `Combiner`, tree by tree in order, marking each class that
        /// received a weight.
        @inline(__always)
        func accumulate<Combiner: LeafCombiner>(
            _ x: UnsafePointer<Scalar>, into scores: UnsafeMutablePointer<Scalar>,
            _ hasScore: UnsafeMutablePointer<Bool>, _ combiner: Combiner.Type
        ) {
            if let complete { return complete.accumulate(x, into: scores, hasScore, combiner) }
            if let interleaved {
                return interleaved.walk(x) { reached in
                    for tree in roots.indices {
                        add(nodes[reached(tree)], scores, hasScore, combiner)
                    }
                }
            }
            // Mixed modes, member branches, or no tree that branches.
            if let memberships {
                walkEach(x, memberships, scores, hasScore, combiner)
            } else {
                walkEach(x, nil, scores, hasScore, combiner)
            }
        }

        /// Walks the trees one after the other, node by node, each node under its own mode.
        @inline(__always)
        private func walkEach<Combiner: LeafCombiner>(
            _ x: UnsafePointer<Scalar>, _ memberships: UnsafePointer<TreeMembership<Scalar>?>?,
            _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>,
            _ combiner: Combiner.Type
        ) {
            for root in roots {
                var position = Int(root)
                var node = nodes[position]
                while node.kind < Forest.singleWeightLeaf {
                    let value = x[Int(node.feature)]
                    let passes =
                        if let memberships, node.kind == Forest.memberBranch {
                            memberships[position]!.contains(value)
                        } else {
                            BranchMode(rawValue: node.kind)!.goesTrue(value, node.value)
                        }
                    let goesTrue = passes || (node.missingTracksTrue && value.isNaN)
                    position = goesTrue ? position + 1 : Int(node.next)
                    node = nodes[position]
                }
                add(node, scores, hasScore, combiner)
            }
        }

        /// Combines leaf `node`'s weights into their classes' scores.
        @inline(__always)
        private func add<Combiner: LeafCombiner>(
            _ node: Node, _ scores: UnsafeMutablePointer<Scalar>,
            _ hasScore: UnsafeMutablePointer<Bool>, _ combiner: Combiner.Type
        ) {
            if node.kind == Forest.singleWeightLeaf {
                Combiner.add(node.value, to: Int(node.feature), scores, hasScore)
            } else {
                for index in Int(node.feature)..<Int(node.next) {
                    let weight = weights![index]
                    Combiner.add(weight.value, to: Int(weight.classIndex), scores, hasScore)
                }
            }
        }
    }

    /// Lends the Forest's arrays, and its layout's, to `body` for one run.
    func withWalker<Result>(_ body: (Walker) -> Result) -> Result {
        nodes.withUnsafeBufferPointer { nodes in
            weights.withUnsafeBufferPointer { weights in
                memberships.withUnsafeBufferPointer { memberships in
                    roots.withUnsafeBufferPointer { roots in
                        func lend(
                            _ complete: CompleteForest<Scalar>.Walker?,
                            _ interleaved: InterleavedWalk<Scalar>.Walker?
                        ) -> Result {
                            body(
                                Walker(
                                    nodes: nodes.baseAddress!, weights: weights.baseAddress,
                                    memberships: memberships.isEmpty
                                        ? nil : memberships.baseAddress, roots: roots,
                                    complete: complete, interleaved: interleaved))
                        }
                        if let complete { return complete.withWalker { lend($0, nil) } }
                        if let interleaved { return interleaved.withWalker { lend(nil, $0) } }
                        return lend(nil, nil)
                    }
                }
            }
        }
    }
}
