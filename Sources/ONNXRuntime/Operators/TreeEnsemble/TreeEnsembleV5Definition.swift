/// The attributes of an ai.onnx.ml TreeEnsemble node (opset 5), read and cross-checked at
/// load. Branches are the `nodes_*` entries and leaves the `leaf_*` entries, each referring
/// to the other by position; every parallel array must match its reference in length,
/// every child must point at an existing node or leaf, no tree may lead back into itself,
/// modes, the aggregate function and the post transform must be known values, each
/// BRANCH_MEMBER node must have its own non-empty set, and every leaf target must be below
/// `n_targets`. Each refusal names the node, the attribute and both sides.
struct TreeEnsembleV5Definition<Scalar: TreeScalar> {
    /// `aggregate_function`: how the leaf weights reaching one target combine.
    enum Aggregate: Int64 {
        case average = 0
        case sum = 1
        case minimum = 2
        case maximum = 3
    }

    /// `nodes_modes`: how a branch compares the feature value x with its split.
    enum Mode: UInt8 {
        case lessOrEqual = 0
        case less = 1
        case greaterOrEqual = 2
        case greater = 3
        case equal = 4
        case notEqual = 5
        case member = 6
    }

    /// Where a branch leads, by position in the `nodes_*` or in the `leaf_*` arrays.
    enum Child: Equatable {
        case node(Int)
        case leaf(Int)
    }

    struct Branch {
        var mode: Mode
        var feature: Int
        var split: Scalar
        var trueChild: Child
        var falseChild: Child
        var missingTracksTrue: Bool
        /// The set of a BRANCH_MEMBER node.
        var membership: TreeMembership<Scalar>?
    }

    let targetCount: Int
    let aggregate: Aggregate
    /// The transform onnxruntime 1.31 applies, which is not always the one the attribute
    /// names (see `effectiveTransform`).
    let postTransform: PostTransform
    let branches: [Branch]
    let leafTargets: [Int]
    let leafWeights: [Scalar]
    /// Each tree's root in `tree_roots` order, the order the sums run in: a branch, or the
    /// leaf of a one-leaf tree (a root whose both children are the same leaf).
    let roots: [Child]
    /// The largest feature index a reachable branch reads, -1 when no tree has a branch.
    let maximumFeature: Int

