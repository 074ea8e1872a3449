/// Times operations the way the micro-benchmark reports them: each operation gets a call
/// count calibrated to fill one batch, then batches of every operation alternate, round after
/// round, so that a neighbour's burst on a shared machine slows all of them alike instead of
/// whichever happened to run then. A figure is the median batch's time per operation.
struct Stopwatch {
    /// Rounds of batches; the median of an operation's batches is reported.
    var rounds: Int
    /// Wall time each batch aims for.
    var batchDuration: Duration

    private let clock = ContinuousClock()

    /// Something to time: `call` performs `operationsPerCall` operations (rows of a batch).
    struct Workload {
        let name: String
        let operationsPerCall: Int
        let call: () throws -> Void
    }

    /// One figure, in nanoseconds per operation.
    struct Figure {
        let name: String
        let median: Double
        let fastest: Double
        let slowest: Double
        let batches: Int
        let callsPerBatch: Int
        let operationsPerCall: Int

        /// `MICRO name=… median_ns=…`: scripts/bench/summarize.py reads these lines.
        var line: String {
            "MICRO name=\(name) median_ns=\(Int(median.rounded())) "
                + "min_ns=\(Int(fastest.rounded())) max_ns=\(Int(slowest.rounded())) "
                + "batches=\(batches) calls_per_batch=\(callsPerBatch) "
                + "ops_per_call=\(operationsPerCall)"
        }
    }

    func measure(_ workloads: [Workload]) throws -> [Figure] {
        let calls = try workloads.map { try callsPerBatch($0.call) }
        var samples = [[Double]](repeating: [], count: workloads.count)
        for _ in 0..<rounds {
            for (index, workload) in workloads.enumerated() {
                let elapsed = try time(calls[index], workload.call)
                samples[index].append(
                    nanoseconds(elapsed) / Double(calls[index])
                        / Double(workload.operationsPerCall))
            }
        }
        return workloads.indices.map { index in
            let sorted = samples[index].sorted()
            return Figure(
                name: workloads[index].name, median: sorted[sorted.count / 2],
                fastest: sorted.first!, slowest: sorted.last!, batches: sorted.count,
                callsPerBatch: calls[index],
                operationsPerCall: workloads[index].operationsPerCall)
        }
    }

    /// Doubles the call count until a tenth of a batch has passed (which also warms caches
    /// and branch predictors), then scales it to a whole batch.
    private func callsPerBatch(_ call: () throws -> Void) throws -> Int {
        var calls = 1
        var elapsed = Duration.zero
        while elapsed < batchDuration / 10 {
            calls *= 2
            elapsed = try time(calls, call)
        }
        let perCall = nanoseconds(elapsed) / Double(calls)
        return max(1, Int(nanoseconds(batchDuration) / max(perCall, 1)))
    }

    private func time(_ calls: Int, _ call: () throws -> Void) throws -> Duration {
        let start = clock.now
        for _ in 0..<calls { try call() }
        return clock.now - start
    }

    private func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}
