import Dispatch
import Synchronization

/// Connections whose preamble passed the gate, waiting for a worker thread. Closing the
/// queue lets the workers take what is left (requests nginx already sent are answered
/// during the drain) and then end.
final class ConnectionQueue: Sendable {
    private struct State {
        var connections: [Int32] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// One count per queued connection, and one per worker when the queue closes.
    private let available = DispatchSemaphore(value: 0)

    func put(_ connection: Int32) {
        state.withLock { $0.connections.append(connection) }
        available.signal()
    }

    /// The oldest queued connection; waits for one, and is nil once the queue is closed and
    /// empty.
    func take() -> Int32? {
        available.wait()
        return state.withLock { state in
            state.connections.isEmpty ? nil : state.connections.removeFirst()
        }
    }

    /// Ends each of `workers` waiting takers once the connections queued so far are taken.
    func close(workers: Int) {
        state.withLock { $0.closed = true }
        for _ in 0..<workers { available.signal() }
    }
}
