import Foundation
import Logging
import Testing

@testable import PredictService

@Suite("Model repository and its reload")
struct ModelRepositoryTests {
    /// A repository of copies of bank-marketing, each renamed (and versioned) by its manifest.
    static func repository(_ models: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appending(path: "predict-fcgi-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, version) in models { try add(name, version: version, to: root) }
        return root
    }

    static func add(_ name: String, version: String, to root: URL, directory: String? = nil) throws
    {
        let target = root.appending(path: directory ?? name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(
            at: URL(filePath: TestModels.bankMarketingPath), to: target)
        let manifestURL = target.appending(path: "model.json")
        var text = try String(contentsOf: manifestURL, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\"name\": \"bank-marketing\"", with: "\"name\": \"\(name)\"")
        text = text.replacingOccurrences(
            of: "\"version\": \"\(TestModels.bankMarketing.version)\"",
            with: "\"version\": \"\(version)\"")
        try text.write(to: manifestURL, atomically: true, encoding: .utf8)
    }

    /// Breaks one golden case of a model directory: its expected label flips.
    static func breakGolden(_ directory: URL) throws {
        let url = directory.appending(path: "golden.jsonl")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(
            String.init)
        lines[0] =
            lines[0].contains("\"label\": \"no\"")
            ? lines[0].replacingOccurrences(of: "\"label\": \"no\"", with: "\"label\": \"yes\"")
            : lines[0].replacingOccurrences(of: "\"label\": \"yes\"", with: "\"label\": \"no\"")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func service(_ root: URL, defaultModel: String? = "alpha") throws -> PredictionService {
        try PredictionService(
            source: .repository(ModelRepository(path: root.path)), defaultModel: defaultModel,
            metrics: ServiceMetrics(), logger: Logger(label: "test"))
    }

    func get(_ service: PredictionService, _ path: String) -> (Int, JSONValue) {
        let response = service.handle(RequestHead(method: "GET", path: path)) { _ in [] }
        return (response.status, try! JSONParser.parse(response.body))
    }

    func predict(_ service: PredictionService, _ path: String) -> (Int, JSONValue) {
        let body = TestModels.exampleClient
        let head = RequestHead(
            method: "POST", path: path, contentType: "application/json", contentLength: body.count)
        let response = service.handle(head) { _ in body }
        return (response.status, try! JSONParser.parse(response.body))
    }

    @Test("serves every model under its manifest name; /predict serves the default one")
    func servesEveryModel() throws {
        let root = try Self.repository(["alpha": "1.0.0", "beta": "2.0.0"])
        let service = try service(root)
        let (status, list) = get(service, "/models")
        #expect(status == 200)
        #expect(
            list["models"]
                == .array([
                    .object([
                        .init("name", .string("alpha")), .init("version", .string("1.0.0")),
                        .init("default", .bool(true)),
                    ]),
                    .object([
                        .init("name", .string("beta")), .init("version", .string("2.0.0")),
                        .init("default", .bool(false)),
                    ]),
                ]))
        #expect(predict(service, "/predict").1["model"]?["name"] == .string("alpha"))
        let (betaStatus, beta) = predict(service, "/models/beta/predict")
        #expect(betaStatus == 200)
        #expect(beta["model"]?["version"] == .string("2.0.0"))
        #expect(beta["probabilities"] == predict(service, "/predict").1["probabilities"])
        #expect(get(service, "/models/beta").1["version"] == .string("2.0.0"))
        let (missing, error) = predict(service, "/models/gamma/predict")
        #expect(missing == 404)
        #expect(error["error"]?["code"] == .string("model_not_found"))
    }

    @Test("several models and no default: refused at start with the reason")
    func needsDefault() throws {
        let root = try Self.repository(["alpha": "1.0.0", "beta": "2.0.0"])
        #expect {
            _ = try service(root, defaultModel: nil)
        } throws: { error in
            (error as? LoadError)?.kind == .invalidConfiguration
        }
        let one = try Self.repository(["solo": "1.0.0"])
        #expect(try service(one, defaultModel: nil).bundle.name == "solo")
    }

    @Test("a reload gates each model on its own: a bad one keeps its version, the others move on")
    func reloadGatesEachModel() throws {
        let root = try Self.repository(["alpha": "1.0.0", "beta": "1.0.0"])
        let service = try service(root)
        try Self.add("alpha", version: "1.1.0", to: root)
        try Self.add("beta", version: "2.0.0", to: root)
        try Self.breakGolden(root.appending(path: "beta"))
        try Self.add("gamma", version: "1.0.0", to: root)
        let report = service.reload()
        #expect(report.loaded.sorted() == ["alpha", "gamma"])
        #expect(report.refused == ["beta"])
        #expect(
            predict(service, "/models/alpha/predict").1["model"]?["version"] == .string("1.1.0"))
        #expect(predict(service, "/models/beta/predict").1["model"]?["version"] == .string("1.0.0"))
        #expect(predict(service, "/models/gamma/predict").0 == 200)
        let metrics = String(decoding: service.metrics!.render(), as: UTF8.self)
        #expect(metrics.contains(#"predict_model_loads_total{model="beta",result="refused"} 1"#))
        #expect(metrics.contains(#"predict_model_info{model="alpha",version="1.1.0""#))
        #expect(!metrics.contains(#"predict_model_info{model="alpha",version="1.0.0""#))
    }

