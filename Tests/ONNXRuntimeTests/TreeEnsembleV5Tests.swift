import Testing

@testable import ONNXRuntime

/// ai.onnx.ml TreeEnsemble (opset 5). Every expected number was measured with onnxruntime
/// 1.31.1 on the same model, single-threaded, and is compared bit for bit (NaN as NaN).
@Suite("TreeEnsemble (opset 5)")
struct TreeEnsembleV5Tests {
    /// Three stumps on features 0, 1, 2 (x <= 0.5 goes true). Leaves: tree 0 → target 0
    /// (0.1 true, -0.7 false), tree 1 → target 0 (0.3) or target 1 (0.001), tree 2 → target
    /// 1 (-0.4 true, 2.2 false). Target 2 is never reached.
    static func stumps(aggregate: Int64 = 1, transform: Int64 = 0) -> TreeV5Spec {
        var spec = TreeV5Spec()
        spec.roots = [0, 1, 2]
        spec.features = [0, 1, 2]
        spec.splits = [0.5, 0.5, 0.5]
        spec.modes = [0, 0, 0]
        spec.trueIDs = [0, 2, 4]
        spec.trueLeafs = [1, 1, 1]
        spec.falseIDs = [1, 3, 5]
        spec.falseLeafs = [1, 1, 1]
        spec.leafTargets = [0, 0, 0, 1, 1, 1]
        spec.leafWeights = [0.1, -0.7, 0.3, 0.001, -0.4, 2.2]
        spec.targets = 3
        spec.width = 3
        spec.aggregate = aggregate
        spec.postTransform = transform
        return spec
    }

    static let stumpRows: [[Float]] = [[0, 0, 0], [1, 1, 1], [0, 1, 0], [1, 0, 1]]

    private func same<T: BinaryFloatingPoint>(_ a: [[T]], _ b: [[T]]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { row, want in
                row.count == want.count
                    && zip(row, want).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            }
    }

    @Test("SUM adds each target's reached leaf weights, and a one-leaf tree adds its leaf")
    func sumsAndOneLeafTree() throws {
        // Tree 1's root points both ways at leaf 3; its feature 7 lies beyond the two input
        // columns and is never read.
        let rows = try TreeV5Spec().run([[0, 0], [1, -1], [1, 1]] as [[Float]])
        #expect(rows == [[1, 4], [0, 1.75], [0.75, 4]])
    }

