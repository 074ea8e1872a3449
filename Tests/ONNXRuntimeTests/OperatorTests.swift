import Testing

@testable import ONNXRuntime

/// Each operator on a one-node graph. Expected values follow the ONNX operator specs and
/// onnxruntime's kernels (checked against onnxruntime 1.31 in Python).
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

    private func encoder(
        strings: [String]? = ["a", "b", "c"], ints: [Int64]? = nil, zeros: Int64 = 1
    ) -> ProtoWriter {
        var attributes = [ONNX.attribute("zeros", int: zeros)]
        if let strings { attributes.append(ONNX.attribute("cats_strings", strings: strings)) }
        if let ints { attributes.append(ONNX.attribute("cats_int64s", ints: ints)) }
        return ONNX.node(
            "OneHotEncoder", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
            attributes: attributes)
    }

    private func cast(_ input: Tensor, from: Int64, to: Int64) throws -> Tensor? {
        try run(
            ONNX.node(
                "Cast", inputs: ["X"], outputs: ["Y"], attributes: [ONNX.attribute("to", int: to)]),
            inputs: [ONNX.value("X", from, [nil])], outputs: [ONNX.value("Y", to, [nil])],
            feeds: ["X": input])["Y"]
    }

    @Test("OneHotEncoder puts a 1 at the category and all zeros for an unseen one")
    func oneHotEncoder() throws {
        let outputs = try run(
            encoder(), inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 3])],
            feeds: ["X": Tensor(shape: [3, 1], storage: .string(["b", "z", "A"]))])
        #expect(
            outputs["Y"] == Tensor(shape: [3, 1, 3], storage: .float([0, 1, 0, 0, 0, 0, 0, 0, 0])))
    }

    @Test("OneHotEncoder with zeros = 0 fails on an unseen category")
    func oneHotEncoderStrict() {
        #expect {
            _ = try run(
                encoder(zeros: 0), inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
                outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 3])],
                feeds: ["X": Tensor(shape: [1, 1], storage: .string(["z"]))])
        } throws: { error in
            (error as? ModelError)?.kind == .invalidInput
                && "\(error)".contains("found 'z' at element 0")
        }
    }

    @Test("OneHotEncoder truncates numbers toward zero before looking up integer categories")
    func oneHotEncoderNumbers() throws {
        // 2.7 → 2 and -4.9 → -4, like C++'s static_cast<int64_t>.
        let outputs = try run(
            encoder(strings: nil, ints: [3, 2, -4]),
            inputs: [ONNX.value("X", ONNX.float, [nil, 2])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 2, 3])],
            feeds: ["X": Tensor(shape: [1, 2], storage: .float([2.7, -4.9]))])
        #expect(outputs["Y"] == Tensor(shape: [1, 2, 3], storage: .float([0, 1, 0, 0, 0, 1])))
    }

    @Test("OneHotEncoder maps a repeated category to its last position and compares bytes")
    func oneHotEncoderDuplicatesAndBytes() throws {
        // "é" precomposed (U+00E9) and decomposed ("e" + U+0301) are canonically equal in
        // Swift but different bytes, and onnxruntime matches bytes.
        let outputs = try run(
            encoder(strings: ["a", "b", "a", "\u{E9}"]),
            inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 4])],
            feeds: ["X": Tensor(shape: [3, 1], storage: .string(["a", "e\u{301}", "\u{E9}"]))])
        #expect(
            outputs["Y"]
                == Tensor(
                    shape: [3, 1, 4], storage: .float([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1])))
    }

    @Test("Concat joins along a negative axis")
    func concatNegativeAxis() throws {
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

    @Test("Concat interleaves blocks when the axis is not the first")
    func concatMiddleAxis() throws {
        let node = ONNX.node(
            "Concat", inputs: ["A", "B"], outputs: ["Y"],
            attributes: [ONNX.attribute("axis", int: 1)])
        // [2, 1, 2] ⧺ [2, 2, 2] on axis 1: per batch row, A's block then B's.
        let outputs = try run(
            node,
            inputs: [
                ONNX.value("A", ONNX.string, [nil, 1, 2]),
                ONNX.value("B", ONNX.string, [nil, 2, 2]),
            ],
            outputs: [ONNX.value("Y", ONNX.string, [nil, 3, 2])],
            feeds: [
                "A": Tensor(shape: [2, 1, 2], storage: .string(["a", "b", "c", "d"])),
                "B": Tensor(
                    shape: [2, 2, 2], storage: .string(["1", "2", "3", "4", "5", "6", "7", "8"])),
            ])
        #expect(
            outputs["Y"]
                == Tensor(
                    shape: [2, 3, 2],
                    storage: .string(["a", "b", "1", "2", "3", "4", "c", "d", "5", "6", "7", "8"])))
    }

    @Test("Reshape copies a 0 dimension and infers a -1 one")
    func reshape() throws {
        let outputs = try run(
            ONNX.node("Reshape", inputs: ["X", "shape"], outputs: ["Y"]),
            inputs: [ONNX.value("X", ONNX.float, [nil, 2, 3])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 6])],
            initializers: [ONNX.tensor("shape", dims: [2], int64s: [0, -1])],
            feeds: ["X": Tensor(shape: [1, 2, 3], storage: .float([1, 2, 3, 4, 5, 6]))])
        #expect(outputs["Y"] == Tensor(shape: [1, 6], storage: .float([1, 2, 3, 4, 5, 6])))
    }

    @Test("Reshape infers the batch from -1")
    func reshapeBatch() throws {
        let outputs = try run(
            ONNX.node("Reshape", inputs: ["X", "shape"], outputs: ["Y"]),
            inputs: [ONNX.value("X", ONNX.float, [nil, 1, 2])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 2])],
            initializers: [ONNX.tensor("shape", dims: [2], int64s: [-1, 2])],
            feeds: ["X": Tensor(shape: [3, 1, 2], storage: .float([1, 2, 3, 4, 5, 6]))])
        #expect(outputs["Y"] == Tensor(shape: [3, 2], storage: .float([1, 2, 3, 4, 5, 6])))
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

    @Test("Cast truncates floats into int64, with INT64_MIN for NaN and out of range")
    func castFloatToInt64() throws {
        let result = try cast(
            Tensor(shape: [5], storage: .float([1.9, -1.9, 0, .nan, 1e20])), from: ONNX.float,
            to: ONNX.int64)
        #expect(result == Tensor(shape: [5], storage: .int64([1, -1, 0, .min, .min])))
    }

    @Test("Cast prints numbers like printf's %.8g and booleans as 1 and 0")
    func castToString() throws {
        let floats = try cast(
            Tensor(shape: [6], storage: .float([0.1, 1, 1e10, 1.2345678e-7, .nan, -.infinity])),
            from: ONNX.float, to: ONNX.string)
        #expect(
            floats
                == Tensor(
                    shape: [6],
                    storage: .string(["0.1", "1", "1e+10", "1.2345679e-07", "NaN", "-INF"])))
        let ints = try cast(
            Tensor(shape: [2], storage: .int64([42, -7])), from: ONNX.int64, to: ONNX.string)
        #expect(ints == Tensor(shape: [2], storage: .string(["42", "-7"])))
        let flags = try cast(
            Tensor(shape: [2], storage: .bool([true, false])), from: ONNX.bool, to: ONNX.string)
        #expect(flags == Tensor(shape: [2], storage: .string(["1", "0"])))
    }

    @Test("Cast parses strings like std::stod and std::stoll, reading the longest prefix")
    func castFromString() throws {
        let floats = try cast(
            Tensor(shape: [5], storage: .string([" 2", "1.5abc", "0x10", "-INF", "1e40"])),
            from: ONNX.string, to: ONNX.float)
        #expect(floats == Tensor(shape: [5], storage: .float([2, 1.5, 16, -.infinity, .infinity])))
        let ints = try cast(
            Tensor(shape: [3], storage: .string(["12", "+5", "1.5"])), from: ONNX.string,
            to: ONNX.int64)
        #expect(ints == Tensor(shape: [3], storage: .int64([12, 5, 1])))
    }

    @Test("Cast fails the run on a string that is not a number")
    func castBadString() {
        #expect {
            _ = try cast(
                Tensor(shape: [1], storage: .string(["abc"])), from: ONNX.string, to: ONNX.double)
        } throws: { error in
            (error as? ModelError)?.kind == .invalidInput && "\(error)".contains("found 'abc'")
        }
    }

    @Test("Cast tests numbers for non-zero when making booleans")
    func castToBool() throws {
        let result = try cast(
            Tensor(shape: [3], storage: .float([0, -0.0, .nan])), from: ONNX.float, to: ONNX.bool)
        #expect(result == Tensor(shape: [3], storage: .bool([false, false, true])))
    }
}
