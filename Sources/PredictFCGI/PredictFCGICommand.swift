import ArgumentParser

/// `predict-fcgi`: serve classifiers over FastCGI, check them against their golden cases,
/// score a file offline, or manage the API keys clients use.
@main
struct PredictFCGICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-fcgi",
        abstract: "Serve an ONNX classifier to nginx over FastCGI.",
        subcommands: [ServeCommand.self, CheckCommand.self, ScoreCommand.self, KeysCommand.self]
    )
}
