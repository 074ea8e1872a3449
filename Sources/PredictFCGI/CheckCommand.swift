import ArgumentParser
import PredictService

/// The gate before a model ships: load it and replay every golden case, from the model
/// directory's golden.jsonl or, for a bare .onnx file, from `--golden`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a model and replay its golden.jsonl; exit non-zero on any mismatch."
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "Largest accepted absolute difference of a probability.")
    var tolerance: Double = 1e-5

    @Option(
        help: ArgumentHelp(
            "Golden cases (JSON lines) to replay instead of the model directory's golden.jsonl.",
            discussion: "The way to check a bare .onnx file before it gets a manifest.",
            valueName: "file"))
    var golden: String?

    func run() throws {
        let bundle = try options.loadBundle(for: "check")
        let report: GoldenReport
        do {
            report = try bundle.replayGolden(tolerance: tolerance, from: golden)
        } catch {
            printError("predict-fcgi check: \(options.model): \(error.message)")
            throw ExitCode.failure
        }
        for mismatch in report.mismatches.prefix(20) {
            printError("  \(mismatch.caseID): \(mismatch.message)")
        }
        if report.mismatches.count > 20 {
            printError("  … and \(report.mismatches.count - 20) more")
        }
        let verdict = report.passed ? "PASS" : "FAIL"
        let failedCases = Set(report.mismatches.map(\.caseID)).count
        print(
            "\(verdict) \(bundle.name) \(bundle.version): \(report.total - failedCases)"
                + "/\(report.total) golden cases match "
                + "(max |Δp| \(report.maximumError), tolerance \(tolerance))")
        guard report.passed else { throw ExitCode.failure }
    }
}
