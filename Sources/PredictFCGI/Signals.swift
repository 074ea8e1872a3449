#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The worker's signal plan: the main thread takes TERM, INT and HUP synchronously with
/// `sigwait`; no other thread ever sees them.
enum Signals {
    static let controlled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Run on the main thread before any other thread starts, so every thread inherits the
    /// mask with the controlled signals blocked. A peer that goes away mid-answer makes a
    /// write fail with EPIPE instead of killing the process.
    static func prepareProcess() {
        signal(SIGPIPE, SIG_IGN)
        var set = mask(controlled)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks the calling thread until one of the controlled signals arrives.
    static func wait() -> Int32 {
        var set = mask(controlled)
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private static func mask(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}
