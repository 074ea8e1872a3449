import Foundation
import Logging
import ONNXRuntime
import Testing

@testable import PredictService

/// An input the service accepts can still be one the graph refuses when it runs (the
/// runtime's `invalidInput`): a batch larger than a graph exported with a fixed batch size.
/// That is the request's doing, answered as a 400, not a failure of the server.
@Suite("Inputs the model refuses at run time")
struct RuntimeRefusalTests {
    static let bundle: ModelBundle = {
        let directory = FileManager.default.temporaryDirectory
            .appending(path: "predict-fcgi-tests-\(UUID().uuidString)")
        let path = directory.appending(path: "fixed-batch.onnx")
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Data(HandmadeONNX.fixedBatchClassifier()).write(to: path)
            return try ModelBundle.load(path: path.path)
        } catch {
            fatalError("the fixed-batch model does not load: \(error)")
        }
    }()

    private func post(_ body: String, path: String) -> (Int, JSONValue) {
        let service = PredictionService(bundle: Self.bundle, logger: Logger(label: "test"))
        let bytes = Array(body.utf8)
        let head = RequestHead(
            method: "POST", path: path, contentType: "application/json",
            contentLength: bytes.count)
        let response = service.handle(head) { _ in bytes }
        return (response.status, try! JSONParser.parse(response.body))
    }

    @Test("a fixed-batch model answers one instance")
    func answersOneInstance() {
        let (status, body) = post(#"{"input": [1, 0]}"#, path: "/predict")
        #expect(status == 200)
        #expect(body["label"] == .string("0"))
    }

    @Test("a batch the graph refuses is a 400 invalid_input that quotes the runtime")
    func refusedBatchIsBadRequest() {
        let (status, body) = post(
            #"{"instances": [{"input": [1, 0]}, {"input": [0, 1]}]}"#, path: "/predict")
        #expect(status == 400)
        #expect(body["error"]?["code"] == .string("invalid_input"))
        #expect(body["error"]?["field"] == .null)
        guard case .string(let message)? = body["error"]?["message"] else {
            Issue.record("no message in \(body)")
            return
        }
        #expect(message.contains("expected input 'input' of shape [1, 2], found [2, 2]"))
    }

    @Test("the Open Inference Protocol answers the same refusal as a 400")
    func refusedInferenceIsBadRequest() {
        let (status, body) = post(
            #"{"inputs": [{"name": "input", "shape": [2, 2], "datatype": "FP32", "#
                + #""data": [1, 0, 0, 1]}]}"#,
            path: "/v2/models/fixed-batch/infer")
        #expect(status == 400)
        guard case .string(let message)? = body["error"] else {
            Issue.record("no error in \(body)")
            return
        }
        #expect(message.contains("found [2, 2]"))
    }

    @Test("the runtime's other kinds of error stay the server's: 500 internal_error")
    func otherRuntimeErrorsStayInternal() {
        let refusal: ModelError
        do {
            _ = try InferenceModel(onnx: [0xFF])
            Issue.record("one byte loaded as a model")
            return
        } catch {
            refusal = error
        }
        #expect(refusal.kind == .malformedProtobuf)
        let error = ServiceError.evaluation(refusal)
        #expect(error.code == .internalError)
        #expect(error.status == .internalServerError)
        #expect(error.message.hasPrefix("the model could not evaluate the input: "))
    }
}
