#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The keys file: one key a line, `NAME SHA256HEX [CREATED]`, where SHA256HEX is the lowercase
/// hex SHA-256 of the key's UTF-8 bytes; blank lines and `#` comments are kept as they are.
/// `predict-fcgi keys` edits it; Ansible may write it too (the hash is Jinja's
/// `key | hash('sha256')`).
public enum APIKeyFile {
    /// What a key looks like: `pf_` and 43 URL-safe base64 characters, 256 random bits.
    public static let keyPrefix = "pf_"

    /// What the file stores of a key: its SHA-256, as 64 lowercase hex digits.
    public static func hash(_ key: String) -> String {
        SHA256.hexDigest(Array(key.utf8))
    }

    public static func read(path: String) throws(LoadError) -> APIKeyring {
        try parse(
            String(decoding: try ModelBundle.read(URL(filePath: path)), as: UTF8.self), origin: path
        )
    }

    public static func parse(_ text: String, origin: String) throws(LoadError) -> APIKeyring {
        var entries: [APIKeyring.Entry] = []
        var names = Set<String>()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            let location = "\(origin) line \(number + 1)"
            guard fields.count == 2 || fields.count == 3 else {
                throw .invalidKeys("\(location): expected 'NAME SHA256HEX [CREATED]'")
            }
            let name = String(first)
            guard isValidName(name) else {
                throw .invalidKeys(
                    "\(location): '\(name)' is not a key name (1 to 64 of A-Z a-z 0-9 . _ -)")
            }
            guard names.insert(name).inserted else {
                throw .invalidKeys("\(location): the name '\(name)' appears twice")
            }
            guard let digest = hexBytes(fields[1]), digest.count == 32 else {
                throw .invalidKeys("\(location): the hash must be 64 hex digits of a SHA-256")
            }
            entries.append(
                APIKeyring.Entry(
                    name: name, digest: digest, created: fields.count == 3 ? String(fields[2]) : nil
                ))
        }
        return APIKeyring(entries: entries)
    }

    /// Makes a key for `name`, stores its hash and returns the key: the only time it is seen.
    public static func add(
        name: String, to path: String, created: String
    ) throws(LoadError)
        -> String
    {
        guard isValidName(name), name != APIKeyring.anonymous else {
            throw .invalidKeys(
                "'\(name)' is not a key name: 1 to 64 of A-Z a-z 0-9 . _ -, and not "
                    + "'\(APIKeyring.anonymous)'")
        }
        let existing = try existingText(path)
        let keyring = try parse(existing, origin: path)
        guard !keyring.entries.contains(where: { $0.name == name }) else {
            throw .invalidKeys("\(path) already has a key named '\(name)'; revoke it first")
        }
        let key = newKey()
        var text = existing
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += "\(name) \(hash(key)) \(created)\n"
        try write(text, to: path)
        return key
    }

    /// Removes the key named `name`; the worker stops accepting it at its next reload.
    public static func revoke(name: String, from path: String) throws(LoadError) {
        let text = try existingText(path)
        let keyring = try parse(text, origin: path)
        guard keyring.entries.contains(where: { $0.name == name }) else {
            throw .invalidKeys("\(path) has no key named '\(name)'")
        }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) != name
        }
        try write(kept.joined(separator: "\n"), to: path)
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    /// 32 bytes from the system's cryptographic generator (getrandom on Linux), base64url.
    static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return keyPrefix + base64URL(bytes)
    }

    /// RFC 4648 §5 without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<(chunk.count + 1) {
                out.append(alphabet[Int((group >> (18 - 6 * UInt32(position))) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for pair in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[pair]), let low = hexValue(digits[pair + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func existingText(_ path: String) throws(LoadError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "" }
        return String(decoding: try ModelBundle.read(URL(filePath: path)), as: UTF8.self)
    }

    /// Replaces the file in one rename (an atomic write), keeping its permissions; a new
    /// file is 0600.
    private static func write(_ text: String, to path: String) throws(LoadError) {
        let manager = FileManager.default
        let permissions =
            (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o600
        do {
            try Data(text.utf8).write(to: URL(filePath: path), options: .atomic)
            try manager.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        } catch {
            throw .inaccessible("cannot write \(path): \(error)")
        }
    }
}
