import Foundation
import Logging
import Testing

@testable import PredictService

/// A refused request, named by what is wrong with it.
struct Refusal: CustomTestStringConvertible, Sendable {
    let name: String
    let document: JSONValue

    init(_ name: String, _ document: JSONValue) {
        self.name = name
        self.document = document
    }

    var testDescription: String { name }
}

@Suite("Open Inference Protocol v2")
struct OpenInferenceTests {
    let service = PredictionService(
        bundle: TestModels.bankMarketing,
        limits: ServiceLimits(maximumBodyBytes: 1 << 16, maximumBatchSize: 4),
        logger: Logger(label: "test"))

    /// The example client as protocol inputs, each feature a [rows] tensor of `rows` copies.
    static func inputs(rows: Int = 1, changes: [String: JSONValue] = [:]) -> [JSONValue] {
        guard case .object(let members) = JSONValue.client() else { return [] }
        return members.map { member in
            let value = changes[member.key] ?? member.value
            let datatype: String = if case .string = value { "BYTES" } else { "FP64" }
            return .object([
                .init("name", .string(member.key)), .init("shape", .array([.number(Double(rows))])),
                .init("datatype", .string(datatype)),
                .init("data", .array(Array(repeating: value, count: rows))),
            ])
        }
    }

    func infer(
        _ document: JSONValue, path: String = "/v2/models/bank-marketing/infer",
        contentType: String? = nil
    ) -> (Int, JSONValue) {
        let body = document.bytes
        let response = service.handle(
            RequestHead(
                method: "POST", path: path, contentType: contentType, contentLength: body.count)
        ) { _ in body }
        return (response.status, try! JSONParser.parse(response.body))
    }

    func get(_ path: String) -> (Int, JSONValue) {
        let response = service.handle(RequestHead(method: "GET", path: path)) { _ in [] }
        return (response.status, try! JSONParser.parse(response.body))
    }

