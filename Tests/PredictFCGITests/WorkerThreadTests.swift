import Dispatch
import Glibc
import Logging
import Synchronization
import Testing

@testable import PredictFCGI

/// What the started thread saw of itself.
private final class Seen: Sendable {
    let name = Mutex("")
    let done = DispatchSemaphore(value: 0)
}

@Suite("Worker threads")
struct WorkerThreadTests {
    @Test("a worker thread runs under its name, as ps -L and /proc show it")
    func named() throws {
        let seen = Seen()
        try WorkerThread.start(name: "fcgi-serve-1023", logger: Logger(label: "test")) {
            seen.name.withLock { $0 = Self.ownName() }
            seen.done.signal()
        }
        seen.done.wait()
        #expect(seen.name.withLock { $0 } == "fcgi-serve-1023")
    }

    /// /proc/thread-self/comm, without its newline.
    private static func ownName() -> String {
        let descriptor = open("/proc/thread-self/comm", O_RDONLY)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
            .trimmingSuffix("\n")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
