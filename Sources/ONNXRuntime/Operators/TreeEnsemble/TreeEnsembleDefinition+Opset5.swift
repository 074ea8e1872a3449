/// TreeEnsemble (ai.onnx.ml opset 5) read into the definition the classifier uses, as
/// onnxruntime 1.31 does (`TreeEnsembleAttributesV5::convert_to_v3`), so one engine runs
/// both:
///
/// - Branches are the `nodes_*` entries and leaves the `leaf_*` entries, each referring to
///   the other by position. Each tree in `tree_roots` is copied out from its root, so nodes
///   two trees share (or a leaf two branches share) become one node per place they are
///   reached; a root whose both children are the same leaf is a one-leaf tree.
/// - A leaf becomes a leaf node with its one weight on column `leaf_targetids`; there are
///   no base values.
/// - A BRANCH_MEMBER node becomes a member branch over its set in `membership_values`
///   (NaN-separated, one set per such node in node order). onnxruntime unrolls a small set
///   into a chain of BRANCH_EQ nodes and keeps a large one whole; TreeMembership tests
///   each set the way its form is tested there.
/// - `aggregate_function` becomes the TreeAggregate of the same code, and `post_transform`
///   what onnxruntime makes of it (`effectiveTransform`).
///
/// Every parallel array must match its reference in length, every child must point at an
/// existing node or leaf, no tree may lead back into itself, modes, the aggregate function
/// and the post transform must be known values, each BRANCH_MEMBER node must have its own
/// non-empty set, and every leaf target must be below `n_targets`. Each refusal names the
/// node, the attribute and both sides.
extension TreeEnsembleDefinition {
    /// Where an opset-5 branch leads, by position in the `nodes_*` or in the `leaf_*` arrays.
    private enum Opset5Child: Equatable {
        case node(Int)
        case leaf(Int)
    }

    private struct Opset5Branch {
        var kind: NodeKind
        var feature: Int
        var split: Scalar
        var trueChild: Opset5Child
        var falseChild: Opset5Child
        var missingTracksTrue: Bool
    }

