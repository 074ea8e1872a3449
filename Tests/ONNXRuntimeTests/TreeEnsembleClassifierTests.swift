import Testing

@testable import ONNXRuntime

/// Expected values follow onnxruntime's TreeAggregatorClassifier (checked against
/// onnxruntime 1.31 in Python): leaf weights summed per class in float32, tree by tree;
/// with two classes and every weight on one column, one score `s` yields the two columns.
/// σ below is the logistic 1 / (1 + e^-x) in float32.
@Suite("TreeEnsembleClassifier")
struct TreeEnsembleClassifierTests {
    private func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("binary mixed-sign weights under LOGISTIC give [σ(-s), σ(s)] and label by s > 0")
    func binaryMixedLogistic() throws {
        // x = 0.5 sits on the threshold: BRANCH_LEQ goes true, s = -1 + base 0.5 = -0.5.
        // x = 0.6 goes false, s = 2 + 0.5 = 2.5.
        let (labels, probabilities) = try TreeSpec.stump().run([[0.5], [0.6]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.62245935, 0.37754065]))
        #expect(close(probabilities[1], [0.075858176, 0.9241418]))
    }

    @Test("binary non-negative weights give [1-s, s] and label positive only when s > 0.5")
    func binaryPositiveWeights() throws {
        var spec = TreeSpec.stump(weights: [0.5, 0.7])
        spec.postTransform = "NONE"
        spec.baseValues = []
        // s = 0.5 is not above 0.5, so the negative label; s = 0.7 is.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.5, 0.5]))
        #expect(close(probabilities[1], [0.3, 0.7]))
    }

    @Test("binary non-negative weights under LOGISTIC give [σ(-s), σ(s)] but label by s > 0.5")
    func binaryPositiveLogistic() throws {
        var spec = TreeSpec.stump(weights: [0.2, 0.7])
        spec.baseValues = []
        // onnxruntime 1.31 measured: s = 0.2 → label 0 although σ(0.2) > 0.5.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.450166, 0.549834]))
        #expect(close(probabilities[1], [0.3318122, 0.6681878]))
    }

    @Test("binary PROBIT fills the first column with probit(s) and leaves the second at 0")
    func binaryProbit() throws {
        var spec = TreeSpec.stump(weights: [0.2, 0.7])
        spec.postTransform = "PROBIT"
        spec.baseValues = []
        // probit(p) = √2 · erfinv(2p - 1) with Winitzki's erfinv, as onnxruntime computes it.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [-0.8417561, 0], tolerance: 1e-5))
        #expect(close(probabilities[1], [0.5244459, 0], tolerance: 1e-5))
    }

    @Test("two base values on one weighted column leave the unscored column at zero")
    func binaryTwoBaseValues() throws {
        var spec = TreeSpec.stump()
        spec.baseValues = [0.25, 0.75]
        // Class 1 has no weight, so onnxruntime adds each base value to its own column but
        // writes the unscored column 1 as 0 before the transform: σ(0) = 0.5.
        // x = 0: s0 = -1 + 0.25 = -0.75; x = 1: s0 = 2 + 0.25 = 2.25.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.3208213, 0.5]))
        #expect(close(probabilities[1], [0.9046505, 0.5]))
    }

    @Test("binary weights on both columns label 0 or 1 by the second column, not the labels")
    func binaryTwoColumnsLiteralLabels() throws {
        var spec = TreeSpec.stump()
        spec.classTreeIDs = [0, 0, 0, 0]
        spec.classNodeIDs = [1, 1, 2, 2]
        spec.classIDs = [0, 1, 0, 1]
        spec.classWeights = [0.7, -0.3, 0.2, 0.8]
        spec.labelsInt = [5, 7]
        spec.postTransform = "NONE"
        spec.baseValues = []
        // onnxruntime's rule here is "column 1 > 0" and it writes its literal 1 or 0.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.7, -0.3]))
        #expect(close(probabilities[1], [0.2, 0.8]))
    }

    @Test("multiclass SOFTMAX scores per column, and a tie goes to the lowest class")
    func multiclassSoftmax() throws {
        var spec = TreeSpec()
        spec.classTreeIDs = [0, 0, 0, 0, 0, 0]
        spec.classNodeIDs = [1, 1, 1, 2, 2, 2]
        spec.classIDs = [0, 1, 2, 0, 1, 2]
        spec.classWeights = [1, 2, 0.5, 1, 1, 1]
        spec.labelsInt = nil
        spec.labelsString = ["a", "b", "c"]
        spec.postTransform = "SOFTMAX"
        spec.baseValues = []
        // softmax([1, 2, 0.5]) and softmax([1, 1, 1]), a three-way tie.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .string(["b", "a"]))
        #expect(close(probabilities[0], [0.2312239, 0.62853175, 0.14024438]))
        #expect(close(probabilities[1], [1.0 / 3, 1.0 / 3, 1.0 / 3]))
    }

    @Test("multiclass unscored classes are 0 in the probabilities and never the label")
    func multiclassUnscored() throws {
        var spec = TreeSpec.stump(weights: [-1, -2])
        spec.classIDs = [0, 1]
        spec.labelsInt = [0, 1, 2]
        spec.baseValues = []
        // Only the reached class has a score, so it wins although the others' 0 is larger;
        // under LOGISTIC the unscored columns read σ(0) = 0.5.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.2689414, 0.5, 0.5]))
        #expect(close(probabilities[1], [0.5, 0.11920297, 0.5]))
    }

    @Test("multiclass base values are added to every class")
    func multiclassBaseValues() throws {
        var spec = TreeSpec.stump(weights: [-1, -2])
        spec.classIDs = [0, 1]
        spec.labelsInt = [10, 20, 30]
        spec.postTransform = "NONE"
        spec.baseValues = [0.1, 0.2, -5]
        // x = 0: [-1 + 0.1, 0.2, -5] → class 20. x = 1: [0.1, -2 + 0.2, -5] → class 10.
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([20, 10]))
        #expect(close(probabilities[0], [-0.9, 0.2, -5]))
        #expect(close(probabilities[1], [0.1, -1.8, -5]))
    }

    @Test("SOFTMAX_ZERO leaves zero scores at zero")
    func softmaxZero() throws {
        var spec = TreeSpec()
        spec.classTreeIDs = [0, 0, 0, 0]
        spec.classNodeIDs = [1, 1, 1, 2]
        spec.classIDs = [0, 1, 2, 0]
        spec.classWeights = [0, 2, 1, 1]
        spec.labelsInt = [0, 1, 2]
        spec.postTransform = "SOFTMAX_ZERO"
        spec.baseValues = []
        // [0, 2, 1]: the 0 stays 0, the others are e^(v - 2) / (1 + e^-1).
        let (labels, probabilities) = try spec.run([[0]])
        #expect(labels == .int64([1]))
        #expect(close(probabilities[0], [0, 0.7310586, 0.26894143]))
    }

    @Test("a NaN feature goes to the false child unless the node tracks missing values as true")
    func missingValues() throws {
        let nan = Float.nan
        #expect(try TreeSpec.stump().run([[nan]]).labels == .int64([1]))
        var tracking = TreeSpec.stump()
        tracking.missingTracksTrue = [1, 0, 0]
        #expect(try tracking.run([[nan]]).labels == .int64([0]))
        // onnxruntime honours only the value 1.
        tracking.missingTracksTrue = [2, 0, 0]
        #expect(try tracking.run([[nan]]).labels == .int64([1]))
    }

    @Test(
        "each branch mode compares the value with the threshold in float32",
        arguments: [
            ("BRANCH_LEQ", Float(0.5), true), ("BRANCH_LEQ", Float(0.5).nextUp, false),
            ("BRANCH_LT", Float(0.5), false), ("BRANCH_LT", Float(0.5).nextDown, true),
            ("BRANCH_GTE", Float(0.5), true), ("BRANCH_GTE", Float(0.5).nextDown, false),
            ("BRANCH_GT", Float(0.5), false), ("BRANCH_GT", Float(0.5).nextUp, true),
            ("BRANCH_EQ", Float(0.5), true), ("BRANCH_EQ", Float(0.5).nextUp, false),
            ("BRANCH_NEQ", Float(0.5), false), ("BRANCH_NEQ", Float.nan, true),
        ])
    func branchModes(mode: String, value: Float, goesTrue: Bool) throws {
        // The true leaf has the negative weight, so it yields label 0.
        let labels = try TreeSpec.stump(mode: mode).run([[value]]).labels
        #expect(labels == .int64([goesTrue ? 0 : 1]))
    }

    @Test("double input is compared with the widened threshold in float64")
    func doubleInput() throws {
        var spec = TreeSpec.stump()
        spec.inputType = ONNX.double
        // 0.5000000001 is above 0.5 in double; in float32 it would round to 0.5.
        let input = Tensor(shape: [2, 1], storage: .double([0.5000000001, 0.5]))
        let (labels, probabilities) = try spec.run(input)
        #expect(labels == .int64([1, 0]))
        #expect(close(probabilities[0], [0.075858176, 0.9241418]))
        let rounded = try TreeSpec.stump().run([[Float(0.5000000001)]]).labels
        #expect(rounded == .int64([0]))
    }

    @Test("int64 input is compared as float32")
    func int64Input() throws {
        var spec = TreeSpec.stump()
        spec.inputType = ONNX.int64
        let (labels, _) = try spec.run(Tensor(shape: [2, 1], storage: .int64([0, 1])))
        #expect(labels == .int64([0, 1]))
    }

    @Test("several trees add their leaf weights before the transform")
    func sumsTrees() throws {
        var spec = TreeSpec.stump()
        spec.treeIDs = [0, 0, 0, 1, 1, 1]
        spec.nodeIDs = [0, 1, 2, 0, 1, 2]
        spec.featureIDs = [0, 0, 0, 1, 0, 0]
        spec.modes = ["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"]
        spec.values = [0.5, 0, 0, 10, 0, 0]
        spec.trueIDs = [1, 0, 0, 1, 0, 0]
        spec.falseIDs = [2, 0, 0, 2, 0, 0]
        spec.classTreeIDs = [0, 0, 1, 1]
        spec.classNodeIDs = [1, 2, 1, 2]
        spec.classIDs = [0, 0, 0, 0]
        spec.classWeights = [-1, 2, 0.25, -3]
        spec.width = 2
        // Row [0, 0]: -1 + 0.25 + 0.5 = -0.25. Row [1, 20]: 2 - 3 + 0.5 = -0.5.
        let (labels, probabilities) = try spec.run([[0, 0], [1, 20]])
        #expect(labels == .int64([0, 0]))
        #expect(close(probabilities[0], [0.5621765, 0.4378235]))
        #expect(close(probabilities[1], [0.62245935, 0.37754065]))
    }

    /// A tree with leaves at depths 1, 2, 3 and 3: f0 ≤ 0.5 → w1; else f1 ≤ 0.5 → w2;
    /// else f0 ≤ 1.5 → w3, else w4. `secondMode` replaces the last branch's mode.
    private func unevenTree(secondMode: String = "BRANCH_LEQ") -> TreeSpec {
        var spec = TreeSpec()
        spec.nodeIDs = [0, 1, 2, 3, 4, 5, 6]
        spec.treeIDs = Array(repeating: 0, count: 7)
        spec.featureIDs = [0, 0, 1, 0, 0, 0, 0]
        spec.modes = ["BRANCH_LEQ", "LEAF", "BRANCH_LEQ", "LEAF", secondMode, "LEAF", "LEAF"]
        spec.values = [0.5, 0, 0.5, 0, 1.5, 0, 0]
        spec.trueIDs = [1, 0, 3, 0, 5, 0, 0]
        spec.falseIDs = [2, 0, 4, 0, 6, 0, 0]
        spec.classTreeIDs = [0, 0, 0, 0]
        spec.classNodeIDs = [1, 3, 5, 6]
        spec.classIDs = [0, 0, 0, 0]
        spec.classWeights = [1, 2, 3, -4]
        spec.postTransform = "NONE"
        spec.baseValues = []
        spec.width = 2
        return spec
    }

    @Test("trees of uneven depth reach the same leaves whichever layout evaluates them")
    func unevenDepths() throws {
        // Mixed-sign weights with NONE give [-s, s]. The all-LEQ tree is padded to a
        // complete depth-3 tree; the BRANCH_LT variant is walked node by node.
        let rows: [[Float]] = [[0, 9], [1, 0], [1, 9], [2, 9]]
        for spec in [unevenTree(), unevenTree(secondMode: "BRANCH_LT")] {
            let (labels, probabilities) = try spec.run(rows)
            #expect(labels == .int64([1, 1, 1, 0]))
            #expect(probabilities == [[-1, 1], [-2, 2], [-3, 3], [4, -4]])
        }
    }

    @Test("a deep tree is walked node by node and still ends at the right leaf")
    func deepTree() throws {
        // A chain of 12 branches on feature 0 at thresholds 0, 1, …, 11: x = k stops at
        // leaf k (weight k + 1); beyond all of them the last leaf (weight 100).
        var spec = TreeSpec()
        let depth = 12
        spec.nodeIDs = []
        spec.modes = []
        spec.values = []
        spec.trueIDs = []
        spec.falseIDs = []
        spec.classNodeIDs = []
        spec.classWeights = []
        for level in 0..<depth {
            let branch = Int64(2 * level)
            spec.nodeIDs += [branch, branch + 1]
            spec.modes += ["BRANCH_LEQ", "LEAF"]
            spec.values += [Float(level), 0]
            spec.trueIDs += [branch + 1, 0]
            spec.falseIDs += [branch + 2, 0]
            spec.classNodeIDs.append(branch + 1)
            spec.classWeights.append(Float(level + 1))
        }
        spec.nodeIDs.append(Int64(2 * depth))
        spec.modes.append("LEAF")
        spec.values.append(0)
        spec.trueIDs.append(0)
        spec.falseIDs.append(0)
        spec.classNodeIDs.append(Int64(2 * depth))
        spec.classWeights.append(100)
        spec.treeIDs = Array(repeating: 0, count: spec.nodeIDs.count)
        spec.featureIDs = Array(repeating: 0, count: spec.nodeIDs.count)
        spec.classTreeIDs = Array(repeating: 0, count: spec.classNodeIDs.count)
        spec.classIDs = Array(repeating: 0, count: spec.classNodeIDs.count)
        spec.postTransform = "NONE"
        spec.baseValues = []
        // All weights positive: [1 - s, s].
        let (_, probabilities) = try spec.run([[0], [5], [11], [50]])
        #expect(probabilities.map { $0[1] } == [1, 6, 12, 100])
    }

    @Test("a batch gives each row what it gives alone")
    func batchMatchesRows() throws {
        let spec = unevenTree()
        let rows: [[Float]] = [[0, 9], [1, 0], [1, 9], [2, 9], [0.5, 0.5]]
        let batch = try spec.run(rows)
        for (index, row) in rows.enumerated() {
            let single = try spec.run([row])
            #expect(batch.probabilities[index] == single.probabilities[0])
        }
    }

    @Test("thresholds given as nodes_values_as_tensor work like nodes_values")
    func valuesAsTensor() throws {
        var spec = TreeSpec.stump()
        spec.values = []
        spec.extraAttributes = [
            ONNX.attribute(
                "nodes_values_as_tensor",
                tensor: ONNX.tensor("", dims: [3], floats: [0.5, 0, 0]))
        ]
        var plain = spec
        plain.values = [0.5, 0, 0]
        plain.extraAttributes = []
        #expect(
            try spec.run([[0.5], [0.6]]).probabilities == plain.run([[0.5], [0.6]]).probabilities)
    }
}
