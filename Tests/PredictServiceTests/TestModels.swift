import Foundation
import Logging

@testable import PredictService

/// The repository's models, found relative to this file so tests run from any directory.
enum TestModels {
    static let repository = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelsDirectory = repository.appending(path: "models")
    static let bankMarketingPath = modelsDirectory.appending(path: "bank-marketing").path

    /// The runtime's parity fixtures: small models of every family, served bare.
    static let fixtures = repository.appending(path: "Tests/ONNXRuntimeTests/Fixtures")

    /// `body` posted to `/predict` of a service over `bundle`; the answer's JSON.
    static func post(_ body: String, to bundle: ModelBundle) -> JSONValue {
        let service = PredictionService(bundle: bundle, logger: Logger(label: "test"))
        let bytes = Array(body.utf8)
        let head = RequestHead(
            method: "POST", path: "/predict", contentType: "application/json",
            contentLength: bytes.count)
        return try! JSONParser.parse(service.handle(head) { _ in bytes }.body)
    }

    /// Loaded once and shared: bundles are immutable.
    static let bankMarketing: ModelBundle = {
        do {
            return try ModelBundle.load(path: bankMarketingPath)
        } catch {
            fatalError("the default model does not load: \(error)")
        }
    }()

    /// examples/client.json: the documented example client.
    static let exampleClient: [UInt8] = {
        let url = repository.appending(path: "examples/client.json")
        return [UInt8](try! Data(contentsOf: url))
    }()

    /// A copy of a model directory in a fresh temporary directory, to damage in a test.
    static func scratchCopy(of path: String) throws -> URL {
        let scratch = FileManager.default.temporaryDirectory
            .appending(path: "predict-fcgi-tests-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(filePath: path), to: scratch)
        return scratch
    }
}

extension JSONValue {
    /// The example client with some members replaced (`.null` values are kept as null) or
    /// removed (nil values).
    static func client(_ changes: [String: JSONValue?] = [:]) -> JSONValue {
        guard case .object(var members) = try! JSONParser.parse(TestModels.exampleClient) else {
            fatalError("examples/client.json is not an object")
        }
        for (key, change) in changes {
            members.removeAll { $0.key == key }
            if let change { members.append(JSONMember(key, change)) }
        }
        return .object(members)
    }

    var bytes: [UInt8] {
        var writer = JSONWriter()
        writer.value(self)
        return writer.bytes
    }
}
