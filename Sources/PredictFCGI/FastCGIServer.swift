import CFastCGI
import Logging
import PredictService
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection gate that accepts and vets connections on its own thread, and N worker
/// threads, each with its own FCGX_Request, that take vetted connections from a queue and
/// serve them through libfcgi. The service (and the models it holds) is shared read-only;
/// each thread answers through a worker of its own (its snapshot and metrics shard).
final class FastCGIServer: Sendable {
    private let service: PredictionService
    private let gate: ConnectionGate
    private let queue = ConnectionQueue()
    private let logger: Logger
    private let fastCGI: SystemCall.FastCGI
    private let liveThreads = Atomic<Int>(0)

    init(
        service: PredictionService, listenSocket: Int32, fastCGI: SystemCall.FastCGI,
        logger: Logger
    ) throws(SystemCallError) {
        self.service = service
        self.fastCGI = fastCGI
        self.logger = logger
        gate = try ConnectionGate(listenSocket: listenSocket, queue: queue, logger: logger)
    }

    /// Starts `count` worker threads, named fcgi-serve-0 and on (fcgi-serve-1023 is the
    /// longest --threads allows, at Linux's 15 bytes), and the gate; throws when the system
    /// refuses a thread.
    func start(threads count: Int) throws(SystemCallError) {
        for index in 0..<count {
            liveThreads.add(1, ordering: .relaxed)
            do {
                try WorkerThread.start(name: "fcgi-serve-\(index)", logger: logger) {
                    self.serveLoop(index)
                }
            } catch {
                liveThreads.subtract(1, ordering: .relaxed)
                throw error
            }
        }
        try gate.start()
    }

    private func serveLoop(_ index: Int) {
        defer { liveThreads.subtract(1, ordering: .releasing) }
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        // No listening socket (-1): libfcgi accepts only when the request holds no
        // connection, which happens only after it closed a handed one it could not read; its
        // accept then fails at once with EBADF instead of blocking this thread unnoticed.
        do {
            try fastCGI.initRequest(request, listenSocket: -1)
        } catch {
            logger.error(
                "cannot initialise a FastCGI request",
                metadata: ["thread": "\(index)", "error": "\(error)"])
            return
        }
        let worker = service.makeWorker()
        let exchange = FastCGIExchange(request: request, fastCGI: fastCGI)
        while let connection = queue.take() {
            do {
                try fastCGI.accept(request, connection: connection)
            } catch {
                // libfcgi could not read the request (the peer went away, or a read timed
                // out) and has closed the connection itself. The error is that of the accept
                // it then tried on no socket (EBADF): the read's own went with its stream.
                logger.info(
                    "connection dropped before its request",
                    metadata: ["thread": "\(index)", "error": "\(error)"])
                continue
            }
            let head = exchange.head
            let response = worker.handle(head) { length in try exchange.readBody(length) }
            do {
                try exchange.respond(response)
            } catch {
                // The peer went away or stopped reading (each write times out after the
                // gate's ioTimeoutSeconds): nobody waits for this answer any more. The request
                // has ended and its connection is closed all the same; logged once, as a
                // connection dropped before its request is.
                logger.info(
                    "answer not delivered",
                    metadata: [
                        "thread": "\(index)", "request.id": "\(head.requestID ?? "-")",
                        "request.path": "\(head.path)",
                        "http.status": "\(response.status)", "error": "\(error)",
                    ])
            }
        }
        fastCGI.free(request)
    }

    /// Stops accepting, serves the connections already vetted and waits for the requests in
    /// flight. Returns whether they finished within `timeout`; threads still serving then end
    /// with the process.
    func stop(timeout: Duration) -> Bool {
        gate.stop()
        queue.close(workers: liveThreads.load(ordering: .acquiring))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while liveThreads.load(ordering: .acquiring) > 0 {
            guard clock.now < deadline else { return false }
            usleep(5_000)
        }
        return true
    }
}
