/// A validated tree ensemble, the one form every tree-ensemble operator is read into at
/// load and the Forest is built from: trees of branch and leaf nodes, each leaf carrying
/// weights for class (or target) columns, how those weights combine, and the transform.
/// `init(_:)` reads TreeEnsembleClassifier's attributes; `init(opset5:)` translates
/// TreeEnsemble (opset 5) into the same form, as onnxruntime's `convert_to_v3` does.
///
/// For the classifier, every parallel array must match `nodes_nodeids` in length, every
/// child and every weight must point at a node of its own tree, weights may only sit on
/// leaves, class ids must fall within the labels. onnxruntime enforces some of this,
/// silently tolerates the rest (weights on branches, unknown modes read as BRANCH_NEQ);
/// here each is refused with the attribute names and sizes in the message.
struct TreeEnsembleDefinition<Scalar: TreeScalar> {
    enum NodeKind {
        case leaf
        case branch(BranchMode)
        /// A BRANCH_MEMBER node of opset 5: x goes true when it is in the set.
        case member(TreeMembership<Scalar>)
    }

    struct TreeNode {
        var kind: NodeKind
        var feature: Int
        var threshold: Scalar
        var trueChild: Int
        var falseChild: Int
        var missingTracksTrue: Bool

        var isLeaf: Bool {
            if case .leaf = kind { true } else { false }
        }
    }

    struct Weight {
        var classIndex: Int
        var value: Scalar
    }

    /// The classifier's labels, one per target column; nil for TreeEnsemble (opset 5),
    /// whose columns are plain targets.
    let classLabels: ClassLabels?
    /// The output columns: classes or targets.
    let targetCount: Int
    /// How the weights reaching one column combine; a classifier always sums.
    let aggregate: TreeAggregate
    let postTransform: PostTransform
    let baseValues: [Scalar]
    /// Nodes in attribute order (opset 5: each tree copied out from its root, in preorder);
    /// children are positions in this array, and every node belongs to one tree.
    let nodes: [TreeNode]
    /// Each tree's root position, in the order onnxruntime combines the trees: order of
    /// first appearance in `nodes_treeids`, or `tree_roots` order for opset 5.
    let roots: [Int]
    /// Per node position, its weights in attribute order (empty for branches).
    let leafWeights: [[Weight]]
    /// Every weight's class (onnxruntime's binary case needs the set).
    let weightClasses: Set<Int>
    /// No weight is negative (onnxruntime's test is `weight < 0`, so -0 and NaN count).
    let weightsAllPositive: Bool

    /// An ensemble from already validated parts: every child and root a position in
    /// `nodes`, every weight's class below `targetCount`.
    init(
        classLabels: ClassLabels?, targetCount: Int, aggregate: TreeAggregate,
        postTransform: PostTransform, baseValues: [Scalar], nodes: [TreeNode], roots: [Int],
        leafWeights: [[Weight]]
    ) {
        self.classLabels = classLabels
        self.targetCount = targetCount
        self.aggregate = aggregate
        self.postTransform = postTransform
        self.baseValues = baseValues
        self.nodes = nodes
        self.roots = roots
        self.leafWeights = leafWeights
        weightClasses = Set(leafWeights.joined().map(\.classIndex))
        weightsAllPositive = !leafWeights.joined().contains { $0.value < 0 }
    }

