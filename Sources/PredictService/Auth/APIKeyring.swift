/// The API keys the worker accepts: a name and the SHA-256 of each key, read from a keys file
/// (see APIKeyFile). Keys are 256 random bits, so an unsalted hash cannot be searched; the
/// file can be read by the worker without holding a usable key.
public struct APIKeyring: Sendable {
    /// The client name of requests made without a key (or when keys are not required).
    public static let anonymous = "anonymous"

    public struct Entry: Sendable, Equatable {
        public let name: String
        public let digest: [UInt8]
        /// When the key was made, as the file says (ISO 8601), if it says.
        public let created: String?
    }

    public let entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Who is calling, from the value of an `Authorization` header.
    public enum Verdict: Equatable, Sendable {
        case client(String)
        case missing
        case malformed
        case unknown
    }

    /// Checks a `Bearer` credential. Every entry is compared, in full, whatever matched
    /// earlier: the time taken does not depend on which key (or how much of one) matched.
    public func verify(authorization: String?) -> Verdict {
        guard let authorization, !authorization.isEmpty else { return .missing }
        // Bytes, not Characters: the header is ASCII when well formed, and this runs on every
        // request (PredictBench's verify-key).
        let bytes = Array(authorization.utf8)
        let space = UInt8(ascii: " ")
        guard let schemeEnd = bytes.firstIndex(of: space), schemeEnd == 6,
            bytes[0..<6].map({ $0 | 0x20 }) == Array("bearer".utf8)
        else { return .malformed }
        var start = schemeEnd
        while start < bytes.count && bytes[start] == space { start += 1 }
        let token = bytes[start...]
        guard !token.isEmpty, !token.contains(space) else { return .malformed }
        let digest = SHA256.digest(Array(token))
        var matched = -1
        for (index, entry) in entries.enumerated() {
            var difference: UInt8 = 0
            for position in 0..<32 { difference |= digest[position] ^ entry.digest[position] }
            // Branch-free select: the index where the difference is zero.
            let equal = Int(difference == 0 ? 1 : 0)
            matched = equal * index + (1 - equal) * matched
        }
        return matched >= 0 ? .client(entries[matched].name) : .unknown
    }
}
