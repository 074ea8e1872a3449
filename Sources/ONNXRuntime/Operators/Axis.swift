/// ONNX axes count from the end when negative: -1 is the last dimension. One place turns
/// them into positions so every operator accepts the same range.
enum Axis {
    /// `axis` as a position in 0..<rank (0...rank when `end` is allowed, as Flatten's
    /// axis may name the end), or nil when it is out of range.
    static func normalized(_ axis: Int, rank: Int, allowingEnd end: Bool = false) -> Int? {
        let position = axis < 0 ? axis + rank : axis
        guard position >= 0, end ? position <= rank : position < rank else { return nil }
        return position
    }

    /// `axis` as a position in `shape`, checked at run time: out of range, the run fails
    /// naming the node, the axis and the shape.
    static func normalized(_ axis: Int, in shape: [Int], at node: Node) throws(ModelError) -> Int {
        guard let position = normalized(axis, rank: shape.count) else {
            throw .input(
                "\(node.label): expected axis \(axis) within rank \(shape.count), found input shape \(shape)"
            )
        }
        return position
    }
}
