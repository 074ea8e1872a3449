import Foundation
import Testing

@testable import PredictService

/// Classifiers without `predict_proba` (LinearSVC, SVC without probabilities) export decision
/// scores: one column for two classes, else one per class. The service serves them as
/// `scores`, never as probabilities.
@Suite("Decision-score classifiers")
struct DecisionScoreTests {
    static let fixtures = TestModels.fixtures

    @Test("A bare LinearSVC file predicts its label and decision score, not probabilities")
    func linearSVCServesTheDecisionScore() throws {
        let bundle = try ModelBundle.load(
            path: Self.fixtures.appending(path: "linear_svc_binary.onnx").path)
        #expect(bundle.output == .decisionScore)
        #expect(bundle.document["output"] == .string("decision_score"))

        // Case row0 of linear_svc_binary.json: label 1, score 9.520395.
        let row = "[0.61044246,-2.0417545,-3.0623815,3.1344073,-0.50002885,-3.3086486]"
        let body = TestModels.post("{\"input\": \(row)}", to: bundle)
        #expect(body["label"] == .string("1"))
        #expect(body["probabilities"] == nil)
        guard case .number(let score)? = body["scores"]?["1"] else {
            Issue.record("no scores.1 in \(body)")
            return
        }
        #expect(abs(score - 9.520395) <= 1e-5)

        let batch = TestModels.post("{\"instances\": [{\"input\": \(row)}]}", to: bundle)
        guard case .array(let predictions)? = batch["predictions"] else {
            Issue.record("no predictions in \(batch)")
            return
        }
        #expect(predictions.first?["scores"]?["1"] != nil)
        #expect(predictions.first?["probabilities"] == nil)
    }

    @Test("Golden cases of a bare LinearSVC file replay its decision score, and a wrong one fails")
    func goldenReplayComparesScores() throws {
        let bundle = try ModelBundle.load(
            path: Self.fixtures.appending(path: "linear_svc_binary.onnx").path)
        #expect(throws: LoadError.self) { try bundle.replayGolden() }

        // Case row0 of linear_svc_binary.json again, once right and once 0.01 off.
        let row = "[0.61044246,-2.0417545,-3.0623815,3.1344073,-0.50002885,-3.3086486]"
        func golden(_ score: String) -> String {
            // The instance maps the model's one input, named "input", to the row.
            "{\"id\": \"row0\", \"input\": {\"input\": \(row)}, "
                + "\"expected\": {\"label\": \"1\", \"scores\": {\"1\": \(score)}}}\n"
        }
        let file = FileManager.default.temporaryDirectory
            .appending(path: "decision-golden-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }

        try Data(golden("9.520395").utf8).write(to: file)
        let passing = try bundle.replayGolden(from: file.path)
        #expect(passing.passed)
        #expect(passing.total == 1)
        #expect(passing.maximumError <= 1e-5)

        try Data(golden("9.530395").utf8).write(to: file)
        let failing = try bundle.replayGolden(from: file.path)
        #expect(!failing.passed)
        #expect(failing.mismatches.first?.message.hasPrefix("score(1) = ") == true)
    }

    @Test(
        "A multiclass LinearSVC and an SVC without probabilities serve one score per class",
        arguments: [
            // Case row0 of each family's .json. LinearClassifier margins straight to the output.
            (
                "linear_svc_multiclass",
                "[-0.767579,-1.1624559,1.0243393,-1.8307043,0.16234496,0.7637949]", "2",
                [Float(-0.39673036), -2.187806, 0.7626117]
            ),
            // skl2onnx's one-vs-rest votes and confidences, recognised by the probe row.
            (
                "svc_rbf_no_probability", "[4.4,3.0,1.3,0.2]", "0",
                [2.2342641, 1.1048214, -0.24615003]
            ),
        ])
    func perClassDecisionScores(family: String, row: String, label: String, scores: [Float]) throws
    {
        let bundle = try ModelBundle.load(
            path: Self.fixtures.appending(path: "\(family).onnx").path)
        #expect(bundle.output == .decisionScore)
        #expect(bundle.scoredLabels == ["0", "1", "2"])
        let body = TestModels.post("{\"input\": \(row)}", to: bundle)
        #expect(body["label"] == .string(label))
        #expect(body["probabilities"] == nil)
        for (index, score) in scores.enumerated() {
            guard case .number(let served)? = body["scores"]?["\(index)"] else {
                Issue.record("no scores.\(index) in \(body)")
                continue
            }
            #expect(abs(served - Double(score)) <= 1e-5)
        }
    }

    @Test("Scores are probabilities only when each is in [0, 1] and they sum to 1")
    func distributionCheck() {
        #expect(ModelBundle.isDistribution([0.25, 0.75]))
        #expect(ModelBundle.isDistribution([1, 0, 0]))
        #expect(!ModelBundle.isDistribution([-0.5, 1.5]))
        #expect(!ModelBundle.isDistribution([0.5, 0.4]))
        #expect(!ModelBundle.isDistribution([2, 1, 0]))
        #expect(!ModelBundle.isDistribution([.nan, 1]))
    }

    @Test("A model with probabilities still answers with probabilities")
    func probabilityModelKeepsProbabilities() throws {
        let bundle = TestModels.bankMarketing
        #expect(bundle.output == .probabilities)
        let body = TestModels.post(
            String(decoding: TestModels.exampleClient, as: UTF8.self), to: bundle)
        #expect(body["scores"] == nil)
        guard case .object(let probabilities)? = body["probabilities"] else {
            Issue.record("no probabilities in \(body)")
            return
        }
        #expect(probabilities.count == bundle.labels.count)
    }
}
