import Synchronization

/// One worker thread's request counts. Only its own thread records into it and only a scrape
/// reads it, so its lock is never contended on the request path: no lock or atomic is shared
/// by all threads per request (see RequestMetrics).
package final class MetricsShard: Sendable {
    /// A request series: model series, route, status and client packed into one word, which
    /// hashes in one round instead of four (client bits 0–19, status 20–29, route 30–37,
    /// model series 38–63).
    struct RequestKey: Hashable, Sendable {
        let bits: UInt64

        init(series: Int, route: Int, status: Int, client: Int) {
            bits =
                UInt64(truncatingIfNeeded: series) << 38 | UInt64(truncatingIfNeeded: route & 0xFF)
                << 30
                | UInt64(truncatingIfNeeded: status & 0x3FF) << 20
                | UInt64(truncatingIfNeeded: client & 0xF_FFFF)
        }

        var series: Int { Int(bits >> 38) }
        var route: Int { Int((bits >> 30) & 0xFF) }
        var status: Int { Int((bits >> 20) & 0x3FF) }
        var client: Int { Int(bits & 0xF_FFFF) }
    }

    /// A latency series: model series and route (bits 0–7).
    struct LatencyKey: Hashable, Sendable {
        let bits: UInt64

        init(series: Int, route: Int) {
            bits =
                UInt64(truncatingIfNeeded: series) << 8 | UInt64(truncatingIfNeeded: route & 0xFF)
        }

        var series: Int { Int(bits >> 8) }
        var route: Int { Int(bits & 0xFF) }
    }

    struct Counts: Sendable {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [LatencyKey: HistogramCounts] = [:]
        var evaluation: [Int: HistogramCounts] = [:]
        var rows: [Int: HistogramCounts] = [:]
        var predictions: [Int: [UInt64]] = [:]
    }

    let counts = Mutex(Counts())
    /// This shard's own copies of the bucket bounds: reading a shared array would retain it,
    /// an atomic write to one cache line from every thread on every request.
    private let secondsBounds = HistogramBounds.seconds.values.map { $0 }
    private let rowBounds = HistogramBounds.rows.values.map { $0 }
    /// Keeps the lock word and the table references of neighbouring shards (allocated one
    /// after the other) off each other's cache lines; without it two threads counting into
    /// their own shards still slowed each other down (PredictBench --metrics-contention).
    private let padding:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
        ) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )

    package func record(_ sample: RequestSample) {
        let secondsBounds = secondsBounds
        let rowBounds = rowBounds
        counts.withLock { counts in
            counts.requests[
                RequestKey(
                    series: sample.series, route: sample.route.rawValue, status: sample.status,
                    client: sample.client),
                default: 0] &+= 1
            counts.latency[
                LatencyKey(series: sample.series, route: sample.route.rawValue),
                default: HistogramCounts(bucketCount: secondsBounds.count)
            ].record(sample.seconds, bounds: secondsBounds)
            guard let evaluation = sample.evaluationSeconds else { return }
            counts.evaluation[
                sample.series, default: HistogramCounts(bucketCount: secondsBounds.count)
            ]
            .record(evaluation, bounds: secondsBounds)
            counts.rows[sample.series, default: HistogramCounts(bucketCount: rowBounds.count)]
                .record(Double(sample.rows), bounds: rowBounds)
            let classes = sample.classes
            if let label = sample.singleLabel {
                counts.predictions[sample.series, default: [UInt64](repeating: 0, count: classes)][
                    label] &+= 1
            }
            for (index, count) in sample.labelCounts.enumerated() where count > 0 {
                counts.predictions[sample.series, default: [UInt64](repeating: 0, count: classes)][
                    index] &+= count
            }
        }
    }
}
