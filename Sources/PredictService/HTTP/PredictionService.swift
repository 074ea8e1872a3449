import Logging
import Synchronization

/// Answers the HTTP API, the Open Inference Protocol and `/metrics` from the served models:
/// routing, keys, body checks, decoding, prediction and encoding. It knows nothing of
/// FastCGI, so tests drive it in-process.
///
/// Each worker thread answers through its own `ServiceWorker`. A reload publishes a new
/// snapshot of models and keys; a worker sees it through one atomic load per request, and
/// each request is answered by the snapshot that was current when it started.
public final class PredictionService: Sendable {
    /// Where the models come from: one model (directory or .onnx file) or a repository.
    public enum Source: Sendable {
        case model(path: String)
        case repository(ModelRepository)
    }

    /// The server's version in `GET /v2`.
    public static let version = "0.11.0"

    public let limits: ServiceLimits
    public let metrics: ServiceMetrics?
    let logger: Logger
    let serverDocument = InferenceEncoder.server(version: PredictionService.version)
    private let source: Source?
    private let defaultName: String?
    private let keysPath: String?
    private let snapshot: Mutex<ServingSnapshot>
    private let publications = Atomic<Int>(0)

    /// Serves one bundle that is already loaded, with no source to reload from.
    public init(
        bundle: ModelBundle, limits: ServiceLimits = ServiceLimits(),
        metrics: ServiceMetrics? = nil, keyring: APIKeyring? = nil, logger: Logger
    ) {
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
        source = nil
        defaultName = bundle.name
        keysPath = nil
        metrics?.loaded(bundle)
        metrics?.keys(keyring?.entries.count ?? 0)
        snapshot = Mutex(
            ServingSnapshot(
                models: [ServedModel(bundle, directory: nil, metrics: metrics)],
                defaultName: bundle.name, keyring: keyring, metrics: metrics))
    }

    /// Loads the models of `source` (a repository's through the reload gate, each on its own)
    /// and the keys file. Fails when no model can be served, when the default model cannot,
    /// or when the keys file cannot be read.
    public init(
        source: Source, defaultModel: String? = nil, keysPath: String? = nil,
        limits: ServiceLimits = ServiceLimits(), metrics: ServiceMetrics? = nil, logger: Logger
    ) throws(LoadError) {
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
        self.source = source
        self.keysPath = keysPath
        let keyring = try keysPath.map { path throws(LoadError) in
            try APIKeyFile.read(path: path)
        }
        var models: [ServedModel] = []
        switch source {
        case .model(let path):
            let bundle = try ModelBundle.load(path: path)
            if let defaultModel, defaultModel != bundle.name {
                throw .invalidConfiguration(
                    "--default-model \(defaultModel): \(path) is '\(bundle.name)'")
            }
            models = [ServedModel(bundle, directory: path, metrics: metrics)]
        case .repository(let repository):
            let (admitted, refused) = try repository.scan()
            for refusal in refused {
                logger.error(
                    "model refused",
                    metadata: [
                        "model.directory": "\(refusal.directory)", "reason": "\(refusal.reason)",
                    ])
                metrics?.refused(Self.directoryName(refusal.directory))
            }
            models = admitted.map {
                ServedModel($0.bundle, directory: $0.directory, metrics: metrics)
            }
            guard !models.isEmpty else {
                throw .invalidConfiguration(
                    "no model under \(repository.path) can be served"
                        + (refused.isEmpty
                            ? " (no directory holds a model.json)"
                            : ": "
                                + refused.map { "\($0.directory): \($0.reason)" }.joined(
                                    separator: "; ")))
            }
        }
        let names = models.map(\.bundle.name)
        if let defaultModel {
            guard names.contains(defaultModel) else {
                throw .invalidConfiguration(
                    "the default model '\(defaultModel)' is not served; models are "
                        + names.joined(separator: ", "))
            }
            defaultName = defaultModel
        } else {
            guard names.count == 1 else {
                throw .invalidConfiguration(
                    "several models are served (\(names.joined(separator: ", "))); name the one "
                        + "POST /predict serves with --default-model")
            }
            defaultName = names[0]
        }
        for model in models { metrics?.loaded(model.bundle) }
        metrics?.keys(keyring?.entries.count ?? 0)
        snapshot = Mutex(
            ServingSnapshot(
                models: models, defaultName: defaultName, keyring: keyring, metrics: metrics))
    }

    /// A worker for the calling thread, with a metrics shard of its own.
    public func makeWorker() -> ServiceWorker {
        ServiceWorker(service: self, shard: metrics?.requests.makeShard())
    }

    /// Answers one request on a worker of its own, without metrics (tests and benchmarks).
    public func handle(_ head: RequestHead, readBody: (Int) throws -> [UInt8]) -> Response {
        ServiceWorker(service: self, shard: nil).handle(head, readBody: readBody)
    }

