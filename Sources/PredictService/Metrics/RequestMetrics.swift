import Synchronization

/// The per-request metrics: counters and histograms by model, version, route, status and
/// client, kept in one shard per worker thread and summed when scraped.
///
/// swift-prometheus' histograms take one lock per series on every observation, and its
/// counters one shared atomic; with every thread serving the same model that is a lock and a
/// cache line all threads contend for on each request. Shards keep the request path free of
/// both; the text they render follows the same exposition format as the registry's.
final class RequestMetrics: Sendable {
    private struct Tables: Sendable {
        var series: [ModelSeries] = [ModelSeries(id: 0, name: "", version: "", labels: [])]
        var seriesByKey: [String: ModelSeries] = [:]
        var clients: [String] = [APIKeyring.anonymous]
        var clientByName: [String: Int] = [APIKeyring.anonymous: 0]
        var shards: [MetricsShard] = []
    }

    private let tables = Mutex(Tables())

    /// A new shard for a worker thread; it is summed into every scrape from now on.
    func makeShard() -> MetricsShard {
        let shard = MetricsShard()
        tables.withLock { $0.shards.append(shard) }
        return shard
    }

    /// The series of a model version, the same object for the same name and version.
    func series(name: String, version: String, labels: [String]) -> ModelSeries {
        tables.withLock { tables in
            let key = name + "\u{0}" + version
            if let known = tables.seriesByKey[key] { return known }
            let series = ModelSeries(
                id: tables.series.count, name: name, version: version, labels: labels)
            tables.series.append(series)
            tables.seriesByKey[key] = series
            return series
        }
    }

    /// The number the counters use for a client (an API key's name).
    func client(named name: String) -> Int {
        tables.withLock { tables in
            if let known = tables.clientByName[name] { return known }
            tables.clients.append(name)
            tables.clientByName[name] = tables.clients.count - 1
            return tables.clients.count - 1
        }
    }

    /// Appends the request families in Prometheus text format.
    func render(into buffer: inout [UInt8]) {
        let (series, clients, shards) = tables.withLock { ($0.series, $0.clients, $0.shards) }
        var total = MetricsShard.Counts()
        for shard in shards {
            let counts = shard.counts.withLock { $0 }
            for (key, value) in counts.requests { total.requests[key, default: 0] &+= value }
            Self.merge(counts.latency, into: &total.latency)
            Self.merge(counts.evaluation, into: &total.evaluation)
            Self.merge(counts.rows, into: &total.rows)
            for (key, value) in counts.predictions {
                var sum = total.predictions[key] ?? [UInt64](repeating: 0, count: value.count)
                for index in value.indices { sum[index] &+= value[index] }
                total.predictions[key] = sum
            }
        }
        var text = ExpositionWriter()
        text.family(
            "predict_requests_total", type: "counter",
            help: "Requests answered by the worker, by model, version, route, status and client.")
        let routes = RouteLabel.allCases
        for key in total.requests.keys.sorted(by: { $0.bits < $1.bits }) {
            let model = series[key.series]
            text.sample(
                "predict_requests_total",
                labels: [
                    ("model", model.name), ("version", model.version),
                    ("route", routes[key.route].template), ("status", String(key.status)),
                    ("client", clients[key.client]),
                ], value: String(total.requests[key]!))
        }
        text.family(
            "predict_request_duration_seconds", type: "histogram",
            help: "Time from the request's parameters to its encoded answer, in seconds.")
        for key in total.latency.keys.sorted(by: { ($0.series, $0.route) < ($1.series, $1.route) })
        {
            let model = series[key.series]
            text.histogram(
                "predict_request_duration_seconds",
                labels: [
                    ("model", model.name), ("version", model.version),
                    ("route", routes[key.route].template),
                ], counts: total.latency[key]!, bounds: .seconds)
        }
        Self.perModel(
            "predict_model_evaluation_duration_seconds",
            help: "Time spent in the model per prediction request (decoding rows and running "
                + "the graph), in seconds.", total.evaluation, bounds: .seconds, series: series,
            into: &text)
        Self.perModel(
            "predict_batch_size", help: "Rows (instances) per prediction request.", total.rows,
            bounds: .rows, series: series, into: &text)
        text.family(
            "predict_predictions_total", type: "counter",
            help: "Rows predicted, by model, version and predicted label.")
        for id in total.predictions.keys.sorted() {
            let model = series[id]
            for (index, count) in total.predictions[id]!.enumerated()
            where index < model.labels.count {
                text.sample(
                    "predict_predictions_total",
                    labels: [
                        ("model", model.name), ("version", model.version),
                        ("label", model.labels[index]),
                    ], value: String(count))
            }
        }
        buffer.append(contentsOf: text.bytes)
    }

    /// A histogram family with one series per model version.
    private static func perModel(
        _ name: String, help: String, _ table: [Int: HistogramCounts], bounds: HistogramBounds,
        series: [ModelSeries], into text: inout ExpositionWriter
    ) {
        text.family(name, type: "histogram", help: help)
        for id in table.keys.sorted() {
            text.histogram(
                name, labels: [("model", series[id].name), ("version", series[id].version)],
                counts: table[id]!, bounds: bounds)
        }
    }

    private static func merge<Key: Hashable>(
        _ part: [Key: HistogramCounts], into total: inout [Key: HistogramCounts]
    ) {
        for (key, value) in part {
            if total[key] == nil {
                total[key] = value
            } else {
                total[key]!.add(value)
            }
        }
    }
}
