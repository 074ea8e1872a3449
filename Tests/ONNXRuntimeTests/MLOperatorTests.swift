import Testing

@testable import ONNXRuntime

/// The ai.onnx.ml operators besides the tree ensemble, on one-node graphs; expected values
/// follow onnxruntime's kernels (checked against onnxruntime 1.31 in Python).
@Suite("ML operators")
struct MLOperatorTests {
    private func run(
        _ op: String, _ x: Tensor, attributes: [ProtoWriter], outputs: [String] = ["Y"],
        constants: [(String, Tensor)] = [], mlOpset: Int64 = 3
    ) throws -> [String: Tensor] {
        try OneNodeGraph.run(
            ONNX.node(
                op, domain: "ai.onnx.ml", inputs: ["X"] + constants.map(\.0), outputs: outputs,
                attributes: attributes),
            feeds: [("X", x)], constants: constants, outputs: outputs,
            opsets: [("", 17), ("ai.onnx.ml", mlOpset)])
    }

    @Test("Scaler computes (x - offset) * scale in float32, a single value for every column")
    func scaler() throws {
        let y = try run(
            "Scaler", floats([1, 2], [0.3, 5]),
            attributes: [
                ONNX.attribute("offset", floats: [0.1, 1]), ONNX.attribute("scale", floats: [3]),
            ])["Y"]
        #expect(y == floats([1, 2], [(Float(0.3) - Float(0.1)) * 3, 12]))
    }

    @Test("Normalizer L2 divides by the norm and keeps each sign; a zero row passes through")
    func normalizer() throws {
        let y = try run(
            "Normalizer", floats([2, 2], [3, -4, 0, 0]),
            attributes: [ONNX.attribute("norm", string: "L2")])["Y"]
        #expect(close(OneNodeGraph.floats(y), [0.6, -0.8, 0, 0]))
    }

    @Test("Imputer replaces NaN with the column's imputed value")
    func imputer() throws {
        var replaced = ProtoWriter()
        replaced.string(1, "replaced_value_float")
        replaced.float(2, .nan)
        replaced.int(20, 1)
        let y = try run(
            "Imputer", floats([2, 2], [.nan, 1, 2, .nan]),
            attributes: [ONNX.attribute("imputed_value_floats", floats: [7, 8]), replaced])["Y"]
        #expect(y == floats([2, 2], [7, 1, 2, 8]))
    }

    @Test("LabelEncoder maps keys to values and anything else to the default")
    func labelEncoder() throws {
        let y = try run(
            "LabelEncoder", strings([3], ["b", "z", "a"]),
            attributes: [
                ONNX.attribute("keys_strings", strings: ["a", "b"]),
                ONNX.attribute("values_int64s", ints: [10, 20]),
                ONNX.attribute("default_int64", int: -5),
            ], mlOpset: 2)["Y"]
        #expect(y == int64s([3], [20, -5, 10]))
    }

    @Test("LabelEncoder opset 4 reads keys_tensor, values_tensor and default_tensor")
    func labelEncoderTensors() throws {
        let y = try run(
            "LabelEncoder", int64s([2], [1, 9]),
            attributes: [
                ONNX.attribute(
                    "keys_tensor", tensor: OneNodeGraph.initializer("k", int64s([1], [1]))),
                ONNX.attribute(
                    "values_tensor", tensor: OneNodeGraph.initializer("v", strings([1], ["one"]))),
                ONNX.attribute(
                    "default_tensor", tensor: OneNodeGraph.initializer("d", strings([1], ["?"]))),
            ], mlOpset: 4)["Y"]
        #expect(y == strings([2], ["one", "?"]))
    }

    @Test("ArrayFeatureExtractor picks the listed columns of every row")
    func arrayFeatureExtractor() throws {
        let y = try run(
            "ArrayFeatureExtractor", floats([2, 3], [1, 2, 3, 4, 5, 6]), attributes: [],
            constants: [("I", int64s([2], [2, 0]))])["Y"]
        #expect(y == floats([2, 2], [3, 1, 6, 4]))
    }

