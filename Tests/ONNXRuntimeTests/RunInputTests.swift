import Testing

@testable import ONNXRuntime

@Suite("Run-time input checks")
struct RunInputTests {
    let model = try! TreeSpec().load()

    private func expectInvalid(
        _ feeds: [String: Tensor], mentioning fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            _ = try model.run(feeds)
        } throws: { error in
            (error as? ModelError)?.kind == .invalidInput
                && (error as? ModelError)?.message.contains(fragment) == true
        }
    }

    @Test("describes the model's inputs, outputs, opsets and classes")
    func describesModel() {
        #expect(
            model.inputs == [
                TensorInfo(name: "X", elementType: .float, shape: [.symbolic("N"), .fixed(1)])
            ])
        #expect(model.outputs.map(\.name) == ["label", "probabilities"])
        #expect(model.opsets == ["": 17, "ai.onnx.ml": 3])
        #expect(model.classLabels == .int64s([0, 1]))
        #expect(model.producer == "tests 1")
    }

    @Test("refuses a missing feed")
    func refusesMissingFeed() {
        expectInvalid([:], mentioning: "'X' is missing")
    }

    @Test("refuses a feed of the wrong element type")
    func refusesWrongType() {
        expectInvalid(
            ["X": Tensor(shape: [1, 1], storage: .double([1]))], mentioning: "must be float")
    }

    @Test("refuses a feed of the wrong shape")
    func refusesWrongShape() {
        expectInvalid(["X": Tensor(shape: [1, 2], storage: .float([1, 2]))], mentioning: "shape")
        expectInvalid(["X": Tensor(shape: [2], storage: .float([1, 2]))], mentioning: "rank")
    }
}
