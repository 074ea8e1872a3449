/// What the worker knows of a request before reading its body: the FastCGI parameters
/// nginx passes (`REQUEST_METHOD`, `DOCUMENT_URI`, `CONTENT_TYPE`, `CONTENT_LENGTH`,
/// `REQUEST_ID`, `HTTP_AUTHORIZATION`).
public struct RequestHead: Sendable {
    public var method: String
    /// The normalised path without the query string.
    public var path: String
    public var contentType: String?
    /// nil when the request has no usable Content-Length.
    public var contentLength: Int?
    /// The request id (the client's checked X-Request-ID, or nginx's `$request_id`), for
    /// correlating log lines with the access log.
    public var requestID: String?
    /// The `Authorization` header (`HTTP_AUTHORIZATION`), for API keys.
    public var authorization: String?

    public init(
        method: String, path: String, contentType: String? = nil, contentLength: Int? = nil,
        requestID: String? = nil, authorization: String? = nil
    ) {
        self.method = method
        self.path = path
        self.contentType = contentType
        self.contentLength = contentLength
        self.requestID = requestID
        self.authorization = authorization
    }
}
