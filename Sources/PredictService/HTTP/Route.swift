/// Where a request goes, read from its path alone (no model is looked up yet).
enum Route: Equatable {
    case predict(model: String?)
    case health
    case document(model: String?)
    case list
    case metrics
    case serverMetadata
    case live
    case ready
    case modelMetadata(String, version: String?)
    case modelReady(String, version: String?)
    case infer(String, version: String?)
    /// The page for trying a model (`/`, `/ui`) and its files under `/ui/`.
    case ui(UIAsset)
    case unknown

    /// Paths match exactly: `/predict/` and `//predict` are not `/predict`.
    init(path: String) {
        // The hot route without splitting the path.
        if path == "/predict" {
            self = .predict(model: nil)
            return
        }
        if path == "/" {
            self = .ui(.page)
            return
        }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map(String.init)
        guard path.hasPrefix("/"), !parts.contains("") else {
            self = .unknown
            return
        }
        switch parts.first {
        case "v2": self = Self.openInference(Array(parts.dropFirst()))
        case "models":
            switch parts.count {
            case 1: self = .list
            case 2: self = .document(model: parts[1])
            case 3 where parts[2] == "predict": self = .predict(model: parts[1])
            default: self = .unknown
            }
        case "ui":
            switch parts.count {
            case 1: self = .ui(.page)
            case 2: self = UIAsset(fileName: parts[1]).map(Route.ui) ?? .unknown
            default: self = .unknown
            }
        default:
            switch parts {
            case ["predict"]: self = .predict(model: nil)
            case ["health"]: self = .health
            case ["model"]: self = .document(model: nil)
            case ["metrics"]: self = .metrics
            default: self = .unknown
            }
        }
    }

    /// `/v2`, `/v2/health/{live,ready}`, `/v2/models/{name}[/versions/{v}][/ready|/infer]`.
    private static func openInference(_ parts: [String]) -> Route {
        if parts.isEmpty { return .serverMetadata }
        if parts == ["health", "live"] { return .live }
        if parts == ["health", "ready"] { return .ready }
        guard parts.count >= 2, parts[0] == "models" else { return .unknown }
        let name = parts[1]
        var rest = parts.dropFirst(2)
        var version: String?
        if rest.first == "versions" {
            guard rest.count >= 2 else { return .unknown }
            version = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        switch Array(rest) {
        case []: return .modelMetadata(name, version: version)
        case ["ready"]: return .modelReady(name, version: version)
        case ["infer"]: return .infer(name, version: version)
        default: return .unknown
        }
    }

    var methods: [String] {
        switch self {
        case .predict, .infer: ["POST"]
        default: ["GET", "HEAD"]
        }
    }

    /// Health checks and metrics answer without a key (nginx keeps /metrics off the internet),
    /// and so does the page: a browser cannot send a key when it navigates, and the page is
    /// static (its script sends the key the user types to the API).
    var needsKey: Bool {
        switch self {
        case .health, .live, .ready, .metrics, .ui, .unknown: false
        default: true
        }
    }

    /// Whether errors take the protocol's `{"error": "..."}` shape instead of the service's.
    var isOpenInference: Bool {
        switch self {
        case .serverMetadata, .live, .ready, .modelMetadata, .modelReady, .infer: true
        default: false
        }
    }

    var label: RouteLabel {
        switch self {
        case .predict(model: .none): .predict
        case .predict: .modelPredict
        case .infer: .infer
        case .document: .model
        case .list: .models
        case .serverMetadata, .modelMetadata, .modelReady: .v2Metadata
        case .health, .live, .ready: .health
        case .metrics: .metrics
        case .ui: .ui
        case .unknown: .other
        }
    }
}
