import Testing

@testable import ONNXRuntime

/// The elementwise ai.onnx operators, each on a one-node graph; expected values follow the
/// ONNX specs and onnxruntime (numpy broadcasting, float32 arithmetic).
@Suite("Elementwise operators")
struct ElementwiseOperatorTests {
    private func binary(_ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor? {
        try OneNodeGraph.run(
            ONNX.node(op, inputs: ["A", "B"], outputs: ["Y"]), feeds: [("A", a)],
            constants: [("B", b)])["Y"]
    }

    private func unary(_ op: String, _ x: Tensor, opset: Int64 = 17) throws -> Tensor? {
        try OneNodeGraph.run(
            ONNX.node(op, inputs: ["X"], outputs: ["Y"]), feeds: [("X", x)],
            opsets: [("", opset)])["Y"]
    }

    @Test("Add broadcasts a row over every row of a matrix")
    func addBroadcasts() throws {
        let y = try binary("Add", floats([2, 3], [1, 2, 3, 4, 5, 6]), floats([3], [10, 20, 30]))
        #expect(y == floats([2, 3], [11, 22, 33, 14, 25, 36]))
    }

    @Test("Sub and Mul broadcast a column against a row into a matrix")
    func subMulOuter() throws {
        let a = floats([2, 1], [1, 2])
        let b = floats([1, 3], [1, 2, 3])
        #expect(try binary("Sub", a, b) == floats([2, 3], [0, -1, -2, 1, 0, -1]))
        #expect(try binary("Mul", a, b) == floats([2, 3], [1, 2, 3, 2, 4, 6]))
    }

    @Test("Div on int64 truncates toward zero")
    func integerDivision() throws {
        #expect(
            try binary("Div", int64s([3], [7, -7, 6]), int64s([1], [2])) == int64s([3], [3, -3, 3]))
    }

    @Test("Div stays in float32")
    func floatDivision() throws {
        #expect(
            try binary("Div", floats([1], [1]), floats([1], [3])) == floats([1], [Float(1) / 3]))
    }

    @Test("Pow squares by multiplying and takes a float exponent from another type")
    func power() throws {
        #expect(
            try binary("Pow", floats([2], [3, -1.5]), floats([], [2])) == floats([2], [9, 2.25]))
        #expect(try binary("Pow", floats([1], [4]), int64s([1], [3])) == floats([1], [64]))
    }

    @Test("Equal compares strings and numbers elementwise, NaN equal to nothing")
    func equal() throws {
        #expect(
            try binary("Equal", strings([2], ["a", "b"]), strings([1], ["b"]))
                == Tensor(shape: [2], storage: .bool([false, true])))
        #expect(
            try binary("Equal", floats([2], [.nan, 1]), floats([2], [.nan, 1]))
                == Tensor(shape: [2], storage: .bool([false, true])))
    }

    @Test("Where takes X where the condition holds and Y elsewhere, all three broadcast")
    func whereSelects() throws {
        let y = try OneNodeGraph.run(
            ONNX.node("Where", inputs: ["C", "X", "Z"], outputs: ["Y"]),
            feeds: [
                ("C", Tensor(shape: [2, 1], storage: .bool([true, false]))),
                ("X", strings([2, 2], ["a", "b", "c", "d"])),
            ], constants: [("Z", strings([1], ["-"]))])["Y"]
        #expect(y == strings([2, 2], ["a", "b", "-", "-"]))
    }

    @Test("Sum adds every input, broadcasting them together")
    func sum() throws {
        let y = try OneNodeGraph.run(
            ONNX.node("Sum", inputs: ["A", "B", "C"], outputs: ["Y"]),
            feeds: [("A", floats([2], [1, 2])), ("C", floats([2], [100, 200]))],
            constants: [("B", floats([1], [10]))])["Y"]
        #expect(y == floats([2], [111, 212]))
    }

    @Test("Max and Min pick elementwise and propagate NaN")
    func maxMin() throws {
        let a = floats([3], [1, .nan, 5])
        let b = floats([3], [2, 0, 4])
        let maximum = try #require(try binary("Max", a, b)).floatValues
        #expect(maximum[0] == 2 && maximum[1].isNaN && maximum[2] == 5)
        #expect(
            try binary("Min", int64s([2], [3, -1]), int64s([2], [2, 0])) == int64s([2], [2, -1]))
    }

    @Test("the unary functions follow their float32 definitions")
    func unaryFunctions() throws {
        let x = floats([3], [-2, 0, 1])
        #expect(try unary("Relu", x) == floats([3], [0, 0, 1]))
        #expect(try unary("Neg", x) == floats([3], [2, 0, -1]))
        #expect(try unary("Abs", x) == floats([3], [2, 0, 1]))
        #expect(try unary("Sqrt", floats([2], [4, 2])) == floats([2], [2, Float(2).squareRoot()]))
        #expect(try unary("Reciprocal", floats([1], [4])) == floats([1], [0.25]))
        #expect(close(OneNodeGraph.floats(try unary("Exp", x)), [0.13533528, 1, 2.7182817]))
        #expect(close(OneNodeGraph.floats(try unary("Log", floats([1], [1]))), [0]))
        #expect(close(OneNodeGraph.floats(try unary("Sigmoid", x)), [0.11920292, 0.5, 0.7310586]))
        #expect(close(OneNodeGraph.floats(try unary("Tanh", x)), [-0.9640276, 0, 0.7615942]))
    }

    @Test("Less, Greater and their inclusive forms compare elementwise, false against NaN")
    func ordering() throws {
        let a = floats([3], [1, 2, .nan])
        let b = floats([1], [2])
        let bools = { (values: [Bool]) in Tensor(shape: [3], storage: .bool(values)) }
        #expect(try binary("Less", a, b) == bools([true, false, false]))
        #expect(try binary("LessOrEqual", a, b) == bools([true, true, false]))
        #expect(try binary("Greater", a, b) == bools([false, false, false]))
        #expect(try binary("GreaterOrEqual", a, b) == bools([false, true, false]))
    }

    @Test("Clip limits to optional bounds: inputs from opset 11, attributes before")
    func clip() throws {
        let x = floats([3], [-5, 0.5, 5])
        let y = try OneNodeGraph.run(
            ONNX.node("Clip", inputs: ["X", "low", "high"], outputs: ["Y"]), feeds: [("X", x)],
            constants: [("low", floats([], [0])), ("high", floats([], [1]))])["Y"]
        #expect(y == floats([3], [0, 0.5, 1]))
        var lower = ProtoWriter()
        lower.string(1, "min")
        lower.float(2, 0)
        lower.int(20, 1)
        let old = try OneNodeGraph.run(
            ONNX.node("Clip", inputs: ["X"], outputs: ["Y"], attributes: [lower]),
            feeds: [("X", x)], opsets: [("", 6)])["Y"]
        #expect(old == floats([3], [0, 0.5, 5]))
    }

    @Test("Not negates a bool tensor")
    func not() throws {
        #expect(
            try unary("Not", Tensor(shape: [2], storage: .bool([true, false])))
                == Tensor(shape: [2], storage: .bool([false, true])))
    }

    @Test("a shape mismatch that does not broadcast fails the run, naming both shapes")
    func broadcastMismatch() {
        #expect {
            _ = try binary("Add", floats([2], [1, 2]), floats([3], [1, 2, 3]))
        } throws: { error in
            (error as? ModelError)?.kind == .invalidInput && "\(error)".contains("[[2], [3]]")
        }
    }
}
