import Foundation
import Logging
import Testing

@testable import PredictService

@Suite("Request handling, in process")
struct PredictionServiceTests {
    let service = PredictionService(
        bundle: TestModels.bankMarketing,
        limits: ServiceLimits(maximumBodyBytes: 8192, maximumBatchSize: 4),
        logger: Logger(label: "test"))

    private func post(
        _ body: [UInt8], path: String = "/predict", contentType: String? = "application/json",
        contentLength: Int? = -1
    ) -> (Response, JSONValue) {
        let head = RequestHead(
            method: "POST", path: path, contentType: contentType,
            contentLength: contentLength == -1 ? body.count : contentLength)
        let response = service.handle(head) { _ in body }
        return (response, try! JSONParser.parse(response.body))
    }

    private func post(_ value: JSONValue) -> (Response, JSONValue) {
        post(value.bytes)
    }

    private func expectError(
        _ result: (Response, JSONValue), status: Int, code: String, field: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (response, body) = result
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(
            response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect(body["error"]?["code"] == .string(code), sourceLocation: sourceLocation)
        #expect(
            body["error"]?["field"] == (field.map { .string($0) } ?? .null),
            sourceLocation: sourceLocation)
        if case .string(let message)? = body["error"]?["message"] {
            #expect(!message.isEmpty, sourceLocation: sourceLocation)
        } else {
            Issue.record("the error has no message", sourceLocation: sourceLocation)
        }
    }

    @Test("predicts one client with a known label, probabilities over both classes, and the model")
    func predictsOne() throws {
        let (response, body) = post(TestModels.exampleClient)
        #expect(response.status == 200)
        guard case .string(let label)? = body["label"],
            case .number(let no)? = body["probabilities"]?["no"],
            case .number(let yes)? = body["probabilities"]?["yes"]
        else { Issue.record("unexpected body \(body)"); return }
        #expect(["no", "yes"].contains(label))
        #expect(abs(no + yes - 1) < 1e-5)
        #expect(label == (yes > 0.5 ? "yes" : "no"))
        #expect(body["model"]?["name"] == .string("bank-marketing"))
        #expect(body["model"]?["version"] == .string(TestModels.bankMarketing.version))
        #expect(body["warnings"] == .array([]))
    }

    @Test("answers a batch in order, each row as it would be answered alone")
    func predictsBatch() throws {
        let rows: [JSONValue] = [
            .client(), .client(["age": .number(70), "poutcome": .string("success")]),
            .client(["balance": .number(-500)]),
        ]
        let (response, body) = post(.object([JSONMember("instances", .array(rows))]))
        #expect(response.status == 200)
        guard case .array(let predictions)? = body["predictions"] else {
            Issue.record("no predictions in \(body)"); return
        }
        #expect(predictions.count == rows.count)
        for (row, prediction) in zip(rows, predictions) {
            let (_, single) = post(row)
            #expect(prediction["label"] == single["label"])
            #expect(prediction["probabilities"] == single["probabilities"])
        }
        #expect(body["model"]?["name"] == .string("bank-marketing"))
    }

    @Test("accepts a category the model never saw and reports it as a warning")
    func warnsOnUnseenCategory() throws {
        let (response, body) = post(.client(["job": .string("astronaut")]))
        #expect(response.status == 200)
        guard case .array(let warnings)? = body["warnings"], let first = warnings.first else {
            Issue.record("no warnings in \(body)"); return
        }
        #expect(first["code"] == .string("unseen_category"))
        #expect(first["field"] == .string("job"))
    }

