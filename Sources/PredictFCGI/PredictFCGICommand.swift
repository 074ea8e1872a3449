import ArgumentParser

/// `predict-fcgi`: serve a classifier over FastCGI, check it against its golden cases, or
/// score a file offline.
@main
struct PredictFCGICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-fcgi",
        abstract: "Serve an ONNX classifier to nginx over FastCGI.",
        subcommands: [ServeCommand.self, CheckCommand.self, ScoreCommand.self]
    )
}
