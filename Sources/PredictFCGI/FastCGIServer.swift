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
/// listening socket. The service (and the model it holds) is shared read-only.
final class FastCGIServer: Sendable {
    private let service: PredictionService
    private let listenSocket: Int32
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let liveThreads = Atomic<Int>(0)

    init(service: PredictionService, listenSocket: Int32, logger: Logger) {
        self.service = service
        self.listenSocket = listenSocket
        self.logger = logger
    }

    /// Starts `count` accept threads; nil when the system refuses to create one.
    func start(threads count: Int) -> [WorkerThread]? {
        var threads: [WorkerThread] = []
        for index in 0..<count {
            liveThreads.add(1, ordering: .relaxed)
            guard let thread = WorkerThread.start({ self.acceptLoop(index) }) else {
                liveThreads.subtract(1, ordering: .relaxed)
                return nil
            }
            threads.append(thread)
        }
        return threads
    }

    private func acceptLoop(_ index: Int) {
        Signals.acceptWakeups()
        defer { liveThreads.subtract(1, ordering: .releasing) }
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        // FAIL_ACCEPT_ON_INTR: a wake signal during shutdown makes FCGX_Accept_r return
        // instead of libfcgi retrying the accept.
        guard FCGX_InitRequest(request, listenSocket, FCGI_FAIL_ACCEPT_ON_INTR) == 0 else {
            logger.error("cannot initialise a FastCGI request", metadata: ["thread": "\(index)"])
            return
        }
        while !stopping.load(ordering: .acquiring) {
            guard FCGX_Accept_r(request) >= 0 else {
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
            let response = service.handle(exchange.head) { length in exchange.readBody(length) }
            exchange.write(response)
            FCGX_Finish_r(request)
        }
        FCGX_Free(request, 0)
    }

    /// Stops accepting and waits for requests in flight. Threads blocked in accept are woken
    /// with the wake signal, repeatedly, because one may be just about to enter accept when
    /// the first signal lands. Returns whether every thread finished within `timeout`.
    func stop(threads: [WorkerThread], timeout: Duration) -> Bool {
        stopping.store(true, ordering: .releasing)
        FCGX_ShutdownPending()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while liveThreads.load(ordering: .acquiring) > 0 {
            guard clock.now < deadline else { return false }
            for thread in threads { thread.interrupt(with: Signals.wakeSignal) }
            usleep(5_000)
        }
        return true
    }
}
