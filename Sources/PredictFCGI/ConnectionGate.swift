import CLinux
import FastCGIProtocol
import Glibc
import Logging
import Synchronization

/// Accepts every connection itself, on one thread, and passes a connection to the worker
/// threads only once its BEGIN_REQUEST and PARAMS records have arrived within
/// `FastCGIPreamble`'s bounds. libfcgi has no read timeout and aborts on a parameter it
/// cannot allocate; here a peer that sends too much is closed before libfcgi reads a byte,
/// and a peer that sends too little holds a descriptor for `preambleTimeout`, not a thread.
///
/// Waiting uses edge-triggered epoll: a peek leaves the bytes in the socket, so a
/// level-triggered wait would wake at once, again and again, for a preamble still partial.
final class ConnectionGate: Sendable {
    /// For nginx's whole preamble to arrive: it writes it at once, right after connecting.
    static let preambleTimeout: Duration = .seconds(2)
    /// Every read and write libfcgi makes on a passed connection; nginx's own fastcgi send
    /// and read timeouts are 10 s, after which nobody waits for the answer.
    static let ioTimeoutSeconds = 10

    private let listenSocket: Int32
    private let queue: ConnectionQueue
    private let logger: Logger
    private let wakeup: Int32

    init(listenSocket: Int32, queue: ConnectionQueue, logger: Logger) throws(SystemCallError) {
        self.listenSocket = listenSocket
        self.queue = queue
        self.logger = logger
        wakeup = try SystemCall.eventDescriptor()
    }

    /// Starts the gate's thread, named fcgi-gate.
    func start() throws(SystemCallError) {
        try WorkerThread.start(name: "fcgi-gate", logger: logger) { self.run() }
    }

    /// Stops accepting: the gate thread closes the connections it holds and ends.
    func stop() {
        do {
            try SystemCall.signalEvent(wakeup)
        } catch {
            logger.error("cannot stop the connection gate", metadata: ["error": "\(error)"])
        }
    }

    private func run() {
        do {
            try serve()
        } catch {
            // Without the gate nothing is accepted: let the process manager restart the worker.
            logger.critical("connection gate failed", metadata: ["error": "\(error)"])
            abort()
        }
    }

    private func serve() throws(SystemCallError) {
        let epoll = try SystemCall.epollCreate()
        defer { SystemCall.close(epoll) }
        let readable = UInt32(EPOLLIN.rawValue)
        try SystemCall.epollAdd(epoll, listenSocket, events: readable)
        try SystemCall.epollAdd(epoll, wakeup, events: readable)

        let clock = ContinuousClock()
        var deadlines: [Int32: ContinuousClock.Instant] = [:]
        let peeked = UnsafeMutableRawBufferPointer.allocate(
            byteCount: FastCGIPreamble.maximumBytes, alignment: 1)
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 64)
        defer {
            peeked.deallocate()
            events.deallocate()
            for connection in deadlines.keys { SystemCall.close(connection) }
        }

        while true {
            let milliseconds =
                deadlines.values.min().map { Self.milliseconds(clock.now.duration(to: $0)) } ?? -1
            let count = try SystemCall.epollWait(epoll, into: events, milliseconds: milliseconds)
            for event in events.prefix(count) {
                let descriptor = event.data.fd
                if descriptor == wakeup { return }
                if descriptor == listenSocket {
                    // One accept a wake: the listening socket stays as it was passed, blocking
                    // (systemd shares it), and level-triggered epoll wakes again while the
                    // backlog holds more.
                    guard let connection = accept() else { continue }
                    // nginx writes its preamble right after connecting, so it has often
                    // arrived by now: then the connection goes on without being watched.
                    if let verdict = inspect(connection, peeked) {
                        hand(connection, verdict)
                        continue
                    }
                    guard watch(connection, in: epoll) else { continue }
                    deadlines[connection] = clock.now.advanced(by: Self.preambleTimeout)
                    continue
                }
                guard deadlines[descriptor] != nil else { continue }
                if let verdict = inspect(descriptor, peeked) {
                    deadlines[descriptor] = nil
                    try SystemCall.epollRemove(epoll, descriptor)
                    hand(descriptor, verdict)
                }
            }
            let now = clock.now
            for (connection, deadline) in deadlines where deadline <= now {
                deadlines[connection] = nil
                logger.warning(
                    "connection closed", metadata: ["reason": "no parameters within the timeout"])
                SystemCall.close(connection)
            }
        }
    }

    /// epoll_wait's timeout for `wait`: rounded up, so that a deadline has passed on waking.
    private static func milliseconds(_ wait: Duration) -> Int32 {
        let (seconds, attoseconds) = wait.components
        return Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000) + 1)
    }

    /// The next connection of the backlog; nil when the accept failed (the peer gave up, or
    /// descriptors ran out: then the backlog waits for the next event).
    private func accept() -> Int32? {
        do {
            return try SystemCall.accept(listenSocket)
        } catch {
            logger.warning("accept failed", metadata: ["error": "\(error)"])
            if error.code == EMFILE || error.code == ENFILE { usleep(10_000) }
            return nil
        }
    }

    /// Watches `connection` for the rest of its preamble; false (and closed) when epoll
    /// refuses it.
    private func watch(_ connection: Int32, in epoll: Int32) -> Bool {
        do {
            // Edge-triggered: registering reports what has arrived since the peek, once.
            try SystemCall.epollAdd(
                epoll, connection,
                events: UInt32(EPOLLIN.rawValue | EPOLLRDHUP.rawValue) | EPOLLET.rawValue)
            return true
        } catch {
            logger.warning("connection closed", metadata: ["reason": "\(error)"])
            SystemCall.close(connection)
            return false
        }
    }

    /// The verdict on what `connection` has sent so far; nil while it is incomplete.
    private func inspect(
        _ connection: Int32, _ buffer: UnsafeMutableRawBufferPointer
    )
        -> FastCGIPreamble.Verdict?
    {
        let count: Int?
        do {
            count = try SystemCall.peek(connection, into: buffer)
        } catch {
            return .refused("peek failed: \(error)")
        }
        guard let count else { return nil }
        guard count > 0 else { return .refused("peer closed before its parameters") }
        let verdict = FastCGIPreamble.inspect(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        guard verdict == .incomplete else { return verdict }
        return count == buffer.count ? .refused("preamble too long") : nil
    }

    private func hand(_ connection: Int32, _ verdict: FastCGIPreamble.Verdict) {
        guard case .refused(let reason) = verdict else {
            do {
                try SystemCall.setTimeouts(connection, seconds: Self.ioTimeoutSeconds)
            } catch {
                logger.warning("connection closed", metadata: ["reason": "\(error)"])
                SystemCall.close(connection)
                return
            }
            queue.put(connection)
            return
        }
        logger.warning("connection refused", metadata: ["reason": "\(reason)"])
        SystemCall.close(connection)
    }
}
