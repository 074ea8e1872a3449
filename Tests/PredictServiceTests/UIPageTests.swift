import Logging
import Testing

@testable import PredictService

@Suite("The page at / for trying a model, in process")
struct UIPageTests {
    static let key = "pf_ui-page-test-key"

    /// Keys on: the page and its files must still answer without one.
    let service = PredictionService(
        bundle: TestModels.bankMarketing,
        keyring: try! APIKeyFile.parse(
            "tester \(APIKeyFile.hash(UIPageTests.key))\n", origin: "keys"),
        logger: Logger(label: "test"))

    private func request(_ method: String, _ path: String) -> Response {
        service.handle(RequestHead(method: method, path: path)) { _ in
            Issue.record("the body was read")
            return []
        }
    }

    private func text(_ response: Response) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    @Test(
        "serves the page at / and /ui, its script and its stylesheet, with their types",
        arguments: [
            ("/", "text/html; charset=utf-8"), ("/ui", "text/html; charset=utf-8"),
            ("/ui/app.js", "text/javascript; charset=utf-8"),
            ("/ui/app.css", "text/css; charset=utf-8"),
        ])
    func servesAssets(path: String, contentType: String) {
        let response = request("GET", path)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == contentType)
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("Cache-Control") == "no-cache")
        #expect(!response.body.isEmpty)
    }

    @Test("the page loads its own script and stylesheet, under a policy that forbids the rest")
    func pageHasPolicy() throws {
        let response = request("GET", "/")
        let page = text(response)
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains(#"<script src="/ui/app.js" defer></script>"#))
        #expect(page.contains(#"<link rel="stylesheet" href="/ui/app.css">"#))
        // Nothing inline, nothing from another host.
        #expect(!page.contains("<style"))
        #expect(!page.contains("http://") && !page.contains("https://"))
        let policy = try #require(response.header("Content-Security-Policy"))
        for directive in [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
            "form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'",
        ] {
            #expect(policy.contains(directive))
        }
        #expect(request("GET", "/ui/app.js").header("Content-Security-Policy") == nil)
    }

    @Test("the script calls the API for everything and writes text, never markup")
    func scriptUsesAPI() {
        let script = text(request("GET", "/ui/app.js"))
        for call in [#""/models""#, #""/predict""#, "sessionStorage", "textContent"] {
            #expect(script.contains(call))
        }
        #expect(!script.contains("innerHTML"))
        #expect(!script.contains("http://") && !script.contains("https://"))
    }

    @Test("answers HEAD like GET: the same status and headers (nginx drops the body)")
    func answersHead() {
        for path in ["/", "/ui", "/ui/app.js", "/ui/app.css"] {
            let get = request("GET", path)
            let head = request("HEAD", path)
            #expect(head.status == 200)
            #expect(head.headers == get.headers)
            #expect(head.body.count == get.body.count)
        }
    }

    @Test("refuses other methods with 405 and Allow")
    func refusesPost() throws {
        for path in ["/", "/ui/app.js"] {
            let response = request("POST", path)
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            let body = try JSONParser.parse(response.body)
            #expect(body["error"]?["code"] == .string("method_not_allowed"))
        }
    }

    @Test("answers other paths under /ui with the JSON 404")
    func unknownAssets() throws {
        for path in ["/ui/x", "/ui/app.js/more", "/ui/", "//", "/index.html"] {
            let response = request("GET", path)
            #expect(response.status == 404, "\(path)")
            #expect(response.header("Content-Type") == "application/json")
            let body = try JSONParser.parse(response.body)
            #expect(body["error"]?["code"] == .string("not_found"))
        }
    }

    @Test("the API behind the page still needs the key")
    func apiNeedsKey() {
        #expect(request("GET", "/models").status == 401)
        let keyed = service.handle(
            RequestHead(method: "GET", path: "/models", authorization: "Bearer \(Self.key)")
        ) { _ in [] }
        #expect(keyed.status == 200)
    }

    @Test("counts the page's requests under their own route label")
    func routeLabel() {
        #expect(Route(path: "/").label == .ui)
        #expect(Route(path: "/ui/app.css").label == .ui)
        #expect(RouteLabel.ui.template == "/ui")
    }
}
