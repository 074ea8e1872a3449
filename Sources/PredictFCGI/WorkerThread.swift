import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain POSIX thread running one closure, under a name of its own. libfcgi's reads and
/// writes and the gate's epoll wait block, so each loop gets a thread of its own instead of a
/// slot in Swift's cooperative pool.
struct WorkerThread {
    /// Linux's limit on a thread's name, without its NUL (TASK_COMM_LEN is 16).
    static let maximumNameLength = 15

    let handle: pthread_t

    private final class Body {
        let name: String
        let logger: Logger
        let run: () -> Void

        init(name: String, logger: Logger, run: @escaping () -> Void) {
            self.name = name
            self.logger = logger
            self.run = run
        }
    }

    /// Starts a thread named `name` (what `ps -L` and `top -H` show) that runs `run`.
    @discardableResult
    static func start(
        name: String, logger: Logger, _ run: @escaping @Sendable () -> Void
    ) throws(SystemCallError) -> WorkerThread {
        precondition(
            name.utf8.count <= maximumNameLength,
            "thread name '\(name)' is longer than \(maximumNameLength) bytes")
        let context = Unmanaged.passRetained(Body(name: name, logger: logger, run: run)).toOpaque()
        do {
            let handle = try SystemCall.createThread(
                { context in
                    let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                    do {
                        try SystemCall.nameCurrentThread(body.name)
                    } catch {
                        // Only a name too long fails, which `start` refuses; the thread runs
                        // unnamed all the same.
                        body.logger.warning(
                            "thread left unnamed",
                            metadata: ["thread": "\(body.name)", "error": "\(error)"])
                    }
                    body.run()
                    return nil
                }, context)
            return WorkerThread(handle: handle)
        } catch {
            Unmanaged<Body>.fromOpaque(context).release()
            throw error
        }
    }
}