    init(opset5 node: Node) throws(ModelError) {
        guard node.attribute("n_targets") != nil else {
            throw .attribute(
                node, "n_targets", "is required but missing (onnxruntime needs a target count)")
        }
        let targets = try node.int("n_targets")
        guard targets > 0, targets <= Int32.max else {
            throw .attribute(
                node, "n_targets", "expected a positive target count, found \(targets)")
        }
        let targetCount = Int(targets)

        let aggregateCode = try node.int(
            "aggregate_function", default: TreeAggregate.sum.rawValue)
        guard let aggregate = TreeAggregate(rawValue: aggregateCode) else {
            throw .attribute(
                node, "aggregate_function",
                "expected 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX), found \(aggregateCode)")
        }
        let transformCode = try node.int("post_transform", default: 0)
        guard (0...4).contains(transformCode) else {
            throw .attribute(
                node, "post_transform",
                "expected 0 (NONE), 1 (SOFTMAX), 2 (LOGISTIC), 3 (SOFTMAX_ZERO) or 4 (PROBIT), found \(transformCode)"
            )
        }

        let splits = try Self.opset5Values(node, "nodes_splits", required: true)
        let count = splits.count
        guard count > 0 else {
            throw .attribute(node, "nodes_splits", "expected at least one node, found none")
        }
        func parallel<T>(_ name: String, _ values: [T]?) throws(ModelError) -> [T]? {
            guard let values else { return nil }
            guard values.count == count else {
                throw .attribute(
                    node, name,
                    "has \(values.count) values but nodes_splits has \(count); "
                        + "the nodes_* arrays must be parallel")
            }
            return values
        }
        func required(_ name: String) throws(ModelError) -> [Int64] {
            try parallel(name, try node.ints(name, required: true))!
        }
        let features = try required("nodes_featureids")
        let modeCodes = try parallel("nodes_modes", try Self.opset5Modes(node))!
        let trueIDs = try required("nodes_truenodeids")
        let trueLeafs = try required("nodes_trueleafs")
        let falseIDs = try required("nodes_falsenodeids")
        let falseLeafs = try required("nodes_falseleafs")
        let missing = try parallel(
            "nodes_missing_value_tracks_true", try node.ints("nodes_missing_value_tracks_true"))
        if node.attribute("nodes_hitrates") != nil {
            _ = try parallel(
                "nodes_hitrates", try Self.opset5Tensor(node, "nodes_hitrates", anyFloat: true))
        }

        let leafTargets = try node.ints("leaf_targetids", required: true)!.map(Int.init)
        let leafValues = try Self.opset5Values(node, "leaf_weights", required: true)
        guard leafValues.count == leafTargets.count else {
            throw .attribute(
                node, "leaf_weights",
                "has \(leafValues.count) values but leaf_targetids has \(leafTargets.count); "
                    + "the leaf_* arrays must be parallel")
        }
        for (leaf, target) in leafTargets.enumerated() where !(0..<targetCount).contains(target) {
            throw .attribute(
                node, "leaf_targetids",
                "leaf \(leaf): expected a target from 0 to \(targetCount - 1) (n_targets is \(targetCount)), found \(target)"
            )
        }

        for (index, code) in modeCodes.enumerated() where !(0...6).contains(code) {
            throw .attribute(
                node, "nodes_modes",
                "node \(index): expected 0 (BRANCH_LEQ), 1 (BRANCH_LT), 2 (BRANCH_GTE), 3 (BRANCH_GT), 4 (BRANCH_EQ), 5 (BRANCH_NEQ) or 6 (BRANCH_MEMBER), found \(code)"
            )
        }
        // Opset 5's mode codes 0–5 are BranchMode's raw values; 6 is BRANCH_MEMBER.
        let memberCode: Int64 = 6
        var sets = try Self.membershipSets(
            node, memberNodes: modeCodes.count(where: { $0 == memberCode }))[...]
        let leafCount = leafTargets.count
        var branches: [Opset5Branch] = []
        branches.reserveCapacity(count)
        for index in 0..<count {
            guard features[index] >= 0, features[index] < Int32.max else {
                throw .attribute(
                    node, "nodes_featureids",
                    "node \(index): expected a feature index from 0, found \(features[index])")
            }
            func child(
                _ ids: [Int64], _ leafs: [Int64], _ name: String, _ flags: String
            )
                throws(ModelError) -> Opset5Child
            {
                let id = ids[index]
                if leafs[index] != 0 {
                    guard id >= 0, id < leafCount else {
                        throw .attribute(
                            node, name,
                            "node \(index) points to leaf \(id) (\(flags) is \(leafs[index])), but leaf_weights has \(leafCount) leaves"
                        )
                    }
                    return .leaf(Int(id))
                }
                guard id >= 0, id < count else {
                    throw .attribute(
                        node, name,
                        "node \(index) points to node \(id) (\(flags) is 0), but nodes_splits has \(count) nodes"
                    )
                }
                return .node(Int(id))
            }
            let kind: NodeKind
            if modeCodes[index] == memberCode {
                let members = sets.removeFirst()
                guard !members.isEmpty else {
                    throw .attribute(
                        node, "membership_values",
                        "node \(index): expected at least one member for BRANCH_MEMBER, found an empty set"
                    )
                }
                guard let set = TreeMembership(members) else {
                    let refused = TreeMembership.refusedMember(members) ?? 0
                    throw .attribute(
                        node, "membership_values",
                        "node \(index): expected int32 integers in a set of 31 or more members or with members outside 0...30 (onnxruntime truncates x to int32 to test it), found \(refused)"
                    )
                }
                kind = .member(set)
            } else {
                kind = .branch(BranchMode(rawValue: UInt8(modeCodes[index]))!)
            }
            branches.append(
                Opset5Branch(
                    kind: kind, feature: Int(features[index]), split: splits[index],
                    trueChild: try child(
                        trueIDs, trueLeafs, "nodes_truenodeids", "nodes_trueleafs"),
                    falseChild: try child(
                        falseIDs, falseLeafs, "nodes_falsenodeids", "nodes_falseleafs"),
                    missingTracksTrue: missing?[index] == 1))
        }

        let rootIDs = try node.ints("tree_roots", required: true)!
        guard !rootIDs.isEmpty else {
            throw .attribute(node, "tree_roots", "expected at least one tree, found none")
        }
        var roots: [Opset5Child] = []
        for (tree, root) in rootIDs.enumerated() {
            guard root >= 0, root < count else {
                throw .attribute(
                    node, "tree_roots",
                    "tree \(tree): expected a node from 0 to \(count - 1), found \(root)")
            }
            let branch = branches[Int(root)]
            // The spec's one-leaf tree: both branches are the same leaf, and onnxruntime
            // never reads the root's feature.
            if case .leaf = branch.trueChild, branch.trueChild == branch.falseChild {
                roots.append(branch.trueChild)
            } else {
                roots.append(.node(Int(root)))
            }
        }
        let copies = try Self.checkAcyclic(node, branches, roots)
        // Copying trees that share subtrees can grow exponentially with the sharing; real
        // models share little or nothing, so a model that would grow far past its own size
        // is refused rather than allowed to exhaust memory (onnxruntime would try).
        let limit = min(Int(Int32.max), max(16 * (count + leafCount), 1 << 22))
        guard copies <= limit else {
            throw .attribute(
                node, "tree_roots",
                "the trees share so many nodes that copying each tree out, as onnxruntime does, would make more than \(limit) nodes; expected at most 16 times the model's \(count + leafCount)"
            )
        }

        var nodes: [TreeNode] = []
        var leafWeights: [[Weight]] = []
        nodes.reserveCapacity(copies)
        leafWeights.reserveCapacity(copies)
        var rootPositions: [Int] = []
        for root in roots {
            rootPositions.append(nodes.count)
            // (what to copy, the copied branch it is a child of, whether its true child)
            var stack: [(Opset5Child, Int?, Bool)] = [(root, nil, false)]
            while let (child, parent, isTrueChild) = stack.popLast() {
                let position = nodes.count
                if let parent {
                    if isTrueChild {
                        nodes[parent].trueChild = position
                    } else {
                        nodes[parent].falseChild = position
                    }
                }
                switch child {
                case .leaf(let leaf):
                    nodes.append(
                        TreeNode(
                            kind: .leaf, feature: 0, threshold: 0, trueChild: -1, falseChild: -1,
                            missingTracksTrue: false))
                    leafWeights.append(
                        [Weight(classIndex: leafTargets[leaf], value: leafValues[leaf])])
                case .node(let index):
                    let branch = branches[index]
                    nodes.append(
                        TreeNode(
                            kind: branch.kind, feature: branch.feature, threshold: branch.split,
                            trueChild: -1, falseChild: -1,
                            missingTracksTrue: branch.missingTracksTrue))
                    leafWeights.append([])
                    stack.append((branch.falseChild, position, false))
                    stack.append((branch.trueChild, position, true))
                }
            }
        }
        self.init(
            classLabels: nil, targetCount: targetCount, aggregate: aggregate,
            postTransform: Self.effectiveTransform(transformCode, targets: targetCount),
            baseValues: [], nodes: nodes, roots: rootPositions, leafWeights: leafWeights)
    }