    /// The default model's bundle.
    public var bundle: ModelBundle {
        snapshot.withLock { $0.defaultModel!.bundle }
    }

    /// Every served bundle, in name order.
    public var bundles: [ModelBundle] {
        snapshot.withLock { current in current.names.map { current.models[$0]!.bundle } }
    }

    /// Serves `bundle` under its name from the next request on (the default model's name
    /// stays the default).
    public func replace(with bundle: ModelBundle) {
        let current = snapshot.withLock { $0 }
        var models = current.models
        models[bundle.name] = ServedModel(
            bundle, directory: models[bundle.name]?.directory, metrics: metrics)
        metrics?.loaded(bundle)
        publish(
            ServingSnapshot(
                models: Array(models.values), defaultName: defaultName, keyring: current.keyring,
                metrics: metrics))
    }

    var generation: Int { publications.load(ordering: .acquiring) }

    func published() -> (ServingSnapshot, Int) {
        snapshot.withLock { ($0, publications.load(ordering: .acquiring)) }
    }

    private func publish(_ next: ServingSnapshot) {
        snapshot.withLock { current in
            current = next
            publications.add(1, ordering: .releasing)
        }
    }

    // MARK: - Reload

    /// What a reload did: models that now serve a new version (or newly), models it refused
    /// (each keeps serving what it served before, if anything), and models it removed.
    public struct ReloadReport: Sendable, Equatable {
        public var loaded: [String] = []
        public var refused: [String] = []
        public var removed: [String] = []
        public var keysRefused = false
    }

    /// SIGHUP: reads the source and the keys file again. Each model passes the gate on its
    /// own; a refused one keeps its previous version serving; a model whose directory is gone
    /// is removed, unless it is the default one. A keys file that cannot be read keeps the
    /// keys in force.
    @discardableResult
    public func reload() -> ReloadReport {
        let current = snapshot.withLock { $0 }
        var report = ReloadReport()
        var models = current.models
        switch source {
        case nil:
            break
        case .model(let path)?:
            // One model serves under one name: a renamed one would not be the default.
            var claimed: [String: String] = [:]
            admit(
                path, directory: path, into: &models, claimed: &claimed, current: current,
                report: &report, expectedName: defaultName)
        case .repository(let repository)?:
            reloadRepository(repository, into: &models, current: current, report: &report)
        }

        var keyring = current.keyring
        if let keysPath {
            do {
                keyring = try APIKeyFile.read(path: keysPath)
                let count = keyring?.entries.count ?? 0
                if count != current.keyring?.entries.count
                    || keyring?.entries != current.keyring?.entries
                {
                    logger.info("keys reloaded", metadata: ["keys": "\(count)"])
                }
                metrics?.keys(count)
            } catch {
                report.keysRefused = true
                logger.error(
                    "keys reload refused",
                    metadata: ["keys.file": "\(keysPath)", "reason": "\(error.message)"])
            }
        }
        publish(
            ServingSnapshot(
                models: Array(models.values), defaultName: defaultName, keyring: keyring,
                metrics: metrics))
        logger.info(
            "reload finished",
            metadata: [
                "models.loaded": "\(report.loaded.count)",
                "models.refused": "\(report.refused.count)",
                "models.removed": "\(report.removed.count)",
                "keys.refused": "\(report.keysRefused)",
            ])
        return report
    }

    private func reloadRepository(
        _ repository: ModelRepository, into models: inout [String: ServedModel],
        current: ServingSnapshot, report: inout ReloadReport
    ) {
        let directories: [String]
        do {
            directories = try repository.directories()
        } catch {
            logger.error("reload refused", metadata: ["reason": "\(error.message)"])
            report.refused.append(repository.path)
            return
        }
        var seen = Set<String>()
        var claimed: [String: String] = [:]
        for directory in directories {
            if let name = admit(
                directory, directory: directory, into: &models, claimed: &claimed, current: current,
                report: &report)
            {
                seen.insert(name)
            } else if let kept = current.models.values.first(where: { $0.directory == directory }) {
                seen.insert(kept.bundle.name)
            }
        }
        for (name, model) in current.models where !seen.contains(name) {
            if name == defaultName {
                logger.error(
                    "reload refused",
                    metadata: [
                        "model.name": "\(name)",
                        "reason":
                            "the default model's directory \(model.directory ?? "-") is gone; it keeps serving",
                    ])
                report.refused.append(name)
                continue
            }
            models[name] = nil
            metrics?.removed(name)
            report.removed.append(name)
            logger.info(
                "model removed",
                metadata: ["model.name": "\(name)", "model.version": "\(model.bundle.version)"])
        }
    }

