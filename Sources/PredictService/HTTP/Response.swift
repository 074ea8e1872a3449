/// A complete answer: status, headers and a body, which the worker writes out as a
/// FastCGI (CGI-style) response.
public struct Response: Sendable {
    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(status: Int, headers: [Header] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response; `Content-Type` is set here so no route forgets it.
    static func json(_ status: Int, _ body: [UInt8], extraHeaders: [Header] = []) -> Response {
        Response(
            status: status,
            headers: [Header(name: "Content-Type", value: "application/json")] + extraHeaders,
            body: body)
    }

    /// The value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The CGI `Status:` line text: the code and its reason phrase.
    public var statusLine: String {
        "\(status) \(Self.reasonPhrases[status] ?? "Unknown")"
    }

    private static let reasonPhrases: [Int: String] = [
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
        405: "Method Not Allowed",
        411: "Length Required", 413: "Content Too Large", 415: "Unsupported Media Type",
        500: "Internal Server Error", 503: "Service Unavailable",
    ]
}
