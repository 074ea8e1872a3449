import ArgumentParser
import Logging
import PredictService

/// Options every subcommand shares: which model (or repository of models), and logging.
struct ModelOptions: ParsableArguments {
    @Option(help: "A model directory holding model.json, or a bare .onnx file.")
    var model: String?

    @Option(
        help: ArgumentHelp(
            "A repository: a directory of model directories, each served under its manifest name.",
            valueName: "dir"))
    var models: String?

    @Option(help: "Least severe log level written to stderr (trace … critical).")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (model == nil) != (models == nil) else {
            throw ValidationError("pass one of --model PATH or --models DIR")
        }
    }

    /// Where the models come from.
    var source: PredictionService.Source {
        if let models { return .repository(ModelRepository(path: models)) }
        return .model(path: model!)
    }

    /// Loads the one model of `--model`, or ends the command with the reason on stderr and
    /// exit status 1.
    func loadBundle(for command: String) throws -> ModelBundle {
        guard let model else {
            printError("predict-fcgi \(command): takes --model PATH, not --models")
            throw ExitCode.failure
        }
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
