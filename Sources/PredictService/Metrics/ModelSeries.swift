/// The label values of one served model version, under a number the request counters use
/// as their key. A series outlives the version: counts of a replaced version stay exported,
/// as Prometheus counters must, until the process ends.
public final class ModelSeries: Sendable {
    /// 0 is the series of requests that concern no model (health checks, listings, 404s).
    let id: Int
    public let name: String
    public let version: String
    /// The class of each label index, for `predict_predictions_total`.
    let labels: [String]

    init(id: Int, name: String, version: String, labels: [String]) {
        self.id = id
        self.name = name
        self.version = version
        self.labels = labels
    }
}
