/// ai.onnx CumSum: running sums along the axis given by a scalar (or one-element) int64
/// input, in the input's type and in onnxruntime's order: each sum is the previous output
/// plus the next input. `exclusive` leaves each element out of its own sum (the first is 0);
/// `reverse` runs from the end.
enum CumSumOperator: Operator {
    static let domain = ""
    static let opType = "CumSum"
    static let opsets = 11...22

    final class CumSumKernel: Kernel {
        let node: Node
        let exclusive: Bool
        let reverse: Bool

        init(node: Node, exclusive: Bool, reverse: Bool) {
            self.node = node
            self.exclusive = exclusive
            self.reverse = reverse
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let axisTensor = frame.input(1)
            let rank = input.shape.count
            guard rank > 0 else {
                throw .input("\(node.label): expected a tensor of rank 1 or more, found a scalar")
            }
            guard axisTensor.shape.count <= 1, axisTensor.count == 1 else {
                throw .input(
                    "\(node.label): expected the axis as one element of rank 0 or 1, found shape \(axisTensor.shape)"
                )
            }
            let value = axisTensor.int64Values[0]
            guard let axis = Axis.normalized(Int(clamping: value), rank: rank) else {
                throw .input(
                    "\(node.label): expected an axis from -\(rank) to \(rank - 1), found \(value)")
            }
            let layout = (
                outer: input.shape[..<axis].reduce(1, *), length: input.shape[axis],
                inner: input.shape[(axis + 1)...].reduce(1, *)
            )
            let storage: Tensor.Storage
            switch input.storage {
            case .float(let values): storage = .float(accumulate(values, layout) { $0 + $1 })
            case .double(let values): storage = .double(accumulate(values, layout) { $0 + $1 })
            // onnxruntime's int64 sums overflow silently; wrapping is what x86-64 gives.
            case .int64(let values): storage = .int64(accumulate(values, layout) { $0 &+ $1 })
            default: storage = input.storage
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
        }

        /// Walks each run along the axis, forwards or backwards: output i is output i-1
        /// plus input i (input i-1 when exclusive).
        private func accumulate<T: AdditiveArithmetic>(
            _ x: [T], _ layout: (outer: Int, length: Int, inner: Int), _ add: (T, T) -> T
        ) -> [T] {
            let (outer, length, inner) = layout
            var y = [T](repeating: .zero, count: x.count)
            for block in 0..<outer {
                for position in 0..<length {
                    let step = reverse ? length - 1 - position : position
                    let previous = reverse ? step + 1 : step - 1
                    let source = exclusive ? previous : step
                    for offset in 0..<inner {
                        let target = (block * length + step) * inner + offset
                        let value =
                            source >= 0 && source < length
                            ? x[(block * length + source) * inner + offset] : .zero
                        y[target] =
                            position == 0
                            ? value : add(y[(block * length + previous) * inner + offset], value)
                    }
                }
            }
            return y
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64])
        try context.requireType(1, [.int64])
        let node = context.node
        var flags: [Bool] = []
        for name in ["exclusive", "reverse"] {
            let value = try node.int(name, default: 0)
            guard value == 0 || value == 1 else {
                throw .attribute(node, name, "expected 0 or 1, found \(value)")
            }
            flags.append(value == 1)
        }
        let kernel = CumSumKernel(node: node, exclusive: flags[0], reverse: flags[1])
        return (kernel, [context.inputTypes[0]])
    }
}