    init(_ node: Node) throws(ModelError) {
        guard node.attribute("n_targets") != nil else {
            throw .attribute(
                node, "n_targets", "is required but missing (onnxruntime needs a target count)")
        }
        let targets = try node.int("n_targets")
        guard targets > 0, targets <= Int32.max else {
            throw .attribute(
                node, "n_targets", "expected a positive target count, found \(targets)")
        }
        targetCount = Int(targets)

        let aggregateCode = try node.int("aggregate_function", default: Aggregate.sum.rawValue)
        guard let aggregate = Aggregate(rawValue: aggregateCode) else {
            throw .attribute(
                node, "aggregate_function",
                "expected 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX), found \(aggregateCode)")
        }
        self.aggregate = aggregate
        let transformCode = try node.int("post_transform", default: 0)
        guard (0...4).contains(transformCode) else {
            throw .attribute(
                node, "post_transform",
                "expected 0 (NONE), 1 (SOFTMAX), 2 (LOGISTIC), 3 (SOFTMAX_ZERO) or 4 (PROBIT), found \(transformCode)"
            )
        }
        postTransform = Self.effectiveTransform(transformCode, targets: targetCount)

        let splits = try Self.values(node, "nodes_splits", required: true)
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
        let modeCodes = try parallel("nodes_modes", try Self.modes(node))!
        let trueIDs = try required("nodes_truenodeids")
        let trueLeafs = try required("nodes_trueleafs")
        let falseIDs = try required("nodes_falsenodeids")
        let falseLeafs = try required("nodes_falseleafs")
        let missing = try parallel(
            "nodes_missing_value_tracks_true", try node.ints("nodes_missing_value_tracks_true"))
        if node.attribute("nodes_hitrates") != nil {
            _ = try parallel(
                "nodes_hitrates", try Self.tensor(node, "nodes_hitrates", anyFloat: true))
        }

        leafTargets = try node.ints("leaf_targetids", required: true)!.map(Int.init)
        leafWeights = try Self.values(node, "leaf_weights", required: true)
        guard leafWeights.count == leafTargets.count else {
            throw .attribute(
                node, "leaf_weights",
                "has \(leafWeights.count) values but leaf_targetids has \(leafTargets.count); "
                    + "the leaf_* arrays must be parallel")
        }
        for (leaf, target) in leafTargets.enumerated() where !(0..<targetCount).contains(target) {
            throw .attribute(
                node, "leaf_targetids",
                "leaf \(leaf): expected a target from 0 to \(targetCount - 1) (n_targets is \(targetCount)), found \(target)"
            )
        }

        var modes: [Mode] = []
        modes.reserveCapacity(count)
        for (index, code) in modeCodes.enumerated() {
            guard (0...6).contains(code), let mode = Mode(rawValue: UInt8(code)) else {
                throw .attribute(
                    node, "nodes_modes",
                    "node \(index): expected 0 (BRANCH_LEQ), 1 (BRANCH_LT), 2 (BRANCH_GTE), 3 (BRANCH_GT), 4 (BRANCH_EQ), 5 (BRANCH_NEQ) or 6 (BRANCH_MEMBER), found \(code)"
                )
            }
            modes.append(mode)
        }
        let sets = try Self.membershipSets(node, memberNodes: modes.count(where: { $0 == .member }))
        var nextSet = 0
        let leafCount = leafTargets.count
        var branches: [Branch] = []
        branches.reserveCapacity(count)
        for index in 0..<count {
            let mode = modes[index]
            guard features[index] >= 0, features[index] < Int32.max else {
                throw .attribute(
                    node, "nodes_featureids",
                    "node \(index): expected a feature index from 0, found \(features[index])")
            }
            func child(
                _ ids: [Int64], _ leafs: [Int64], _ name: String, _ flags: String
            )
                throws(ModelError) -> Child
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
            var membership: TreeMembership<Scalar>?
            if mode == .member {
                let members = sets[nextSet]
                nextSet += 1
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
                membership = set
            }
            branches.append(
                Branch(
                    mode: mode, feature: Int(features[index]), split: splits[index],
                    trueChild: try child(
                        trueIDs, trueLeafs, "nodes_truenodeids", "nodes_trueleafs"),
                    falseChild: try child(
                        falseIDs, falseLeafs, "nodes_falsenodeids", "nodes_falseleafs"),
                    missingTracksTrue: missing?[index] == 1, membership: membership))
        }
        self.branches = branches

        let rootIDs = try node.ints("tree_roots", required: true)!
        guard !rootIDs.isEmpty else {
            throw .attribute(node, "tree_roots", "expected at least one tree, found none")
        }
        var roots: [Child] = []
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
        self.roots = roots
        maximumFeature = try Self.checkAcyclic(node, branches, roots)
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
    /// (which would walk forever); returns the largest feature a reached branch reads.
    /// Trees may share nodes: positions index one array for the whole ensemble.
    private static func checkAcyclic(
        _ node: Node, _ branches: [Branch], _ roots: [Child]
    ) throws(ModelError) -> Int {
        var state = [VisitState](repeating: .new, count: branches.count)
        var maximumFeature = -1
        // (position, whether its children are done), depth first.
        var stack: [(Int, Bool)] = []
        for root in roots {
            guard case .node(let start) = root, state[start] == .new else { continue }
            stack.append((start, false))
            while let (index, finished) = stack.popLast() {
                if finished {
                    state[index] = .done
                    continue
                }
                state[index] = .onPath
                stack.append((index, true))
                let branch = branches[index]
                maximumFeature = max(maximumFeature, branch.feature)
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
        return maximumFeature
    }

    /// `membership_values` split at its NaNs, one set per BRANCH_MEMBER node in node order.
    /// The last set may omit its closing NaN, as onnxruntime reads it.
    private static func membershipSets(
        _ node: Node, memberNodes: Int
    ) throws(ModelError) -> [[Scalar]] {
        let values =
            node.attribute("membership_values") == nil
            ? [] : try Self.values(node, "membership_values", required: false)
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
    private static func modes(_ node: Node) throws(ModelError) -> [Int64] {
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
    private static func values(
        _ node: Node, _ name: String, required: Bool
    ) throws(ModelError) -> [Scalar] {
        guard node.attribute(name) != nil else {
            if required { throw .attribute(node, name, "is required but missing") }
            return []
        }
        return try tensor(node, name, anyFloat: false)
    }

    private static func tensor(
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
