import CFastCGI
import PredictService

/// One thread's FastCGI request, accepted again for each exchange: its parameters in, its
/// CGI-style response out, every libfcgi call through `fastCGI`.
struct FastCGIExchange {
    let request: UnsafeMutablePointer<FCGX_Request>
    let fastCGI: SystemCall.FastCGI

    /// A parameter nginx passed, nil when absent or empty.
    func parameter(_ name: String) -> String? {
        guard let value = fastCGI.parameter(name, of: request), !value.isEmpty else { return nil }
        return value
    }

    var head: RequestHead {
        let path =
            parameter("DOCUMENT_URI")
            ?? parameter("REQUEST_URI").map { String($0.prefix { $0 != "?" }) } ?? "/"
        return RequestHead(
            method: parameter("REQUEST_METHOD") ?? "GET",
            path: path,
            contentType: parameter("CONTENT_TYPE"),
            contentLength: parameter("CONTENT_LENGTH").flatMap { Int($0) },
            requestID: parameter("REQUEST_ID"),
            authorization: parameter("HTTP_AUTHORIZATION"))
    }

    /// The body, read until `length` bytes have arrived or the stream ends: a short result
    /// means the client sent less than it declared. Throws when the stream broke instead.
    func readBody(_ length: Int) throws(SystemCallError) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: length)
        var received = 0
        // The buffer calls rethrow untyped errors; a Result carries the typed one out.
        try body.withUnsafeMutableBytes { buffer in
            Result { () throws(SystemCallError) in
                while received < length {
                    let end = min(length, received + (1 << 20))
                    let chunk = try fastCGI.read(
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[received..<end]),
                        from: request)
                    guard chunk > 0 else { break }
                    received += chunk
                }
            }
        }.get()
        body.removeLast(length - received)
        return body
    }

    /// Writes `response` and ends the request, which closes the connection. The first failure
    /// is thrown once the request has ended: after a failed write libfcgi's stream is closed,
    /// and nothing more reaches the peer.
    func respond(_ response: Response) throws(SystemCallError) {
        var failure: SystemCallError?
        do {
            try write(response)
        } catch {
            failure = error
        }
        do {
            try fastCGI.finish(request)
        } catch {
            failure = failure ?? error
        }
        if let failure { throw failure }
    }

    /// The CGI header block and the body. FCGX_FPrintF is variadic and does not import, so
    /// the head is formatted here and written as bytes.
    func write(_ response: Response) throws(SystemCallError) {
        var head = "Status: \(response.statusLine)\r\n"
        for header in response.headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        try head.withUTF8 { buffer in
            Result { () throws(SystemCallError) in
                try fastCGI.write(UnsafeRawBufferPointer(buffer), to: request)
            }
        }.get()
        try response.body.withUnsafeBytes { buffer in
            Result { () throws(SystemCallError) in try fastCGI.write(buffer, to: request) }
        }.get()
    }
}