    /// A TreeEnsembleClassifier node's attributes, read and cross-checked.
    init(_ node: Node) throws(ModelError) {
        let classLabels = try Self.readClassLabels(node)
        let classCount = classLabels.count

        let transformName = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(rawValue: transformName) else {
            throw .attribute(
                node, "post_transform",
                "expected NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO or PROBIT, found '\(transformName)'"
            )
        }

        let baseValues = try Self.values(node, "base_values", required: false)
        // onnxruntime's rule: two classes take 0, 1 or 2 base values, more take 0 or one each.
        guard classCount == 2 ? baseValues.count <= 2 : [0, classCount].contains(baseValues.count)
        else {
            throw .attribute(
                node, "base_values",
                "expected \(classCount == 2 ? "0, 1 or 2" : "0 or \(classCount)") values for \(classCount) classes, found \(baseValues.count)"
            )
        }

        let nodeIDs = try node.ints("nodes_nodeids", required: true)!
        let count = nodeIDs.count
        guard count > 0 else {
            throw .attribute(node, "nodes_nodeids", "expected at least one node, found none")
        }
        func parallel<T>(_ name: String, _ values: [T]?) throws(ModelError) -> [T]? {
            guard let values else { return nil }
            guard values.count == count else {
                throw .attribute(
                    node, name,
                    "has \(values.count) values but nodes_nodeids has \(count); "
                        + "the node arrays must be parallel")
            }
            return values
        }
        let treeIDs = try parallel("nodes_treeids", try node.ints("nodes_treeids", required: true))!
        let featureIDs = try parallel(
            "nodes_featureids", try node.ints("nodes_featureids", required: true))!
        let modeNames = try parallel(
            "nodes_modes", try node.strings("nodes_modes", required: true))!
        let trueIDs = try parallel(
            "nodes_truenodeids", try node.ints("nodes_truenodeids", required: true))!
        let falseIDs = try parallel(
            "nodes_falsenodeids", try node.ints("nodes_falsenodeids", required: true))!
        let missing = try parallel(
            "nodes_missing_value_tracks_true", try node.ints("nodes_missing_value_tracks_true"))
        _ = try parallel("nodes_hitrates", try node.floats("nodes_hitrates"))
        let thresholdName =
            node.attribute("nodes_values_as_tensor") == nil
            ? "nodes_values" : "nodes_values_as_tensor"
        let thresholds = try parallel(thresholdName, try Self.values(node, "nodes_values"))!

        // (tree id, node id) → position, refusing duplicates.
        var position: [Int64: [Int64: Int]] = [:]
        var treeOrder: [Int64] = []
        for index in 0..<count {
            if position[treeIDs[index]] == nil { treeOrder.append(treeIDs[index]) }
            guard position[treeIDs[index], default: [:]][nodeIDs[index]] == nil else {
                throw .attribute(
                    node, "nodes_nodeids",
                    "expected unique node ids per tree, found node \(nodeIDs[index]) twice in tree \(treeIDs[index])"
                )
            }
            position[treeIDs[index], default: [:]][nodeIDs[index]] = index
        }

        var nodes: [TreeNode] = []
        nodes.reserveCapacity(count)
        var isChild = [Bool](repeating: false, count: count)
        for index in 0..<count {
            let location = "node \(nodeIDs[index]) of tree \(treeIDs[index])"
            let kind: NodeKind
            if modeNames[index] == "LEAF" {
                kind = .leaf
            } else if let mode = BranchMode(onnxName: modeNames[index]) {
                kind = .branch(mode)
            } else {
                throw .attribute(
                    node, "nodes_modes",
                    "\(location): expected LEAF or BRANCH_LEQ, _LT, _GTE, _GT, _EQ, _NEQ, found '\(modeNames[index])'"
                )
            }
            var treeNode = TreeNode(
                kind: kind, feature: 0, threshold: thresholds[index], trueChild: -1,
                falseChild: -1, missingTracksTrue: missing?[index] == 1)
            if case .branch = kind {
                guard featureIDs[index] >= 0, featureIDs[index] < Int32.max else {
                    throw .attribute(
                        node, "nodes_featureids",
                        "\(location): expected a feature index from 0, found \(featureIDs[index])")
                }
                treeNode.feature = Int(featureIDs[index])
                for (name, ids) in [
                    ("nodes_truenodeids", trueIDs), ("nodes_falsenodeids", falseIDs),
                ] {
                    guard let child = position[treeIDs[index]]?[ids[index]], child != index else {
                        throw .attribute(
                            node, name,
                            "\(location) points to node \(ids[index]), which is not another node of tree \(treeIDs[index])"
                        )
                    }
                    isChild[child] = true
                    if name == "nodes_truenodeids" {
                        treeNode.trueChild = child
                    } else {
                        treeNode.falseChild = child
                    }
                }
            }
            nodes.append(treeNode)
        }

        var rootOfTree: [Int64: Int] = [:]
        for index in 0..<count where !isChild[index] {
            if let other = rootOfTree[treeIDs[index]] {
                throw .attribute(
                    node, "nodes_truenodeids",
                    "tree \(treeIDs[index]) has two roots (node ids \(nodeIDs[other]) and \(nodeIDs[index])); expected every node but one to be a child"
                )
            }
            rootOfTree[treeIDs[index]] = index
        }
        var roots: [Int] = []
        for tree in treeOrder {
            guard let root = rootOfTree[tree] else {
                throw .attribute(
                    node, "nodes_truenodeids",
                    "tree \(tree) has no root: every node is some node's child, so they form a cycle"
                )
            }
            roots.append(root)
        }
        // Every node must be reached exactly once from its root: no cycles, no shared
        // children, no stray nodes, so every walk ends at a leaf.
        var reached = [Bool](repeating: false, count: count)
        for root in roots {
            var stack = [root]
            while let index = stack.popLast() {
                guard !reached[index] else {
                    throw .attribute(
                        node, "nodes_truenodeids",
                        "node \(nodeIDs[index]) of tree \(treeIDs[index]) is reached twice; expected a tree, found a cycle or a shared child"
                    )
                }
                reached[index] = true
                if !nodes[index].isLeaf {
                    stack.append(nodes[index].trueChild)
                    stack.append(nodes[index].falseChild)
                }
            }
        }

        let weightTrees = try node.ints("class_treeids", required: true)!
        let weightNodes = try node.ints("class_nodeids", required: true)!
        let weightClassIDs = try node.ints("class_ids", required: true)!
        let weightName =
            node.attribute("class_weights_as_tensor") == nil
            ? "class_weights" : "class_weights_as_tensor"
        let weights = try Self.values(node, "class_weights")
        for (name, size) in [
            ("class_nodeids", weightNodes.count), ("class_ids", weightClassIDs.count),
            (weightName, weights.count),
        ] where size != weightTrees.count {
            throw .attribute(
                node, name,
                "has \(size) values but class_treeids has \(weightTrees.count); the weight arrays must be parallel"
            )
        }
        var leafWeights = [[Weight]](repeating: [], count: count)
        for index in 0..<weightTrees.count {
            let location =
                "weight \(index) (node \(weightNodes[index]) of tree \(weightTrees[index]))"
            guard let leaf = position[weightTrees[index]]?[weightNodes[index]] else {
                throw .attribute(
                    node, "class_nodeids", "\(location) refers to a node that does not exist")
            }
            guard case .leaf = nodes[leaf].kind else {
                throw .attribute(
                    node, "class_nodeids",
                    "\(location): expected a LEAF, found a \(modeNames[leaf]) node")
            }
            guard weightClassIDs[index] >= 0, weightClassIDs[index] < classCount else {
                throw .attribute(
                    node, "class_ids",
                    "\(location): expected a class from 0 to \(classCount - 1), found \(weightClassIDs[index])"
                )
            }
            leafWeights[leaf].append(
                Weight(classIndex: Int(weightClassIDs[index]), value: weights[index]))
        }

        self.init(
            classLabels: classLabels, targetCount: classCount, aggregate: .sum,
            postTransform: transform, baseValues: baseValues, nodes: nodes, roots: roots,
            leafWeights: leafWeights)
    }

