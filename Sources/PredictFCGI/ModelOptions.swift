import ArgumentParser
import Logging
import PredictService

/// Options every subcommand shares.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model directory holding model.json, or a bare .onnx file.")
    var model: String

    @Option(help: "Least severe log level written to stderr (trace … critical).")
    var logLevel: Logger.Level = .info

    /// Loads the model, or ends the command with the reason on stderr and exit status 1.
    func loadBundle(for command: String) throws -> ModelBundle {
        do {
            return try ModelBundle.load(path: model)
        } catch {
            printError("predict-fcgi \(command): cannot load \(model): \(error.message)")
            throw ExitCode.failure
        }
    }

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
