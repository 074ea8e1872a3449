import Prometheus
import Synchronization

/// Everything `GET /metrics` shows: the request families (sharded per thread, see
/// RequestMetrics) and, in swift-prometheus' registry, what changes rarely: model loads and
/// refusals, the version each model serves, the keys in force, and the process gauges the
/// worker registers there.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let requests = RequestMetrics()

    /// A shard of the request metrics, as each worker thread gets one.
    package func makeShard() -> MetricsShard { requests.makeShard() }
    /// Run before each scrape, e.g. to read the process' figures into the registry's gauges.
    private let beforeScrape: (@Sendable () -> Void)?
    private static var loads: MetricNameDescriptor {
        .named(
            "predict_model_loads_total",
            help: "Model loads, by model and result (loaded, or refused by the gate).")
    }
    /// The `predict_model_info` gauge of each model name, for the version it serves now.
    private let info = Mutex<[String: Gauge]>([:])

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        beforeScrape: (@Sendable () -> Void)? = nil
    ) {
        self.registry = registry
        self.beforeScrape = beforeScrape
    }

    /// The exposition: the registry's families, then the request families.
    public func render() -> [UInt8] {
        beforeScrape?()
        var buffer = registry.emitToBuffer()
        requests.render(into: &buffer)
        return buffer
    }

    func series(of bundle: ModelBundle) -> ModelSeries {
        requests.series(name: bundle.name, version: bundle.version, labels: bundle.labels)
    }

    /// A model version passed its gate and now serves under its name.
    func loaded(_ bundle: ModelBundle) {
        registry.makeCounter(
            descriptor: Self.loads,
            labels: [("model", bundle.name), ("result", "loaded")]
        ).increment()
        let gauge = registry.makeGauge(
            descriptor: .named(
                "predict_model_info", help: "1 for the version each model serves now."),
            labels: [
                ("model", bundle.name), ("version", bundle.version), ("sha256", bundle.sha256),
            ])
        gauge.set(to: 1.0)
        let previous = info.withLock { $0.updateValue(gauge, forKey: bundle.name) }
        if let previous, previous !== gauge { registry.unregisterGauge(previous) }
    }

    /// A model (named by its manifest, or by its directory when that is unreadable) was
    /// refused by the gate.
    func refused(_ name: String) {
        registry.makeCounter(
            descriptor: Self.loads,
            labels: [("model", name), ("result", "refused")]
        ).increment()
    }

    /// A model left the repository.
    func removed(_ name: String) {
        if let gauge = info.withLock({ $0.removeValue(forKey: name) }) {
            registry.unregisterGauge(gauge)
        }
    }

    func keys(_ count: Int) {
        registry.makeGauge(
            descriptor: .named(
                "predict_api_keys", help: "API keys in force; 0 when keys are not required.")
        ).set(to: Double(count))
    }
}
