/// The number type a tree ensemble compares and sums in. onnxruntime keeps thresholds,
/// leaf weights and the running sums in float32 unless the input is double, and then in
/// float64; matching that keeps every comparison and every sum bit-identical.
protocol TreeScalar: BinaryFloatingPoint, Sendable {
    var float: Float { get }
}

extension Float: TreeScalar {
    var float: Float { self }
}

extension Double: TreeScalar {
    var float: Float { Float(self) }
}

extension TreeScalar {
    /// Calls `body` with `storage`'s elements in place when they are of this type (float
    /// storage for Float, double for Double) and returns true; returns false otherwise,
    /// without calling it.
    static func withElements(
        of storage: Tensor.Storage, _ body: (UnsafePointer<Self>) -> Void
    ) -> Bool {
        switch storage {
        case .float(let values) where Self.self == Float.self:
            values.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: Self.self) { body($0.baseAddress ?? placeholder) }
            }
        case .double(let values) where Self.self == Double.self:
            values.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: Self.self) { body($0.baseAddress ?? placeholder) }
            }
        default:
            return false
        }
        return true
    }

    /// A valid pointer for empty inputs, which are never dereferenced.
    static var placeholder: UnsafePointer<Self> {
        UnsafePointer(bitPattern: MemoryLayout<Self>.alignment)!
    }
}
