/// ai.onnx.ml TreeEnsembleClassifier (opsets 1 and 3): the sum of the leaf weights each tree
/// reaches, per class, then the post transform; all in float32 as onnxruntime evaluates it.
enum TreeEnsembleClassifierOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "TreeEnsembleClassifier"
    static let opsets = 1...4

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let kernel = try TreeEnsembleClassifierKernel(context.node)
        let labelType: ElementType =
            if case .strings = kernel.classLabels { .string } else { .int64 }
        return (kernel, [labelType, .float])
    }
}

/// The validated, flattened ensemble. Node arrays are indexed by flat node position; each
/// tree is its root's position.
struct TreeEnsembleClassifierKernel: ClassifierKernel {
    enum Mode: UInt8 {
        case leaf, lessOrEqual, less, greaterOrEqual, greater, equal, notEqual
        /// A leaf with exactly one weight, kept in the node itself (the usual case).
        case singleWeightLeaf
    }

    let node: Node
    let classLabels: ClassLabels
    let postTransform: PostTransform
    let baseValues: [Float]
    /// One node in the flat layout: a branch (feature, threshold, children) or a leaf (the
    /// range of its weights in `weights`).
    /// One node in 16 bytes. Each tree is laid out in preorder with a branch's true child
    /// right after it, so a walk mostly stays within a few cache lines and only the false
    /// child needs an index. A branch compares `value` with input `feature`; a single-weight
    /// leaf adds `value` to class `feature`; any other leaf adds `weights[feature..<next]`.
    struct FlatNode {
        var value: Float
        var feature: Int32
        var next: Int32
        var mode: Mode
        var missingTracksTrue: Bool
    }

    struct Weight {
        var classIndex: Int32
        var value: Float
    }

    let roots: [Int32]
    let nodes: [FlatNode]
    let weights: [Weight]
    let maximumFeature: Int
    /// onnxruntime's binary special case: two classes but every weight on one column.
    let binaryCase: Bool
    let weightsAllPositive: Bool

