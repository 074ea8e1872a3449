import Foundation
import Logging
import Testing

@testable import PredictService

@Suite("API keys")
struct APIKeyTests {
    func scratchFile() -> String {
        FileManager.default.temporaryDirectory.appending(path: "keys-\(UUID().uuidString)").path
    }

    @Test("a new key is 256 random bits, URL-safe, and only its SHA-256 is stored")
    func addStoresHash() throws {
        let path = scratchFile()
        let key = try APIKeyFile.add(name: "alice", to: path, created: "2026-12-02T00:00:00Z")
        #expect(key.hasPrefix("pf_"))
        #expect(key.count == 3 + 43)
        #expect(
            key.utf8.dropFirst(3).allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            })
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(key))
        #expect(text == "alice \(SHA256.hexDigest(Array(key.utf8))) 2026-12-02T00:00:00Z\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let other = try APIKeyFile.add(name: "bob", to: path, created: "now")
        #expect(other != key)
        #expect(try APIKeyFile.read(path: path).entries.map(\.name) == ["alice", "bob"])
        #expect(throws: LoadError.self) {
            try APIKeyFile.add(name: "alice", to: path, created: "x")
        }
        #expect(throws: LoadError.self) {
            try APIKeyFile.add(name: "bad name", to: path, created: "x")
        }
        #expect(throws: LoadError.self) {
            try APIKeyFile.add(name: "anonymous", to: path, created: "x")
        }
    }

    @Test("revoke removes one key and keeps comments and the others")
    func revoke() throws {
        let path = scratchFile()
        try "# clients\n".write(toFile: path, atomically: true, encoding: .utf8)
        _ = try APIKeyFile.add(name: "alice", to: path, created: "t")
        let bob = try APIKeyFile.add(name: "bob", to: path, created: "t")
        try APIKeyFile.revoke(name: "alice", from: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# clients\n"))
        let keyring = try APIKeyFile.read(path: path)
        #expect(keyring.entries.map(\.name) == ["bob"])
        #expect(keyring.verify(authorization: "Bearer \(bob)") == .client("bob"))
        #expect(throws: LoadError.self) { try APIKeyFile.revoke(name: "alice", from: path) }
    }

    @Test("the file Ansible writes (hash('sha256') of the key) is read as keys add writes it")
    func parsesHandWritten() throws {
        let key = "pf_handwritten"
        let keyring = try APIKeyFile.parse(
            "\n# managed\nci-smoke \(SHA256.hexDigest(Array(key.utf8)))\n", origin: "keys")
        #expect(keyring.verify(authorization: "Bearer " + key) == .client("ci-smoke"))
        #expect(throws: LoadError.self) {
            try APIKeyFile.parse("alice nothex\n", origin: "keys")
        }
        #expect(throws: LoadError.self) {
            try APIKeyFile.parse(
                "a \(String(repeating: "0", count: 64))\na \(String(repeating: "1", count: 64))\n",
                origin: "k")
        }
    }

    @Test("verify: Bearer only, exact key only")
    func verify() throws {
        let path = scratchFile()
        let key = try APIKeyFile.add(name: "alice", to: path, created: "t")
        let keyring = try APIKeyFile.read(path: path)
        #expect(keyring.verify(authorization: nil) == .missing)
        #expect(keyring.verify(authorization: "") == .missing)
        #expect(keyring.verify(authorization: "Basic \(key)") == .malformed)
        #expect(keyring.verify(authorization: "Bearer") == .malformed)
        #expect(keyring.verify(authorization: "bearer \(key)") == .client("alice"))
        #expect(keyring.verify(authorization: "Bearer \(key)x") == .unknown)
        #expect(keyring.verify(authorization: "Bearer \(key.dropLast())") == .unknown)
    }

    @Test("keyed routes answer 401 with WWW-Authenticate; health stays open; SIGHUP revokes")
    func serviceRequiresKeys() throws {
        let path = scratchFile()
        let key = try APIKeyFile.add(name: "alice", to: path, created: "t")
        let service = try PredictionService(
            source: .model(path: TestModels.bankMarketingPath), keysPath: path,
            metrics: ServiceMetrics(), logger: Logger(label: "test"))
        let body = TestModels.exampleClient
        func post(_ authorization: String?, path: String = "/predict") -> Response {
            service.handle(
                RequestHead(
                    method: "POST", path: path, contentType: "application/json",
                    contentLength: body.count, authorization: authorization)
            ) { _ in body }
        }
        let missing = post(nil)
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == #"Bearer realm="predict-fcgi""#)
        #expect(try JSONParser.parse(missing.body)["error"]?["code"] == .string("unauthorized"))
        let wrong = post("Bearer pf_wrong")
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.contains("invalid_token") == true)
        let infer = post(nil, path: "/v2/models/bank-marketing/infer")
        #expect(infer.status == 401)
        #expect(
            try JSONParser.parse(infer.body)["error"].map {
                if case .string = $0 { true } else { false }
            } == true)
        #expect(post("Bearer \(key)").status == 200)
        for open in ["/health", "/v2/health/live", "/v2/health/ready", "/metrics"] {
            #expect(
                service.handle(RequestHead(method: "GET", path: open)) { _ in [] }.status == 200)
        }
        #expect(
            service.handle(RequestHead(method: "GET", path: "/models")) { _ in [] }.status == 401)

        try APIKeyFile.revoke(name: "alice", from: path)
        #expect(post("Bearer \(key)").status == 200)
        service.reload()
        #expect(post("Bearer \(key)").status == 401)
    }

    @Test("a keys file that cannot be read on reload keeps the keys in force")
    func badKeysFileKeepsKeys() throws {
        let path = scratchFile()
        let key = try APIKeyFile.add(name: "alice", to: path, created: "t")
        let service = try PredictionService(
            source: .model(path: TestModels.bankMarketingPath), keysPath: path,
            logger: Logger(label: "test"))
        try "garbage line here extra\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(service.reload().keysRefused)
        let response = service.handle(
            RequestHead(method: "GET", path: "/model", authorization: "Bearer \(key)")
        ) { _ in [] }
        #expect(response.status == 200)
    }
}
