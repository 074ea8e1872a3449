/// ai.onnx TopK (opset 10 on: K is a one-element int64 input): the K largest (or with
/// `largest` = 0 smallest) elements along `axis` (default -1) and their positions, best
/// first. Equal values keep their order, so ties go to the lowest position.
enum TopKOperator: Operator {
    static let domain = ""
    static let opType = "TopK"
    static let opsets = 10...22

    final class TopKKernel: Kernel {
        let node: Node
        let axis: Int
        let largest: Bool

        init(node: Node, axis: Int, largest: Bool) {
            self.node = node
            self.axis = axis
            self.largest = largest
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let kValues = frame.input(1).int64Values
            let axis = try Axis.normalized(self.axis, in: input.shape, at: node)
            guard kValues.count == 1, kValues[0] >= 0, kValues[0] <= input.shape[axis] else {
                throw .input(
                    "\(node.label): expected K from 0 to \(input.shape[axis]) (the axis length), found \(kValues)"
                )
            }
            let k = Int(kValues[0])
            let outer = input.shape[..<axis].reduce(1, *)
            let length = input.shape[axis]
            let inner = input.shape[(axis + 1)...].reduce(1, *)
            var shape = input.shape
            shape[axis] = k
            let indices: [Int64]
            let values: Tensor.Storage
            switch input.storage {
            case .float(let x):
                (values, indices) = select(x, outer, length, inner, k) { .float($0) }
            case .double(let x):
                (values, indices) = select(x, outer, length, inner, k) { .double($0) }
            case .int64(let x):
                (values, indices) = select(x, outer, length, inner, k) { .int64($0) }
            default: (values, indices) = (input.storage, [])
            }
            frame.setOutput(0, Tensor(shape: shape, storage: values))
            frame.setOutput(1, Tensor(shape: shape, storage: .int64(indices)))
        }

        private func select<T: Comparable>(
            _ x: [T], _ outer: Int, _ length: Int, _ inner: Int, _ k: Int,
            _ wrap: ([T]) -> Tensor.Storage
        ) -> (Tensor.Storage, [Int64]) {
            var values: [T] = []
            var indices: [Int64] = []
            values.reserveCapacity(outer * k * inner)
            indices.reserveCapacity(outer * k * inner)
            var best: [Int] = []
            best.reserveCapacity(k + 1)
            // Per slice, positions in order of preference; a candidate goes after every kept
            // position that is at least as good, so equal values keep index order.
            var slices: [[Int]] = []
            slices.reserveCapacity(outer * inner)
            for block in 0..<outer {
                for offset in 0..<inner {
                    let start = block * length * inner + offset
                    best.removeAll(keepingCapacity: true)
                    for position in 0..<length where k > 0 {
                        let value = x[start + position * inner]
                        if best.count == k {
                            let worst = x[start + best[k - 1] * inner]
                            guard largest ? value > worst : value < worst else { continue }
                            best.removeLast()
                        }
                        var slot = best.count
                        while slot > 0 {
                            let kept = x[start + best[slot - 1] * inner]
                            if largest ? value > kept : value < kept { slot -= 1 } else { break }
                        }
                        best.insert(position, at: slot)
                    }
                    slices.append(best)
                }
            }
            // Output layout [outer, k, inner].
            for block in 0..<outer {
                for rank in 0..<k {
                    for offset in 0..<inner {
                        let position = slices[block * inner + offset][rank]
                        values.append(x[block * length * inner + position * inner + offset])
                        indices.append(Int64(position))
                    }
                }
            }
            return (wrap(values), indices)
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64])
        try context.requireType(1, [.int64])
        let node = context.node
        guard try node.int("sorted", default: 1) == 1 else {
            throw .attribute(node, "sorted", "expected 1 (sorted output), found 0 (not supported)")
        }
        let kernel = TopKKernel(
            node: node, axis: Int(try node.int("axis", default: -1)),
            largest: try node.int("largest", default: 1) != 0)
        return (kernel, [context.inputTypes[0], .int64])
    }
}
