/// A bundle as it is served: with the documents that depend on it alone, encoded once, its
/// metrics series, and the directory it came from (for a reload that refuses its successor).
final class ServedModel: Sendable {
    let bundle: ModelBundle
    let directory: String?
    let series: ModelSeries?
    let document: [UInt8]
    let health: [UInt8]
    let metadata: [UInt8]
    let ready: [UInt8]

    init(_ bundle: ModelBundle, directory: String?, metrics: ServiceMetrics?) {
        self.bundle = bundle
        self.directory = directory
        series = metrics?.series(of: bundle)
        document = ResponseEncoder.document(bundle.document)
        health = ResponseEncoder.health(bundle)
        metadata = InferenceEncoder.metadata(bundle)
        ready = InferenceEncoder.ready(bundle)
    }
}
