import Testing

@testable import ONNXRuntime

@Suite("Operators")
struct OperatorTests {
    /// Loads a one-node graph and runs it on `feeds`.
    private func run(
        _ node: ProtoWriter, inputs: [ProtoWriter], outputs: [ProtoWriter],
        initializers: [ProtoWriter] = [], feeds: [String: Tensor]
    ) throws -> [String: Tensor] {
        let model = try InferenceModel(
            onnx: ONNX.model(
                nodes: [node], inputs: inputs, outputs: outputs, initializers: initializers))
        return try model.run(feeds)
    }

    private func encoder(zeros: Int64 = 1) -> ProtoWriter {
        ONNX.node(
            "OneHotEncoder", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
            attributes: [
                ONNX.attribute("cats_strings", strings: ["a", "b", "c"]),
                ONNX.attribute("zeros", int: zeros),
            ])
    }

    @Test("OneHotEncoder puts a 1 at the category and zeros for an unseen one")
    func oneHotEncoder() throws {
        let outputs = try run(
            encoder(), inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 3])],
            feeds: ["X": Tensor(shape: [3, 1], storage: .string(["b", "z", "A"]))])
        #expect(
            outputs["Y"] == Tensor(shape: [3, 1, 3], storage: .float([0, 1, 0, 0, 0, 0, 0, 0, 0])))
    }

    @Test("OneHotEncoder with zeros = 0 refuses an unseen category")
    func oneHotEncoderStrict() {
        #expect(throws: ModelError.self) {
            _ = try run(
                encoder(zeros: 0), inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
                outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 3])],
                feeds: ["X": Tensor(shape: [1, 1], storage: .string(["z"]))])
        }
    }

    @Test("Concat joins along a negative axis")
    func concat() throws {
        let node = ONNX.node(
            "Concat", inputs: ["A", "B"], outputs: ["Y"],
            attributes: [ONNX.attribute("axis", int: -1)])
        let outputs = try run(
            node,
            inputs: [
                ONNX.value("A", ONNX.float, [nil, 1]), ONNX.value("B", ONNX.float, [nil, 2]),
            ],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 3])],
            feeds: [
                "A": Tensor(shape: [2, 1], storage: .float([1, 2])),
                "B": Tensor(shape: [2, 2], storage: .float([10, 11, 20, 21])),
            ])
        #expect(outputs["Y"] == Tensor(shape: [2, 3], storage: .float([1, 10, 11, 2, 20, 21])))
    }

    @Test("Reshape copies a 0 dimension and infers a -1 one")
    func reshape() throws {
        let node = ONNX.node("Reshape", inputs: ["X", "shape"], outputs: ["Y"])
        let outputs = try run(
            node, inputs: [ONNX.value("X", ONNX.float, [nil, 2, 3])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 6])],
            initializers: [ONNX.tensor("shape", dims: [2], int64s: [0, -1])],
            feeds: ["X": Tensor(shape: [1, 2, 3], storage: .float([1, 2, 3, 4, 5, 6]))])
        #expect(outputs["Y"] == Tensor(shape: [1, 6], storage: .float([1, 2, 3, 4, 5, 6])))
    }

    @Test("Identity passes its input through")
    func identity() throws {
        let outputs = try run(
            ONNX.node("Identity", inputs: ["X"], outputs: ["Y"]),
            inputs: [ONNX.value("X", ONNX.string, [nil])],
            outputs: [ONNX.value("Y", ONNX.string, [nil])],
            feeds: ["X": Tensor(shape: [2], storage: .string(["p", "q"]))])
        #expect(outputs["Y"] == Tensor(shape: [2], storage: .string(["p", "q"])))
    }

    @Test("Cast truncates floats toward zero into int64 and writes int64 as strings")
    func cast() throws {
        let toInt = try run(
            ONNX.node(
                "Cast", inputs: ["X"], outputs: ["Y"], attributes: [ONNX.attribute("to", int: 7)]),
            inputs: [ONNX.value("X", ONNX.float, [nil])],
            outputs: [ONNX.value("Y", ONNX.int64, [nil])],
            feeds: ["X": Tensor(shape: [3], storage: .float([1.9, -1.9, 0]))])
        #expect(toInt["Y"] == Tensor(shape: [3], storage: .int64([1, -1, 0])))
        let toString = try run(
            ONNX.node(
                "Cast", inputs: ["X"], outputs: ["Y"], attributes: [ONNX.attribute("to", int: 8)]),
            inputs: [ONNX.value("X", ONNX.int64, [nil])],
            outputs: [ONNX.value("Y", ONNX.string, [nil])],
            feeds: ["X": Tensor(shape: [2], storage: .int64([42, -7]))])
        #expect(toString["Y"] == Tensor(shape: [2], storage: .string(["42", "-7"])))
    }
}
