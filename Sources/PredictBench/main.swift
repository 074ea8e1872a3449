// The model path in process, without sockets: what a request costs predict-fcgi beyond
// FastCGI and nginx. Prints one `MICRO name=… median_ns=…` line per figure, each the median
// of several calibrated batches, interleaved across figures (scripts/bench/summarize.py
// reads them).
//
//   swift run -c release PredictBench [MODEL_DIR] [CLIENT_JSON] [--batches N] [--batch-ms MS]
//       [--only NAME[,NAME…]]
//   swift run -c release PredictBench --runtime MODEL.onnx ROWS.json [--batches N] [--batch-ms MS]
//   swift run -c release PredictBench --metrics-contention [THREADS]
//
// --runtime times the ONNX runtime alone on any model and prints one JSON line (see
// RuntimeBench.swift); make bench-runtime sets it beside onnxruntime.
//
// --metrics-contention times what counting one request costs with THREADS (default 4) threads
// counting at once: in swift-prometheus' shared series against the worker's per-thread shards
// (MetricsBench.swift).
//
// --only times just the named figures, for a profiler's sake (perf record, valgrind).
//
// Figures:
//   model-run-1-row             InferenceModel.run on one row's prebuilt feeds, keyed by name
//   model-run-1-row-positional  the same through the positional entry point the service uses
//   model-run-per-row-of-1000   one 1,000-row batch through the graph, per row
//   json-parse                  JSONParser.parse of the request body
//   predict-1-row               ModelBundle.predict(instance:) on the parsed body: validation
//                               and evaluation, no JSON in or out
//   handle-request              PredictionService.handle for POST /predict: parse, validate,
//                               evaluate, encode
//   worker-request              the same through one thread's ServiceWorker, as the server runs
//                               it with --no-metrics
//   worker-request-metrics      the same with metrics counted (the server's default)
//   worker-request-keyed        the same with metrics and an API key checked
//   verify-key                  APIKeyring.verify of a Bearer header against one key
import Foundation
import Logging
import ONNXRuntime
import PredictService

let usage =
    "usage: PredictBench [MODEL_DIR] [CLIENT_JSON] [--batches N] [--batch-ms MS] [--only NAMES]\n"
    + "       PredictBench --runtime MODEL.onnx ROWS.json [--batches N] [--batch-ms MS]"
var positional: [String] = []
var only: Set<String>?
var runtimeMode = false
var stopwatch = Stopwatch(rounds: 9, batchDuration: .milliseconds(100))
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--batches": stopwatch.rounds = max(1, Int(arguments.popFirst() ?? "") ?? 9)
    case "--batch-ms":
        stopwatch.batchDuration = .milliseconds(Int(arguments.popFirst() ?? "") ?? 100)
    case "--only":
        only = Set((arguments.popFirst() ?? "").split(separator: ",").map(String.init))
    case "--runtime": runtimeMode = true
    case "--metrics-contention":
        let threads = Int(arguments.first ?? "") ?? 4
        for line in MetricsBench.run(threads: threads, requests: 200_000, rounds: 5) { print(line) }
        exit(0)
    case "-h", "--help":
        print(usage)
        exit(0)
    default: positional.append(argument)
    }
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("PredictBench: \(message)\n".utf8))
    exit(1)
}

if runtimeMode {
    guard positional.count == 2 else { fail(usage) }
    do {
        print(try RuntimeBench.run(model: positional[0], rows: positional[1], stopwatch: stopwatch))
    } catch {
        fail("\(error)")
    }
    exit(0)
}

let modelPath = positional.first ?? "models/bank-marketing"
let clientPath = positional.dropFirst().first ?? "examples/client.json"

func readBytes(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}

/// The ONNX file of a model directory (the manifest's `model_file`), or the path itself.
func onnxPath(_ path: String) -> String {
    if path.hasSuffix(".onnx") { return path }
    let manifest = try? JSONParser.parse(readBytes(path + "/model.json"))
    guard case .string(let file) = manifest?["model_file"] else { return path + "/model.onnx" }
    return path + "/" + file
}

