/// What the worker requires of a FastCGI connection before libfcgi reads from it: the
/// BEGIN_REQUEST record and the whole PARAMS stream, checked from the bytes that have arrived
/// (peeked, so libfcgi still reads them). libfcgi allocates each parameter at the size its
/// length prefix declares and aborts the process when that allocation fails, so the prefixes
/// are checked here first, before any of it is allocated.
///
/// Only what nginx sends passes: version 1, a RESPONDER BEGIN_REQUEST without FCGI_KEEP_CONN
/// (nginx runs with `fastcgi_keep_conn off`; a kept connection would bring its next request
/// to libfcgi without passing here), then PARAMS records of the same request id up to the
/// empty one that ends the stream.
public struct FastCGIPreamble {
    public enum Verdict: Equatable, Sendable {
        /// The whole preamble is there and within bounds: the connection may go to libfcgi.
        case complete
        /// Within bounds so far; more has to arrive.
        case incomplete
        /// Not what nginx sends, or over a bound; the reason is a constant phrase for the log.
        case refused(String)
    }

    /// The longest name or value: nginx's longest parameter is one request header line, at
    /// most one of its `large_client_header_buffers` (8 KiB by default).
    public static let maximumParameterBytes = 64 << 10
    /// All names and values together: nginx's request line and headers fit four 8 KiB
    /// buffers. Also far below the worker's memory limit for every thread at once, and small
    /// enough that the whole preamble fits the peer's socket buffer (about 208 KiB on Linux),
    /// which it must for a peek to see all of it.
    public static let maximumTotalParameterBytes = 128 << 10
    /// The most bytes a preamble within the bounds above can take, with record headers,
    /// padding and length prefixes; peeking this much is always enough for a verdict.
    public static let maximumBytes = 192 << 10

    private static let version: UInt8 = 1
    private static let beginRequest: UInt8 = 1
    private static let params: UInt8 = 4
    private static let responder = 1
    private static let keepConnection: UInt8 = 1
    private static let headerBytes = 8

    /// The verdict on `bytes`, the start of what a connection has sent.
    public static func inspect(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        guard bytes.count >= headerBytes + 8 else { return .incomplete }
        guard bytes[0] == version else { return .refused("unsupported FastCGI version") }
        guard bytes[1] == beginRequest, bigEndian(bytes, at: 4) == 8 else {
            return .refused("first record is not BEGIN_REQUEST")
        }
        let requestID = bigEndian(bytes, at: 2)
        guard bigEndian(bytes, at: 8) == responder else { return .refused("role is not RESPONDER") }
        guard bytes[10] & keepConnection == 0 else { return .refused("FCGI_KEEP_CONN requested") }
        var offset = headerBytes + 8 + Int(bytes[6])
        var scanner = ParameterScanner()
        while true {
            guard bytes.count >= offset + headerBytes else { return .incomplete }
            guard bytes[offset] == version, bytes[offset + 1] == params,
                bigEndian(bytes, at: offset + 2) == requestID
            else { return .refused("expected a PARAMS record of the same request") }
            let length = bigEndian(bytes, at: offset + 4)
            let padding = Int(bytes[offset + 6])
            let start = offset + headerBytes
            if length == 0 {
                return scanner.atPairBoundary ? .complete : .refused("PARAMS ends inside a pair")
            }
            let end = min(start + length, bytes.count)
            if let refusal = scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
                return .refused(refusal)
            }
            offset = start + length + padding
        }
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    /// The name-value pairs of the PARAMS stream, which may split anywhere across records:
    /// each length is one byte below 128, else four with the top bit set.
    private struct ParameterScanner {
        /// Name and value bytes still to pass before the next pair's lengths.
        private var skip = 0
        /// The length bytes of the pair being read.
        private var prefix: [UInt8] = []
        private var total = 0

        var atPairBoundary: Bool { skip == 0 && prefix.isEmpty }

        /// Reads one record's content (or the part of it that has arrived); the reason when
        /// a declared length is over a bound.
        mutating func scan(_ content: UnsafeRawBufferPointer) -> String? {
            var index = 0
            while index < content.count {
                if skip > 0 {
                    let passed = min(skip, content.count - index)
                    index += passed
                    skip -= passed
                    continue
                }
                prefix.append(content[index])
                index += 1
                guard let (name, nameEnd) = Self.length(prefix, at: 0) else { continue }
                guard name <= FastCGIPreamble.maximumParameterBytes else {
                    return "parameter name too long"
                }
                guard let (value, _) = Self.length(prefix, at: nameEnd) else { continue }
                guard value <= FastCGIPreamble.maximumParameterBytes else {
                    return "parameter value too long"
                }
                total += name + value
                guard total <= FastCGIPreamble.maximumTotalParameterBytes else {
                    return "parameters too long"
                }
                prefix.removeAll(keepingCapacity: true)
                skip = name + value
            }
            return nil
        }

        private static func length(_ prefix: [UInt8], at index: Int) -> (Int, Int)? {
            guard index < prefix.count else { return nil }
            guard prefix[index] & 0x80 != 0 else { return (Int(prefix[index]), index + 1) }
            guard prefix.count >= index + 4 else { return nil }
            let value =
                Int(prefix[index] & 0x7f) << 24 | Int(prefix[index + 1]) << 16
                | Int(prefix[index + 2]) << 8 | Int(prefix[index + 3])
            return (value, index + 4)
        }
    }
}
