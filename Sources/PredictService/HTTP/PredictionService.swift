import Logging
import Synchronization

/// Answers the HTTP API from a model bundle: routing, body checks, decoding, prediction and
/// encoding. It knows nothing of FastCGI, so tests drive it in-process.
///
/// Every worker thread calls `handle` concurrently. The served bundle can be replaced at any
/// time; each request uses the bundle that was current when it started.
public final class PredictionService: Sendable {
    public let limits: ServiceLimits
    private let logger: Logger
    private let state: Mutex<ServingState>

    /// A bundle together with the responses that only depend on it, encoded once.
    private struct ServingState: Sendable {
        let bundle: ModelBundle
        let modelDocument: [UInt8]
        let health: [UInt8]

        init(_ bundle: ModelBundle) {
            self.bundle = bundle
            modelDocument = ResponseEncoder.document(bundle.document)
            health = ResponseEncoder.health(bundle)
        }
    }

    public init(bundle: ModelBundle, limits: ServiceLimits = ServiceLimits(), logger: Logger) {
        self.limits = limits
        self.logger = logger
        state = Mutex(ServingState(bundle))
    }

    /// The bundle new requests are answered with.
    public var bundle: ModelBundle {
        state.withLock { $0.bundle }
    }

    /// Serves `bundle` from the next request on; requests already running finish on the old one.
    public func replace(with bundle: ModelBundle) {
        let next = ServingState(bundle)
        state.withLock { $0 = next }
    }

    /// Answers one request. `readBody` is called at most once, with the declared length,
    /// and only after the head has passed every check that does not need the body.
    public func handle(_ head: RequestHead, readBody: (Int) throws -> [UInt8]) -> Response {
        let current = state.withLock { $0 }
        let response: Response
        do {
            response = try route(head, current, readBody: readBody)
        } catch {
            response = Self.errorResponse(error)
            if error.status >= 500 {
                logger.error(
                    "request failed",
                    metadata: [
                        "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                        "error.code": "\(error.code)", "error.message": "\(error.message)",
                    ])
            } else {
                logger.debug(
                    "request refused",
                    metadata: [
                        "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                        "http.status": "\(error.status)", "error.code": "\(error.code)",
                        "error.field": "\(error.field ?? "-")",
                    ])
            }
            return response
        }
        logger.debug(
            "request answered",
            metadata: [
                "request.id": "\(head.requestID ?? "-")", "request.path": "\(head.path)",
                "http.status": "\(response.status)",
            ])
        return response
    }

    private func route(
        _ head: RequestHead, _ current: ServingState, readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> Response {
        switch head.path {
        case "/predict":
            try allow(head, ["POST"])
            return try predict(head, current.bundle, readBody: readBody)
        case "/health":
            try allow(head, ["GET", "HEAD"])
            return .json(200, current.health)
        case "/model":
            try allow(head, ["GET", "HEAD"])
            return .json(200, current.modelDocument)
        default:
            throw .notFound(head.path)
        }
    }

    private func allow(_ head: RequestHead, _ methods: [String]) throws(ServiceError) {
        guard methods.contains(head.method) else {
            throw .methodNotAllowed(head.method, path: head.path, allowed: methods)
        }
    }

    private func predict(
        _ head: RequestHead, _ bundle: ModelBundle, readBody: (Int) throws -> [UInt8]
    ) throws(ServiceError) -> Response {
        guard Self.isJSON(head.contentType) else { throw .unsupportedMediaType(head.contentType) }
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
        let document = try JSONParser.parse(body)
        if case .object(let members) = document, members.count == 1, members[0].key == "instances" {
            guard case .array(let instances) = members[0].value else {
                throw .invalidBody(
                    "'instances' must be an array of objects, found "
                        + members[0].value.kindDescription, field: "instances")
            }
            guard !instances.isEmpty else {
                throw .invalidBody("'instances' is empty; send at least one", field: "instances")
            }
            guard instances.count <= limits.maximumBatchSize else {
                throw .batchTooLarge(instances.count, limit: limits.maximumBatchSize)
            }
            let predictions = try bundle.predict(instances: instances)
            return .json(200, ResponseEncoder.predictions(predictions, bundle: bundle))
        }
        let prediction = try bundle.predict(instance: document)
        return .json(200, ResponseEncoder.prediction(prediction, bundle: bundle))
    }

    /// `application/json`, any `+json` type, with or without parameters such as charset.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        let trimmed = mediaType.trimmingSpaces().lowercased()
        return trimmed == "application/json"
            || (trimmed.hasPrefix("application/") && trimmed.hasSuffix("+json"))
    }

    static func errorResponse(_ error: ServiceError) -> Response {
        var extra: [Response.Header] = []
        if !error.allowedMethods.isEmpty {
            extra.append(.init(name: "Allow", value: error.allowedMethods.joined(separator: ", ")))
        }
        return .json(error.status, ResponseEncoder.error(error), extraHeaders: extra)
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