    @Test("server and model metadata, live and ready")
    func metadata() {
        #expect(get("/v2").1["name"] == .string("predict-fcgi"))
        #expect(get("/v2/health/live").1 == .object([.init("live", .bool(true))]))
        #expect(get("/v2/health/ready").1 == .object([.init("ready", .bool(true))]))
        let (status, model) = get("/v2/models/bank-marketing")
        #expect(status == 200)
        #expect(model["versions"] == .array([.string(TestModels.bankMarketing.version)]))
        guard case .array(let inputs)? = model["inputs"] else { Issue.record("no inputs"); return }
        #expect(inputs.count == TestModels.bankMarketing.features.count)
        #expect(inputs.first { $0["name"] == .string("job") }?["datatype"] == .string("BYTES"))
        #expect(
            get("/v2/models/bank-marketing/versions/\(TestModels.bankMarketing.version)/ready").0
                == 200)
        let (missing, error) = get("/v2/models/bank-marketing/versions/9.9.9")
        #expect(missing == 404)
        if case .string(let message)? = error["error"] {
            #expect(message.contains("9.9.9"))
        } else {
            Issue.record("the error is not the protocol's {\"error\": string}: \(error)")
        }
    }

    @Test("a batched infer answers each row as POST /predict does")
    func inferMatchesPredict() throws {
        let rows = [
            JSONValue.client(), .client(["age": .number(70), "poutcome": .string("success")]),
        ]
        let inputs: [JSONValue] = Self.inputs(rows: 1).enumerated().map { _, input in
            guard case .string(let name)? = input["name"],
                case .string(let datatype)? = input["datatype"]
            else {
                return input
            }
            return .object([
                .init("name", .string(name)), .init("shape", .array([.number(2), .number(1)])),
                .init("datatype", .string(datatype)),
                .init("data", .array(rows.map { $0[name]! })),
            ])
        }
        let (status, answer) = infer(
            .object([.init("id", .string("req-7")), .init("inputs", .array(inputs))]))
        #expect(status == 200)
        #expect(answer["id"] == .string("req-7"))
        #expect(answer["model_name"] == .string("bank-marketing"))
        guard case .array(let outputs)? = answer["outputs"], outputs.count == 2 else {
            Issue.record("unexpected \(answer)"); return
        }
        #expect(outputs[1]["shape"] == .array([.number(2), .number(2)]))
        for (row, client) in rows.enumerated() {
            let body = client.bytes
            let single = try JSONParser.parse(
                service.handle(
                    RequestHead(
                        method: "POST", path: "/predict", contentType: "application/json",
                        contentLength: body.count)
                ) { _ in body }.body)
            guard case .array(let labels)? = outputs[0]["data"],
                case .array(let scores)? = outputs[1]["data"]
            else {
                Issue.record("no data"); return
            }
            #expect(labels[row] == single["label"])
            #expect(scores[2 * row] == single["probabilities"]?["no"])
            #expect(scores[2 * row + 1] == single["probabilities"]?["yes"])
        }
    }

    @Test(
        "KServe's client repeats the model's name and version in the body: accepted when they agree"
    )
    func modelInBody() {
        let (status, _) = infer(
            .object([
                .init("model_name", .string("bank-marketing")),
                .init("model_version", .string(TestModels.bankMarketing.version)),
                .init("inputs", .array(Self.inputs())),
            ]))
        #expect(status == 200)
    }

    @Test("outputs asked for by name, in that order")
    func requestedOutputs() {
        let (status, answer) = infer(
            .object([
                .init("inputs", .array(Self.inputs())),
                .init("outputs", .array([.object([.init("name", .string("probabilities"))])])),
            ]))
        #expect(status == 200)
        guard case .array(let outputs)? = answer["outputs"] else {
            Issue.record("\(answer)"); return
        }
        #expect(outputs.map { $0["name"] } == [.string("probabilities")])
    }

    @Test(
        "every malformed request is a 400 with the protocol's error object",
        arguments: [
            Refusal("not an object", JSONValue.array([])),
            Refusal("no inputs", .object([])),
            Refusal(
                "wrong datatype for a category",
                .object([
                    .init(
                        "inputs",
                        .array(
                            inputs(changes: [:]).map { input in
                                input["name"] == .string("job")
                                    ? .object([
                                        .init("name", .string("job")),
                                        .init("shape", .array([.number(1)])),
                                        .init("datatype", .string("FP32")),
                                        .init("data", .array([.number(1)])),
                                    ])
                                    : input
                            }))
                ])),
            Refusal(
                "shape and data disagree",
                .object([
                    .init(
                        "inputs",
                        .array(
                            inputs().map { input in
                                input["name"] == .string("age")
                                    ? .object([
                                        .init("name", .string("age")),
                                        .init("shape", .array([.number(2)])),
                                        .init("datatype", .string("FP32")),
                                        .init("data", .array([.number(30)])),
                                    ])
                                    : input
                            }))
                ])),
            Refusal(
                "unknown input",
                .object([
                    .init(
                        "inputs",
                        .array(
                            inputs() + [
                                .object([
                                    .init("name", .string("agee")),
                                    .init("shape", .array([.number(1)])),
                                    .init("datatype", .string("FP32")),
                                    .init("data", .array([.number(1)])),
                                ])
                            ]))
                ])),
            Refusal(
                "unknown output",
                .object([
                    .init("inputs", .array(inputs())),
                    .init("outputs", .array([.object([.init("name", .string("logits"))])])),
                ])),
            Refusal(
                "binary data asked for",
                .object([
                    .init("inputs", .array(inputs())),
                    .init(
                        "outputs",
                        .array([
                            .object([
                                .init("name", .string("label")),
                                .init("parameters", .object([.init("binary_data", .bool(true))])),
                            ])
                        ])),
                ])),
            Refusal(
                "a wrong value",
                .object([.init("inputs", .array(inputs(changes: ["age": .string("old")])))])),
            Refusal(
                "the model of another path",
                .object([.init("model_name", .string("other")), .init("inputs", .array(inputs()))])),
        ])
    func refusals(_ refusal: Refusal) {
        let (name, document) = (refusal.name, refusal.document)
        let (status, answer) = infer(document)
        #expect(status == 400, "\(name)")
        guard case .object(let members) = answer, members.count == 1,
            case .string(let message)? = answer["error"]
        else {
            Issue.record("\(name): not {\"error\": string}: \(answer)"); return
        }
        #expect(!message.isEmpty)
    }

    @Test("rows beyond the batch limit are a 413; an unknown model a 404; a GET a 405")
    func limits() {
        #expect(infer(.object([.init("inputs", .array(Self.inputs(rows: 5)))])).0 == 413)
        #expect(
            infer(.object([.init("inputs", .array(Self.inputs()))]), path: "/v2/models/nope/infer")
                .0 == 404)
        #expect(get("/v2/models/bank-marketing/infer").0 == 405)
        #expect(
            infer(
                .object([.init("inputs", .array(Self.inputs()))]),
                contentType: "application/octet-stream"
            ).0 == 415)
    }
}