    init(_ node: Node) throws(ModelError) {
        self.node = node
        let labelsInt = try node.ints("classlabels_int64s")
        let labelsString = try node.strings("classlabels_strings")
        switch (labelsInt.isEmpty, labelsString.isEmpty) {
        case (false, true): classLabels = .int64s(labelsInt)
        case (true, false): classLabels = .strings(labelsString)
        default:
            throw .attribute(
                node, "classlabels_int64s",
                "exactly one of classlabels_int64s and classlabels_strings must be set, found "
                    + (labelsInt.isEmpty ? "neither" : "both"))
        }
        let classCount = classLabels.count

        let transformName = try node.string("post_transform", default: "NONE")
        guard let transform = PostTransform(rawValue: transformName) else {
            throw .attribute(
                node, "post_transform",
                "expected NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO or PROBIT, found '\(transformName)'"
            )
        }
        postTransform = transform
        baseValues = try node.floats("base_values")
        guard baseValues.count <= classCount else {
            throw .attribute(
                node, "base_values", "has \(baseValues.count) values for \(classCount) classes")
        }

        let treeIDs = try node.ints("nodes_treeids", required: true)
        let nodeIDs = try node.ints("nodes_nodeids", required: true)
        let count = nodeIDs.count
        func parallel<T>(
            _ name: String, _ values: [T], optional: Bool = false
        ) throws(ModelError) -> [T] {
            guard values.count == count || (optional && values.isEmpty) else {
                throw .attribute(
                    node, name,
                    "has \(values.count) values, but nodes_nodeids has \(count); the node arrays must be parallel"
                )
            }
            return values
        }
        _ = try parallel("nodes_treeids", treeIDs)
        let featureIDs = try parallel(
            "nodes_featureids", try node.ints("nodes_featureids", required: true))
        let modeNames = try parallel("nodes_modes", try node.strings("nodes_modes"))
        let trueIDs = try parallel(
            "nodes_truenodeids", try node.ints("nodes_truenodeids", required: true))
        let falseIDs = try parallel(
            "nodes_falsenodeids", try node.ints("nodes_falsenodeids", required: true))
        let missing = try parallel(
            "nodes_missing_value_tracks_true", try node.ints("nodes_missing_value_tracks_true"),
            optional: true)
        _ = try parallel("nodes_hitrates", try node.floats("nodes_hitrates"), optional: true)
        let values = try parallel("nodes_values", try Self.thresholds(node))

        var position: [Int64: [Int64: Int]] = [:]
        for index in 0..<count {
            guard position[treeIDs[index], default: [:]][nodeIDs[index]] == nil else {
                throw .attribute(
                    node, "nodes_nodeids",
                    "node id \(nodeIDs[index]) appears twice in tree \(treeIDs[index])")
            }
            position[treeIDs[index], default: [:]][nodeIDs[index]] = index
        }

        var modes: [Mode] = []
        modes.reserveCapacity(count)
        let modeTable: [String: Mode] = [
            "LEAF": .leaf, "BRANCH_LEQ": .lessOrEqual, "BRANCH_LT": .less,
            "BRANCH_GTE": .greaterOrEqual, "BRANCH_GT": .greater, "BRANCH_EQ": .equal,
            "BRANCH_NEQ": .notEqual,
        ]
        var trueChild: [Int32] = []
        var falseChild: [Int32] = []
        var feature: [Int32] = []
        var isChild = [Bool](repeating: false, count: count)
        for index in 0..<count {
            guard let mode = modeTable[modeNames[index]] else {
                throw .attribute(
                    node, "nodes_modes",
                    "node \(nodeIDs[index]) of tree \(treeIDs[index]) has unknown mode '\(modeNames[index])'"
                )
            }
            modes.append(mode)
            guard mode != .leaf else {
                trueChild.append(-1)
                falseChild.append(-1)
                feature.append(0)
                continue
            }
            guard featureIDs[index] >= 0, featureIDs[index] < Int32.max else {
                throw .attribute(
                    node, "nodes_featureids",
                    "feature id \(featureIDs[index]) is negative or too large")
            }
            feature.append(Int32(featureIDs[index]))
            for (name, ids, children) in [
                ("nodes_truenodeids", trueIDs, 0), ("nodes_falsenodeids", falseIDs, 1),
            ] {
                guard let child = position[treeIDs[index]]?[ids[index]], child != index else {
                    throw .attribute(
                        node, name,
                        "node \(nodeIDs[index]) of tree \(treeIDs[index]) points to node \(ids[index]), which is not in that tree"
                    )
                }
                isChild[child] = true
                if children == 0 {
                    trueChild.append(Int32(child))
                } else {
                    falseChild.append(Int32(child))
                }
            }
        }

        var roots: [Int32] = []
        var rootOfTree: [Int64: Int] = [:]
        for index in 0..<count where !isChild[index] {
            if let other = rootOfTree[treeIDs[index]] {
                throw .attribute(
                    node, "nodes_treeids",
                    "tree \(treeIDs[index]) has two roots (node ids \(nodeIDs[other]) and \(nodeIDs[index]))"
                )
            }
            rootOfTree[treeIDs[index]] = index
            roots.append(Int32(index))
        }
        if let rootless = Set(treeIDs).subtracting(rootOfTree.keys).min() {
            throw .attribute(
                node, "nodes_truenodeids",
                "tree \(rootless) has no root: every node is some node's child, so they form a cycle"
            )
        }
        // Every node must be reached exactly once from its root, which rules out cycles and
        // shared children, so traversal always ends at a leaf.
        var reached = [Bool](repeating: false, count: count)
        for root in roots {
            var stack = [Int(root)]
            while let index = stack.popLast() {
                guard !reached[index] else {
                    throw .attribute(
                        node, "nodes_truenodeids",
                        "node \(nodeIDs[index]) of tree \(treeIDs[index]) is reached twice (a cycle or a shared child)"
                    )
                }
                reached[index] = true
                if modes[index] != .leaf {
                    stack.append(Int(trueChild[index]))
                    stack.append(Int(falseChild[index]))
                }
            }
        }

        let weightTrees = try node.ints("class_treeids", required: true)
        let weightNodes = try node.ints("class_nodeids", required: true)
        let weightClasses = try node.ints("class_ids", required: true)
        let weights = try node.floats("class_weights", required: true)
        for (name, size) in [
            ("class_nodeids", weightNodes.count), ("class_ids", weightClasses.count),
            ("class_weights", weights.count),
        ] where size != weightTrees.count {
            throw .attribute(
                node, name,
                "has \(size) values, but class_treeids has \(weightTrees.count); the weight arrays must be parallel"
            )
        }
        var leafWeights = [[(Int32, Float)]](repeating: [], count: count)
        for index in 0..<weightTrees.count {
            guard let leaf = position[weightTrees[index]]?[weightNodes[index]] else {
                throw .attribute(
                    node, "class_nodeids",
                    "weight \(index) refers to node \(weightNodes[index]) of tree \(weightTrees[index]), which does not exist"
                )
            }
            guard modes[leaf] == .leaf else {
                throw .attribute(
                    node, "class_nodeids",
                    "weight \(index) refers to node \(weightNodes[index]) of tree \(weightTrees[index]), which is not a leaf"
                )
            }
            guard weightClasses[index] >= 0, weightClasses[index] < classCount else {
                throw .attribute(
                    node, "class_ids",
                    "weight \(index) is for class \(weightClasses[index]), but there are \(classCount) classes"
                )
            }
            leafWeights[leaf].append((Int32(weightClasses[index]), weights[index]))
        }
        var leafStart: [Int32] = [0]
        var weightClass: [Int32] = []
        var weightValue: [Float] = []
        for entries in leafWeights {
            for (cls, weight) in entries {
                weightClass.append(cls)
                weightValue.append(weight)
            }
            leafStart.append(Int32(weightClass.count))
        }

        var flat: [FlatNode] = []
        var flatWeights: [Weight] = []
        var flatRoots: [Int32] = []
        flat.reserveCapacity(count)
        for root in roots {
            flatRoots.append(Int32(flat.count))
            // (original node, position of the branch whose false child it is, or -1)
            var stack: [(Int, Int)] = [(Int(root), -1)]
            while let (index, parent) = stack.popLast() {
                if parent >= 0 { flat[parent].next = Int32(flat.count) }
                let position = flat.count
                let start = Int(leafStart[index])
                let end = Int(leafStart[index + 1])
                switch modes[index] {
                case .leaf where end - start == 1:
                    flat.append(
                        FlatNode(
                            value: weightValue[start], feature: weightClass[start], next: 0,
                            mode: .singleWeightLeaf, missingTracksTrue: false))
                case .leaf:
                    flat.append(
                        FlatNode(
                            value: 0, feature: Int32(flatWeights.count),
                            next: Int32(flatWeights.count + end - start), mode: .leaf,
                            missingTracksTrue: false))
                    for weight in start..<end {
                        flatWeights.append(
                            Weight(classIndex: weightClass[weight], value: weightValue[weight]))
                    }
                default:
                    flat.append(
                        FlatNode(
                            value: values[index], feature: feature[index], next: -1,
                            mode: modes[index],
                            missingTracksTrue: missing.isEmpty ? false : missing[index] != 0))
                    stack.append((Int(falseChild[index]), position))
                    stack.append((Int(trueChild[index]), -1))
                }
            }
        }
        self.roots = flatRoots
        self.nodes = flat
        self.weights = flatWeights
        self.maximumFeature = Int(feature.max() ?? 0)
        binaryCase = classCount == 2 && Set(weightClasses).count == 1
        weightsAllPositive = weights.allSatisfy { $0 >= 0 }
    }

