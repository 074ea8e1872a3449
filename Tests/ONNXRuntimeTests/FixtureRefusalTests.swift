import Foundation
import Testing

@testable import ONNXRuntime

/// The generator's models that must fail at load (Fixtures/refusals/, described in the
/// fixtures README): each is refused with the kind and a message naming the problem.
@Suite("Refusals of the fixture models")
struct FixtureRefusalTests {
    struct Expectation: Sendable, CustomStringConvertible {
        let file: String
        let kind: ModelError.Kind
        let fragments: [String]

        var description: String { file }
    }

    static let expectations: [Expectation] = [
        .init(
            file: "unsupported_op_erf", kind: .unsupportedOperators,
            fragments: ["found unsupported operators :Erf"]),
        .init(
            file: "unsupported_op_feature_vectorizer", kind: .unsupportedOperators,
            fragments: ["found unsupported operators ai.onnx.ml:FeatureVectorizer"]),
        .init(
            file: "tree_featureids_short", kind: .invalidAttribute,
            fragments: ["'nodes_featureids'", "has 8 values but nodes_nodeids has 9"]),
        .init(
            file: "tree_child_out_of_range", kind: .invalidAttribute,
            fragments: ["'nodes_truenodeids'", "points to node 999"]),
        .init(
            file: "tree_class_id_out_of_range", kind: .invalidAttribute,
            fragments: ["'class_ids'", "expected a class from 0 to 2, found 7"]),
        .init(
            file: "type_mismatch_add", kind: .unsupportedType,
            fragments: ["(ai.onnx:Add)", "of float like input 0, found double"]),
        .init(
            file: "type_mismatch_scaler_string", kind: .unsupportedType,
            fragments: ["(ai.onnx.ml:Scaler)", "found string"]),
        .init(
            file: "undefined_input", kind: .invalidGraph,
            fragments: ["reads 'hidden'", "found none"]),
    ]

    @Test("refuses the model at load, naming the problem", arguments: expectations)
    func refuses(_ expectation: Expectation) throws {
        let path = ParityFixture.directory.appendingPathComponent("refusals")
            .appendingPathComponent(expectation.file + ".onnx")
        guard let data = FileManager.default.contents(atPath: path.path) else {
            Issue.record("cannot read \(path.path)")
            return
        }
        do {
            _ = try InferenceModel(onnx: Array(data))
            Issue.record("\(expectation.file): expected a \(expectation.kind) refusal, it loaded")
        } catch {
            #expect(error.kind == expectation.kind, "\(expectation.file): \(error)")
            for fragment in expectation.fragments {
                #expect(
                    error.message.contains(fragment),
                    "\(expectation.file): '\(fragment)' not in: \(error)")
            }
        }
    }
}
