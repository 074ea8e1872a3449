import Foundation
import Testing

@testable import PredictService

@Suite("Model bundle loading")
struct ModelBundleLoadingTests {
    private func expectRefusal(
        _ path: String, _ kind: LoadError.Kind, containing fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            _ = try ModelBundle.load(path: path)
        } throws: { error in
            guard let error = error as? LoadError else { return false }
            return error.kind == kind && error.message.contains(fragment)
        }
    }

    /// Rewrites model.json of a scratch copy through `edit`, keeping everything else.
    private func withEditedManifest(
        _ edit: (inout [JSONMember]) -> Void, check: (String) -> Void
    ) throws {
        let scratch = try TestModels.scratchCopy(of: TestModels.bankMarketingPath)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appending(path: "model.json")
        guard case .object(var members) = try JSONParser.parse([UInt8](Data(contentsOf: url)))
        else { Issue.record("model.json is not an object"); return }
        edit(&members)
        try Data(JSONValue.object(members).bytes).write(to: url)
        check(scratch.path)
    }

    private func replace(_ key: String, with value: JSONValue, in members: inout [JSONMember]) {
        guard let index = members.firstIndex(where: { $0.key == key }) else {
            Issue.record("model.json has no \(key)"); return
        }
        members[index].value = value
    }

    @Test("loads the default model with its manifest, schema and golden cases")
    func loadsDefaultModel() throws {
        let bundle = TestModels.bankMarketing
        #expect(bundle.name == "bank-marketing")
        #expect(bundle.labels == ["no", "yes"])
        #expect(bundle.features.map(\.name).contains("age"))
        #expect(bundle.features.allSatisfy { $0.width == 1 })
        #expect(bundle.goldenPath != nil)
        #expect(bundle.sha256.count == 64)
    }

    @Test("loads a bare ONNX file and derives the schema from the graph")
    func loadsBareONNX() throws {
        let path = TestModels.bankMarketingPath + "/model.onnx"
        let bundle = try ModelBundle.load(path: path)
        #expect(bundle.name == "model")
        #expect(bundle.version.hasPrefix("sha256-"))
        #expect(bundle.labels == ["0", "1"])
        #expect(
            Set(bundle.features.map(\.name)) == Set(TestModels.bankMarketing.features.map(\.name)))
        let age = try #require(bundle.features.first { $0.name == "age" })
        #expect(age.kind == .number && age.nullable)
        let job = try #require(bundle.features.first { $0.name == "job" })
        #expect(job.kind == .category && job.categories.isEmpty)
    }

    @Test("refuses a directory without model.json")
    func refusesMissingManifest() throws {
        let empty = FileManager.default.temporaryDirectory.appending(path: "empty-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        expectRefusal(empty.path, .inaccessible, containing: "has no model.json")
    }

    @Test("a truncated model.json is refused with the file's path")
    func refusesTruncatedManifestNamingIt() throws {
        let scratch = try TestModels.scratchCopy(of: TestModels.bankMarketingPath)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appending(path: "model.json")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        expectRefusal(scratch.path, .invalidManifest, containing: "\(url.path): ")
    }

    @Test("a missing model.onnx is refused in a few words, not Foundation's error dump")
    func refusesMissingModelFileBriefly() throws {
        let scratch = try TestModels.scratchCopy(of: TestModels.bankMarketingPath)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let model = scratch.appending(path: "model.onnx")
        try FileManager.default.removeItem(at: model)
        #expect {
            _ = try ModelBundle.load(path: scratch.path)
        } throws: { error in
            (error as? LoadError)?.message == "cannot read \(model.path): no such file"
        }
    }

    @Test("refuses a model whose sha256 differs from the manifest's")
    func refusesDigestMismatch() throws {
        try withEditedManifest({
            replace("sha256", with: .string(String(repeating: "0", count: 64)), in: &$0)
        }) {
            expectRefusal(
                $0, .invalidManifest,
                containing: "the manifest and the model do not belong together")
        }
    }

    @Test("refuses a corrupt ONNX file")
    func refusesCorruptONNX() throws {
        let scratch = try TestModels.scratchCopy(of: TestModels.bankMarketingPath)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let onnx = scratch.appending(path: "model.onnx")
        let bytes = [UInt8](try Data(contentsOf: onnx))
        try Data(bytes.prefix(bytes.count / 2)).write(to: onnx)
        expectRefusal(onnx.path, .invalidModel, containing: "model.onnx")
    }

    @Test("refuses a manifest feature the graph does not have")
    func refusesUnknownFeature() throws {
        try withEditedManifest({ members in
            guard let index = members.firstIndex(where: { $0.key == "features" }),
                case .array(var features) = members[index].value
            else { return }
            features.append(
                .object([
                    JSONMember("name", .string("salary")), JSONMember("type", .string("number")),
                ]))
            members[index].value = .array(features)
        }) {
            expectRefusal($0, .invalidModel, containing: "declares feature 'salary'")
        }
    }

    @Test("refuses a manifest that leaves a graph input undeclared")
    func refusesUndeclaredInput() throws {
        try withEditedManifest({ members in
            guard let index = members.firstIndex(where: { $0.key == "features" }),
                case .array(let features) = members[index].value
            else { return }
            members[index].value = .array(Array(features.dropFirst()))
        }) {
            expectRefusal($0, .invalidModel, containing: "does not declare")
        }
    }

    @Test("refuses a feature declared with the wrong type")
    func refusesTypeMismatch() throws {
        try withEditedManifest({ members in
            guard let index = members.firstIndex(where: { $0.key == "features" }),
                case .array(var features) = members[index].value,
                case .object(var first) = features[0]
            else { return }
            first.removeAll { $0.key == "type" }
            first.append(JSONMember("type", .string("category")))
            features[0] = .object(first)
            members[index].value = .array(features)
        }) {
            expectRefusal($0, .invalidModel, containing: "is declared as category")
        }
    }

    @Test("refuses labels that do not match the classifier's classes")
    func refusesLabelCount() throws {
        try withEditedManifest({
            replace("labels", with: .array([.string("a"), .string("b"), .string("c")]), in: &$0)
        }) {
            expectRefusal($0, .invalidModel, containing: "lists 3 labels")
        }
    }

    @Test("refuses a manifest without a name")
    func refusesNamelessManifest() throws {
        try withEditedManifest({ $0.removeAll { $0.key == "name" } }) {
            expectRefusal($0, .invalidManifest, containing: "'name' must be a non-empty string")
        }
    }
}