    /// What onnxruntime 1.31 makes of `post_transform`. Its TreeEnsemble reads the code
    /// with the enum of the older operators, where 1 is LOGISTIC and 2 SOFTMAX, so SOFTMAX
    /// and LOGISTIC trade places; and with a single target it applies PROBIT alone (the
    /// rest leave the score as it is).
    static func effectiveTransform(_ code: Int64, targets: Int) -> PostTransform {
        switch code {
        case 4: .probit
        case _ where targets == 1: .none
        case 1: .logistic
        case 2: .softmax
        case 3: .softmaxZero
        default: .none
        }
    }

    private enum VisitState { case new, onPath, done }

    /// Walks every tree from its root and refuses one that reaches a node on its own path
    /// (which would walk forever). Returns how many nodes the trees make once each is
    /// copied out from its root, at most just past Int32.max. Trees may share nodes:
    /// positions index one array for the whole ensemble.
    private static func checkAcyclic(
        _ node: Node, _ branches: [Opset5Branch], _ roots: [Opset5Child]
    ) throws(ModelError) -> Int {
        var state = [VisitState](repeating: .new, count: branches.count)
        // Per branch, the nodes of its subtree once copied out, capped.
        var copies = [Int](repeating: 0, count: branches.count)
        let cap = Int(Int32.max) + 1
        func size(_ child: Opset5Child) -> Int {
            if case .node(let index) = child { copies[index] } else { 1 }
        }
        // (position, whether its children are done), depth first.
        var stack: [(Int, Bool)] = []
        for root in roots {
            guard case .node(let start) = root, state[start] == .new else { continue }
            stack.append((start, false))
            while let (index, finished) = stack.popLast() {
                let branch = branches[index]
                if finished {
                    state[index] = .done
                    copies[index] = min(cap, 1 + size(branch.trueChild) + size(branch.falseChild))
                    continue
                }
                state[index] = .onPath
                stack.append((index, true))
                for (child, name) in [
                    (branch.falseChild, "nodes_falsenodeids"),
                    (branch.trueChild, "nodes_truenodeids"),
                ] {
                    guard case .node(let next) = child else { continue }
                    switch state[next] {
                    case .new: stack.append((next, false))
                    case .onPath:
                        throw .attribute(
                            node, name,
                            "node \(index) leads back to node \(next), which is on its own path from the root; expected trees, found a cycle"
                        )
                    case .done: continue
                    }
                }
            }
        }
        return roots.reduce(0) { min(cap, $0 + size($1)) }
    }

