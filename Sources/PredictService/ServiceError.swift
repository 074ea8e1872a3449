import ONNXRuntime

/// A request that cannot be answered: what PredictService's routes throw and answer with.
///
/// The `code` is the stable machine-readable kind a client reads, and fixes the `status`;
/// the error carries the headers that status needs (`Allow` on a 405, `WWW-Authenticate` on
/// a 401) and renders itself (`response(openInference:)`). `field` names the offending input
/// (`age`, `instances[3].job`) when there is one. A model, repository or keys file that
/// cannot be loaded is the other channel, `LoadError`, which is never answered to a client.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String
    public let field: String?
    /// Headers the answer must carry besides Content-Type.
    public let headers: [Response.Header]

    public init(
        _ code: Code, message: String, field: String? = nil, headers: [Response.Header] = []
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    /// The status the error is answered with: its code's.
    public var status: HTTPStatus { code.status }

    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }

    /// The same error with its field placed under a prefix, e.g. `instances[2].`.
    func nested(under prefix: String) -> ServiceError {
        ServiceError(
            code, message: message,
            field: field.map { prefix + $0 } ?? String(prefix.dropLast()), headers: headers)
    }
}

extension ServiceError {
    static func malformedJSON(_ message: String) -> ServiceError {
        ServiceError(.malformedJSON, message: message)
    }

    static func invalidBody(_ message: String, field: String? = nil) -> ServiceError {
        ServiceError(.invalidBody, message: message, field: field)
    }

    static func missingField(_ field: String, expected: String) -> ServiceError {
        ServiceError(
            .missingField,
            message: "required feature '\(field)' is missing; expected \(expected)", field: field)
    }

    static func nullValue(_ field: String, expected: String) -> ServiceError {
        ServiceError(
            .nullValue,
            message: "feature '\(field)' may not be null; expected \(expected)", field: field)
    }

    static func wrongType(_ field: String, expected: String, found: String) -> ServiceError {
        ServiceError(
            .wrongType,
            message: "feature '\(field)' must be \(expected), found \(found)", field: field)
    }

    static func nonFiniteNumber(_ field: String) -> ServiceError {
        ServiceError(
            .nonFiniteNumber,
            message: "feature '\(field)' must be a finite number; it overflows a 64-bit float",
            field: field)
    }

    static func unknownField(_ field: String, suggestion: String?) -> ServiceError {
        var message = "'\(field)' is not a feature of this model"
        if let suggestion { message += "; did you mean '\(suggestion)'?" }
        return ServiceError(.unknownField, message: message, field: field)
    }

    static func duplicateField(_ field: String) -> ServiceError {
        ServiceError(
            .duplicateField, message: "feature '\(field)' appears more than once", field: field)
    }

    /// The runtime's error while the graph ran on an accepted input. A feed it refuses
    /// (`invalidInput`: a shape or batch size this graph does not take) is the request's
    /// doing, a 400; any other kind is the server's, a 500.
    static func evaluation(_ error: ModelError) -> ServiceError {
        guard error.kind == .invalidInput else {
            return .internalError("the model could not evaluate the input: \(error)")
        }
        return ServiceError(
            .invalidInput, message: "the model refused the input: \(error.message)")
    }

    static func batchTooLarge(_ count: Int, limit: Int) -> ServiceError {
        ServiceError(
            .batchTooLarge,
            message: "a batch may hold at most \(limit) instances, found \(count)",
            field: "instances")
    }

    static func notFound(_ path: String) -> ServiceError {
        ServiceError(
            .notFound,
            message: "no route for '\(path)'; routes are POST /predict, GET /health, GET /model, "
                + "GET /models, GET /models/{name}, POST /models/{name}/predict, GET /metrics, "
                + "the Open Inference Protocol under /v2 and the page at GET /")
    }

    static func unknownModel(_ name: String, known: [String]) -> ServiceError {
        ServiceError(
            .modelNotFound,
            message: "no model named '\(name)'; served models are "
                + (known.isEmpty ? "none" : known.map { "'\($0)'" }.joined(separator: ", ")))
    }

    static func unknownVersion(
        _ version: String, of model: String, served: String
    )
        -> ServiceError
    {
        ServiceError(
            .versionNotFound,
            message: "model '\(model)' has no version '\(version)'; it serves '\(served)'")
    }

    static func noDefaultModel(_ known: [String]) -> ServiceError {
        ServiceError(
            .noDefaultModel,
            message:
                "this server has no default model; use POST /models/{name}/predict with one of "
                + known.map { "'\($0)'" }.joined(separator: ", "))
    }

    /// 401 with the challenge RFC 6750 asks for; `reason` says what was wrong with the key.
    static func unauthorized(_ reason: String, invalidToken: Bool) -> ServiceError {
        let challenge =
            invalidToken
            ? #"Bearer realm="predict-fcgi", error="invalid_token""#
            : #"Bearer realm="predict-fcgi""#
        return ServiceError(
            .unauthorized, message: reason,
            headers: [Response.Header(name: "WWW-Authenticate", value: challenge)])
    }

    /// 405 with the `Allow` header listing the route's methods.
    static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> ServiceError
    {
        ServiceError(
            .methodNotAllowed,
            message:
                "\(method) is not allowed on \(path); use \(allowed.joined(separator: " or "))",
            headers: [Response.Header(name: "Allow", value: allowed.joined(separator: ", "))])
    }

    static func lengthRequired() -> ServiceError {
        ServiceError(
            .lengthRequired, message: "this route needs a JSON body with a Content-Length")
    }

    static func payloadTooLarge(_ length: Int, limit: Int) -> ServiceError {
        ServiceError(
            .payloadTooLarge, message: "the body has \(length) bytes; the limit is \(limit)")
    }

    static func unsupportedMediaType(_ found: String?) -> ServiceError {
        ServiceError(
            .unsupportedMediaType,
            message: "the body must be sent as Content-Type: application/json, found "
                + (found.map { "'\($0)'" } ?? "none"))
    }

    static func internalError(_ message: String) -> ServiceError {
        ServiceError(.internalError, message: message)
    }
}
