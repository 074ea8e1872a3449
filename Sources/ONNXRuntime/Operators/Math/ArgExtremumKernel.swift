/// ArgMax and ArgMin: the position of the largest (smallest) element along `axis` (default
/// 0), as int64, with `keepdims` (default 1). Ties go to the first position unless
/// `select_last_index`.
final class ArgExtremumKernel: Kernel {
    let node: Node
    let axis: Int
    let keepDims: Bool
    let selectLast: Bool
    let smallest: Bool

    init(node: Node, axis: Int, keepDims: Bool, selectLast: Bool, smallest: Bool) {
        self.node = node
        self.axis = axis
        self.keepDims = keepDims
        self.selectLast = selectLast
        self.smallest = smallest
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let input = frame.input(0)
        let rank = input.shape.count
        guard let axis = Axis.normalized(self.axis, rank: rank), input.shape[axis] > 0 else {
            throw .input(
                "\(node.label): expected a non-empty axis \(self.axis) within rank \(rank), found input shape \(input.shape)"
            )
        }
        let outer = input.shape[..<axis].reduce(1, *)
        let length = input.shape[axis]
        let inner = input.shape[(axis + 1)...].reduce(1, *)
        let positions: [Int64]
        switch input.storage {
        case .float(let values): positions = extremum(values, outer, length, inner)
        case .double(let values): positions = extremum(values, outer, length, inner)
        case .int64(let values): positions = extremum(values, outer, length, inner)
        default: positions = []
        }
        var shape = input.shape
        if keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
        frame.setOutput(0, Tensor(shape: shape, storage: .int64(positions)))
    }

    private func extremum<T: Comparable>(
        _ values: [T], _ outer: Int, _ length: Int, _ inner: Int
    ) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(outer * inner)
        for block in 0..<outer {
            for offset in 0..<inner {
                let start = block * length * inner + offset
                var best = 0
                for step in 1..<length {
                    let value = values[start + step * inner]
                    let current = values[start + best * inner]
                    let better = smallest ? value < current : value > current
                    if better || (selectLast && value == current) { best = step }
                }
                result.append(Int64(best))
            }
        }
        return result
    }

    static func make(
        _ context: KernelContext, smallest: Bool
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let node = context.node
        let kernel = ArgExtremumKernel(
            node: node, axis: Int(try node.int("axis", default: 0)),
            keepDims: try node.int("keepdims", default: 1) != 0,
            selectLast: try node.int("select_last_index", default: 0) != 0, smallest: smallest)
        return (kernel, [.int64])
    }
}
