import Foundation
import PredictService
import Prometheus

/// What counting one request costs when every worker thread counts at once: the request
/// metrics recorded into swift-prometheus' series (one counter, three histograms and a
/// predictions counter, shared by all threads as one model's series are), against the
/// per-thread shards the worker uses. Prints one `METRICS backend=… threads=… ns=…` line per
/// backend, the median of `rounds` rounds of `requests` records per thread: the CPU time each
/// thread spent per record (stalls on contended cache lines included, time waiting for a core
/// on a busy machine not), and the wall time.
enum MetricsBench {
    static func run(threads: Int, requests: Int, rounds: Int) -> [String] {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: .named("requests_total", help: "Requests."),
            labels: [("model", "m"), ("status", "200")])
        let latency = registry.makeDurationHistogram(
            descriptor: .named("latency", help: "Request latency."), labels: [("model", "m")],
            buckets: bounds.map { .nanoseconds(Int64($0 * 1e9)) })
        let evaluation = registry.makeDurationHistogram(
            descriptor: .named("evaluation", help: "Model evaluation time."),
            labels: [("model", "m")], buckets: bounds.map { .nanoseconds(Int64($0 * 1e9)) })
        let rows = registry.makeValueHistogram(
            descriptor: .named("rows", help: "Rows per request."), labels: [("model", "m")],
            buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
        let predictions = registry.makeCounter(
            descriptor: .named("predictions_total", help: "Predictions."),
            labels: [("label", "no")])
        let prometheus: @Sendable (Int) -> Void = { index in
            counter.increment()
            latency.record(.nanoseconds(30_000 + index % 7))
            evaluation.record(.nanoseconds(10_000 + index % 5))
            rows.record(Double(1))
            predictions.increment()
        }
        let metrics = ServiceMetrics()
        let shards = (0..<threads).map { _ in metrics.makeShard() }
        var results: [String] = []
        for (name, body) in [
            ("swift-prometheus", { (_: Int) in prometheus }),
            (
                "shards",
                { (thread: Int) in
                    let shard = shards[thread]
                    return { @Sendable (index: Int) in
                        var sample = RequestSample(route: .predict)
                        sample.series = 1
                        sample.status = 200
                        sample.seconds = 30e-6 + Double(index % 7) * 1e-9
                        sample.evaluationSeconds = 10e-6
                        sample.rows = 1
                        sample.classes = 2
                        sample.singleLabel = 0
                        shard.record(sample)
                    }
                }
            ),
        ] as [(String, (Int) -> @Sendable (Int) -> Void)] {
            var cpu: [Double] = []
            var wall: [Double] = []
            for _ in 0..<rounds {
                let (cpuTime, wallTime) = time(threads: threads, requests: requests, body)
                cpu.append(cpuTime)
                wall.append(wallTime)
            }
            cpu.sort()
            wall.sort()
            results.append(
                "METRICS backend=\(name) threads=\(threads) requests=\(requests) "
                    + "cpu_ns_per_request=\(String(format: "%.1f", cpu[cpu.count / 2])) "
                    + "wall_ns_per_request=\(String(format: "%.1f", wall[wall.count / 2]))")
        }
        return results
    }

    private static let bounds: [Double] = [
        0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01,
        0.025, 0.05, 0.1, 0.25, 1,
    ]

    /// Mean thread CPU time and wall time per record per thread, all threads started together.
    private static func time(
        threads: Int, requests: Int, _ body: (Int) -> @Sendable (Int) -> Void
    ) -> (cpu: Double, wall: Double) {
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let cpuTimes = CPUTimes()
        for thread in 0..<threads {
            let record = body(thread)
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let before = threadCPUSeconds()
                for index in 0..<requests { record(index) }
                cpuTimes.add(threadCPUSeconds() - before)
                done.leave()
            }
        }
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<threads { start.signal() }
        done.wait()
        let elapsed = (clock.now - began).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return (
            cpuTimes.total / Double(threads) * 1e9 / Double(requests),
            seconds * 1e9 / Double(requests)
        )
    }

    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    private final class CPUTimes: @unchecked Sendable {
        private let lock = NSLock()
        private var sum = 0.0

        func add(_ seconds: Double) {
            lock.lock()
            sum += seconds
            lock.unlock()
        }

        var total: Double {
            lock.lock()
            defer { lock.unlock() }
            return sum
        }
    }
}
