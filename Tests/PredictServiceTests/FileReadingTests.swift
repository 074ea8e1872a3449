import Foundation
import Testing

@testable import PredictService

#if canImport(Glibc)
import Glibc
#endif

/// Reading files the worker reads again at every reload (the keys file, the manifests and
/// models) must not cost memory each time.
@Suite("File reading")
struct FileReadingTests {
    /// RSS tells nothing under AddressSanitizer, whose quarantine holds on to freed memory.
    static let measurable =
        FileManager.default.fileExists(atPath: "/proc/self/status")
        && dlsym(nil, "__asan_init") == nil

    @Test(
        "reading an empty keys file again and again does not grow the process",
        .enabled(if: measurable))
    func emptyFileReadsDoNotLeak() throws {
        let path = FileManager.default.temporaryDirectory.appending(
            path: "empty-keys-\(UUID().uuidString)"
        ).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try APIKeyFile.read(path: path)
        let before = try residentKiB()
        // 20,000 reads: 80 MiB if each leaked Foundation's 4 KiB read buffer, as
        // Data(contentsOf:) does for an empty file. The bound is half that: suites running
        // alongside (loading models) grow the process by a few MiB at most.
        for _ in 0..<20_000 { _ = try APIKeyFile.read(path: path) }
        let growth = try residentKiB() - before
        #expect(growth < 40 * 1024, "RSS grew by \(growth) KiB over 20,000 reads")
    }

    private func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
