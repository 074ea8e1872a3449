import Testing

@testable import ONNXRuntime

/// Load-time refusals of the operators beyond the default model's: each names the node, the
/// attribute or input, what was expected and what was found.
@Suite("Operator refusals")
struct OperatorRefusalTests {
    private func expectRefusal(
        _ node: ProtoWriter, feeds: [(String, Tensor)] = [("X", floats([1, 2], [0, 0]))],
        constants: [(String, Tensor)] = [], outputs: [String] = ["Y"],
        _ kind: ModelError.Kind, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectLoadRefusal(
            OneNodeGraph.bytes(
                node, feeds: feeds, constants: constants, outputs: outputs,
                opsets: [("", 17), ("ai.onnx.ml", 4)]),
            kind, mentioning: fragments, sourceLocation: sourceLocation)
    }

    private func ml(
        _ op: String, _ attributes: [ProtoWriter], outputs: [String] = ["L", "P"]
    )
        -> ProtoWriter
    {
        ONNX.node(op, domain: "ai.onnx.ml", inputs: ["X"], outputs: outputs, attributes: attributes)
    }

    @Test("refuses an operator that is not implemented, listing it")
    func unsupportedOperator() {
        expectRefusal(
            ONNX.node("Einsum", inputs: ["X"], outputs: ["Y"]), .unsupportedOperators,
            mentioning: ["found unsupported operators :Einsum"])
    }

    @Test("refuses LinearClassifier coefficients that are not one row per intercept")
    func linearCoefficients() {
        expectRefusal(
            ml(
                "LinearClassifier",
                [
                    ONNX.attribute("coefficients", floats: [1, 2, 3]),
                    ONNX.attribute("intercepts", floats: [0, 0]),
                    ONNX.attribute("classlabels_ints", ints: [0, 1]),
                ]), outputs: ["L", "P"], .invalidAttribute,
            mentioning: ["node 'linearclassifier'", "'coefficients'", "found 3"])
    }

    @Test("refuses LinearClassifier intercepts that do not match the class labels")
    func linearLabels() {
        expectRefusal(
            ml(
                "LinearClassifier",
                [
                    ONNX.attribute("coefficients", floats: [1, 2, 3, 4]),
                    ONNX.attribute("intercepts", floats: [0, 0]),
                    ONNX.attribute("classlabels_ints", ints: [0, 1, 2]),
                ]), outputs: ["L", "P"], .invalidAttribute,
            mentioning: ["'intercepts'", "2 values for 3 class labels"])
    }

    @Test("refuses SVMClassifier coefficients that do not cover every support vector")
    func svmCoefficients() {
        expectRefusal(
            ml(
                "SVMClassifier",
                [
                    ONNX.attribute("vectors_per_class", ints: [1, 1]),
                    ONNX.attribute("support_vectors", floats: [1, 2, 3, 4]),
                    ONNX.attribute("coefficients", floats: [1]),
                    ONNX.attribute("rho", floats: [0]),
                    ONNX.attribute("classlabels_ints", ints: [0, 1]),
                ]), outputs: ["L", "P"], .invalidAttribute,
            mentioning: ["'coefficients'", "has 1 values", "= 2"])
    }

    @Test("refuses SVMClassifier vectors_per_class that do not match the class labels")
    func svmVectorsPerClass() {
        expectRefusal(
            ml(
                "SVMClassifier",
                [
                    ONNX.attribute("vectors_per_class", ints: [1, 1]),
                    ONNX.attribute("support_vectors", floats: [1, 2, 3, 4]),
                    ONNX.attribute("coefficients", floats: [1, 1, 1, 1]),
                    ONNX.attribute("rho", floats: [0, 0, 0]),
                    ONNX.attribute("classlabels_ints", ints: [0, 1, 2]),
                ]), outputs: ["L", "P"], .invalidAttribute,
            mentioning: ["'vectors_per_class'", "2 values for 3 class labels"])
    }

    @Test("refuses LabelEncoder keys and values of different lengths")
    func labelEncoderLengths() {
        expectRefusal(
            ml(
                "LabelEncoder",
                [
                    ONNX.attribute("keys_strings", strings: ["a", "b"]),
                    ONNX.attribute("values_int64s", ints: [1]),
                ], outputs: ["Y"]), feeds: [("X", strings([1], ["a"]))], .invalidAttribute,
            mentioning: ["'values'", "1 values but the keys number 2"])
    }

    @Test("refuses a LabelEncoder whose input type differs from its keys")
    func labelEncoderTypeMismatch() {
        expectRefusal(
            ml(
                "LabelEncoder",
                [
                    ONNX.attribute("keys_strings", strings: ["a"]),
                    ONNX.attribute("values_int64s", ints: [1]),
                ], outputs: ["Y"]), feeds: [("X", int64s([1], [1]))], .unsupportedType,
            mentioning: ["expected input 0 ('X') of string like the keys, found int64"])
    }

    @Test("refuses Add over inputs of different element types")
    func addTypeMismatch() {
        expectRefusal(
            ONNX.node("Add", inputs: ["X", "B"], outputs: ["Y"]),
            constants: [("B", int64s([1], [1]))], .unsupportedType,
            mentioning: [
                "node 'add' (ai.onnx:Add)", "input 1 ('B') of float like input 0, found int64",
            ])
    }

    @Test("refuses a Scan whose body uses an unsupported operator")
    func scanBodyOperator() {
        var body = ProtoWriter()
        body.message(1, ONNX.node("Einsum", inputs: ["s", "x"], outputs: ["y"]))
        body.message(11, ONNX.value("s", ONNX.float, [nil]))
        body.message(11, ONNX.value("x", ONNX.float, [nil]))
        body.message(12, ONNX.value("y", ONNX.float, [nil]))
        expectRefusal(
            ONNX.node(
                "Scan", inputs: ["X", "X"], outputs: ["Y"],
                attributes: [
                    ONNX.attribute("body", graph: body), ONNX.attribute("num_scan_inputs", int: 1),
                ]), .unsupportedOperators, mentioning: [":Einsum"])
    }

    @Test("refuses a Scan that scans backwards")
    func scanDirection() {
        var body = ProtoWriter()
        body.message(11, ONNX.value("x", ONNX.float, [nil]))
        body.message(12, ONNX.value("x", ONNX.float, [nil]))
        expectRefusal(
            ONNX.node(
                "Scan", inputs: ["X"], outputs: ["Y"],
                attributes: [
                    ONNX.attribute("body", graph: body), ONNX.attribute("num_scan_inputs", int: 1),
                    ONNX.attribute("scan_input_directions", ints: [1]),
                ]), .invalidAttribute,
            mentioning: ["'scan_input_directions'", "expected only 0", "found [1]"])
    }

    @Test("refuses feeding ZipMap's sequence of maps to another node")
    func mapSequenceAsInput() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node(
                    "ZipMap", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["M"],
                    attributes: [ONNX.attribute("classlabels_int64s", ints: [0, 1])]),
                ONNX.node("Identity", inputs: ["M"], outputs: ["Y"]),
            ], inputs: [ONNX.value("X", ONNX.float, [nil, 2])], outputs: [OneNodeGraph.untyped("Y")]
        )
        #expect {
            _ = try InferenceModel(onnx: bytes)
        } throws: { error in
            (error as? ModelError)?.kind == .unsupportedType
                && "\(error)".contains("('M') to be a tensor, found a sequence of maps")
        }
    }
}
