/// The page at `/` (and `/ui`) for trying a served model in a browser, and its script and
/// stylesheet. All three are static: the script builds the form from the API's own answers,
/// so the page needs no key and shows nothing a client could not read from the API.
enum UIAsset: Equatable {
    case page
    case script
    case stylesheet

    /// The asset at `/ui/<fileName>`; nil for any other name.
    init?(fileName: String) {
        switch fileName {
        case "app.js": self = .script
        case "app.css": self = .stylesheet
        default: return nil
        }
    }

    /// The script and stylesheet are separate files so that the page's policy can forbid
    /// inline code. `img-src data:` admits the page's empty icon, which keeps browsers from
    /// asking for /favicon.ico; `form-action 'none'` holds because the script submits with
    /// fetch, never by navigating.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    var contentType: String {
        switch self {
        case .page: "text/html; charset=utf-8"
        case .script: "text/javascript; charset=utf-8"
        case .stylesheet: "text/css; charset=utf-8"
        }
    }

    var body: [UInt8] {
        switch self {
        case .page: Self.pageBytes
        case .script: Self.scriptBytes
        case .stylesheet: Self.stylesheetBytes
        }
    }

    /// The answer to GET (and HEAD, whose body nginx drops while keeping its length).
    /// `no-cache`: a browser revalidates, so a new release's page and script arrive together.
    var response: Response {
        var headers: [Response.Header] = [
            .init(name: "Content-Type", value: contentType),
            .init(name: "Cache-Control", value: "no-cache"),
            .init(name: "X-Content-Type-Options", value: "nosniff"),
        ]
        if self == .page {
            headers.append(
                .init(name: "Content-Security-Policy", value: Self.contentSecurityPolicy))
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private static let pageBytes = Array(pageDocument.utf8)
    private static let scriptBytes = Array(scriptDocument.utf8)
    private static let stylesheetBytes = Array(stylesheetDocument.utf8)
}
