import Testing

@testable import ONNXRuntime

/// Load-time refusals of TreeEnsemble (opset 5): one case per class of bad attribute, each
/// refused with the node, the attribute, what was expected and what was found.
@Suite("TreeEnsemble (opset 5) refusals")
struct TreeEnsembleV5RefusalTests {
    struct Refusal: Sendable, CustomStringConvertible {
        let description: String
        let kind: ModelError.Kind
        let fragments: [String]
        let edit: @Sendable (inout TreeV5Spec) -> Void

        init(
            _ description: String, _ fragments: [String],
            kind: ModelError.Kind = .invalidAttribute,
            _ edit: @escaping @Sendable (inout TreeV5Spec) -> Void
        ) {
            self.description = description
            self.kind = kind
            self.fragments = fragments
            self.edit = edit
        }
    }

    static let node = "node 'trees' (ai.onnx.ml:TreeEnsemble)"

    static let refusals: [Refusal] = [
        Refusal(
            "a nodes_* array shorter than nodes_splits",
            ["attribute 'nodes_featureids'", "has 2 values but nodes_splits has 3"]
        ) { $0.features = [0, 1] },
        Refusal(
            "nodes_modes longer than nodes_splits",
            ["attribute 'nodes_modes'", "has 4 values but nodes_splits has 3"]
        ) { $0.modes = [0, 1, 0, 0] },
        Refusal(
            "nodes_missing_value_tracks_true of another length",
            ["attribute 'nodes_missing_value_tracks_true'", "has 1 values but nodes_splits has 3"]
        ) { $0.missingTracksTrue = [1] },
        Refusal(
            "leaf_weights and leaf_targetids of different lengths",
            ["attribute 'leaf_weights'", "has 3 values but leaf_targetids has 4"]
        ) { $0.leafWeights = [1, 2, 3] },
        Refusal(
            "a branch pointing past the nodes",
            [
                "attribute 'nodes_falsenodeids'", "node 0 points to node 9",
                "nodes_splits has 3 nodes",
            ]
        ) { $0.falseIDs[0] = 9 },
        Refusal(
            "a branch pointing past the leaves",
            ["attribute 'nodes_truenodeids'", "node 0 points to leaf 4", "has 4 leaves"]
        ) { $0.trueIDs[0] = 4 },
        Refusal(
            "a negative child",
            ["attribute 'nodes_truenodeids'", "node 1 points to leaf -1"]
        ) { $0.trueIDs[1] = -1 },
        Refusal(
            "a root past the nodes",
            ["attribute 'tree_roots'", "tree 1: expected a node from 0 to 2, found 3"]
        ) { $0.roots = [0, 3] },
        Refusal("no tree", ["attribute 'tree_roots'", "expected at least one tree"]) {
            $0.roots = []
        },
        Refusal(
            "a tree that leads back to its root",
            ["attribute 'nodes_falsenodeids'", "node 1 leads back to node 0", "found a cycle"]
        ) {
            $0.falseIDs[1] = 0
            $0.falseLeafs[1] = 0
        },
        Refusal(
            "a node that is its own child",
            ["attribute 'nodes_truenodeids'", "node 0 leads back to node 0", "found a cycle"]
        ) {
            $0.trueIDs[0] = 0
            $0.trueLeafs[0] = 0
        },
        Refusal(
            "trees sharing so much that copying each out would take billions of nodes",
            ["attribute 'tree_roots'", "copying each tree out", "more than 4194304 nodes"]
        ) { spec in
            // 32 branches, each with both children the next: 2^33 - 1 nodes once copied.
            let count = 32
            spec.roots = [0]
            spec.features = [Int64](repeating: 0, count: count)
            spec.splits = [Double](repeating: 0, count: count)
            spec.modes = [Int64](repeating: 0, count: count)
            spec.trueIDs = (0..<Int64(count)).map { $0 + 1 }
            spec.trueIDs[count - 1] = 0
            spec.falseIDs = spec.trueIDs
            spec.trueLeafs = [Int64](repeating: 0, count: count)
            spec.trueLeafs[count - 1] = 1
            spec.falseLeafs = spec.trueLeafs
        },
        Refusal(
            "an unknown mode",
            ["attribute 'nodes_modes'", "node 1: expected 0 (BRANCH_LEQ)", "found 7"]
        ) { $0.modes[1] = 7 },
        Refusal(
            "nodes_modes as an int64 tensor",
            ["attribute 'nodes_modes'", "expected a uint8 tensor, found int64"]
        ) { spec in
            spec.replace(
                "nodes_modes",
                with: ONNX.attribute(
                    "nodes_modes", tensor: ONNX.tensor("", dims: [3], int64s: [0, 1, 0])))
        },
        Refusal(
            "an unknown aggregate function",
            ["attribute 'aggregate_function'", "expected 0 (AVERAGE), 1 (SUM)", "found 4"]
        ) { $0.aggregate = 4 },
        Refusal(
            "an unknown post transform",
            ["attribute 'post_transform'", "expected 0 (NONE)", "found 5"]
        ) { $0.postTransform = 5 },
        Refusal(
            "a post transform given as a string, as the older operators take it",
            ["attribute 'post_transform'", "expected type INT, found STRING"]
        ) { spec in
            spec.postTransform = nil
            spec.extraAttributes.append(ONNX.attribute("post_transform", string: "SOFTMAX"))
        },
        Refusal(
            "a BRANCH_MEMBER node without membership_values",
            ["attribute 'membership_values'", "holds 0 NaN-separated sets", "has 1 BRANCH_MEMBER"]
        ) { $0.modes[1] = 6 },
        Refusal(
            "more member sets than BRANCH_MEMBER nodes",
            ["attribute 'membership_values'", "holds 2 NaN-separated sets", "has 1 BRANCH_MEMBER"]
        ) { spec in
            spec.modes[1] = 6
            spec.members = [1, 2, .nan, 3, .nan]
        },
        Refusal(
            "an empty member set",
            ["attribute 'membership_values'", "node 1: expected at least one member"]
        ) { spec in
            spec.modes = [6, 6, 0]
            spec.members = [1, .nan, .nan]
        },
        Refusal(
            "a large member set with a fraction, which onnxruntime cannot truncate into",
            ["attribute 'membership_values'", "node 1: expected int32 integers", "found 2.5"]
        ) { spec in
            spec.modes[1] = 6
            spec.members = [100, 2.5, .nan]
        },
        Refusal(
            "a leaf target at n_targets",
            ["attribute 'leaf_targetids'", "leaf 1: expected a target from 0 to 1", "found 2"]
        ) { $0.leafTargets[1] = 2 },
        Refusal(
            "a negative leaf target",
            ["attribute 'leaf_targetids'", "leaf 3: expected a target from 0 to 1", "found -1"]
        ) { $0.leafTargets[3] = -1 },
        Refusal("no n_targets", ["attribute 'n_targets'", "is required but missing"]) {
            $0.targets = nil
        },
        Refusal("zero targets", ["attribute 'n_targets'", "expected a positive target count"]) {
            $0.targets = 0
        },
        Refusal(
            "a negative feature",
            ["attribute 'nodes_featureids'", "node 0: expected a feature index from 0, found -1"]
        ) { $0.features[0] = -1 },
        Refusal(
            "double splits for a float input",
            [
                "attribute 'nodes_splits'",
                "expected a float tensor like the float input, found double",
            ]
        ) { spec in
            spec.replace(
                "nodes_splits",
                with: ONNX.attribute(
                    "nodes_splits", tensor: ONNX.tensor("", dims: [3], doubles: [0.5, 0, 0])))
        },
        Refusal(
            "float weights for a double input",
            [
                "attribute 'leaf_weights'",
                "expected a double tensor like the double input, found float",
            ]
        ) { spec in
            spec.inputType = ONNX.double
            spec.replace(
                "leaf_weights",
                with: ONNX.attribute(
                    "leaf_weights", tensor: ONNX.tensor("", dims: [4], floats: [1, 2, 3, 4])))
        },
        Refusal("splits left out", ["attribute 'nodes_splits'", "is required but missing"]) {
            $0.omitted.insert("nodes_splits")
        },
        Refusal(
            "an int64 input, which opset 5 no longer takes",
            ["expected input 0 ('X') of double or float, found int64"], kind: .unsupportedType
        ) { $0.inputType = ONNX.int64 },
        Refusal(
            "TreeEnsemble under ai.onnx.ml opset 3",
            ["expected opset 5…5 of 'ai.onnx.ml', found opset 3"], kind: .unsupportedOpset
        ) { $0.mlOpset = 3 },
    ]

    @Test(
        "refuses the model at load, naming the node, the attribute and the problem",
        arguments: refusals)
    func refuses(_ refusal: Refusal) {
        var spec = TreeV5Spec()
        refusal.edit(&spec)
        do {
            _ = try spec.load()
            Issue.record("\(refusal): expected a \(refusal.kind) refusal, the model loaded")
        } catch let error as ModelError {
            #expect(error.kind == refusal.kind, "\(refusal): \(error)")
            #expect(error.message.contains(Self.node), "\(refusal): \(error)")
            for fragment in refusal.fragments {
                #expect(
                    error.message.contains(fragment), "\(refusal): '\(fragment)' not in: \(error)")
            }
        } catch {
            Issue.record("\(refusal): expected a ModelError, found \(error)")
        }
    }
}
