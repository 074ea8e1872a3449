/// The one error type of PredictService: a request that cannot be answered, or a model
/// bundle that cannot be served.
///
/// Request errors carry the HTTP status, the headers that status needs (`Allow` on a 405,
/// `WWW-Authenticate` on a 401) and a stable machine-readable `code`; `field` names the
/// offending input (`age`, `instances[3].job`) when there is one. Model errors use the code
/// `invalid_model` and are only ever raised while loading.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let message: String
    public let field: String?
    /// Headers the answer must carry besides Content-Type.
    public let headers: [Response.Header]

    public init(
        status: Int, code: String, message: String, field: String? = nil,
        headers: [Response.Header] = []
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }

    /// The same error with its field placed under a prefix, e.g. `instances[2].`.
    func nested(under prefix: String) -> ServiceError {
        ServiceError(
            status: status, code: code, message: message,
            field: field.map { prefix + $0 } ?? String(prefix.dropLast()), headers: headers)
    }
}

extension ServiceError {
    static func malformedJSON(_ message: String) -> ServiceError {
        ServiceError(status: 400, code: "malformed_json", message: message)
    }

    static func invalidBody(_ message: String, field: String? = nil) -> ServiceError {
        ServiceError(status: 400, code: "invalid_body", message: message, field: field)
    }

    static func missingField(_ field: String, expected: String) -> ServiceError {
        ServiceError(
            status: 400, code: "missing_field",
            message: "required feature '\(field)' is missing; expected \(expected)", field: field)
    }

    static func nullValue(_ field: String, expected: String) -> ServiceError {
        ServiceError(
            status: 400, code: "null_value",
            message: "feature '\(field)' may not be null; expected \(expected)", field: field)
    }

    static func wrongType(_ field: String, expected: String, found: String) -> ServiceError {
        ServiceError(
            status: 400, code: "wrong_type",
            message: "feature '\(field)' must be \(expected), found \(found)", field: field)
    }

    static func nonFiniteNumber(_ field: String) -> ServiceError {
        ServiceError(
            status: 400, code: "non_finite_number",
            message: "feature '\(field)' must be a finite number; it overflows a 64-bit float",
            field: field)
    }

    static func unknownField(_ field: String, suggestion: String?) -> ServiceError {
        var message = "'\(field)' is not a feature of this model"
        if let suggestion { message += "; did you mean '\(suggestion)'?" }
        return ServiceError(status: 400, code: "unknown_field", message: message, field: field)
    }

    static func duplicateField(_ field: String) -> ServiceError {
        ServiceError(
            status: 400, code: "duplicate_field",
            message: "feature '\(field)' appears more than once", field: field)
    }

    static func batchTooLarge(_ count: Int, limit: Int) -> ServiceError {
        ServiceError(
            status: 413, code: "batch_too_large",
            message: "a batch may hold at most \(limit) instances, found \(count)",
            field: "instances")
    }

    static func notFound(_ path: String) -> ServiceError {
        ServiceError(
            status: 404, code: "not_found",
            message: "no route for '\(path)'; routes are POST /predict, GET /health, GET /model, "
                + "GET /models, GET /models/{name}, POST /models/{name}/predict, GET /metrics, "
                + "the Open Inference Protocol under /v2 and the page at GET /")
    }

    static func unknownModel(_ name: String, known: [String]) -> ServiceError {
        ServiceError(
            status: 404, code: "model_not_found",
            message: "no model named '\(name)'; served models are "
                + (known.isEmpty ? "none" : known.map { "'\($0)'" }.joined(separator: ", ")))
    }

    static func unknownVersion(
        _ version: String, of model: String, served: String
    )
        -> ServiceError
    {
        ServiceError(
            status: 404, code: "version_not_found",
            message: "model '\(model)' has no version '\(version)'; it serves '\(served)'")
    }

    static func noDefaultModel(_ known: [String]) -> ServiceError {
        ServiceError(
            status: 404, code: "no_default_model",
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
            status: 401, code: "unauthorized", message: reason,
            headers: [Response.Header(name: "WWW-Authenticate", value: challenge)])
    }

    static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> ServiceError
    {
        ServiceError(
            status: 405, code: "method_not_allowed",
            message:
                "\(method) is not allowed on \(path); use \(allowed.joined(separator: " or "))",
            headers: [Response.Header(name: "Allow", value: allowed.joined(separator: ", "))])
    }

    static func lengthRequired() -> ServiceError {
        ServiceError(
            status: 411, code: "length_required",
            message: "this route needs a JSON body with a Content-Length")
    }

    static func payloadTooLarge(_ length: Int, limit: Int) -> ServiceError {
        ServiceError(
            status: 413, code: "payload_too_large",
            message: "the body has \(length) bytes; the limit is \(limit)")
    }

    static func unsupportedMediaType(_ found: String?) -> ServiceError {
        ServiceError(
            status: 415, code: "unsupported_media_type",
            message: "the body must be sent as Content-Type: application/json, found "
                + (found.map { "'\($0)'" } ?? "none"))
    }

    static func invalidModel(_ message: String) -> ServiceError {
        ServiceError(status: 500, code: "invalid_model", message: message)
    }

    static func invalidKeys(_ message: String) -> ServiceError {
        ServiceError(status: 500, code: "invalid_keys", message: message)
    }

    static func internalError(_ message: String) -> ServiceError {
        ServiceError(status: 500, code: "internal_error", message: message)
    }
}
