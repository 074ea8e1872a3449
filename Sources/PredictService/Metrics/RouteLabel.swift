/// The `route` label of the request metrics: the route's template, so that model names in
/// paths do not multiply series.
package enum RouteLabel: Int, Sendable, CaseIterable {
    case predict
    case modelPredict
    case infer
    case model
    case models
    case v2Metadata
    case health
    case metrics
    case ui
    case other

    var template: String {
        switch self {
        case .predict: "/predict"
        case .modelPredict: "/models/{name}/predict"
        case .infer: "/v2/models/{name}/infer"
        case .model: "/models/{name}"
        case .models: "/models"
        case .v2Metadata: "/v2/models/{name}"
        case .health: "health"
        case .metrics: "/metrics"
        case .ui: "/ui"
        case .other: "other"
        }
    }
}
