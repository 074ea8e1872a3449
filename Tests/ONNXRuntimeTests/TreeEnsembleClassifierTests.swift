import Testing

@testable import ONNXRuntime

/// Expected values follow onnxruntime's TreeAggregatorClassifier: with two classes and every
/// weight on one column, mixed-sign weights under LOGISTIC give [σ(-s), σ(s)] and the
/// positive label when s > 0; non-negative weights give [1-s, s] and the positive label when
/// s > 0.5.
@Suite("TreeEnsembleClassifier")
struct TreeEnsembleClassifierTests {
    private func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }
    }

    @Test("binary with mixed weights applies the logistic to both columns around the score")
    func binaryLogistic() throws {
        let (labels, probabilities) = try TreeSpec.stump().run([[0.5], [0.6]])
        // x = 0.5 is on the threshold: BRANCH_LEQ goes true, s = -1 + 0.5 = -0.5.
        // x = 0.6 goes false, s = 2 + 0.5 = 2.5.
        #expect(labels == .int64([0, 1]))
        #expect(close(probabilities[0], [0.62245935, 0.37754068]))
        #expect(close(probabilities[1], [0.07585818, 0.9241418]))
    }

    @Test("binary with non-negative weights gives [1-s, s] and needs s above 0.5")
    func binaryPositiveWeights() throws {
        var spec = TreeSpec.stump(weights: [0.2, 0.5])
        spec.postTransform = "NONE"
        spec.baseValues = []
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .int64([0, 0]))
        #expect(close(probabilities[0], [0.8, 0.2]))
        #expect(close(probabilities[1], [0.5, 0.5]))
    }

    @Test("a missing value goes to the false branch unless the node tracks it as true")
    func missingValues() throws {
        let nan = Float.nan
        #expect(try TreeSpec.stump().run([[nan]]).labels == .int64([1]))
        var tracking = TreeSpec.stump()
        tracking.missingTracksTrue = [1, 0, 0]
        #expect(try tracking.run([[nan]]).labels == .int64([0]))
    }

    @Test(
        "each branch mode compares the value with the threshold in float32",
        arguments: [
            ("BRANCH_LEQ", Float(0.5), true), ("BRANCH_LEQ", Float(0.50000006), false),
            ("BRANCH_LT", Float(0.5), false), ("BRANCH_LT", Float(0.49999997), true),
            ("BRANCH_GTE", Float(0.5), true), ("BRANCH_GT", Float(0.5), false),
            ("BRANCH_EQ", Float(0.5), true), ("BRANCH_NEQ", Float(0.5), false),
        ])
    func branchModes(mode: String, value: Float, goesTrue: Bool) throws {
        let labels = try TreeSpec.stump(mode: mode).run([[value]]).labels
        // The true leaf has the negative weight, so it yields class 0.
        #expect(labels == .int64([goesTrue ? 0 : 1]))
    }

    @Test("multiclass scores per class column, SOFTMAX, and ties go to the lowest class")
    func multiclass() throws {
        var spec = TreeSpec()
        spec.classTreeIDs = [0, 0, 0, 0, 0, 0]
        spec.classNodeIDs = [1, 1, 1, 2, 2, 2]
        spec.classIDs = [0, 1, 2, 0, 1, 2]
        spec.classWeights = [1, 2, 0.5, 1, 1, 1]
        spec.labelsInt = nil
        spec.labelsString = ["a", "b", "c"]
        spec.postTransform = "SOFTMAX"
        spec.baseValues = []
        let (labels, probabilities) = try spec.run([[0], [1]])
        #expect(labels == .string(["b", "a"]))
        // softmax([1, 2, 0.5]) and softmax([1, 1, 1]).
        #expect(close(probabilities[0], [0.23122390, 0.62853172, 0.14024438]))
        let third: [Float] = Array(repeating: 1 / 3, count: 3)
        #expect(close(probabilities[1], third))
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
        #expect(close(probabilities[1], [0.62245935, 0.37754068]))
    }
}
