import Testing

@testable import ONNXRuntime

/// Load-time refusals of ConstantOfShape, ReduceProd, CumSum, Slice, Split, LpNormalization
/// and Binarizer: each names the node, the attribute or input, what was expected and found.
@Suite("Shape and ensemble operator refusals")
struct ShapeOperatorRefusalTests {
    private func expectRefusal(
        _ node: ProtoWriter, feeds: [(String, Tensor)] = [("X", floats([1, 2], [0, 0]))],
        constants: [(String, Tensor)] = [], outputs: [String] = ["Y"], opset: Int64 = 17,
        _ kind: ModelError.Kind, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectLoadRefusal(
            OneNodeGraph.bytes(
                node, feeds: feeds, constants: constants, outputs: outputs,
                opsets: [("", opset), ("ai.onnx.ml", 3)]),
            kind, mentioning: fragments, sourceLocation: sourceLocation)
    }

    @Test("refuses a ConstantOfShape value of more than one element")
    func constantOfShapeValueShape() {
        let value = ONNX.attribute("value", tensor: ONNX.tensor("v", dims: [2], floats: [1, 2]))
        expectRefusal(
            ONNX.node("ConstantOfShape", inputs: ["S"], outputs: ["Y"], attributes: [value]),
            feeds: [("S", int64s([1], [2]))], .invalidAttribute,
            mentioning: [
                "node 'constantofshape' (ai.onnx:ConstantOfShape) attribute 'value'",
                "expected one element in a shape of [1], found shape [2]",
            ])
    }

    @Test("refuses a ConstantOfShape value of a type the runtime cannot hold")
    func constantOfShapeValueType() {
        var tensor = ProtoWriter()
        tensor.packedInts(1, [1])
        tensor.int(2, 10)  // float16
        tensor.data(9, [0, 0])
        expectRefusal(
            ONNX.node(
                "ConstantOfShape", inputs: ["S"], outputs: ["Y"],
                attributes: [ONNX.attribute("value", tensor: tensor)]),
            feeds: [("S", int64s([1], [2]))], .unsupportedType,
            mentioning: ["attribute 'value'", "found float16"])
    }

    @Test("refuses ReduceProd axes given as floats")
    func reduceProdAxesType() {
        expectRefusal(
            ONNX.node(
                "ReduceProd", inputs: ["X"], outputs: ["Y"],
                attributes: [ONNX.attribute("axes", floats: [1])]), .invalidAttribute,
            mentioning: [
                "(ai.onnx:ReduceProd) attribute 'axes'", "expected type INTS, found FLOATS",
            ])
    }

    @Test("refuses a CumSum exclusive other than 0 or 1")
    func cumSumExclusive() {
        expectRefusal(
            ONNX.node(
                "CumSum", inputs: ["X", "A"], outputs: ["Y"],
                attributes: [ONNX.attribute("exclusive", int: 2)]),
            constants: [("A", int64s([], [1]))], .invalidAttribute,
            mentioning: ["(ai.onnx:CumSum) attribute 'exclusive'", "expected 0 or 1, found 2"])
    }

    @Test("refuses a CumSum reverse other than 0 or 1")
    func cumSumReverse() {
        expectRefusal(
            ONNX.node(
                "CumSum", inputs: ["X", "A"], outputs: ["Y"],
                attributes: [ONNX.attribute("reverse", int: -1)]),
            constants: [("A", int64s([], [1]))], .invalidAttribute,
            mentioning: ["attribute 'reverse'", "expected 0 or 1, found -1"])
    }

    @Test("refuses constant Slice steps of zero")
    func sliceZeroStep() {
        expectRefusal(
            ONNX.node("Slice", inputs: ["X", "s", "e", "a", "p"], outputs: ["Y"]),
            constants: [
                ("s", int64s([1], [0])), ("e", int64s([1], [2])), ("a", int64s([1], [1])),
                ("p", int64s([1], [0])),
            ], .invalidGraph,
            mentioning: ["(ai.onnx:Slice)", "expected non-zero steps, found [0]"])
    }

    @Test("refuses Slice attributes (before opset 10) with fewer ends than starts")
    func sliceAttributeLengths() {
        expectRefusal(
            ONNX.node(
                "Slice", inputs: ["X"], outputs: ["Y"],
                attributes: [
                    ONNX.attribute("starts", ints: [0, 0]), ONNX.attribute("ends", ints: [1]),
                ]), opset: 9, .invalidAttribute,
            mentioning: ["attribute 'ends'", "expected as many ends as starts, found 1 ends and 2"])
    }

    @Test("refuses a Split num_outputs that differs from the node's outputs")
    func splitNumOutputs() {
        expectRefusal(
            ONNX.node(
                "Split", inputs: ["X"], outputs: ["A", "B"],
                attributes: [ONNX.attribute("num_outputs", int: 3)]), outputs: ["A", "B"],
            opset: 18, .invalidAttribute,
            mentioning: ["(ai.onnx:Split) attribute 'num_outputs'", "expected 2", "found 3"])
    }

    @Test("refuses a Split attribute (before opset 13) with a size per output missing")
    func splitAttribute() {
        expectRefusal(
            ONNX.node(
                "Split", inputs: ["X"], outputs: ["A", "B"],
                attributes: [ONNX.attribute("split", ints: [2])]), outputs: ["A", "B"],
            opset: 11, .invalidAttribute,
            mentioning: ["attribute 'split'", "expected 2 sizes of 0 or more", "found [2]"])
    }

    @Test("refuses an LpNormalization p other than 1 or 2")
    func lpNormalizationP() {
        expectRefusal(
            ONNX.node(
                "LpNormalization", inputs: ["X"], outputs: ["Y"],
                attributes: [ONNX.attribute("p", int: 3)]), .invalidAttribute,
            mentioning: ["(ai.onnx:LpNormalization) attribute 'p'", "expected 1 or 2, found 3"])
    }

    @Test("refuses a Binarizer threshold that is not a float")
    func binarizerThreshold() {
        expectRefusal(
            ONNX.node(
                "Binarizer", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
                attributes: [ONNX.attribute("threshold", ints: [1])]), .invalidAttribute,
            mentioning: ["(ai.onnx.ml:Binarizer) attribute 'threshold'", "expected a FLOAT value"])
    }

    @Test("refuses a Binarizer over doubles, which onnxruntime does not implement")
    func binarizerDouble() {
        expectRefusal(
            ONNX.node("Binarizer", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"]),
            feeds: [("X", Tensor(shape: [1], storage: .double([1])))], .unsupportedType,
            mentioning: ["(ai.onnx.ml:Binarizer)", "of float, found double"])
    }
}
