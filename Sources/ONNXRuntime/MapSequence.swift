/// A sequence of maps with the same keys, one map per row, stored densely: row `i` maps
/// `keys[j]` to `values[i, j]`. This is what ai.onnx.ml ZipMap produces (onnxruntime's
/// `seq(map(int64|string, float))`); keeping the keys once avoids a dictionary per row.
struct MapSequence: Sendable, Equatable {
    /// The keys of every map, in column order.
    let keys: ClassLabels
    /// `[N, keys.count]` float values.
    let values: Tensor

    init(keys: ClassLabels, values: Tensor) {
        precondition(
            values.shape.count == 2 && values.shape[1] == keys.count,
            "values of shape \(values.shape) do not hold \(keys.count) columns")
        self.keys = keys
        self.values = values
    }

    /// How many maps.
    var count: Int { values.shape[0] }

    /// The values of map `row`, in key order.
    func row(_ row: Int) -> ArraySlice<Float> {
        values.floatValues[(row * keys.count)..<((row + 1) * keys.count)]
    }
}
