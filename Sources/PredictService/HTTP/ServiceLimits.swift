/// Bounds on what one request may ask of a worker thread.
public struct ServiceLimits: Sendable {
    /// Bodies above this many bytes are refused with 413 before they are read.
    public var maximumBodyBytes: Int
    /// `{"instances": [...]}` may hold at most this many rows.
    public var maximumBatchSize: Int

    public init(maximumBodyBytes: Int = 1 << 20, maximumBatchSize: Int = 1000) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumBatchSize = maximumBatchSize
    }
}