    @Test("SUM accumulates tree by tree in float32, and an unreached target reads 0")
    func sum() throws {
        let rows = try Self.stumps(aggregate: 1).run(Self.stumpRows)
        #expect(
            same(
                rows,
                [
                    [0.4, -0.4, 0], [-0.7, 2.201, 0], [0.1, -0.39900002, 0], [-0.39999998, 2.2, 0],
                ]))
    }

    @Test("AVERAGE divides each target's sum by the number of trees, once, at the end")
    func average() throws {
        let rows = try Self.stumps(aggregate: 0).run(Self.stumpRows)
        // Target 1 of the second row: (0.001 + 2.2) / 3, not 0.001 / 3 + 2.2 / 3.
        #expect(
            same(
                rows,
                [
                    [0.13333334, -0.13333334, 0], [-0.23333333, 0.73366666, 0],
                    [0.033333335, -0.133, 0], [-0.13333333, 0.73333335, 0],
                ]))
    }

    @Test("MIN keeps the smallest reached weight per target")
    func minimum() throws {
        let rows = try Self.stumps(aggregate: 2).run(Self.stumpRows)
        #expect(same(rows, [[0.1, -0.4, 0], [-0.7, 0.001, 0], [0.1, -0.4, 0], [-0.7, 2.2, 0]]))
    }

    @Test("MAX keeps the largest reached weight per target")
    func maximum() throws {
        let rows = try Self.stumps(aggregate: 3).run(Self.stumpRows)
        #expect(same(rows, [[0.3, -0.4, 0], [-0.7, 2.2, 0], [0.1, 0.001, 0], [0.3, 2.2, 0]]))
    }

    @Test("MIN and MAX keep a NaN weight reached first, and skip one reached later")
    func extremaWithNaN() throws {
        for (aggregate, firstNaN, laterNaN) in [(Int64(2), Float(1), Float(1)), (3, 5, 4)] {
            var spec = Self.stumps(aggregate: aggregate)
            spec.leafTargets = [0, 0, 0, 0, 0, 0]
            spec.targets = 1
            spec.leafWeights = [.nan, 1, 2, 3, 4, 5]
            let first = try spec.run([[0, 0, 0], [1, 1, 1]] as [[Float]])
            #expect(first[0][0].isNaN && first[1] == [firstNaN])
            spec.leafWeights = [1, 1, .nan, 3, 4, 5]
            #expect(try spec.run([[0, 0, 0]]) == [[laterNaN]])
        }
    }

    @Test("MEMBER tests a small set exactly: fractions and neighbours are not members")
    func memberSmallSet() throws {
        // Fewer than 31 members, all within 0...30: onnxruntime compares x with each.
        let spec = TreeV5Spec.stump(mode: 6, members: [0, 1, 3, .nan])
        let x: [Float] = [1, 1.5, Float(3).nextUp, -0.0, 3, 2.9999998, 31, .nan]
        #expect(try spec.run(x.map { [$0] }).map { $0[0] } == [1, 2, 2, 1, 1, 2, 2, 2])
    }

    @Test("MEMBER truncates x to int32 for a set it cannot unroll, as onnxruntime does")
    func memberLargeSet() throws {
        // A member above 30 makes onnxruntime keep the set whole and test int32(x): 40.7 and
        // 100.9 are members, 2.9999998 is not (it truncates to 2), -0.5 truncates to 0.
        let spec = TreeV5Spec.stump(mode: 6, members: [3, 40, 100])
        let x: [Float] = [40, 40.7, 100.9, 2.9999998, -0.5, 3e9, .infinity, .nan]
        #expect(try spec.run(x.map { [$0] }).map { $0[0] } == [1, 1, 1, 2, 2, 2, 2, 2])
    }

    @Test("MEMBER of a truncated set reads NaN and out-of-range x as Int32.min, as x86-64 does")
    func memberIndefiniteInteger() throws {
        let spec = TreeV5Spec.stump(mode: 6, members: [100, -2_147_483_648, .nan])
        let x: [Float] = [.nan, 3e9, -.infinity, 2_147_483_648, 7]
        #expect(try spec.run(x.map { [$0] }).map { $0[0] } == [1, 1, 1, 1, 2])
    }

    @Test("NaN fails every comparison but NEQ, unless the node's missing-value flag is 1")
    func missingValues() throws {
        for mode: Int64 in 0...6 {
            var spec = TreeV5Spec.stump(mode: mode, members: mode == 6 ? [0, 0.5] : nil)
            let untracked = try spec.run([[Float.nan]])[0][0]
            #expect(untracked == (mode == 5 ? 1 : 2), "mode \(mode) without the flag")
            spec.missingTracksTrue = [1]
            #expect(try spec.run([[Float.nan]])[0][0] == 1, "mode \(mode) with the flag")
            spec.missingTracksTrue = [0]
            #expect(try spec.run([[Float.nan]])[0][0] == untracked, "mode \(mode) with flag 0")
        }
    }

    @Test("every comparison mode splits on its threshold as written")
    func modes() throws {
        let x: [Float] = [0.25, 0.5, 0.75]
        // LEQ, LT, GTE, GT, EQ, NEQ: 1 where x goes true.
        let expected: [[Float]] = [
            [1, 1, 2], [1, 2, 2], [2, 1, 1], [2, 2, 1], [2, 1, 2], [1, 2, 1],
        ]
        for (mode, want) in expected.enumerated() {
            let got = try TreeV5Spec.stump(mode: Int64(mode)).run(x.map { [$0] }).map { $0[0] }
            #expect(got == want, "mode \(mode)")
        }
    }

    @Test("double input keeps thresholds, weights and sums in float64 and outputs double")
    func doubleInput() throws {
        var spec = TreeV5Spec.stump(mode: 0, split: 0.1)
        spec.inputType = ONNX.double
        // In float32 the split would round up to 0.100000001 and the next double after 0.1
        // would go true.
        #expect(try spec.run(doubles: [[0.1], [Double(0.1).nextUp]]) == [[1], [2]])
        var two = Self.stumps()
        two.inputType = ONNX.double
        two.roots = [0, 1]
        two.leafTargets = [0, 0, 0, 0, 0, 0]
        two.leafWeights = [0.1, 0.5, 0.2, 0.5, 0.5, 0.5]
        two.targets = 1
        // 0.1 + 0.2 summed in float64 (in float32 it would be 0.3 as a float).
        #expect(try two.run(doubles: [[0, 0, 0]]) == [[0.30000000000000004]])
    }

    @Test("post_transform 1 applies the logistic and 2 the softmax, as onnxruntime reads them")
    func swappedTransforms() throws {
        // The spec says 1 is SOFTMAX and 2 LOGISTIC; onnxruntime 1.31 reads the codes with the
        // older operators' enum and swaps them. The unreached target's 0 takes part.
        let logistic = try Self.stumps(transform: 1).run(Self.stumpRows)
        #expect(
            same(
                logistic,
                [
                    [0.59868765, 0.40131235, 0.5], [0.33181226, 0.9003393, 0.5],
                    [0.5249792, 0.40155262, 0.5], [0.40131235, 0.90024954, 0.5],
                ]))
        let softmax = try Self.stumps(transform: 2).run(Self.stumpRows)
        #expect(
            same(
                softmax,
                [
                    [0.47177625, 0.21198273, 0.31624106], [0.047156285, 0.8578826, 0.0949611],
                    [0.39809316, 0.24169728, 0.36020958], [0.062674075, 0.84382725, 0.093498714],
                ]))
    }

    @Test("SOFTMAX_ZERO leaves zero scores out, and PROBIT maps outside (0, 1) to NaN")
    func softmaxZeroAndProbit() throws {
        let softmaxZero = try Self.stumps(transform: 3).run(Self.stumpRows)
        #expect(
            same(
                softmaxZero,
                [
                    [0.6899745, 0.31002554, 0], [0.05210415, 0.9478958, 0],
                    [0.62222433, 0.37777573, 0], [0.06913843, 0.9308616, 0],
                ]))
        let probit = try Self.stumps(transform: 4).run(Self.stumpRows)
        let want: [[Float]] = [
            [-0.2533535, .nan, -.infinity], [.nan, .nan, -.infinity],
            [-1.2817129, .nan, -.infinity], [.nan, .nan, -.infinity],
        ]
        #expect(same(probit, want))
    }

    @Test("with one target only PROBIT changes the score, as onnxruntime does")
    func singleTargetTransforms() throws {
        var spec = Self.stumps()
        spec.roots = [0, 1]
        spec.leafWeights = [0.1, -0.7, 0.3, 0.2, 0, 0]
        spec.leafTargets = [0, 0, 0, 0, 0, 0]
        spec.targets = 1
        let rows: [[Float]] = [[0, 0, 0], [1, 1, 1], [0, 1, 0]]
        for transform: Int64 in 0...3 {
            spec.postTransform = transform
            #expect(try spec.run(rows) == [[0.4], [-0.5], [0.3]], "post_transform \(transform)")
        }
        spec.postTransform = 4
        let probit: [[Float]] = [[-0.2533535], [.nan], [-0.5244459]]
        #expect(same(try spec.run(rows), probit))
    }

    @Test(
        "double input transforms in float32, but SOFTMAX_ZERO divides by its float32 sum in float64"
    )
    func doubleTransforms() throws {
        var spec = Self.stumps(transform: 2)
        spec.inputType = ONNX.double
        let rows = Self.stumpRows.map { $0.map { Double($0) } }
        #expect(
            try spec.run(doubles: rows) == [
                [0.47177624702453613, 0.21198272705078125, 0.316241055727005],
                [0.047156285494565964, 0.8578826189041138, 0.09496109932661057],
                [0.39809316396713257, 0.2416972815990448, 0.360209584236145],
                [0.06267405301332474, 0.8438272476196289, 0.09349871426820755],
            ])
        spec.postTransform = 3
        let softmaxZero = try spec.run(doubles: rows)
        let want: [[Double]] = [
            [0.6899745119450377, 0.310025529180648, 0],
            [0.052104149681656414, 0.947895836193595, 0],
            [0.6222243188999326, 0.377775718187527, 0],
            [0.06913840651999742, 0.930861572673625, 0],
        ]
        #expect(softmaxZero == want)
        // The cut is 1e-7 in float64: 1.00000005e-7 takes part, 0.99999995e-7 is only scaled.
        spec.leafWeights = [1.000_000_05e-7, 0, 0, 0, 0.5, 0]
        #expect(
            try spec.run(doubles: [[0, 0, 0]]) == [[0.3775407084718084, 0.6224593286296588, 0]])
        spec.leafWeights = [0.999_999_95e-7, 0, 0, 0, 0.5, 0]
        #expect(try spec.run(doubles: [[0, 0, 0]]) == [[6.06530636024785e-08, 1, 0]])
    }

    @Test("a rank-1 input is one row, and onnxruntime checks it as one feature wide")
    func rankOneInput() throws {
        var spec = TreeV5Spec.stump(mode: 0)
        spec.shapeless = true
        let outputs = try spec.load().run(["X": floats([3], [0.25, 9, 9])])
        #expect(outputs["Y"] == floats([1, 1], [1]))
        var wideSpec = TreeV5Spec()
        wideSpec.shapeless = true
        let wide = try wideSpec.load()
        #expect(throws: ModelError.self) { try wide.run(["X": floats([2], [0, 0])]) }
    }

    @Test("an input narrower than the features the trees read is refused at run time")
    func narrowInput() throws {
        var spec = TreeV5Spec()
        spec.width = 1
        let model = try spec.load()
        do {
            _ = try model.run(["X": floats([1, 1], [0])])
            Issue.record("expected an invalidInput refusal")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("the trees read feature 1"), "\(error)")
        }
    }

    @Test("trees may share nodes: a root can sit inside another tree")
    func sharedNodes() throws {
        var spec = TreeV5Spec()
        // Tree 1 starts at node 1, tree 0's false branch.
        spec.roots = [0, 1]
        #expect(try spec.run([[0, -1], [1, 1]]) == [[1, -2.25], [1.5, 0]])
    }

    @Test("an empty batch gives an empty [0, targets] output")
    func emptyBatch() throws {
        let outputs = try TreeV5Spec().load().run(["X": floats([0, 2], [])])
        #expect(outputs["Y"]?.shape == [0, 2])
    }
}