    private static func readClassLabels(_ node: Node) throws(ModelError) -> ClassLabels {
        let ints = try node.ints("classlabels_int64s") ?? []
        let strings = try node.strings("classlabels_strings") ?? []
        let labels: ClassLabels
        switch (ints.isEmpty, strings.isEmpty) {
        case (false, true): labels = .int64s(ints)
        case (true, false): labels = .strings(strings)
        case (false, false):
            throw .attribute(
                node, "classlabels_int64s",
                "expected exactly one of classlabels_int64s and classlabels_strings, found both")
        case (true, true):
            throw .attribute(
                node, "classlabels_int64s",
                "expected exactly one of classlabels_int64s and classlabels_strings, found neither"
            )
        }
        guard labels.count >= 2 else {
            throw .attribute(
                node, ints.isEmpty ? "classlabels_strings" : "classlabels_int64s",
                "expected at least 2 classes, found \(labels.count)")
        }
        return labels
    }

    /// A float list attribute `name`, or its opset-3 twin `name_as_tensor`, in the
    /// ensemble's scalar type. onnxruntime reads the tensor only in the threshold type
    /// (float32, or float64 for double input) and refuses both forms at once.
    private static func values(
        _ node: Node, _ name: String, required: Bool = true
    ) throws(ModelError) -> [Scalar] {
        let tensorName = name + "_as_tensor"
        let list = try node.floats(name)
        guard let proto = try node.tensor(tensorName) else {
            guard let list else {
                if required { throw .attribute(node, name, "is required but missing") }
                return []
            }
            return list.map { Scalar($0) }
        }
        guard list?.isEmpty ?? true else {
            throw .attribute(
                node, tensorName, "expected either \(name) or \(tensorName), found both")
        }
        let tensor = try proto.tensor(context: "\(node.label) attribute '\(tensorName)'")
        switch tensor.storage {
        case .float(let values) where Scalar.self == Float.self:
            return values.map { Scalar($0) }
        case .double(let values) where Scalar.self == Double.self:
            return values.map { Scalar($0) }
        default:
            throw .attribute(
                node, tensorName,
                "expected a \(Scalar.self == Float.self ? "float" : "double") tensor for \(Scalar.self == Float.self ? "float or int64" : "double") input, found \(tensor.elementType)"
            )
        }
    }
}
