/// ai.onnx ArgMax: the position of the largest element along `axis` (default 0), as int64,
/// with `keepdims` (default 1). Ties go to the first position unless `select_last_index`.
enum ArgMaxOperator: Operator {
    static let domain = ""
    static let opType = "ArgMax"
    static let opsets = 1...22

    final class ArgMaxKernel: Kernel {
        let node: Node
        let axis: Int
        let keepDims: Bool
        let selectLast: Bool

        init(node: Node, axis: Int, keepDims: Bool, selectLast: Bool) {
            self.node = node
            self.axis = axis
            self.keepDims = keepDims
            self.selectLast = selectLast
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rank = input.shape.count
            let axis = self.axis < 0 ? self.axis + rank : self.axis
            guard axis >= 0, axis < rank, input.shape[axis] > 0 else {
                throw .input(
                    "\(node.label): expected a non-empty axis \(self.axis) within rank \(rank), found input shape \(input.shape)"
                )
            }
            let outer = input.shape[..<axis].reduce(1, *)
            let length = input.shape[axis]
            let inner = input.shape[(axis + 1)...].reduce(1, *)
            let positions: [Int64]
            switch input.storage {
            case .float(let values): positions = argMax(values, outer, length, inner)
            case .double(let values): positions = argMax(values, outer, length, inner)
            case .int64(let values): positions = argMax(values, outer, length, inner)
            default: positions = []
            }
            var shape = input.shape
            if keepDims { shape[axis] = 1 } else { shape.remove(at: axis) }
            frame.setOutput(0, Tensor(shape: shape, storage: .int64(positions)))
        }

        private func argMax<T: Comparable>(
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
                        if value > current || (selectLast && value == current) { best = step }
                    }
                    result.append(Int64(best))
                }
            }
            return result
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let node = context.node
        let kernel = ArgMaxKernel(
            node: node, axis: Int(try node.int("axis", default: 0)),
            keepDims: try node.int("keepdims", default: 1) != 0,
            selectLast: try node.int("select_last_index", default: 0) != 0)
        return (kernel, [.int64])
    }
}
