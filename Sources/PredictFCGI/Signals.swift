#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The worker's signal plan. The main thread takes TERM, INT and HUP synchronously with
/// `sigwait`; accept threads only ever see `wakeSignal`, whose empty handler is installed
/// without SA_RESTART so that it makes a blocked `accept` return EINTR during shutdown.
enum Signals {
    static let wakeSignal = SIGUSR1
    static let controlled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Run on the main thread before any other thread starts, so every thread inherits the
    /// mask: all controlled signals and the wake signal blocked.
    static func prepareProcess() {
        signal(SIGPIPE, SIG_IGN)
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in }
        #else
        action.__sigaction_u.__sa_handler = { _ in }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(wakeSignal, &action, nil)
        var set = mask(controlled + [wakeSignal])
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Run first on each accept thread: lets the wake signal through on that thread only.
    static func acceptWakeups() {
        var set = mask([wakeSignal])
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
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