    @Test("warns about numbers outside the training range")
    func warnsOutOfRange() throws {
        let (response, body) = post(.client(["age": .number(130)]))
        #expect(response.status == 200)
        guard case .array(let warnings)? = body["warnings"] else { Issue.record("\(body)"); return }
        #expect(
            warnings.contains {
                $0["code"] == .string("out_of_range") && $0["field"] == .string("age")
            })
    }

    @Test("refuses malformed JSON with 400")
    func refusesMalformedJSON() {
        expectError(
            post(Array(#"{"age": 41,"#.utf8)), status: 400, code: "malformed_json", field: nil)
    }

    @Test("refuses a body that is not an object")
    func refusesNonObject() {
        expectError(post(Array("[1,2]".utf8)), status: 400, code: "invalid_body", field: nil)
    }

    @Test("names a missing feature")
    func refusesMissingFeature() {
        expectError(post(.client(["age": nil])), status: 400, code: "missing_field", field: "age")
    }

    @Test("refuses null for a feature that is not nullable")
    func refusesNull() {
        expectError(post(.client(["job": .null])), status: 400, code: "null_value", field: "job")
    }

    @Test("refuses a string where a number is expected, and the reverse")
    func refusesWrongType() {
        expectError(
            post(.client(["age": .string("41")])), status: 400, code: "wrong_type", field: "age")
        expectError(
            post(.client(["job": .number(3)])), status: 400, code: "wrong_type", field: "job")
        expectError(
            post(.client(["loan": .bool(false)])), status: 400, code: "wrong_type", field: "loan")
    }

    @Test("refuses a number that overflows to infinity")
    func refusesNonFinite() {
        let text = String(decoding: TestModels.exampleClient, as: UTF8.self)
            .replacingOccurrences(of: "\"age\": 41", with: "\"age\": 1e999")
        #expect(text.contains("1e999"))
        expectError(post(Array(text.utf8)), status: 400, code: "non_finite_number", field: "age")
    }

    @Test("refuses an unknown field and suggests the feature it resembles")
    func refusesUnknownField() {
        let result = post(.client(["age": nil, "agee": .number(41)]))
        expectError(result, status: 400, code: "unknown_field", field: "agee")
        guard case .string(let message)? = result.1["error"]?["message"] else {
            Issue.record("no message")
            return
        }
        #expect(message.contains("did you mean 'age'"))
    }

    @Test("refuses a feature given twice")
    func refusesDuplicate() {
        guard case .object(var members) = JSONValue.client() else { return }
        members.append(JSONMember("age", .number(30)))
        expectError(post(.object(members)), status: 400, code: "duplicate_field", field: "age")
    }

    @Test("names the instance of a batch that is wrong")
    func namesBatchInstance() {
        let rows: [JSONValue] = [.client(), .client(["age": .string("x")])]
        expectError(
            post(.object([JSONMember("instances", .array(rows))])), status: 400,
            code: "wrong_type", field: "instances[1].age")
    }

    @Test("refuses an empty batch, a batch that is not an array, and one above the limit")
    func refusesBadBatches() {
        expectError(
            post(.object([JSONMember("instances", .array([]))])), status: 400,
            code: "invalid_body", field: "instances")
        expectError(
            post(.object([JSONMember("instances", .client())])), status: 400,
            code: "invalid_body", field: "instances")
        let rows = [JSONValue](repeating: .client(), count: 5)
        expectError(
            post(.object([JSONMember("instances", .array(rows))])), status: 413,
            code: "batch_too_large", field: "instances")
    }

    @Test("answers unknown routes with 404")
    func answersNotFound() {
        expectError(post([], path: "/nope"), status: 404, code: "not_found", field: nil)
    }

    @Test("answers a wrong method with 405 and Allow")
    func answersMethodNotAllowed() throws {
        let response = service.handle(RequestHead(method: "GET", path: "/predict")) { _ in [] }
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST")
        let health = service.handle(RequestHead(method: "DELETE", path: "/health")) { _ in [] }
        #expect(health.status == 405)
        #expect(health.header("Allow") == "GET, HEAD")
    }

    @Test("asks for a length when the body is missing, without reading it")
    func requiresLength() {
        let head = RequestHead(method: "POST", path: "/predict", contentType: "application/json")
        let response = service.handle(head) { _ in
            Issue.record("the body was read")
            return []
        }
        #expect(response.status == 411)
        expectError(post([], contentLength: 0), status: 411, code: "length_required", field: nil)
    }

    @Test("refuses an oversize body by its declared length, without reading it")
    func refusesOversize() throws {
        let head = RequestHead(
            method: "POST", path: "/predict", contentType: "application/json",
            contentLength: 8193)
        let response = service.handle(head) { _ in
            Issue.record("the body was read")
            return []
        }
        #expect(response.status == 413)
        #expect(
            try JSONParser.parse(response.body)["error"]?["code"] == .string("payload_too_large"))
    }

    @Test("refuses a body shorter than its Content-Length")
    func refusesShortBody() {
        expectError(
            post(TestModels.exampleClient, contentLength: TestModels.exampleClient.count + 10),
            status: 400, code: "invalid_body", field: nil)
    }

    @Test("refuses content types other than JSON and accepts JSON with parameters")
    func checksContentType() {
        expectError(
            post(TestModels.exampleClient, contentType: "text/plain"), status: 415,
            code: "unsupported_media_type", field: nil)
        expectError(
            post(TestModels.exampleClient, contentType: nil), status: 415,
            code: "unsupported_media_type", field: nil)
        #expect(
            post(TestModels.exampleClient, contentType: "Application/JSON; charset=utf-8").0.status
                == 200)
        for accepted in [
            "application/json;charset=\"UTF-8\"", "application/problem+json",
            "application/json; v=2",
        ] {
            #expect(
                post(TestModels.exampleClient, contentType: accepted).0.status == 200, "\(accepted)"
            )
        }
        for refused in [
            "application/json; charset=utf-16", "application/+json", "application/jsonx",
        ] {
            expectError(
                post(TestModels.exampleClient, contentType: refused), status: 415,
                code: "unsupported_media_type", field: nil)
        }
    }

    @Test("reports health and the model document")
    func servesHealthAndModel() throws {
        let health = service.handle(RequestHead(method: "GET", path: "/health")) { _ in [] }
        #expect(health.status == 200)
        #expect(try JSONParser.parse(health.body)["status"] == .string("ok"))
        let model = service.handle(RequestHead(method: "GET", path: "/model")) { _ in [] }
        let document = try JSONParser.parse(model.body)
        #expect(document["name"] == .string("bank-marketing"))
        #expect(document["labels"] == .array([.string("no"), .string("yes")]))
        guard case .array(let features)? = document["features"] else {
            Issue.record("no features"); return
        }
        #expect(features.count == TestModels.bankMarketing.features.count)
    }

    @Test("serves a replaced bundle from the next request on")
    func replacesBundle() throws {
        let other = try ModelBundle.load(path: TestModels.bankMarketingPath)
        let local = PredictionService(bundle: TestModels.bankMarketing, logger: Logger(label: "t"))
        #expect(local.bundle === TestModels.bankMarketing)
        local.replace(with: other)
        #expect(local.bundle === other)
    }
}
