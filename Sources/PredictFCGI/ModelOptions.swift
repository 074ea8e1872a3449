import ArgumentParser
import Logging

/// Options every subcommand shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model directory holding model.json, or a bare .onnx file.")
    var model: String

    @Option(help: "Least severe log level written to stderr (trace … critical).")
    var logLevel: Logger.Level = .info

    /// Routes swift-log to stderr, one event per line, and returns the process logger.
    func bootstrapLogging() -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "predict-fcgi")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
