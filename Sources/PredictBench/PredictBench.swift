import ArgumentParser

/// `PredictBench`: the model path in process, without sockets (MicroBench.swift); with
/// --runtime, the ONNX runtime alone on any model (RuntimeBench.swift); with
/// --metrics-contention, counting requests from many threads at once (MetricsBench.swift).
///
///     swift run -c release PredictBench [MODEL_DIR] [CLIENT_JSON] [--batches N] [--batch-ms MS]
///         [--only NAME[,NAME…]]
///     swift run -c release PredictBench --runtime MODEL.onnx ROWS.json [--batches N] [--batch-ms MS]
///     swift run -c release PredictBench --metrics-contention [THREADS]
@main
struct PredictBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "PredictBench",
        abstract: "Micro-benchmarks of predict-fcgi's model path, in process.",
        discussion: """
            By default, times the model path on MODEL_DIR answering CLIENT_JSON and prints one \
            `MICRO name=… median_ns=…` line per figure, each the median of several calibrated \
            batches, interleaved across figures (scripts/bench/summarize.py reads them).

            --runtime times the ONNX runtime alone on MODEL.onnx and ROWS.json and prints one \
            JSON line, which make bench-runtime sets beside onnxruntime.

            --metrics-contention times what counting one request costs with THREADS threads \
            counting at once: in swift-prometheus' shared series against the worker's \
            per-thread shards.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "A model directory or .onnx file (default: models/bank-marketing); with --runtime, "
                + "MODEL.onnx; with --metrics-contention, THREADS (default: 4).",
            valueName: "model-dir"))
    var first: String?

    @Argument(
        help: ArgumentHelp(
            "The client JSON to answer (default: examples/client.json); with --runtime, "
                + "ROWS.json in the parity fixtures' format.",
            valueName: "client-json"))
    var second: String?

    @Option(help: "Rounds of batches; each figure is the median of its batches.")
    var batches = 9

    @Option(name: .customLong("batch-ms"), help: "Wall time each batch aims for, in milliseconds.")
    var batchMilliseconds = 100

    @Option(
        help: ArgumentHelp(
            "Time only these figures (comma-separated), for a profiler's sake.",
            valueName: "names"),
        transform: { Set($0.split(separator: ",").map(String.init)) })
    var only: Set<String>?

    @Flag(help: "Time the ONNX runtime alone on MODEL.onnx and ROWS.json; print one JSON line.")
    var runtime = false

    @Flag(help: "Time counting one request from THREADS threads at once, in two backends.")
    var metricsContention = false

    func validate() throws {
        guard batches >= 1 else { throw ValidationError("--batches must be at least 1") }
        guard batchMilliseconds >= 1 else {
            throw ValidationError("--batch-ms must be at least 1")
        }
        guard !(runtime && metricsContention) else {
            throw ValidationError("--runtime and --metrics-contention are separate modes")
        }
        if runtime || metricsContention, only != nil {
            throw ValidationError("--only names figures of the default mode")
        }
        if runtime, first == nil || second == nil {
            throw ValidationError("--runtime takes MODEL.onnx and ROWS.json")
        }
        if metricsContention {
            guard second == nil else {
                throw ValidationError("--metrics-contention takes one argument, THREADS")
            }
            if let first, (Int(first) ?? 0) < 1 {
                throw ValidationError("THREADS must be a positive number, found '\(first)'")
            }
        }
    }

    func run() throws {
        let stopwatch = Stopwatch(rounds: batches, batchDuration: .milliseconds(batchMilliseconds))
        if metricsContention {
            let threads = first.flatMap { Int($0) } ?? 4
            for line in MetricsBench.run(threads: threads, requests: 200_000, rounds: 5) {
                print(line)
            }
        } else if runtime, let first, let second {
            print(try RuntimeBench.run(model: first, rows: second, stopwatch: stopwatch))
        } else {
            try MicroBench.run(
                model: first ?? "models/bank-marketing", client: second ?? "examples/client.json",
                only: only, stopwatch: stopwatch)
        }
    }
}
