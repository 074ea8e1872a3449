import Foundation
import Testing

@testable import ONNXRuntime
@testable import PredictService

/// CatBoost exports a binary classifier as a tree ensemble weighted on both class columns,
/// for which onnxruntime's label output is the class's position (0 or 1), not its label. The
/// service answers the class at that position, on the row path and the batch path alike.
@Suite("Labels that are positions")
struct PositionalLabelTests {
    static let fixtures = TestModels.fixtures

    private func model(_ family: String) throws -> InferenceModel {
        let path = Self.fixtures.appending(path: "\(family).onnx")
        return try InferenceModel(onnx: Array(try Data(contentsOf: path)))
    }

    @Test("Only CatBoost's two-column binary export with int64 labels is positional")
    func runtimeTellsPositionsFromLabels() throws {
        #expect(try model("catboost_binary").positionalLabelOutputs == ["label"])
        for family in ["catboost_multiclass", "catboost_strings", "lgbm_binary", "logreg_binary"] {
            #expect(try model(family).positionalLabelOutputs.isEmpty, "\(family)")
        }
    }

    @Test("A CatBoost binary model labelled 3 and 10 answers 3 or 10, never 0 or 1")
    func catBoostBinaryAnswersItsClasses() throws {
        let bundle = try ModelBundle.load(
            path: Self.fixtures.appending(path: "catboost_binary.onnx").path)
        #expect(bundle.labels == ["3", "10"])
        // Cases row0 and row1 of catboost_binary.json: onnxruntime's labels 1 and 0.
        let rows = [
            ("[12.4,17.68,81.47,467.8,0.1054,0.1316,0.07741,0.02799,0.1811,0.07102]", "10"),
            ("[20.92,25.09,143.0,1347.0,0.1099,0.2236,0.3174,0.1474,0.2149,0.06879]", "3"),
        ]
        for (row, label) in rows {
            let single = TestModels.post("{\"features\": \(row)}", to: bundle)
            #expect(single["label"] == .string(label), "\(single)")
            #expect(single["probabilities"]?["10"] != nil, "\(single)")
            let batch = TestModels.post("{\"instances\": [{\"features\": \(row)}]}", to: bundle)
            guard case .array(let predictions)? = batch["predictions"] else {
                Issue.record("no predictions in \(batch)")
                continue
            }
            #expect(predictions.first?["label"] == .string(label), "\(batch)")
        }
    }
}
