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
    private let liveThreads = Atomic<Int>(0)

    init(service: PredictionService, listenSocket: Int32, logger: Logger) throws(SystemCallError) {
        self.service = service
        self.logger = logger
        gate = try ConnectionGate(listenSocket: listenSocket, queue: queue, logger: logger)
    }

    /// Starts `count` worker threads and the gate; false when the system refuses a thread.
    func start(threads count: Int) -> Bool {
        for index in 0..<count {
            liveThreads.add(1, ordering: .relaxed)
            guard WorkerThread.start({ self.serveLoop(index) }) != nil else {
                liveThreads.subtract(1, ordering: .relaxed)
                return false
            }
        }
        return gate.start() != nil
    }

    private func serveLoop(_ index: Int) {
        defer { liveThreads.subtract(1, ordering: .releasing) }
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        // No listening socket (-1): libfcgi accepts only when the request holds no
        // connection, which happens only after it closed a handed one it could not read; its
        // accept then fails at once with EBADF instead of blocking this thread unnoticed.
        guard FCGX_InitRequest(request, -1, 0) == 0 else {
            logger.error("cannot initialise a FastCGI request", metadata: ["thread": "\(index)"])
            return
        }
        let worker = service.makeWorker()
        while let connection = queue.take() {
            request.pointee.ipcFd = connection
            // FCGX_Accept_r starts by finishing the previous request, which closes the
            // connection unless it is marked kept; the BEGIN_REQUEST record then sets the
            // flag for this request (never kept: the gate refuses FCGI_KEEP_CONN).
            request.pointee.keepConnection = 1
            guard FCGX_Accept_r(request) >= 0 else {
                // libfcgi could not read the request (the peer went away, or a read timed
                // out) and has closed the connection itself.
                logger.info(
                    "connection dropped before its request", metadata: ["thread": "\(index)"])
                continue
            }
            let exchange = FastCGIExchange(request: request)
            let response = worker.handle(exchange.head) { length in exchange.readBody(length) }
            exchange.write(response)
            // Closes the connection: it is never kept.
            FCGX_Finish_r(request)
        }
        FCGX_Free(request, 1)
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
