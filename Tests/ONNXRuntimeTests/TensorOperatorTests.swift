import Testing

@testable import ONNXRuntime

/// Reductions, Softmax, ArgMax, TopK, MatMul and the shape operators on one-node graphs;
/// expected values follow the ONNX specs and onnxruntime.
@Suite("Tensor operators")
struct TensorOperatorTests {
    private let matrix = floats([2, 3], [1, 2, 3, 4, 5, 6])

    private func run(
        _ op: String, _ x: Tensor, constants: [(String, Tensor)] = [],
        attributes: [ProtoWriter] = [], outputs: [String] = ["Y"], opset: Int64 = 17
    ) throws -> [String: Tensor] {
        try OneNodeGraph.run(
            ONNX.node(
                op, inputs: ["X"] + constants.map(\.0), outputs: outputs, attributes: attributes),
            feeds: [("X", x)], constants: constants, outputs: outputs, opsets: [("", opset)])
    }

    @Test("ReduceSum takes its axes from an input from opset 13 and keeps the dimension")
    func reduceSumAxesInput() throws {
        let y = try run("ReduceSum", matrix, constants: [("axes", int64s([1], [1]))])["Y"]
        #expect(y == floats([2, 1], [6, 15]))
    }

    @Test("ReduceSum reads its axes attribute before opset 13 and can drop the dimension")
    func reduceSumAxesAttribute() throws {
        let y = try run(
            "ReduceSum", matrix,
            attributes: [ONNX.attribute("axes", ints: [0]), ONNX.attribute("keepdims", int: 0)],
            opset: 11)["Y"]
        #expect(y == floats([3], [5, 7, 9]))
    }

    @Test("ReduceSumSquare, ReduceMean and ReduceMax reduce every axis when none are given")
    func reduceAll() throws {
        #expect(try run("ReduceSumSquare", matrix)["Y"] == floats([1, 1], [91]))
        #expect(try run("ReduceMean", matrix)["Y"] == floats([1, 1], [3.5]))
        #expect(try run("ReduceMax", matrix)["Y"] == floats([1, 1], [6]))
        #expect(try run("ReduceMin", matrix)["Y"] == floats([1, 1], [1]))
    }

    @Test("ReduceLogSumExp shifts by the maximum, so large values do not overflow")
    func reduceLogSumExp() throws {
        let y = try run(
            "ReduceLogSumExp", floats([1, 2], [1000, 1000]),
            constants: [("axes", int64s([1], [1]))], opset: 18)["Y"]
        #expect(close(OneNodeGraph.floats(y), [1000.6931], tolerance: 1e-4))
    }

