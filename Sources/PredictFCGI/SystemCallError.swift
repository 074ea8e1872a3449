import CFastCGI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C call that failed: its name and its error. `code` follows libfcgi's convention for a
/// stream's error (FCGX_GetError), so that one type serves the socket calls and libfcgi's:
/// positive, an errno; negative, one of libfcgi's own codes (FCGX_PROTOCOL_ERROR and the rest).
struct SystemCallError: Error, CustomStringConvertible {
    let operation: StaticString
    let code: Int32

    var description: String {
        let kind = code > 0 ? "errno" : "libfcgi error"
        return "\(operation) failed: \(reason) (\(kind) \(code))"
    }

    private var reason: String {
        switch code {
        case 1...: String(cString: strerror(code))
        case FCGX_UNSUPPORTED_VERSION: "unsupported FastCGI version"
        case FCGX_PROTOCOL_ERROR: "FastCGI protocol error, or the peer closed mid-record"
        case FCGX_PARAMS_ERROR: "malformed FastCGI parameters"
        case FCGX_CALL_SEQ_ERROR: "FastCGI call out of sequence"
        // Codes fcgiapp.c returns without naming them in fcgiapp.h.
        case -9997: "libfcgi's initialisation failed without an errno"
        case -9998: "libfcgi is not initialised (FCGX_Init)"
        case -9999: "accept failed without an errno"
        default: "no error code"
        }
    }
}