let bundle: ModelBundle
let model: InferenceModel
let body = readBytes(clientPath)
let client: JSONValue
do {
    bundle = try ModelBundle.load(path: modelPath)
    model = try InferenceModel(onnx: readBytes(onnxPath(modelPath)))
    client = try JSONParser.parse(body)
} catch {
    fail("\(error)")
}

let service = PredictionService(bundle: bundle, logger: Logger(label: "predict-bench"))
let plainWorker = service.makeWorker()
let metricsWorker = PredictionService(
    bundle: bundle, metrics: ServiceMetrics(), logger: Logger(label: "predict-bench")
).makeWorker()
let benchKey = "pf_" + String(repeating: "k", count: 43)
let keyedWorker: ServiceWorker
let keyring: APIKeyring
do {
    keyring = try APIKeyFile.parse("bench \(APIKeyFile.hash(benchKey))\n", origin: "PredictBench")
    keyedWorker = PredictionService(
        bundle: bundle, metrics: ServiceMetrics(), keyring: keyring,
        logger: Logger(label: "predict-bench")
    ).makeWorker()
} catch {
    fail("\(error)")
}
var keyedHead = RequestHead(
    method: "POST", path: "/predict", contentType: "application/json", contentLength: body.count)
keyedHead.authorization = "Bearer " + benchKey
let head = RequestHead(
    method: "POST", path: "/predict", contentType: "application/json", contentLength: body.count)
let answer = service.handle(head) { _ in body }
let answerText = String(decoding: answer.body, as: UTF8.self)
guard answer.status == 200 else {
    fail("POST /predict of \(clientPath) answered \(answer.status): \(answerText)")
}
print("PredictBench: \(bundle.name) \(bundle.version), \(model.inputs.count) graph inputs")
print("answer to \(clientPath): \(answerText)")

let oneRow: [String: Tensor]
let oneRowPositional: [Tensor]
let thousandRows: [Tensor]
do {
    oneRow = try ClientFeeds.named(for: model, client: client, rows: 1)
    oneRowPositional = try ClientFeeds.positional(for: model, client: client, rows: 1)
    thousandRows = try ClientFeeds.positional(for: model, client: client, rows: 1000)
} catch {
    fail("\(clientPath) does not fit the graph's inputs: \(error)")
}

// Results flow into `sink`, printed at the end, so no call can be optimised away.
var sink = 0
let workloads: [Stopwatch.Workload] = [
    .init(name: "model-run-1-row", operationsPerCall: 1) { sink &+= try model.run(oneRow).count },
    .init(name: "model-run-1-row-positional", operationsPerCall: 1) {
        sink &+= try model.run(oneRowPositional).count
    },
    .init(name: "model-run-per-row-of-1000", operationsPerCall: 1000) {
        sink &+= try model.run(thousandRows).count
    },
    .init(name: "json-parse", operationsPerCall: 1) {
        sink &+= try JSONParser.parse(body) == .null ? 0 : 1
    },
    .init(name: "predict-1-row", operationsPerCall: 1) {
        sink &+= try bundle.predict(instance: client).labelIndex
    },
    .init(name: "handle-request", operationsPerCall: 1) {
        sink &+= service.handle(head) { _ in body }.body.count
    },
    .init(name: "worker-request", operationsPerCall: 1) {
        sink &+= plainWorker.handle(head) { _ in body }.body.count
    },
    .init(name: "worker-request-metrics", operationsPerCall: 1) {
        sink &+= metricsWorker.handle(head) { _ in body }.body.count
    },
    .init(name: "hash-key", operationsPerCall: 1) { sink &+= APIKeyFile.hash(benchKey).utf8.count },
    .init(name: "verify-key", operationsPerCall: 1) {
        sink &+= keyring.verify(authorization: keyedHead.authorization) == .unknown ? 0 : 1
    },
    .init(name: "worker-request-keyed", operationsPerCall: 1) {
        sink &+= keyedWorker.handle(keyedHead) { _ in body }.status
    },
]
if let only, !only.isSubset(of: workloads.map(\.name)) {
    fail("--only takes figure names among: \(workloads.map(\.name).joined(separator: ", "))")
}
do {
    let figures = try stopwatch.measure(workloads.filter { only?.contains($0.name) ?? true })
    for figure in figures { print(figure.line) }
} catch {
    fail("a timed call failed: \(error)")
}
print("(sink \(sink))")
