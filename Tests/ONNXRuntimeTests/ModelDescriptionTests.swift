import Foundation
import Testing

@testable import ONNXRuntime

@Suite("Model description")
struct ModelDescriptionTests {
    @Test("describes the model's inputs, outputs, opsets, producer and classes")
    func describesModel() throws {
        let model = try TreeSpec().load()
        #expect(
            model.inputs == [
                TensorInfo(name: "X", elementType: .float, shape: [.symbolic("N"), .fixed(1)])
            ])
        #expect(model.outputs.map(\.name) == ["label", "probabilities"])
        #expect(model.outputs.map(\.elementType) == [.int64, .float])
        #expect(model.opsets == ["": 17, "ai.onnx.ml": 3])
        #expect(model.producer == "tests 1")
        #expect(model.classLabels == .int64s([0, 1]))
    }

    @Test("finds the class labels through nodes after the classifier")
    func findsLabelsThroughIdentity() throws {
        var spec = TreeSpec()
        spec.labelsInt = nil
        spec.labelsString = ["no", "yes"]
        let bytes = ONNX.model(
            nodes: [
                ONNX.node(
                    "TreeEnsembleClassifier", domain: "ai.onnx.ml", name: "trees",
                    inputs: ["X"], outputs: ["label", "scores"], attributes: spec.attributes),
                ONNX.node("Identity", inputs: ["scores"], outputs: ["probabilities"]),
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [
                ONNX.value("probabilities", ONNX.float, [nil, 2]),
                ONNX.value("label", ONNX.string, [nil]),
            ])
        let model = try InferenceModel(onnx: bytes)
        #expect(model.classLabels == .strings(["no", "yes"]))
        #expect(model.outputs.map(\.name) == ["probabilities", "label"])
        let outputs = try model.run([Tensor(shape: [1, 1], storage: .float([0]))])
        #expect(outputs[1] == Tensor(shape: [1], storage: .string(["no"])))
    }

    @Test("has no class labels when no classifier reaches the outputs")
    func noLabelsWithoutClassifier() throws {
        let model = try InferenceModel(
            onnx: ONNX.model(
                nodes: [ONNX.node("Identity", inputs: ["X"], outputs: ["Y"])],
                inputs: [ONNX.value("X", ONNX.float, [nil])],
                outputs: [ONNX.value("Y", ONNX.float, [nil])]))
        #expect(model.classLabels == nil)
    }

    @Test("runs the same from many threads at once")
    func runsConcurrently() async throws {
        let model = try TreeSpec().load()
        let expected = try model.run(["X": Tensor(shape: [2, 1], storage: .float([0, 1]))])
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<200 {
                        let outputs = try model.run([
                            "X": Tensor(shape: [2, 1], storage: .float([0, 1]))
                        ])
                        if outputs != expected { return false }
                    }
                    return true
                }
            }
            for try await same in group { #expect(same) }
        }
    }

    @Test("tells which outputs carry a classifier's decision scores rather than probabilities")
    func scoreKinds() throws {
        func kinds(_ family: String) throws -> [String: ScoreKind] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appending(path: "Fixtures/\(family).onnx")
            return try InferenceModel(onnx: [UInt8](Data(contentsOf: url))).scoreKinds
        }
        // LinearClassifier without a post transform, straight to the output: margins.
        #expect(try kinds("linear_svc_multiclass") == ["probabilities": .margins])
        #expect(try kinds("logreg_binary") == ["probabilities": .probabilities])
        // Through ZipMap the scores stay what they were.
        #expect(try kinds("logreg_binary_zipmap") == ["output_probability": .probabilities])
        // Computed further (a Normalizer, a calibration, skl2onnx's one-vs-rest votes): not
        // known.
        #expect(try kinds("logreg_multinomial").isEmpty)
        #expect(try kinds("calibrated_linear_svc_multiclass").isEmpty)
        #expect(try kinds("svc_rbf_no_probability").isEmpty)

        let svm = OneNodeGraph.bytes(
            ONNX.node(
                "SVMClassifier", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["L", "P"],
                attributes: [
                    ONNX.attribute("kernel_type", string: "LINEAR"),
                    ONNX.attribute("vectors_per_class", ints: [1, 1]),
                    ONNX.attribute("support_vectors", floats: [1, -1]),
                    ONNX.attribute("coefficients", floats: [1, -1]),
                    ONNX.attribute("rho", floats: [0]),
                    ONNX.attribute("classlabels_ints", ints: [0, 1]),
                ]),
            feeds: [("X", floats([1, 1], [2]))], outputs: ["L", "P"])
        #expect(try InferenceModel(onnx: svm).scoreKinds == ["P": .pairwiseMargins])
    }
}
