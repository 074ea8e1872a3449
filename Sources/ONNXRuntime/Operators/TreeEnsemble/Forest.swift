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
    /// The one mode every branch uses, when there is one and no node sends NaN to its true
    /// child: the walk then compares without looking the mode up (onnxruntime's same_mode_).
    let uniformMode: BranchMode?
    /// The same trees padded to one depth, when they are shallow enough to pay off.
    let complete: CompleteForest<Scalar>?
    /// Otherwise, when every branch compares under one mode, the trees walked all at once.
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
        uniformMode = anyMissingTracks ? nil : singleMode
        complete = CompleteForest(definition, mode: uniformMode)
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
        switch uniformMode {
        case .lessOrEqual?: accumulate(LessOrEqual.self, x, scores, hasScore)
        case .less?: accumulate(Less.self, x, scores, hasScore)
        case .greaterOrEqual?: accumulate(GreaterOrEqual.self, x, scores, hasScore)
        case .greater?: accumulate(Greater.self, x, scores, hasScore)
        case .equal?: accumulate(Equal.self, x, scores, hasScore)
        case .notEqual?: accumulate(NotEqual.self, x, scores, hasScore)
        case nil: accumulate(PerNode.self, x, scores, hasScore)
        }
    }

    /// One specialization per comparison, so the inner loop carries no mode switch.
    @inline(__always)
    private func accumulate<Rule: BranchRule>(
        _ rule: Rule.Type, _ x: UnsafePointer<Scalar>, _ scores: UnsafeMutablePointer<Scalar>,
        _ hasScore: UnsafeMutablePointer<Bool>
    ) {
        nodes.withUnsafeBufferPointer { nodes in
            weights.withUnsafeBufferPointer { weights in
                walk(rule, nodes.baseAddress!, weights, x, scores, hasScore)
            }
        }
    }

    @inline(__always)
    private func walk<Rule: BranchRule>(
        _ rule: Rule.Type, _ nodes: UnsafePointer<Node>, _ weights: UnsafeBufferPointer<Weight>,
        _ x: UnsafePointer<Scalar>, _ scores: UnsafeMutablePointer<Scalar>,
        _ hasScore: UnsafeMutablePointer<Bool>
    ) {
        for root in roots {
            var position = Int(root)
            var node = nodes[position]
            while node.kind < Self.singleWeightLeaf {
                let goesTrue = Rule.goesTrue(x[Int(node.feature)], node)
                position = goesTrue ? position + 1 : Int(node.next)
                node = nodes[position]
            }
            add(node, weights, scores, hasScore)
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

/// A branch comparison, as a type so each one gets its own specialized walk.
private protocol BranchRule {
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool
}

private enum LessOrEqual: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x <= node.value
    }
}

private enum Less: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x < node.value
    }
}

private enum GreaterOrEqual: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x >= node.value
    }
}

private enum Greater: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x > node.value
    }
}

private enum Equal: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x == node.value
    }
}

private enum NotEqual: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        x != node.value
    }
}

/// Mixed modes or missing-value tracking: the node's own mode, and NaN may go true.
private enum PerNode: BranchRule {
    @inline(__always)
    static func goesTrue<Scalar: TreeScalar>(_ x: Scalar, _ node: Forest<Scalar>.Node) -> Bool {
        BranchMode(rawValue: node.kind)!.goesTrue(x, node.value)
            || (node.missingTracksTrue && x.isNaN)
    }
}
