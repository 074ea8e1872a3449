import Foundation
import Testing

@testable import PredictService

@Suite("Golden parity with onnxruntime")
struct GoldenParityTests {
    static let modelDirectories: [String] = {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: TestModels.modelsDirectory.path))
            ?? []
        return names.sorted().map { TestModels.modelsDirectory.appending(path: $0).path }
            .filter { FileManager.default.fileExists(atPath: $0 + "/golden.jsonl") }
    }()

    @Test("every model in models/ has golden cases")
    func modelsHaveGoldenCases() {
        #expect(!Self.modelDirectories.isEmpty)
    }

    @Test(
        "every golden case matches onnxruntime: labels exactly, probabilities within 1e-5",
        arguments: modelDirectories)
    func replaysGolden(directory: String) throws {
        let bundle = try ModelBundle.load(path: directory)
        let report = try bundle.replayGolden(tolerance: 1e-5)
        #expect(report.total >= 300)
        #expect(
            report.mismatches.isEmpty,
            "\(report.mismatches.prefix(5).map { "\($0.caseID): \($0.message)" })")
        #expect(report.maximumError <= 1e-5)
    }

    @Test("a wrong expectation is reported as a mismatch")
    func detectsMismatch() throws {
        let scratch = try TestModels.scratchCopy(of: TestModels.bankMarketingPath)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let golden = scratch.appending(path: "golden.jsonl")
        let lines = try String(contentsOf: golden, encoding: .utf8).split(separator: "\n")
        var first = try JSONParser.parse(String(lines[0]))
        guard case .object(var members) = first,
            let index = members.firstIndex(where: { $0.key == "expected" }),
            case .string(let label)? = members[index].value["label"]
        else { Issue.record("unexpected golden line"); return }
        let flipped = label == "yes" ? "no" : "yes"
        guard case .object(var expected) = members[index].value else { return }
        expected.removeAll { $0.key == "label" }
        expected.append(JSONMember("label", .string(flipped)))
        members[index].value = .object(expected)
        first = .object(members)
        try Data(first.bytes).write(to: golden)
        let report = try ModelBundle.load(path: scratch.path).replayGolden()
        #expect(report.total == 1)
        #expect(!report.passed)
        #expect(report.mismatches.first?.message.contains("expected '\(flipped)'") == true)
    }
}