    /// nodes_values, or nodes_values_as_tensor (opset 3), as float32.
    private static func thresholds(_ node: Node) throws(ModelError) -> [Float] {
        if let tensor = node.attribute("nodes_values_as_tensor")?.tensor {
            let values = try tensor.tensor(
                context: "\(node.label) attribute 'nodes_values_as_tensor'")
            guard let floats = values.floats() else {
                throw .attribute(node, "nodes_values_as_tensor", "must hold numbers")
            }
            return floats
        }
        return try node.floats("nodes_values", required: true)
    }

    func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] {
        let input = inputs[0]
        guard let x = input.floats() else { throw .input("\(node.label): input must be numeric") }
        let rows = input.shape.count <= 1 ? 1 : input.shape[0]
        let width = rows == 0 ? 0 : x.count / rows
        guard rows == 0 || maximumFeature < width else {
            throw .input(
                "\(node.label): trees read feature \(maximumFeature), but rows have \(width) values"
            )
        }
        let classCount = classLabels.count
        var probabilities = [Float](repeating: 0, count: rows * classCount)
        var labelIndex = [Int](repeating: 0, count: rows)
        var scores = [Float](repeating: 0, count: classCount)
        var hasScore = [Bool](repeating: false, count: classCount)
        x.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                for index in 0..<classCount {
                    scores[index] = 0
                    hasScore[index] = false
                }
                accumulate(x, offset: row * width, scores: &scores, hasScore: &hasScore)
                labelIndex[row] = finalize(
                    &scores, hasScore,
                    into: &probabilities[(row * classCount)..<((row + 1) * classCount)])
            }
        }
        let labels: Tensor.Storage
        switch classLabels {
        case .int64s(let ids): labels = .int64(labelIndex.map { ids[$0] })
        case .strings(let names): labels = .string(labelIndex.map { names[$0] })
        }
        return [
            Tensor(shape: [rows], storage: labels),
            Tensor(shape: [rows, classCount], storage: .float(probabilities)),
        ]
    }

    /// Walks every tree for one row and adds the reached leaves' weights, tree by tree.
    private func accumulate(
        _ x: UnsafeBufferPointer<Float>, offset: Int, scores: inout [Float], hasScore: inout [Bool]
    ) {
        nodes.withUnsafeBufferPointer { nodes in
            weights.withUnsafeBufferPointer { weights in
                for root in roots {
                    var position = Int(root)
                    var node = nodes[position]
                    while node.mode.rawValue != Mode.leaf.rawValue
                        && node.mode.rawValue != Mode.singleWeightLeaf.rawValue
                    {
                        let value = x[offset + Int(node.feature)]
                        var goesTrue: Bool
                        switch node.mode {
                        case .lessOrEqual: goesTrue = value <= node.value
                        case .less: goesTrue = value < node.value
                        case .greaterOrEqual: goesTrue = value >= node.value
                        case .greater: goesTrue = value > node.value
                        case .equal: goesTrue = value == node.value
                        case .notEqual: goesTrue = value != node.value
                        case .leaf, .singleWeightLeaf: goesTrue = false
                        }
                        if !goesTrue && node.missingTracksTrue && value.isNaN { goesTrue = true }
                        position = goesTrue ? position + 1 : Int(node.next)
                        node = nodes[position]
                    }
                    if node.mode == .singleWeightLeaf {
                        scores[Int(node.feature)] += node.value
                        hasScore[Int(node.feature)] = true
                    } else {
                        for weight in weights[Int(node.feature)..<Int(node.next)] {
                            scores[Int(weight.classIndex)] += weight.value
                            hasScore[Int(weight.classIndex)] = true
                        }
                    }
                }
            }
        }
    }

    /// onnxruntime's TreeAggregatorClassifier::FinalizeScores for one row: base values, the
    /// label, and the probability columns. Returns the label's class position.
    private func finalize(
        _ scores: inout [Float], _ hasScore: [Bool], into output: inout ArraySlice<Float>
    ) -> Int {
        let classCount = scores.count
        guard classCount == 2 else {
            for (index, base) in baseValues.enumerated() { scores[index] += base }
            var best = -1
            var bestScore: Float = 0
            for index in 0..<classCount where hasScore[index] || index < baseValues.count {
                if best == -1 || scores[index] > bestScore {
                    best = index
                    bestScore = scores[index]
                }
            }
            var row = scores[...]
            postTransform.apply(&row)
            output.replaceSubrange(output.indices, with: row)
            return max(best, 0)
        }
        // Two classes.
        var columns = 2
        var positiveHasScore = hasScore[0]
        if baseValues.count == 2 {
            if hasScore[1] {
                scores[1] = baseValues[1] + scores[0]
                scores[0] = -scores[1]
            } else {
                scores[1] += baseValues[1]
                scores[0] += baseValues[0]
            }
            positiveHasScore = hasScore[1]
        } else {
            if baseValues.count == 1 { scores[0] += baseValues[0] }
            if !hasScore[1] {
                columns = 1
            } else {
                positiveHasScore = hasScore[1]
            }
        }
        let positive: Float =
            positiveHasScore ? (columns == 1 ? scores[0] : scores[1]) : 0
        // write_additional_scores: 0/1 positive weights, 2/3 mixed weights, -1 neither.
        var secondClass = -1
        var label: Int
        if binaryCase {
            if weightsAllPositive {
                label = positive > 0.5 ? 1 : 0
                secondClass = positive > 0.5 ? 0 : 1
            } else {
                label = positive > 0 ? 1 : 0
                secondClass = positive > 0 ? 2 : 3
            }
        } else {
            label = positive > 0 ? 1 : 0
        }
        let first = output.startIndex
        if columns == 2 {
            var row = scores[0..<2]
            postTransform.apply(&row)
            output[first] = row[0]
            output[first + 1] = row[1]
            return label
        }
        let score = scores[0]
        if postTransform == .probit {
            output[first] = PostTransform.probit(score)
            output[first + 1] = 0
            return label
        }
        switch secondClass {
        case 0, 1:
            output[first] = 1 - score
            output[first + 1] = score
        case 2, 3:
            if postTransform == .logistic {
                output[first] = PostTransform.logistic(-score)
                output[first + 1] = PostTransform.logistic(score)
            } else {
                output[first] = -score
                output[first + 1] = score
            }
        default:
            output[first] = score
            output[first + 1] = 0
        }
        return label
    }
}
