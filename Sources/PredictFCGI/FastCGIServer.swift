import CFastCGI
import Logging
import PredictService
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// N threads, each with its own FCGX_Request, each blocking in FCGX_Accept_r on the shared
/// listening socket. The service (and the models it holds) is shared read-only; each thread
/// answers through a worker of its own (its snapshot and metrics shard).
final class FastCGIServer: Sendable {
    private let service: PredictionService
    private let listenSocket: Int32
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let liveThreads = Atomic<Int>(0)
    private let slots: Mutex<[AcceptSlot]> = Mutex([])

    /// What the stopping thread may know of one accept thread: whether it is inside
    /// FCGX_Accept_r (waiting for a connection or for its parameters, not serving a request),
    /// and its request, whose connection fd can then be shut down to end a wait for a
    /// client that connected but sends nothing.
    private final class AcceptSlot: Sendable {
        let accepting = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        nonisolated(unsafe) let request: UnsafeMutablePointer<FCGX_Request>

        init() {
            request = .allocate(capacity: 1)
        }

        deinit { request.deallocate() }
    }

    init(service: PredictionService, listenSocket: Int32, logger: Logger) {
        self.service = service
        self.listenSocket = listenSocket
        self.logger = logger
    }

    /// Starts `count` accept threads; nil when the system refuses to create one.
    func start(threads count: Int) -> [WorkerThread]? {
        var threads: [WorkerThread] = []
        for index in 0..<count {
            let slot = AcceptSlot()
            slots.withLock { $0.append(slot) }
            liveThreads.add(1, ordering: .relaxed)
            guard let thread = WorkerThread.start({ self.acceptLoop(index, slot) }) else {
                liveThreads.subtract(1, ordering: .relaxed)
                return nil
            }
            threads.append(thread)
        }
        return threads
    }

    private func acceptLoop(_ index: Int, _ slot: AcceptSlot) {
        Signals.acceptWakeups()
        defer {
            slot.finished.store(true, ordering: .releasing)
            liveThreads.subtract(1, ordering: .releasing)
        }
        let request = slot.request
        // FAIL_ACCEPT_ON_INTR: a wake signal during shutdown makes FCGX_Accept_r return
        // instead of libfcgi retrying the accept.
        guard FCGX_InitRequest(request, listenSocket, FCGI_FAIL_ACCEPT_ON_INTR) == 0 else {
            logger.error("cannot initialise a FastCGI request", metadata: ["thread": "\(index)"])
            return
        }
        let worker = service.makeWorker()
        while !stopping.load(ordering: .acquiring) {
            slot.accepting.store(true, ordering: .releasing)
            let accepted = FCGX_Accept_r(request)
            slot.accepting.store(false, ordering: .releasing)
            guard accepted >= 0 else {
                if stopping.load(ordering: .acquiring) { break }
                let code = errno
                if code != EINTR {
                    logger.warning(
                        "accept failed", metadata: ["thread": "\(index)", "errno": "\(code)"])
                    usleep(10_000)
                }
                continue
            }
            let exchange = FastCGIExchange(request: request)
            let response = worker.handle(exchange.head) { length in exchange.readBody(length) }
            exchange.write(response)
            FCGX_Finish_r(request)
        }
        FCGX_Free(request, 0)
    }

    /// Stops accepting and waits for requests in flight, then returns: threads still inside
    /// FCGX_Accept_r serve nothing and end with the process. Only those threads are signalled,
    /// since a signal would also break the read of a body that is still arriving; repeatedly,
    /// because one may be just about to enter accept when a signal lands. Returns whether the
    /// requests in flight finished within `timeout`.
    func stop(threads: [WorkerThread], timeout: Duration) -> Bool {
        stopping.store(true, ordering: .releasing)
        FCGX_ShutdownPending()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let slots = self.slots.withLock { $0 }
        var idleChecks = 0
        while liveThreads.load(ordering: .acquiring) > 0 {
            guard clock.now < deadline else { return false }
            var serving = 0
            for (thread, slot) in zip(threads, slots)
            where !slot.finished.load(ordering: .acquiring) {
                if slot.accepting.load(ordering: .acquiring) {
                    thread.interrupt(with: Signals.wakeSignal)
                } else {
                    serving += 1
                }
            }
            // Two idle observations 5 ms apart: a thread that accepted a request in between
            // would have been seen serving it.
            idleChecks = serving == 0 ? idleChecks + 1 : 0
            if idleChecks >= 2 { return true }
            usleep(5_000)
        }
        return true
    }
}