    @Test("ArrayFeatureExtractor over a constant list of distinct labels names the classes")
    func labelLookupClasses() throws {
        let node = ONNX.node(
            "ArrayFeatureExtractor", domain: "ai.onnx.ml", inputs: ["classes", "X"],
            outputs: ["Y"])
        let model = try InferenceModel(
            onnx: OneNodeGraph.bytes(
                node, feeds: [("X", int64s([2], [1, 0]))],
                constants: [("classes", strings([2], ["cat", "dog"]))], outputs: ["Y"]))
        #expect(model.classLabels == .strings(["cat", "dog"]))
        #expect(
            try model.run(["X": int64s([2], [1, 0])])["Y"] == strings([1, 2], ["dog", "cat"]))
        // Training labels repeat, so a lookup into them names no classes.
        let repeated = try InferenceModel(
            onnx: OneNodeGraph.bytes(
                node, feeds: [("X", int64s([1], [0]))],
                constants: [("classes", int64s([3], [1, 0, 1]))], outputs: ["Y"]))
        #expect(repeated.classLabels == nil)
    }

    @Test("ZipMap gives one map per row keyed by the labels; run returns its dense form")
    func zipMap() throws {
        let node = ONNX.node(
            "ZipMap", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
            attributes: [ONNX.attribute("classlabels_strings", strings: ["no", "yes"])])
        let x = floats([2, 2], [0.9, 0.1, 0.3, 0.7])
        let value = try OneNodeGraph.evaluate(node, feeds: [("X", x)])["Y"]
        guard case .sequenceOfMaps(let maps) = value else {
            Issue.record("expected a sequence of maps, found \(String(describing: value))")
            return
        }
        #expect(maps.keys == .strings(["no", "yes"]))
        #expect(maps.count == 2 && Array(maps.row(1)) == [0.3, 0.7])
        #expect(value?.denseTensor == x)
    }

    @Test("a graph output declared as a sequence of maps carries ZipMap's keys as the classes")
    func zipMapDeclaredOutput() throws {
        // TypeProto: sequence_type (4) { elem_type (1) { map_type (5) { key_type (1) int64,
        // value_type (2) { tensor_type (1) { elem_type (1) float } } } } }.
        var tensorType = ProtoWriter()
        tensorType.int(1, ONNX.float)
        var valueType = ProtoWriter()
        valueType.message(1, tensorType)
        var mapType = ProtoWriter()
        mapType.int(1, ONNX.int64)
        mapType.message(2, valueType)
        var element = ProtoWriter()
        element.message(5, mapType)
        var sequence = ProtoWriter()
        sequence.message(1, element)
        var type = ProtoWriter()
        type.message(4, sequence)
        var output = ProtoWriter()
        output.string(1, "Y")
        output.message(2, type)
        let model = try InferenceModel(
            onnx: ONNX.model(
                nodes: [
                    ONNX.node(
                        "ZipMap", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
                        attributes: [ONNX.attribute("classlabels_int64s", ints: [4, 9])])
                ], inputs: [ONNX.value("X", ONNX.float, [nil, 2])], outputs: [output]))
        #expect(model.outputs[0].kind == .sequenceOfMaps(keyType: .int64))
        #expect(model.classLabels == .int64s([4, 9]))
    }

    @Test("LabelEncoder opset 1 maps strings to their position in classes_strings")
    func labelEncoderV1() throws {
        let y = try run(
            "LabelEncoder", strings([2], ["y", "q"]),
            attributes: [ONNX.attribute("classes_strings", strings: ["x", "y"])], mlOpset: 1)["Y"]
        #expect(y == int64s([2], [1, -1]))
    }

    @Test("LinearClassifier with one coefficient row labels by z > 0 and returns [1 - z, z]")
    func linearClassifierBinary() throws {
        let outputs = try run(
            "LinearClassifier", floats([2, 2], [1, 1, -1, 0]),
            attributes: [
                ONNX.attribute("coefficients", floats: [0.25, 0.5]),
                ONNX.attribute("intercepts", floats: [-0.5]),
                ONNX.attribute("classlabels_ints", ints: [3, 7]),
                ONNX.attribute("post_transform", string: "LOGISTIC"),
            ], outputs: ["L", "P"])
        #expect(outputs["L"] == int64s([2], [7, 3]))
        #expect(outputs["P"] == floats([2, 2], [0.75, 0.25, 1.75, -0.75]))
    }

    @Test("LinearClassifier with several rows labels by the first largest score, then softmax")
    func linearClassifierMulticlass() throws {
        let outputs = try run(
            "LinearClassifier", floats([1, 1], [1]),
            attributes: [
                ONNX.attribute("coefficients", floats: [1, 1, 0]),
                ONNX.attribute("intercepts", floats: [0, 0, 0]),
                ONNX.attribute("classlabels_strings", strings: ["a", "b", "c"]),
                ONNX.attribute("post_transform", string: "SOFTMAX"),
            ], outputs: ["L", "P"])
        #expect(outputs["L"] == strings([1], ["a"]))
        #expect(close(OneNodeGraph.floats(outputs["P"]), [0.42231882, 0.42231882, 0.15536241]))
    }

    @Test("SVMClassifier without probabilities labels by pairwise votes and returns [-s, s]")
    func svmVotes() throws {
        // Two one-feature support vectors, +1 and -1; the decision value for x = 2 is 4.
        let outputs = try run(
            "SVMClassifier", floats([1, 1], [2]),
            attributes: [
                ONNX.attribute("kernel_type", string: "LINEAR"),
                ONNX.attribute("vectors_per_class", ints: [1, 1]),
                ONNX.attribute("support_vectors", floats: [1, -1]),
                ONNX.attribute("coefficients", floats: [1, -1]),
                ONNX.attribute("rho", floats: [0]),
                ONNX.attribute("classlabels_ints", ints: [0, 1]),
            ], outputs: ["L", "P"])
        #expect(outputs["L"] == int64s([1], [0]))
        #expect(outputs["P"] == floats([1, 2], [-4, 4]))
    }

    @Test("SVMClassifier couples pairwise probabilities the way libsvm does")
    func svmCoupling() {
        // Three classes whose pairwise probabilities agree with p = (0.5, 0.3, 0.2).
        let p: [Float] = [0.5, 0.3, 0.2]
        var r = [Float](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 where i != j { r[i * 3 + j] = p[i] / (p[i] + p[j]) }
        }
        let coupled = SVMClassifierKernel.multiclassProbability(3, r)
        #expect(close(coupled, p, tolerance: 2e-3))
    }
}
