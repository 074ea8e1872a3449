import Testing

@testable import ONNXRuntime

@Suite("Run-time input checks")
struct RunInputTests {
    let model = try! TreeSpec().load()

    private func expectInvalid(
        _ feeds: [String: Tensor], mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectInvalid(mentioning: fragments, sourceLocation: sourceLocation) {
            () throws(ModelError) in _ = try model.run(feeds)
        }
    }

    private func expectInvalid(
        mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws(ModelError) -> Void
    ) {
        do {
            try body()
            Issue.record("expected an invalidInput error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .invalidInput, "\(error)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(
                    error.message.contains(fragment), "'\(fragment)' not in: \(error)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test("refuses a missing feed")
    func refusesMissingFeed() {
        expectInvalid([:], mentioning: ["expected a feed for input 'X', found none"])
    }

    @Test("refuses a feed for an input the model does not have")
    func refusesUnknownFeed() {
        expectInvalid(
            [
                "X": Tensor(shape: [1, 1], storage: .float([1])),
                "Z": Tensor(shape: [1, 1], storage: .float([1])),
            ],
            mentioning: ["expected feeds named 'X', found 'Z'"])
    }

    @Test("refuses a feed of the wrong element type")
    func refusesWrongType() {
        expectInvalid(
            ["X": Tensor(shape: [1, 1], storage: .double([1]))],
            mentioning: ["input 'X' of float, found double"])
    }

    @Test("refuses a feed whose fixed dimension differs from the declared one")
    func refusesWrongShape() {
        expectInvalid(
            ["X": Tensor(shape: [1, 2], storage: .float([1, 2]))],
            mentioning: ["input 'X' of shape [N, 1], found [1, 2]"])
    }

    @Test("refuses a feed of the wrong rank")
    func refusesWrongRank() {
        expectInvalid(
            ["X": Tensor(shape: [2], storage: .float([1, 2]))],
            mentioning: ["input 'X' of shape [N, 1], found [2]"])
    }

    @Test("refuses feeds whose batch sizes differ")
    func refusesBatchMismatch() throws {
        let model = try InferenceModel(
            onnx: ONNX.model(
                nodes: [
                    ONNX.node(
                        "Concat", inputs: ["A", "B"], outputs: ["Y"],
                        attributes: [ONNX.attribute("axis", int: 1)])
                ],
                inputs: [
                    ONNX.value("A", ONNX.float, [nil, 1]), ONNX.value("B", ONNX.float, [nil, 1]),
                ],
                outputs: [ONNX.value("Y", ONNX.float, [nil, 2])]))
        expectInvalid(mentioning: ["2 rows like 'A', found 3 in 'B'"]) { () throws(ModelError) in
            _ = try model.run([
                "A": Tensor(shape: [2, 1], storage: .float([1, 2])),
                "B": Tensor(shape: [3, 1], storage: .float([1, 2, 3])),
            ])
        }
    }

    @Test("refuses positional feeds of the wrong count")
    func refusesPositionalCount() {
        expectInvalid(mentioning: ["expected 1 feeds in input order, found 0"]) {
            () throws(ModelError) in _ = try model.run([Tensor]())
        }
    }

    @Test("refuses rows narrower than the features the trees read")
    func refusesNarrowRows() throws {
        var spec = TreeSpec()
        spec.featureIDs = [3, 0, 0]
        spec.width = 4
        let model = try InferenceModel(
            onnx: ONNX.model(
                nodes: [
                    ONNX.node(
                        "TreeEnsembleClassifier", domain: "ai.onnx.ml", name: "trees",
                        inputs: ["X"], outputs: ["label", "probabilities"],
                        attributes: spec.attributes)
                ],
                inputs: [ONNX.value("X", ONNX.float, nil)],
                outputs: [
                    ONNX.value("label", ONNX.int64, [nil]),
                    ONNX.value("probabilities", ONNX.float, [nil, 2]),
                ]))
        expectInvalid(mentioning: ["trees read feature 3", "has 2 per row"]) {
            () throws(ModelError) in
            _ = try model.run(["X": Tensor(shape: [1, 2], storage: .float([0, 0]))])
        }
        expectInvalid(mentioning: ["rank 1 or 2", "[1, 1, 4]"]) { () throws(ModelError) in
            _ = try model.run(["X": Tensor(shape: [1, 1, 4], storage: .float([0, 0, 0, 0]))])
        }
    }
}
