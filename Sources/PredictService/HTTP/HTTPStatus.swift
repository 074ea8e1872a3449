/// The statuses the worker answers with (nginx answers the others itself), and the reason
/// phrase of each for the CGI `Status:` line.
public enum HTTPStatus: Int, Sendable {
    case ok = 200
    case badRequest = 400
    case unauthorized = 401
    case notFound = 404
    case methodNotAllowed = 405
    case lengthRequired = 411
    case contentTooLarge = 413
    case unsupportedMediaType = 415
    case internalServerError = 500

    /// The number, as it goes on the wire and into the metrics.
    public var code: Int { rawValue }

    public var reasonPhrase: String {
        switch self {
        case .ok: "OK"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .lengthRequired: "Length Required"
        case .contentTooLarge: "Content Too Large"
        case .unsupportedMediaType: "Unsupported Media Type"
        case .internalServerError: "Internal Server Error"
        }
    }
}