    /// Gates one directory; on success the model serves under its name (replacing what that
    /// name served) and the name is returned. `claimed` holds the directory each name was
    /// admitted from in this reload: two directories with one name, the first one wins.
    @discardableResult
    private func admit(
        _ path: String, directory: String, into models: inout [String: ServedModel],
        claimed: inout [String: String], current: ServingSnapshot, report: inout ReloadReport,
        expectedName: String? = nil
    ) -> String? {
        do throws(LoadError) {
            let bundle = try ModelBundle.admit(path: path)
            if let expectedName, bundle.name != expectedName {
                throw .invalidConfiguration(
                    "the model at \(path) is now named '\(bundle.name)', not '\(expectedName)'; "
                        + "restart the worker to serve it under its new name")
            }
            if let owner = claimed[bundle.name], owner != directory {
                throw .invalidConfiguration(
                    "model '\(bundle.name)' is already served from \(owner)")
            }
            claimed[bundle.name] = directory
            let previous = current.models[bundle.name]
            if previous?.bundle.sha256 != bundle.sha256
                || previous?.bundle.version != bundle.version
                || previous?.directory != directory
            {
                models[bundle.name] = ServedModel(bundle, directory: directory, metrics: metrics)
                metrics?.loaded(bundle)
                report.loaded.append(bundle.name)
                logger.info(
                    previous == nil ? "model loaded" : "model reloaded",
                    metadata: [
                        "model.name": "\(bundle.name)", "model.version": "\(bundle.version)",
                        "model.previous": "\(previous?.bundle.version ?? "-")",
                        "model.sha256": "\(bundle.sha256)",
                    ])
            }
            return bundle.name
        } catch {
            let name = current.models.values.first { $0.directory == directory }?.bundle.name
            report.refused.append(name ?? Self.directoryName(directory))
            metrics?.refused(name ?? Self.directoryName(directory))
            logger.error(
                "reload refused",
                metadata: [
                    "model.directory": "\(directory)", "model.name": "\(name ?? "-")",
                    "model.serving":
                        "\(name.flatMap { current.models[$0]?.bundle.version } ?? "-")",
                    "reason": "\(error.message)",
                ])
            return nil
        }
    }

    private static func directoryName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    // MARK: - Shared by the routes

    /// The checked, parsed JSON body of a request. `typeOptional`: a body without a
    /// Content-Type is taken as JSON (the protocol's clients, tritonclient among them, send
    /// none); a body declared as anything else is still refused.
    func readJSON(
        _ head: RequestHead, typeOptional: Bool = false, readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> JSONValue {
        try JSONParser.parse(self.readBody(head, typeOptional: typeOptional, readBody: readBody))
    }

    /// The body of a JSON request, once its type and declared length pass.
    func readBody(
        _ head: RequestHead, typeOptional: Bool = false, readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> [UInt8] {
        guard Self.isJSON(head.contentType) || (typeOptional && head.contentType == nil) else {
            throw .unsupportedMediaType(head.contentType)
        }
        guard let length = head.contentLength, length > 0 else { throw .lengthRequired() }
        guard length <= limits.maximumBodyBytes else {
            throw .payloadTooLarge(length, limit: limits.maximumBodyBytes)
        }
        let body: [UInt8]
        do {
            body = try readBody(length)
        } catch {
            throw .invalidBody("the body could not be read: \(error)")
        }
        guard body.count == length else {
            throw .invalidBody("the body has \(body.count) bytes, Content-Length said \(length)")
        }
        return body
    }

    func log(_ error: ServiceError, head: RequestHead, client: String) {
        if error.status == .internalServerError {
            logger.error(
                "request failed",
                metadata: [
                    "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                    "client": "\(client)", "error.code": "\(error.code)",
                    "error.message": "\(error.message)",
                ])
        } else {
            logger.debug(
                "request refused",
                metadata: [
                    "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                    "client": "\(client)", "http.status": "\(error.status.code)",
                    "error.code": "\(error.code)", "error.field": "\(error.field ?? "-")",
                ])
        }
    }

    /// `application/json` or an `application/<name>+json` type, whose body is UTF-8 (RFC
    /// 8259): parameters are allowed, but a charset other than UTF-8 is not JSON we can read.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        let mediaType = parts.removeFirst().trimmingSpaces().lowercased()
        let isJSONType =
            mediaType == "application/json"
            || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")
                && mediaType.count > "application/+json".count)
        guard isJSONType else { return false }
        for parameter in parts {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.first?.trimmingSpaces().lowercased() == "charset" else { continue }
            var value = pair.count == 2 ? pair[1].trimmingSpaces() : ""
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = value.dropFirst().dropLast()
            }
            guard ["utf-8", "utf8"].contains(value.lowercased()) else { return false }
        }
        return true
    }

}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
