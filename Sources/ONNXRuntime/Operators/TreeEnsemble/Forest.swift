/// A validated tree ensemble flattened for evaluation: every tree laid out in preorder in
/// one node array, each branch's true child right after it, so a walk mostly stays within
/// a few cache lines and only the false child needs an index.
final class Forest<Scalar: TreeScalar>: Sendable {
    /// One node. A branch compares input `feature` with `value` under `kind` (a BranchMode)
    /// and continues at the next position or at `next`. A single-weight leaf adds `value`
    /// to class `feature`; any other leaf adds `weights[feature..<next]`.
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

    /// Node kinds beyond the BranchMode raw values.
    static var singleWeightLeaf: UInt8 { 0x40 }
    static var multiWeightLeaf: UInt8 { 0x41 }

    let nodes: [Node]
    let weights: [Weight]
    /// Each tree's root position, in onnxruntime's summation order.
    let roots: [Int32]
    /// The largest feature index any branch reads.
    let maximumFeature: Int
    /// The same trees padded to one depth, when every branch compares under one mode, no
    /// node sends NaN to its true child, and the trees are shallow enough to pay off.
    let complete: CompleteForest<Scalar>?
    /// Otherwise, when every branch compares under one mode, the trees walked all at once.
    /// With neither, the trees are walked node by node, each under its own mode.
    let interleaved: InterleavedWalk<Scalar>?

    init(_ definition: TreeEnsembleDefinition<Scalar>) {
        var nodes: [Node] = []
        var weights: [Weight] = []
        var roots: [Int32] = []
        var modes = Set<BranchMode>()
        var anyMissingTracks = false
        var maximumFeature = 0
        nodes.reserveCapacity(definition.nodes.count)
        for root in definition.roots {
            roots.append(Int32(nodes.count))
            // (definition position, flat position of the branch whose false child it is)
            var stack: [(Int, Int?)] = [(root, nil)]
            while let (index, parent) = stack.popLast() {
                if let parent { nodes[parent].next = Int32(nodes.count) }
                let source = definition.nodes[index]
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
                case .branch(let mode):
                    let position = nodes.count
                    nodes.append(
                        Node(
                            value: source.threshold, feature: Int32(source.feature), next: -1,
                            kind: mode.rawValue, missingTracksTrue: source.missingTracksTrue))
                    modes.insert(mode)
                    anyMissingTracks = anyMissingTracks || source.missingTracksTrue
                    maximumFeature = max(maximumFeature, source.feature)
                    stack.append((source.falseChild, position))
                    stack.append((source.trueChild, nil))
                }
            }
        }
        self.nodes = nodes
        self.weights = weights
        self.roots = roots
        self.maximumFeature = maximumFeature
        let singleMode = modes.count <= 1 ? (modes.first ?? .lessOrEqual) : nil
        complete = CompleteForest(definition, mode: anyMissingTracks ? nil : singleMode)
        interleaved =
            complete == nil ? InterleavedWalk(nodes: nodes, roots: roots, mode: singleMode) : nil
    }

    /// Walks every tree for one row `x` and adds the reached leaves' weights to `scores`,
    /// tree by tree in order, marking each class that received a weight.
    func accumulate(
        _ x: UnsafePointer<Scalar>, into scores: UnsafeMutablePointer<Scalar>,
        _ hasScore: UnsafeMutablePointer<Bool>
    ) {
        if let complete { return complete.accumulate(x, into: scores, hasScore) }
        if let interleaved {
            return nodes.withUnsafeBufferPointer { nodes in
                weights.withUnsafeBufferPointer { weights in
                    interleaved.walk(x) { reached in
                        for tree in roots.indices {
                            add(nodes[reached(tree)], weights, scores, hasScore)
                        }
                    }
                }
            }
        }
        // Mixed modes, or no tree that branches.
        nodes.withUnsafeBufferPointer { nodes in
            weights.withUnsafeBufferPointer { weights in
                for root in roots {
                    var position = Int(root)
                    var node = nodes[position]
                    while node.kind < Self.singleWeightLeaf {
                        let value = x[Int(node.feature)]
                        let goesTrue =
                            BranchMode(rawValue: node.kind)!.goesTrue(value, node.value)
                            || (node.missingTracksTrue && value.isNaN)
                        position = goesTrue ? position + 1 : Int(node.next)
                        node = nodes[position]
                    }
                    add(node, weights, scores, hasScore)
                }
            }
        }
    }

    /// Adds leaf `node`'s weights to their classes' scores.
    @inline(__always)
    private func add(
        _ node: Node, _ weights: UnsafeBufferPointer<Weight>,
        _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>
    ) {
        if node.kind == Self.singleWeightLeaf {
            scores[Int(node.feature)] += node.value
            hasScore[Int(node.feature)] = true
        } else {
            for index in Int(node.feature)..<Int(node.next) {
                let weight = weights[index]
                scores[Int(weight.classIndex)] += weight.value
                hasScore[Int(weight.classIndex)] = true
            }
        }
    }
}