    @Test("a removed model stops serving; the default one cannot be removed by a reload")
    func reloadRemoves() throws {
        let root = try Self.repository(["alpha": "1.0.0", "beta": "1.0.0"])
        let service = try service(root)
        try FileManager.default.removeItem(at: root.appending(path: "beta"))
        try FileManager.default.removeItem(at: root.appending(path: "alpha"))
        let report = service.reload()
        #expect(report.removed == ["beta"])
        #expect(report.refused == ["alpha"])
        #expect(predict(service, "/models/beta/predict").0 == 404)
        #expect(predict(service, "/predict").0 == 200)
    }

    @Test("two directories with one name: the first serves, the second is refused")
    func duplicateNames() throws {
        let root = try Self.repository(["alpha": "1.0.0"])
        try Self.add("alpha", version: "9.0.0", to: root, directory: "zz-alpha-copy")
        let service = try service(root)
        #expect(predict(service, "/predict").1["model"]?["version"] == .string("1.0.0"))
        #expect(service.reload().refused == ["zz-alpha-copy"])
    }

    @Test("a changed model without golden.jsonl is refused at a reload; the old one serves")
    func reloadNeedsGoldenCases() throws {
        let root = try Self.repository(["alpha": "1.0.0"])
        let service = try service(root)
        try Self.add("alpha", version: "2.0.0", to: root)
        try FileManager.default.removeItem(at: root.appending(path: "alpha/golden.jsonl"))
        #expect(service.reload().refused == ["alpha"])
        #expect(predict(service, "/predict").1["model"]?["version"] == .string("1.0.0"))
        #expect {
            _ = try ModelBundle.admit(path: root.appending(path: "alpha").path)
        } throws: { error in
            (error as? LoadError)?.message.contains("has no golden.jsonl") == true
        }
    }

    @Test("the gate's refusal counts failed cases, not mismatches")
    func refusalCountsCases() throws {
        let root = try Self.repository(["alpha": "1.0.0"])
        try Self.breakGolden(root.appending(path: "alpha"))
        do {
            _ = try ModelBundle.admit(path: root.appending(path: "alpha").path)
            Issue.record("a broken golden case was admitted")
        } catch {
            #expect(error.message.hasPrefix("1 of "))
        }
    }
}

@Suite("One model's reload")
struct SingleModelReloadTests {
    @Test("a renamed model is refused; the served one keeps serving under its name")
    func renamedModelRefused() throws {
        let root = try ModelRepositoryTests.repository(["alpha": "1.0.0"])
        let path = root.appending(path: "alpha").path
        let service = try PredictionService(
            source: .model(path: path), logger: Logger(label: "test"))
        try ModelRepositoryTests.add("renamed", version: "2.0.0", to: root, directory: "alpha")
        let report = service.reload()
        #expect(report.refused == ["alpha"])
        #expect(service.bundles.map(\.name) == ["alpha"])
        try ModelRepositoryTests.add("alpha", version: "2.0.0", to: root)
        #expect(service.reload().loaded == ["alpha"])
        #expect(service.bundle.version == "2.0.0")
    }
}
