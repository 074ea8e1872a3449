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
