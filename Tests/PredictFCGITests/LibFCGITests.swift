import CFastCGI
import Dispatch
import Glibc
import PredictService
import Synchronization
import Testing

@testable import PredictFCGI

/// FastCGI records as nginx writes them (FastCGI 1.0 spec, section 3), for request id 1.
private enum Wire {
    static func record(_ type: UInt8, _ content: [UInt8]) -> [UInt8] {
        [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }

    /// BEGIN_REQUEST (responder, connection not kept), the parameters, then `body` as one
    /// STDIN record, ended by an empty one unless `ended` is false.
    static func request(
        _ parameters: [(String, String)], body: [UInt8], ended: Bool = true
    )
        -> [UInt8]
    {
        let pairs = parameters.flatMap { name, value in
            [UInt8(name.utf8.count), UInt8(value.utf8.count)] + Array(name.utf8) + Array(value.utf8)
        }
        return record(1, [0, 1, 0, 0, 0, 0, 0, 0]) + record(4, pairs) + record(4, [])
            + record(5, body) + (ended ? record(5, []) : [])
    }
}

/// A connected socket pair: the worker's end, handed to a request as the gate hands one, and
/// the peer's end, standing in for nginx.
private final class Connection {
    let fastCGI = SystemCall.FastCGI.live
    let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
    let worker: Int32
    /// -1 once the peer has hung up: closing a number twice could close another test's
    /// descriptor that reuses it, as the suite's tests run in parallel.
    private(set) var peer: Int32
    var exchange: FastCGIExchange { FastCGIExchange(request: request, fastCGI: fastCGI) }

    /// Sends `bytes` from the peer, then shuts the peer's side if `shut`.
    init(sending bytes: [UInt8], shut: Bool = false) throws {
        // FCGX_Init also installs a SIGPIPE handler that does nothing, so that a write to a
        // peer that has gone fails with EPIPE instead of ending this process.
        try fastCGI.initialize()
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        (worker, peer) = (ends[0], ends[1])
        #expect(
            bytes.withUnsafeBytes { Glibc.write(peer, $0.baseAddress, $0.count) } == bytes.count)
        if shut { shutdown(peer, Int32(SHUT_WR)) }
        try fastCGI.initRequest(request, listenSocket: -1)
    }

    /// Has libfcgi read the request's head from the worker's end, as a serving thread does.
    func accept() throws(SystemCallError) {
        try fastCGI.accept(request, connection: worker)
    }

    /// Everything the peer receives while `answer` runs, read on another thread until the
    /// worker's end shuts its side; the peer then shuts its own, as nginx closes, which ends
    /// libfcgi's wait for it when it closes the connection.
    func received(during answer: () throws -> Void) throws -> [UInt8] {
        let reply = Reply()
        let peer = peer
        DispatchQueue.global().async {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(peer, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                reply.bytes.withLock { $0 += chunk[..<count] }
            }
            shutdown(peer, Int32(SHUT_WR))
            reply.done.signal()
        }
        try answer()
        reply.done.wait()
        return reply.bytes.withLock { $0 }
    }

    /// The peer goes away, as nginx does when its client disconnects.
    func hangUp() {
        close(peer)
        peer = -1
    }

    deinit {
        fastCGI.free(request)
        request.deallocate()
        if peer >= 0 { close(peer) }
    }
}

/// What the peer received, filled in by its reading thread.
private final class Reply: Sendable {
    let bytes = Mutex<[UInt8]>([])
    let done = DispatchSemaphore(value: 0)
}

private let parameters = [
    ("REQUEST_METHOD", "POST"), ("DOCUMENT_URI", "/predict"), ("CONTENT_LENGTH", "5"),
]

@Suite("libfcgi itself, through the seam, over a socket pair")
struct LibFCGITests {
    @Test("a connection libfcgi cannot read is closed, and the error is EBADF of its next accept")
    func unreadable() throws {
        // The peer goes away before its BEGIN_REQUEST: libfcgi closes the connection and,
        // holding none, accepts on the request's listening socket, which is -1.
        let connection = try Connection(sending: [], shut: true)
        let error = try #require(throws: SystemCallError.self) { try connection.accept() }
        #expect("\(error.operation)" == "FCGX_Accept_r")
        #expect(error.code == EBADF)
        var byte: UInt8 = 0
        #expect(read(connection.peer, &byte, 1) == 0)
    }

    @Test("a request is read and answered, and the answer ends with END_REQUEST")
    func answered() throws {
        let connection = try Connection(
            sending: Wire.request(parameters, body: Array("hello".utf8)))
        try connection.accept()
        let exchange = connection.exchange
        #expect(exchange.head.method == "POST" && exchange.head.path == "/predict")
        #expect(try exchange.readBody(5) == Array("hello".utf8))
        let reply = try connection.received {
            try exchange.respond(Response(status: .ok, body: Array("{}".utf8)))
        }
        #expect(String(decoding: reply, as: UTF8.self).contains("Status: 200 OK\r\n"))
        // The last record is END_REQUEST (type 3) with its 8-byte body.
        #expect(reply.count > 16 && reply[reply.count - 15] == 3)
    }

    @Test("a peer that has gone makes the answer fail with EPIPE, named FCGX_PutStr")
    func peerGone() throws {
        let connection = try Connection(
            sending: Wire.request(parameters, body: Array("hello".utf8)))
        try connection.accept()
        connection.hangUp()
        // Larger than libfcgi's 8 KiB buffer, so that FCGX_PutStr itself sends.
        let answer = Response(status: .ok, body: [UInt8](repeating: 0x20, count: 64 << 10))
        let error = try #require(throws: SystemCallError.self) {
            try connection.exchange.respond(answer)
        }
        #expect("\(error.operation)" == "FCGX_PutStr")
        #expect(error.code == EPIPE)
    }

    @Test("a peer that stops sending mid-body makes the read fail, not come back short")
    func peerClosedMidBody() throws {
        // The STDIN record declares 5 bytes; the peer sends 2 of them and shuts its side.
        let bytes = Wire.request(parameters, body: Array("hello".utf8), ended: false)
        let connection = try Connection(sending: Array(bytes.dropLast(3)), shut: true)
        try connection.accept()
        let error = try #require(throws: SystemCallError.self) {
            try connection.exchange.readBody(5)
        }
        #expect("\(error.operation)" == "FCGX_GetStr")
        #expect(error.code == FCGX_PROTOCOL_ERROR)
    }
}
