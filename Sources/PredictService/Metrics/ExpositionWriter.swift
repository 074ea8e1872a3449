/// Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` once per family, then one
/// line per sample, label values escaped.
struct ExpositionWriter {
    private(set) var bytes: [UInt8] = []

    mutating func family(_ name: String, type: String, help: String) {
        append("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n")
    }

    mutating func sample(_ name: String, labels: [(String, String)], value: String) {
        append(name)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (position, (label, labelValue)) in labels.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                append(label)
                append("=\"")
                for byte in labelValue.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): append("\\\\")
                    case UInt8(ascii: "\""): append("\\\"")
                    case UInt8(ascii: "\n"): append("\\n")
                    default: bytes.append(byte)
                    }
                }
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        append(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The `_bucket` lines (cumulative, then `+Inf`), `_sum` and `_count` of one series.
    mutating func histogram(
        _ name: String, labels: [(String, String)], counts: HistogramCounts,
        bounds: HistogramBounds
    ) {
        var cumulative: UInt64 = 0
        for (index, bound) in bounds.labels.enumerated() {
            cumulative &+= counts.buckets[index]
            sample(name + "_bucket", labels: labels + [("le", bound)], value: String(cumulative))
        }
        sample(name + "_bucket", labels: labels + [("le", "+Inf")], value: String(counts.count))
        sample(name + "_sum", labels: labels, value: String(counts.sum))
        sample(name + "_count", labels: labels, value: String(counts.count))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
