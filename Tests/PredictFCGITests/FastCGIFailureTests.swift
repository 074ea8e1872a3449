import CFastCGI
import Glibc
import PredictService
import Synchronization
import Testing

@testable import PredictFCGI

extension SystemCall.FastCGI.Library {
    /// Every entry succeeds without touching the request or a descriptor (libfcgi's own would
    /// close fd 0 of a request that holds none); a test replaces the ones that fail.
    static var succeeding: Self {
        var library = Self()
        library.initialize = { 0 }
        library.openSocket = { _, _ in 3 }
        library.isCGI = { 0 }
        library.initRequest = { _, _, _ in 0 }
        library.accept = { _ in 0 }
        library.getParam = { _, _ in nil }
        library.getStr = { _, _, _ in 0 }
        library.putStr = { _, count, _ in count }
        library.close = { _ in 0 }
        library.getError = { _ in 0 }
        library.finish = { _ in }
        library.free = { _, _ in }
        return library
    }
}

/// How often the replaced FCGX_Finish_r ran, seen from its @Sendable closure.
private final class Finishes: Sendable {
    let count = Atomic<Int>(0)
}

/// An exchange over `library` with a request that holds no connection and no streams.
private func withExchange<Result>(
    _ library: SystemCall.FastCGI.Library, _ body: (FastCGIExchange) throws -> Result
) rethrows -> Result {
    let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
    request.initialize(to: FCGX_Request())
    request.pointee.ipcFd = -1
    defer { request.deallocate() }
    return try body(FastCGIExchange(request: request, fastCGI: .init(library: library)))
}

private let answer = Response(status: .ok, body: Array(#"{"label":"yes"}"#.utf8))

@Suite("libfcgi's failures, through a replaced function table")
struct FastCGIFailureTests {
    @Test("a failed FCGX_PutStr throws the call's name with the stream's errno")
    func failedWrite() throws {
        var library = SystemCall.FastCGI.Library.succeeding
        library.putStr = { _, _, _ in -1 }
        library.getError = { _ in EPIPE }
        let error = try withExchange(library) { exchange in
            try #require(throws: SystemCallError.self) { try exchange.write(answer) }
        }
        #expect("\(error.operation)" == "FCGX_PutStr")
        #expect(error.code == EPIPE)
        #expect(error.description == "FCGX_PutStr failed: Broken pipe (errno 32)")
    }

    @Test("a failed write still ends the request, and the write's error is the one thrown")
    func respondAfterFailedWrite() throws {
        let finishes = Finishes()
        var library = SystemCall.FastCGI.Library.succeeding
        library.putStr = { _, _, _ in -1 }
        // libfcgi keeps a stream's first error, and FCGX_FClose reports it again.
        library.close = { _ in -1 }
        library.getError = { _ in EPIPE }
        library.finish = { _ in finishes.count.add(1, ordering: .relaxed) }
        let error = try withExchange(library) { exchange in
            try #require(throws: SystemCallError.self) { try exchange.respond(answer) }
        }
        #expect("\(error.operation)" == "FCGX_PutStr")
        #expect(finishes.count.load(ordering: .relaxed) == 1)
    }

    @Test("a flush that fails as the request ends is thrown as FCGX_FClose's, after FCGX_Finish_r")
    func failedFlush() throws {
        let finishes = Finishes()
        var library = SystemCall.FastCGI.Library.succeeding
        library.close = { _ in -1 }
        library.getError = { _ in EAGAIN }
        library.finish = { _ in finishes.count.add(1, ordering: .relaxed) }
        let error = try withExchange(library) { exchange in
            try #require(throws: SystemCallError.self) { try exchange.respond(answer) }
        }
        #expect("\(error.operation)" == "FCGX_FClose")
        #expect(error.code == EAGAIN)
        #expect(finishes.count.load(ordering: .relaxed) == 1)
    }

    @Test("an answer written and flushed whole throws nothing")
    func delivered() throws {
        try withExchange(.succeeding) { exchange in try exchange.respond(answer) }
    }

    @Test("a short FCGX_GetStr ends the body, unless it left the stream's error set")
    func shortRead() throws {
        var library = SystemCall.FastCGI.Library.succeeding
        #expect(try withExchange(library) { try $0.readBody(5) } == [])
        library.getError = { _ in FCGX_PROTOCOL_ERROR }
        let error = try withExchange(library) { exchange in
            try #require(throws: SystemCallError.self) { try exchange.readBody(5) }
        }
        #expect("\(error.operation)" == "FCGX_GetStr")
        #expect(
            error.description
                == "FCGX_GetStr failed: FastCGI protocol error, or the peer closed mid-record "
                + "(libfcgi error -3)")
    }

    @Test(
        "FCGX_Accept_r's negative errno is kept as the errno, its own codes as they are",
        arguments: [
            (-EBADF, EBADF, "FCGX_Accept_r failed: Bad file descriptor (errno 9)"),
            (
                -9998, -9998,
                "FCGX_Accept_r failed: libfcgi is not initialised (FCGX_Init) (libfcgi error -9998)"
            ),
        ])
    func failedAccept(status: Int32, code: Int32, description: String) throws {
        var library = SystemCall.FastCGI.Library.succeeding
        library.accept = { _ in status }
        let error = try withExchange(library) { exchange in
            try #require(throws: SystemCallError.self) {
                try exchange.fastCGI.accept(exchange.request, connection: -1)
            }
        }
        #expect(error.code == code)
        #expect(error.description == description)
    }

    @Test("FCGX_Init's and FCGX_OpenSocket's failures keep their errno")
    func failedStart() throws {
        var library = SystemCall.FastCGI.Library.succeeding
        library.initialize = { ENOMEM }
        library.openSocket = { _, _ in
            errno = EMFILE
            return -1
        }
        let fastCGI = SystemCall.FastCGI(library: library)
        let initialization = try #require(throws: SystemCallError.self) {
            try fastCGI.initialize()
        }
        #expect("\(initialization.operation)" == "FCGX_Init" && initialization.code == ENOMEM)
        let listening = try #require(throws: SystemCallError.self) {
            _ = try fastCGI.openSocket("/run/predict-fcgi.sock", backlog: 16)
        }
        #expect("\(listening.operation)" == "FCGX_OpenSocket" && listening.code == EMFILE)
    }

    @Test("a parameter passed empty is absent, as a missing one is")
    func emptyParameter() {
        var library = SystemCall.FastCGI.Library.succeeding
        library.getParam = { name, _ in
            guard let name, String(cString: name) == "CONTENT_TYPE" else { return nil }
            let empty: StaticString = ""
            return UnsafeMutableRawPointer(mutating: empty.utf8Start)
                .assumingMemoryBound(to: CChar.self)
        }
        withExchange(library) { exchange in
            #expect(exchange.parameter("CONTENT_TYPE") == nil)
            #expect(exchange.head.contentType == nil)
            #expect(exchange.head.method == "GET" && exchange.head.path == "/")
        }
    }
}
