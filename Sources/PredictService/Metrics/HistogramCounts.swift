/// Observations of one histogram series on one thread: a count per bucket (not cumulative;
/// the exposition accumulates), their sum and their number.
struct HistogramCounts: Sendable {
    /// One count per upper bound, then one for values above the last (the `+Inf` bucket).
    var buckets: [UInt64]
    var sum: Double = 0
    var count: UInt64 = 0

    init(bucketCount: Int) {
        buckets = [UInt64](repeating: 0, count: bucketCount + 1)
    }

    mutating func record(_ value: Double, bounds: [Double]) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        buckets[index] &+= 1
        sum += value
        count &+= 1
    }

    mutating func add(_ other: HistogramCounts) {
        for index in buckets.indices { buckets[index] &+= other.buckets[index] }
        sum += other.sum
        count &+= other.count
    }
}

/// The bucket bounds of one histogram family, with their exposition text made once.
struct HistogramBounds: Sendable {
    let values: [Double]
    let labels: [String]

    init(_ values: [Double], labels: [String]) {
        precondition(values.count == labels.count)
        self.values = values
        self.labels = labels
    }

    /// Seconds, from 10 µs (a cached document) to 1 s (a large batch on a loaded host).
    static let seconds = HistogramBounds(
        [
            0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 1,
        ],
        labels: [
            "0.00001", "0.000025", "0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025",
            "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "1",
        ])

    /// Rows per request, up to the largest batch the worker accepts by default.
    static let rows = HistogramBounds(
        [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
        labels: ["1", "2", "5", "10", "20", "50", "100", "200", "500", "1000"])
}
