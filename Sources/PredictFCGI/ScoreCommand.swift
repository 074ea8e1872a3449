import ArgumentParser
import PredictService

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Offline scoring: JSON Lines of graph inputs in, one `/predict`-shaped line out per input.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract:
            "Score JSON Lines (one object of input name → value per line) from a file or stdin.",
        discussion: """
            A scalar is given for an [N,1] input, an array for an [N,k] input, and null marks a \
            missing value of a float input. Each output line is the /predict answer for that \
            input, or {"error": …} for a line that cannot be scored; the exit status is 1 if \
            any line failed.
            """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "JSON Lines file to score (default: standard input).")
    var input: String?

    func run() throws {
        let bundle = try options.loadBundle(for: "score")
        guard let file = input.map({ fopen($0, "r") }) ?? fdopen(0, "r") else {
            printError("predict-fcgi score: cannot open \(input ?? "stdin")")
            throw ExitCode.failure
        }
        defer { fclose(file) }
        var failures = 0
        var lineNumber = 0
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while true {
            let length = getline(&line, &capacity, file)
            guard length >= 0, let line else { break }
            lineNumber += 1
            let bytes = UnsafeRawBufferPointer(start: line, count: length)
            guard bytes.contains(where: { $0 > 0x20 }) else { continue }
            let answer = OfflineScorer.score(line: Array(bytes), with: bundle)
            if answer.failed {
                failures += 1
                printError("predict-fcgi score: line \(lineNumber): \(answer.text)")
            }
            print(answer.text)
        }
        guard failures == 0 else { throw ExitCode.failure }
    }
}
