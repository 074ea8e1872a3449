extension Array {
    /// `count` copies of `value`. `init(repeating:count:)` gives the same array, but its
    /// buffer comes from a non-inlined runtime path that looks the storage type up on every
    /// call; growing through `reserveCapacity` is specialized at compile time, which counts
    /// on the single-row path where every node allocates its outputs.
    @inline(__always)
    static func filled(_ value: Element, count: Int) -> [Element] {
        var array: [Element] = []
        array.reserveCapacity(count)
        array.append(contentsOf: repeatElement(value, count: count))
        return array
    }
}