    /// `membership_values` split at its NaNs, one set per BRANCH_MEMBER node in node order.
    /// The last set may omit its closing NaN, as onnxruntime reads it.
    private static func membershipSets(
        _ node: Node, memberNodes: Int
    ) throws(ModelError) -> [[Scalar]] {
        let values =
            node.attribute("membership_values") == nil
            ? [] : try opset5Values(node, "membership_values", required: false)
        var sets: [[Scalar]] = []
        var current: [Scalar] = []
        for value in values {
            if value.isNaN {
                sets.append(current)
                current = []
            } else {
                current.append(value)
            }
        }
        if !current.isEmpty { sets.append(current) }
        guard sets.count == memberNodes else {
            throw .attribute(
                node, "membership_values",
                "holds \(sets.count) NaN-separated sets but nodes_modes has \(memberNodes) BRANCH_MEMBER (6) nodes; expected one set per such node"
            )
        }
        return sets
    }

    /// `nodes_modes`, a uint8 tensor of one mode code per node.
    private static func opset5Modes(_ node: Node) throws(ModelError) -> [Int64] {
        guard let proto = try node.tensor("nodes_modes") else {
            throw .attribute(node, "nodes_modes", "is required but missing")
        }
        guard proto.dataType == ElementType.uint8.rawValue else {
            throw .attribute(
                node, "nodes_modes",
                "expected a uint8 tensor, found \(ElementType.describe(proto.dataType))")
        }
        guard !proto.isExternal, !proto.isSegment else {
            throw ModelError(
                .unsupportedType,
                "\(node.label) attribute 'nodes_modes': expected the values inside the model, found external data or a segment"
            )
        }
        let codes = proto.rawData.map { $0.map(Int64.init) } ?? proto.int32Data
        guard proto.dims.count == 1, proto.dims[0] == codes.count else {
            throw .attribute(
                node, "nodes_modes",
                "expected a 1-D tensor of its \(codes.count) values, found dims \(proto.dims)")
        }
        return codes
    }

    /// A tensor attribute of the input's float type (float for float input, double for
    /// double), one dimension, as onnx's shape inference requires.
    private static func opset5Values(
        _ node: Node, _ name: String, required: Bool
    ) throws(ModelError) -> [Scalar] {
        guard node.attribute(name) != nil else {
            if required { throw .attribute(node, name, "is required but missing") }
            return []
        }
        return try opset5Tensor(node, name, anyFloat: false)
    }

    private static func opset5Tensor(
        _ node: Node, _ name: String, anyFloat: Bool
    ) throws(ModelError) -> [Scalar] {
        guard let proto = try node.tensor(name) else {
            throw .attribute(node, name, "is required but missing")
        }
        let tensor = try proto.tensor(context: "\(node.label) attribute '\(name)'")
        guard tensor.shape.count == 1 else {
            throw .attribute(node, name, "expected a 1-D tensor, found shape \(tensor.shape)")
        }
        let inputType = Scalar.self == Float.self ? "float" : "double"
        switch tensor.storage {
        case .float(let values) where Scalar.self == Float.self || anyFloat:
            return values.map { Scalar($0) }
        case .double(let values) where Scalar.self == Double.self || anyFloat:
            return values.map { Scalar($0) }
        default:
            throw .attribute(
                node, name,
                "expected a \(inputType) tensor like the \(inputType) input, found \(tensor.elementType)"
            )
        }
    }
}
