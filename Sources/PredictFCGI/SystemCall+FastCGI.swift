import CFastCGI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SystemCall {
    /// libfcgi's calls, through the same seam as the socket calls: each function wraps one
    /// FCGX_* call and throws its name with the error it left. libfcgi keeps a stream's error
    /// in the stream, not in errno (FCGX_GetError: an errno when positive, one of its FCGX_*
    /// codes when negative), so the functions that read or write fetch it at once.
    ///
    /// The C functions are called through a table, `Library`: a test replaces an entry to make
    /// a call fail as libfcgi would, and sees what the worker makes of it.
    struct FastCGI: Sendable {
        typealias Request = UnsafeMutablePointer<FCGX_Request>
        typealias Stream = UnsafeMutablePointer<FCGX_Stream>

        /// The FCGX_* functions the worker calls, by default libfcgi's own.
        struct Library: Sendable {
            var initialize: @Sendable () -> Int32 = FCGX_Init
            var openSocket: @Sendable (UnsafePointer<CChar>?, Int32) -> Int32 = FCGX_OpenSocket
            var isCGI: @Sendable () -> Int32 = FCGX_IsCGI
            var initRequest: @Sendable (Request?, Int32, Int32) -> Int32 = FCGX_InitRequest
            var accept: @Sendable (Request?) -> Int32 = FCGX_Accept_r
            var getParam:
                @Sendable (UnsafePointer<CChar>?, FCGX_ParamArray?) -> UnsafeMutablePointer<CChar>? =
                    FCGX_GetParam
            var getStr: @Sendable (UnsafeMutablePointer<CChar>?, Int32, Stream?) -> Int32 =
                FCGX_GetStr
            var putStr: @Sendable (UnsafePointer<CChar>?, Int32, Stream?) -> Int32 = FCGX_PutStr
            var close: @Sendable (Stream?) -> Int32 = FCGX_FClose
            var getError: @Sendable (Stream?) -> Int32 = FCGX_GetError
            var finish: @Sendable (Request?) -> Void = FCGX_Finish_r
            var free: @Sendable (Request?, Int32) -> Void = FCGX_Free
        }

        var library = Library()

        /// libfcgi itself.
        static let live = FastCGI()

        /// FCGX_Init, once before the first request. It returns errno, or -9997 when its OS
        /// layer failed without one.
        func initialize() throws(SystemCallError) {
            let status = library.initialize()
            guard status == 0 else { throw SystemCallError(operation: "FCGX_Init", code: status) }
        }

        /// FCGX_OpenSocket: a listening socket at `path` (a unix socket, or ":PORT"), which
        /// libfcgi unlinks first. Only socket(2)'s failure comes back, with errno: when bind or
        /// listen fails, libfcgi prints perror's line and exits the process itself.
        func openSocket(_ path: String, backlog: Int32) throws(SystemCallError) -> Int32 {
            let descriptor = library.openSocket(path, backlog)
            guard descriptor >= 0 else {
                throw SystemCallError(operation: "FCGX_OpenSocket", code: errno)
            }
            return descriptor
        }

        /// FCGX_IsCGI: whether fd 0 is not a listening socket, so that no process manager
        /// passed one. It cannot fail once FCGX_Init has succeeded (before, it exits if that
        /// fails).
        func isCGI() -> Bool {
            library.isCGI() != 0
        }

        /// FCGX_InitRequest of a request that accepts on `listenSocket` (-1: none, the worker
        /// hands each request its connection).
        func initRequest(_ request: Request, listenSocket: Int32) throws(SystemCallError) {
            let status = library.initRequest(request, listenSocket, 0)
            guard status == 0 else {
                throw SystemCallError(operation: "FCGX_InitRequest", code: status)
            }
        }

        /// FCGX_Accept_r of `connection`, handed to `request`: reads the next request's
        /// BEGIN_REQUEST and PARAMS from it. libfcgi accepts a connection itself only when the
        /// request holds none; that accept's failure comes back as -errno, beside its own
        /// negative codes (-9998 before FCGX_Init).
        func accept(_ request: Request, connection: Int32) throws(SystemCallError) {
            request.pointee.ipcFd = connection
            // FCGX_Accept_r starts by finishing the previous request, which closes the
            // connection unless it is marked kept; the BEGIN_REQUEST record then sets the
            // flag for this request (never kept: the gate refuses FCGI_KEEP_CONN).
            request.pointee.keepConnection = 1
            let status = library.accept(request)
            guard status < 0 else { return }
            throw SystemCallError(
                operation: "FCGX_Accept_r", code: status <= -9997 ? status : -status)
        }

        /// FCGX_GetParam: a parameter of the accepted request, nil when absent.
        func parameter(_ name: String, of request: Request) -> String? {
            library.getParam(name, request.pointee.envp).map { String(cString: $0) }
        }

        /// FCGX_GetStr of up to `buffer.count` bytes of the request's body (FCGI_STDIN); fewer
        /// only at its end. A short read that left the stream's error set throws it instead:
        /// a read failed or timed out (errno), or the peer closed mid-record
        /// (FCGX_PROTOCOL_ERROR).
        func read(
            into buffer: UnsafeMutableRawBufferPointer, from request: Request
        ) throws(SystemCallError) -> Int {
            let stream = request.pointee.in
            let count = library.getStr(
                buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), stream
            )
            if count < buffer.count {
                let code = library.getError(stream)
                guard code == 0 else { throw SystemCallError(operation: "FCGX_GetStr", code: code) }
            }
            return Int(count)
        }

        /// FCGX_PutStr of `bytes` to the request's answer (FCGI_STDOUT). libfcgi buffers: a
        /// write fails when a full buffer could not be sent, and the last one's failure shows
        /// only in `finish`.
        func write(_ bytes: UnsafeRawBufferPointer, to request: Request) throws(SystemCallError) {
            guard let base = bytes.baseAddress else { return }
            let stream = request.pointee.out
            let written = library.putStr(
                base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), stream)
            guard written == bytes.count else {
                throw SystemCallError(operation: "FCGX_PutStr", code: library.getError(stream))
            }
        }

        /// Ends the accepted request: FCGX_FClose of its FCGI_STDERR and FCGI_STDOUT streams,
        /// in FCGX_Finish_r's order (stdout last, so that its flush carries END_REQUEST in the
        /// same write), then FCGX_Finish_r, which frees the request's streams and, unless the
        /// connection is kept, closes it. FCGX_Finish_r reports nothing; closing the streams
        /// first is what surfaces a failed flush. Throws the first stream's error once the
        /// request has ended.
        func finish(_ request: Request) throws(SystemCallError) {
            let errorStream = close(request.pointee.err)
            let outputStream = close(request.pointee.out)
            library.finish(request)
            if let failure = errorStream ?? outputStream { throw failure }
        }

        /// FCGX_FClose of one stream: nil, or its error.
        private func close(_ stream: Stream?) -> SystemCallError? {
            guard library.close(stream) != 0 else { return nil }
            return SystemCallError(operation: "FCGX_FClose", code: library.getError(stream))
        }

        /// FCGX_Free of what the request still holds, closing its connection if it has one.
        func free(_ request: Request) {
            library.free(request, 1)
        }
    }
}
