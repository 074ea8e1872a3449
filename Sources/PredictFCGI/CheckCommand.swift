import ArgumentParser
import PredictService

/// The gate before a model ships: load it and replay every golden case, from the model
/// directory's golden.jsonl or, for a bare .onnx file, from `--golden`. With `--models`, every
/// model of a repository, each on its own; the same gate a reload applies.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a model (or each of a repository) and replay its golden.jsonl; exit "
            + "non-zero on any mismatch."
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
        guard let models = options.models else {
            guard check(try options.loadBundle(for: "check"), origin: options.model!) else {
                throw ExitCode.failure
            }
            return
        }
        let repository = ModelRepository(path: models)
        let directories: [String]
        do {
            directories = try repository.directories()
        } catch {
            printError("predict-fcgi check: \(error.message)")
            throw ExitCode.failure
        }
        guard !directories.isEmpty else {
            printError("predict-fcgi check: no directory under \(models) holds a model.json")
            throw ExitCode.failure
        }
        var names: [String: String] = [:]
        var passed = true
        for directory in directories {
            let bundle: ModelBundle
            do {
                bundle = try ModelBundle.load(path: directory)
            } catch {
                printError("FAIL \(directory): \(error.message)")
                passed = false
                continue
            }
            if let first = names.updateValue(directory, forKey: bundle.name) {
                printError("FAIL \(directory): model '\(bundle.name)' is already in \(first)")
                passed = false
                continue
            }
            passed = check(bundle, origin: directory) && passed
        }
        guard passed else { throw ExitCode.failure }
    }

    /// Replays one bundle's cases and prints its verdict line; whether it passed.
    private func check(_ bundle: ModelBundle, origin: String) -> Bool {
        let report: GoldenReport
        do {
            report = try bundle.replayGolden(tolerance: tolerance, from: golden)
        } catch {
            printError("predict-fcgi check: \(origin): \(error.message)")
            return false
        }
        for mismatch in report.mismatches.prefix(20) {
            printError("  \(mismatch.caseID): \(mismatch.message)")
        }
        if report.mismatches.count > 20 {
            printError("  … and \(report.mismatches.count - 20) more")
        }
        let verdict = report.passed ? "PASS" : "FAIL"
        print(
            "\(verdict) \(bundle.name) \(bundle.version): \(report.total - report.failedCases)"
                + "/\(report.total) golden cases match "
                + "(max |Δp| \(report.maximumError), tolerance \(tolerance))")
        return report.passed
    }
}
