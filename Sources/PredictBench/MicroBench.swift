import ArgumentParser
import Foundation
import Logging
import ONNXRuntime
import PredictService

/// The model path in process, without sockets: what a request costs predict-fcgi beyond
/// FastCGI and nginx. Prints one `MICRO name=… median_ns=…` line per figure, each the median
/// of several calibrated batches, interleaved across figures (scripts/bench/summarize.py
/// reads them). `only` times just the named figures, for a profiler's sake (perf record,
/// valgrind).
///
/// Figures:
///   model-run-1-row             InferenceModel.run on one row's prebuilt feeds, keyed by name
///   model-run-1-row-positional  the same through the positional entry point the service uses
///   model-run-per-row-of-1000   one 1,000-row batch through the graph, per row
///   row-plan-1-row              RowPlan.evaluate of one row's prebuilt values: what the
///                               default model's POST /predict evaluates (absent when the
///                               graph has no row plan)
///   json-parse                  JSONParser.parse of the request body
///   predict-1-row               ModelBundle.predict(instance:) on the parsed body: validation
///                               and evaluation, no JSON in or out
///   handle-request              PredictionService.handle for POST /predict: parse, validate,
///                               evaluate, encode
///   worker-request              the same through one thread's ServiceWorker, as the server runs
///                               it with --no-metrics
///   worker-request-metrics      the same with metrics counted (the server's default)
///   worker-request-keyed        the same with metrics and an API key checked
///   hash-key                    APIKeyFile.hash of a key
///   verify-key                  APIKeyring.verify of a Bearer header against one key
enum MicroBench {
    static func run(
        model modelPath: String, client clientPath: String, only: Set<String>?,
        stopwatch: Stopwatch
    ) throws {
        let body = try readBytes(clientPath)
        let bundle: ModelBundle
        let model: InferenceModel
        let client: JSONValue
        do {
            bundle = try ModelBundle.load(path: modelPath)
            model = try InferenceModel(onnx: readBytes(onnxPath(modelPath)))
            client = try JSONParser.parse(body)
        } catch {
            throw BenchError("\(error)")
        }

        let logger = Logger(label: "predict-bench")
        let service = PredictionService(bundle: bundle, logger: logger)
        let plainWorker = service.makeWorker()
        let metricsWorker = PredictionService(
            bundle: bundle, metrics: ServiceMetrics(), logger: logger
        ).makeWorker()
        let benchKey = "pf_" + String(repeating: "k", count: 43)
        let keyring = try APIKeyFile.parse(
            "bench \(APIKeyFile.hash(benchKey))\n", origin: "PredictBench")
        let keyedWorker = PredictionService(
            bundle: bundle, metrics: ServiceMetrics(), keyring: keyring, logger: logger
        ).makeWorker()
        var keyedHead = RequestHead(
            method: "POST", path: "/predict", contentType: "application/json",
            contentLength: body.count)
        keyedHead.authorization = "Bearer " + benchKey
        let head = RequestHead(
            method: "POST", path: "/predict", contentType: "application/json",
            contentLength: body.count)
        let answer = service.handle(head) { _ in body }
        let answerText = String(decoding: answer.body, as: UTF8.self)
        guard answer.status == 200 else {
            throw BenchError(
                "POST /predict of \(clientPath) answered \(answer.status): \(answerText)")
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
            throw BenchError("\(clientPath) does not fit the graph's inputs: \(error)")
        }

        // Results flow into `sink`, printed at the end, so no call can be optimised away.
        var sink = 0
        var rowPlanWorkloads: [Stopwatch.Workload] = []
        if let plan = model.rowPlan {
            let (numbers, categories) = ClientFeeds.rowValues(for: plan, feeds: oneRowPositional)
            var row = [Float](repeating: 0, count: plan.columnCount)
            var scores = [Float](repeating: 0, count: plan.classCount)
            rowPlanWorkloads.append(
                .init(name: "row-plan-1-row", operationsPerCall: 1) {
                    let label = plan.evaluate(
                        numbers: numbers, categories: categories, row: &row, scores: &scores)
                    sink &+= label == nil ? 0 : 1
                })
        }
        let workloads: [Stopwatch.Workload] =
            [
                .init(name: "model-run-1-row", operationsPerCall: 1) {
                    sink &+= try model.run(oneRow).count
                },
                .init(name: "model-run-1-row-positional", operationsPerCall: 1) {
                    sink &+= try model.run(oneRowPositional).count
                },
                .init(name: "model-run-per-row-of-1000", operationsPerCall: 1000) {
                    sink &+= try model.run(thousandRows).count
                },
            ] + rowPlanWorkloads + [
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
                .init(name: "hash-key", operationsPerCall: 1) {
                    sink &+= APIKeyFile.hash(benchKey).utf8.count
                },
                .init(name: "verify-key", operationsPerCall: 1) {
                    sink &+=
                        keyring.verify(authorization: keyedHead.authorization) == .unknown ? 0 : 1
                },
                .init(name: "worker-request-keyed", operationsPerCall: 1) {
                    sink &+= keyedWorker.handle(keyedHead) { _ in body }.status
                },
            ]
        let names = workloads.map(\.name)
        if let only, !only.isSubset(of: names) {
            throw ValidationError(
                "--only takes figure names among: \(names.joined(separator: ", "))")
        }
        do {
            let figures = try stopwatch.measure(
                workloads.filter { only?.contains($0.name) ?? true })
            for figure in figures { print(figure.line) }
        } catch {
            throw BenchError("a timed call failed: \(error)")
        }
        print("(sink \(sink))")
    }

    private static func readBytes(_ path: String) throws(BenchError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError("cannot read \(path)")
        }
        return [UInt8](data)
    }

    /// The ONNX file of a model directory (the manifest's `model_file`), or the path itself.
    private static func onnxPath(_ path: String) -> String {
        if path.hasSuffix(".onnx") { return path }
        let manifest = try? JSONParser.parse(readBytes(path + "/model.json"))
        guard case .string(let file) = manifest?["model_file"] else { return path + "/model.onnx" }
        return path + "/" + file
    }
}
