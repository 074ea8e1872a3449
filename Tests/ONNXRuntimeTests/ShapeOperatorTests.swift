import Testing

@testable import ONNXRuntime

/// ConstantOfShape, ReduceProd, CumSum, Slice, Split, LpNormalization, Binarizer and Cast to
/// int32 on one-node graphs; expected values are onnxruntime 1.31's on the same inputs.
@Suite("Shape and ensemble operators")
struct ShapeOperatorTests {
    private let matrix = floats([2, 3], [1, 2, 3, 4, 5, 6])

    private func run(
        _ op: String, _ x: Tensor, constants: [(String, Tensor)] = [],
        attributes: [ProtoWriter] = [], outputs: [String] = ["Y"], opset: Int64 = 17,
        domain: String = ""
    ) throws -> [String: Tensor] {
        try OneNodeGraph.run(
            ONNX.node(
                op, domain: domain, inputs: ["X"] + constants.map(\.0), outputs: outputs,
                attributes: attributes),
            feeds: [("X", x)], constants: constants, outputs: outputs,
            opsets: [("", opset), ("ai.onnx.ml", 3)])
    }

    private func fails(
        _ op: String, _ x: Tensor, constants: [(String, Tensor)] = [],
        attributes: [ProtoWriter] = [], outputs: [String] = ["Y"], opset: Int64 = 17,
        domain: String = "", mentioning fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try run(
                op, x, constants: constants, attributes: attributes, outputs: outputs,
                opset: opset, domain: domain)
            Issue.record("expected the run to fail", sourceLocation: sourceLocation)
        } catch let error as ModelError {
            #expect(error.kind == .invalidInput, "\(error)", sourceLocation: sourceLocation)
            #expect(
                error.message.contains(fragment), "'\(fragment)' not in: \(error)",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a ModelError, found \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("ConstantOfShape fills float zeros by default and the value attribute's type else")
    func constantOfShape() throws {
        #expect(
            try run("ConstantOfShape", int64s([2], [2, 3]))["Y"]
                == floats([2, 3], [0, 0, 0, 0, 0, 0]))
        let value = ONNX.attribute("value", tensor: ONNX.tensor("v", dims: [1], int64s: [-4]))
        #expect(
            try run("ConstantOfShape", int64s([1], [3]), attributes: [value])["Y"]
                == int64s([3], [-4, -4, -4]))
        #expect(try run("ConstantOfShape", int64s([0], []))["Y"] == floats([], [0]))
    }

    @Test("ConstantOfShape fails the run on a negative dimension")
    func constantOfShapeNegative() {
        fails("ConstantOfShape", int64s([2], [2, -1]), mentioning: "expected dimensions from 0")
    }

    @Test("ReduceProd multiplies over the attribute's axes before opset 18, every axis without")
    func reduceProd() throws {
        let y = try run(
            "ReduceProd", matrix,
            attributes: [ONNX.attribute("axes", ints: [1]), ONNX.attribute("keepdims", int: 0)])[
                "Y"]
        #expect(y == floats([2], [6, 120]))
        #expect(try run("ReduceProd", matrix)["Y"] == floats([1, 1], [720]))
    }

    @Test("ReduceProd takes its axes from an input from opset 18 and multiplies int64")
    func reduceProdAxesInput() throws {
        let y = try run(
            "ReduceProd", int64s([2, 2], [2, 3, 4, 5]), constants: [("axes", int64s([1], [0]))],
            opset: 18)["Y"]
        #expect(y == int64s([1, 2], [8, 15]))
    }

    @Test("CumSum runs along the axis input, exclusive and reversed on request")
    func cumSum() throws {
        let axis = [("axis", int64s([], [1]))]
        #expect(
            try run("CumSum", matrix, constants: axis)["Y"] == floats([2, 3], [1, 3, 6, 4, 9, 15]))
        let both = [ONNX.attribute("exclusive", int: 1), ONNX.attribute("reverse", int: 1)]
        #expect(
            try run("CumSum", matrix, constants: axis, attributes: both)["Y"]
                == floats([2, 3], [5, 3, 0, 11, 6, 0]))
        #expect(
            try run("CumSum", matrix, constants: [("axis", int64s([1], [-2]))], attributes: both)[
                "Y"] == floats([2, 3], [4, 5, 6, 0, 0, 0]))
    }

    @Test("CumSum fails the run on an axis outside the rank or of more than one element")
    func cumSumAxis() {
        fails("CumSum", matrix, constants: [("axis", int64s([], [2]))], mentioning: "found 2")
        fails(
            "CumSum", matrix, constants: [("axis", int64s([2], [0, 1]))],
            mentioning: "expected the axis as one element")
    }

    private func slice(
        _ x: Tensor, _ starts: [Int64], _ ends: [Int64], axes: [Int64]? = nil,
        steps: [Int64]? = nil
    ) throws -> Tensor? {
        var constants = [
            ("starts", int64s([starts.count], starts)), ("ends", int64s([ends.count], ends)),
        ]
        if let axes { constants.append(("axes", int64s([axes.count], axes))) }
        if let steps { constants.append(("steps", int64s([steps.count], steps))) }
        return try run("Slice", x, constants: constants)["Y"]
    }

    @Test("Slice counts negative starts and ends from the end and clamps them into the axis")
    func sliceClamps() throws {
        let x = floats([3, 4], (0..<12).map(Float.init))
        #expect(try slice(x, [-3], [-1], axes: [1]) == floats([3, 2], [1, 2, 5, 6, 9, 10]))
        #expect(try slice(x, [-100, 2], [100, 1000]) == floats([3, 2], [2, 3, 6, 7, 10, 11]))
        #expect(try slice(x, [3], [1], axes: [1]) == floats([3, 0], []))
    }

    @Test("Slice steps backwards from a clamped start, INT64_MAX meaning the end")
    func sliceSteps() throws {
        let x = floats([3, 4], (0..<12).map(Float.init))
        #expect(
            try slice(x, [-1], [-100], axes: [1], steps: [-1])
                == floats([3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]))
        #expect(
            try slice(x, [100], [-100], axes: [0], steps: [-2])
                == floats([2, 4], [8, 9, 10, 11, 0, 1, 2, 3]))
        #expect(
            try slice(x, [0], [.max], axes: [1], steps: [2])
                == floats([3, 2], [0, 2, 4, 6, 8, 10]))
    }

    @Test("Slice before opset 10 reads starts, ends and axes from attributes")
    func sliceAttributes() throws {
        let x = floats([3, 4], (0..<12).map(Float.init))
        let y = try run(
            "Slice", x,
            attributes: [
                ONNX.attribute("starts", ints: [1, -2]), ONNX.attribute("ends", ints: [100, -1]),
            ], opset: 9)["Y"]
        #expect(y == floats([2, 1], [6, 10]))
    }

    @Test("Slice fails the run on repeated axes")
    func sliceDuplicateAxes() {
        fails(
            "Slice", matrix,
            constants: [
                ("starts", int64s([2], [0, 0])), ("ends", int64s([2], [1, 1])),
                ("axes", int64s([2], [1, -1])),
            ], mentioning: "expected distinct axes")
    }

    @Test("Split takes sizes from its input from opset 13, equal parts without")
    func split() throws {
        let x = floats([1, 10], (0..<10).map(Float.init))
        let axis = ONNX.attribute("axis", int: 1)
        let sized = try run(
            "Split", x, constants: [("split", int64s([2], [3, 7]))], attributes: [axis],
            outputs: ["A", "B"])
        #expect(sized["A"] == floats([1, 3], [0, 1, 2]))
        #expect(sized["B"] == floats([1, 7], [3, 4, 5, 6, 7, 8, 9]))
        let even = try run("Split", x, attributes: [axis], outputs: ["A", "B"])
        #expect(even["B"] == floats([1, 5], [5, 6, 7, 8, 9]))
        let old = try run(
            "Split", x, attributes: [axis, ONNX.attribute("split", ints: [4, 6])],
            outputs: ["A", "B"], opset: 11)
        #expect(old["A"] == floats([1, 4], [0, 1, 2, 3]))
    }

    @Test("Split with num_outputs leaves the remainder to the last part, as onnxruntime")
    func splitNumOutputs() throws {
        let x = floats([1, 10], (0..<10).map(Float.init))
        let attributes = [ONNX.attribute("axis", int: 1), ONNX.attribute("num_outputs", int: 4)]
        let parts = try run(
            "Split", x, attributes: attributes, outputs: ["A", "B", "C", "D"], opset: 18)
        #expect(parts["C"] == floats([1, 3], [6, 7, 8]))
        #expect(parts["D"] == floats([1, 1], [9]))
        // 9 into 4 makes parts of 3, which onnxruntime cannot fill: the run fails.
        fails(
            "Split", floats([1, 9], (0..<9).map(Float.init)), attributes: attributes,
            outputs: ["A", "B", "C", "D"], opset: 18, mentioning: "adding up to 9")
    }

    @Test("Split fails the run on sizes that do not add up to the axis, or an uneven split")
    func splitMismatch() {
        let x = floats([1, 10], (0..<10).map(Float.init))
        let axis = ONNX.attribute("axis", int: 1)
        fails(
            "Split", x, constants: [("split", int64s([2], [3, 5]))], attributes: [axis],
            outputs: ["A", "B"], mentioning: "adding up to 10")
        fails(
            "Split", x, attributes: [axis], outputs: ["A", "B", "C"],
            mentioning: "to split evenly into 3 parts")
    }

    @Test("LpNormalization divides by the L2 norm along the last axis by default, L1 on request")
    func lpNormalization() throws {
        let x = floats([2, 2], [3, 4, 0, 0])
        #expect(try run("LpNormalization", x)["Y"] == floats([2, 2], [0.6, 0.8, 0, 0]))
        let l1 = try run(
            "LpNormalization", floats([1, 3], [1, -3, 4]),
            attributes: [ONNX.attribute("p", int: 1)])["Y"]
        #expect(l1 == floats([1, 3], [0.125, -0.375, 0.5]))
        let columns = try run(
            "LpNormalization", x, attributes: [ONNX.attribute("axis", int: 0)])["Y"]
        #expect(columns == floats([2, 2], [1, 1, 0, 0]))
    }

    private func threshold(_ value: Float) -> ProtoWriter {
        var writer = ProtoWriter()
        writer.string(1, "threshold")
        writer.float(2, value)
        writer.int(20, 1)
        return writer
    }

    @Test("Binarizer gives 1 only above the threshold (default 0), so the threshold gives 0")
    func binarizer() throws {
        let x = floats([1, 4], [0.5, 1, 1.5, 0])
        #expect(
            try run("Binarizer", x, domain: "ai.onnx.ml")["Y"] == floats([1, 4], [1, 1, 1, 0]))
        #expect(
            try run("Binarizer", x, attributes: [threshold(1)], domain: "ai.onnx.ml")["Y"]
                == floats([1, 4], [0, 0, 1, 0]))
    }

    @Test("Binarizer fails the run on NaN, as onnxruntime")
    func binarizerNaN() {
        fails(
            "Binarizer", floats([1, 2], [0, .nan]), domain: "ai.onnx.ml",
            mentioning: "found NaN at element 1")
    }

    @Test("Cast to int32 truncates, gives INT32_MIN out of range and keeps int64's low bits")
    func castInt32() throws {
        let to = [ONNX.attribute("to", int: 6)]
        #expect(
            try run("Cast", floats([5], [2.7, -2.7, 3e9, .nan, -3e9]), attributes: to)["Y"]
                == int64s([5], [2, -2, -2_147_483_648, -2_147_483_648, -2_147_483_648]))
        #expect(
            try run("Cast", int64s([3], [(1 << 32) + 5, -1, 1 << 31]), attributes: to)["Y"]
                == int64s([3], [5, -1, -2_147_483_648]))
    }
}