    @Test("Softmax runs along the last axis from opset 13 and over the flattened tail before")
    func softmax() throws {
        let x = floats([1, 2, 2], [0, 0, 0, 0])
        #expect(try run("Softmax", x)["Y"] == floats([1, 2, 2], [0.5, 0.5, 0.5, 0.5]))
        #expect(
            try run("Softmax", x, opset: 11)["Y"] == floats([1, 2, 2], [0.25, 0.25, 0.25, 0.25]))
    }

    @Test("ArgMax gives ties to the lowest index unless select_last_index is set")
    func argMaxTies() throws {
        let x = floats([2, 3], [1, 5, 5, 7, 7, 0])
        let axis = ONNX.attribute("axis", int: 1)
        #expect(try run("ArgMax", x, attributes: [axis])["Y"] == int64s([2, 1], [1, 0]))
        #expect(
            try run("ArgMax", x, attributes: [axis, ONNX.attribute("select_last_index", int: 1)])[
                "Y"] == int64s([2, 1], [2, 1]))
    }

    @Test("ArgMin gives the position of the smallest element, ties to the lowest index")
    func argMin() throws {
        let y = try run(
            "ArgMin", floats([2, 2], [3, 1, 0, 0]), attributes: [ONNX.attribute("axis", int: 1)])[
                "Y"]
        #expect(y == int64s([2, 1], [1, 0]))
    }

    @Test("TopK returns the K smallest in order, ties by lower index")
    func topKSmallest() throws {
        let outputs = try run(
            "TopK", floats([1, 4], [3, 1, 1, 0]), constants: [("K", int64s([1], [3]))],
            attributes: [ONNX.attribute("largest", int: 0)], outputs: ["V", "I"])
        #expect(outputs["V"] == floats([1, 3], [0, 1, 1]))
        #expect(outputs["I"] == int64s([1, 3], [3, 1, 2]))
    }

    @Test("MatMul multiplies rows by a matrix")
    func matMul() throws {
        let y = try run("MatMul", matrix, constants: [("B", floats([3, 1], [1, 0, -1]))])["Y"]
        #expect(y == floats([2, 1], [-2, -2]))
    }

    @Test("Transpose permutes dimensions, reversed by default")
    func transpose() throws {
        #expect(try run("Transpose", matrix)["Y"] == floats([3, 2], [1, 4, 2, 5, 3, 6]))
    }

    @Test("Flatten folds the dimensions before and after the axis")
    func flatten() throws {
        let y = try run("Flatten", floats([1, 2, 3], [1, 2, 3, 4, 5, 6]))["Y"]
        #expect(y == floats([1, 6], [1, 2, 3, 4, 5, 6]))
    }

    @Test("Gather picks slices along an axis, negative indices from the end")
    func gather() throws {
        let y = try run(
            "Gather", matrix, constants: [("I", int64s([2], [-1, 0]))],
            attributes: [ONNX.attribute("axis", int: 1)])["Y"]
        #expect(y == floats([2, 2], [3, 1, 6, 4]))
    }

    @Test("Squeeze and Unsqueeze take constant axes from opset 13, Shape lists the dimensions")
    func squeezeUnsqueezeShape() throws {
        let column = floats([2, 1], [1, 2])
        #expect(
            try run("Squeeze", column, constants: [("axes", int64s([1], [1]))])["Y"]
                == floats([2], [1, 2]))
        #expect(
            try run("Unsqueeze", column, constants: [("axes", int64s([1], [0]))])["Y"]
                == floats([1, 2, 1], [1, 2]))
        #expect(try run("Shape", column)["Y"] == int64s([2], [2, 1]))
    }

    @Test("Constant yields its tensor attribute, or a list from value_ints")
    func constant() throws {
        let tensorNode = ONNX.node(
            "Constant", inputs: [], outputs: ["Y"],
            attributes: [
                ONNX.attribute("value", tensor: OneNodeGraph.initializer("v", floats([2], [1, 2])))
            ])
        let ints = ONNX.node(
            "Constant", inputs: [], outputs: ["Y"],
            attributes: [ONNX.attribute("value_ints", ints: [3, 4])])
        #expect(try OneNodeGraph.run(tensorNode, feeds: [])["Y"] == floats([2], [1, 2]))
        #expect(try OneNodeGraph.run(ints, feeds: [])["Y"] == int64s([2], [3, 4]))
    }

    @Test("Scan runs its body once per row of the scanned input and stacks the outputs")
    func scan() throws {
        // Squared distances from a state vector to each row, as skl2onnx's cdist body.
        var body = ProtoWriter()
        body.message(1, ONNX.node("Sub", inputs: ["state", "row"], outputs: ["difference"]))
        body.message(
            1,
            ONNX.node(
                "ReduceSumSquare", inputs: ["difference"], outputs: ["distance"],
                attributes: [
                    ONNX.attribute("axes", ints: [0]), ONNX.attribute("keepdims", int: 0),
                ]))
        body.message(1, ONNX.node("Identity", inputs: ["state"], outputs: ["next"]))
        body.string(2, "body")
        body.message(11, ONNX.value("state", ONNX.float, [nil]))
        body.message(11, ONNX.value("row", ONNX.float, [nil]))
        body.message(12, ONNX.value("next", ONNX.float, [nil]))
        body.message(12, ONNX.value("distance", ONNX.float, []))
        let node = ONNX.node(
            "Scan", inputs: ["X", "rows"], outputs: ["final", "Y"],
            attributes: [
                ONNX.attribute("body", graph: body), ONNX.attribute("num_scan_inputs", int: 1),
            ])
        let outputs = try OneNodeGraph.run(
            node, feeds: [("X", floats([2], [1, 1]))],
            constants: [("rows", floats([3, 2], [1, 1, 2, 3, 0, 0]))], outputs: ["final", "Y"])
        #expect(outputs["Y"] == floats([3], [0, 5, 2]))
        #expect(outputs["final"] == floats([2], [1, 1]))
    }
}
