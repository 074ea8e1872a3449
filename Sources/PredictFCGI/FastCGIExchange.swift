import CFastCGI
import PredictService

/// One accepted FastCGI request: its parameters in, its CGI-style response out.
struct FastCGIExchange {
    let request: UnsafeMutablePointer<FCGX_Request>

    /// FCGX_GetParam: a parameter nginx passed, nil when absent or empty.
    func parameter(_ name: String) -> String? {
        guard let value = FCGX_GetParam(name, request.pointee.envp), value.pointee != 0 else {
            return nil
        }
        return String(cString: value)
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

    /// FCGX_GetStr until `length` bytes have arrived or the stream ends; a short result means
    /// the client sent less than it declared.
    func readBody(_ length: Int) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: length)
        var received = 0
        body.withUnsafeMutableBytes { buffer in
            while received < length {
                let chunk = FCGX_GetStr(
                    buffer.baseAddress!.advanced(by: received).assumingMemoryBound(to: CChar.self),
                    Int32(min(length - received, 1 << 20)), request.pointee.in)
                guard chunk > 0 else { break }
                received += Int(chunk)
            }
        }
        body.removeLast(length - received)
        return body
    }

    /// FCGX_PutStr of the CGI header block and the body. FCGX_FPrintF is variadic and does
    /// not import, so the head is formatted here.
    func write(_ response: Response) {
        var head = "Status: \(response.statusLine)\r\n"
        for header in response.headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        head.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = FCGX_PutStr(chars.baseAddress, Int32(chars.count), request.pointee.out)
            }
        }
        response.body.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            _ = FCGX_PutStr(
                base.assumingMemoryBound(to: CChar.self), Int32(buffer.count), request.pointee.out)
        }
    }
}
