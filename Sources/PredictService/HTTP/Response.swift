/// A complete answer: status, headers and a body, which the worker writes out as a
/// FastCGI (CGI-style) response.
public struct Response: Sendable {
    /// The status code as it goes on the wire, into the Status line and the metrics.
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

    public init(status: HTTPStatus, headers: [Header] = [], body: [UInt8]) {
        self.status = status.code
        self.headers = headers
        self.body = body
    }

    /// A JSON response; `Content-Type` is set here so no route forgets it.
    static func json(
        _ status: HTTPStatus, _ body: [UInt8], extraHeaders: [Header] = []
    ) -> Response {
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
        "\(status) \(HTTPStatus(rawValue: status)?.reasonPhrase ?? "Unknown")"
    }
}
