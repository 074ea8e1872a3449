/// ai.onnx Gather: slices of `data` along `axis` (default 0) picked by int64 `indices`
/// (negative counts from the end); the output shape is data's with that axis replaced by
/// the indices' shape.
enum GatherOperator: Operator {
    static let domain = ""
    static let opType = "Gather"
    static let opsets = 1...22

    final class GatherKernel: Kernel {
        let node: Node
        let axis: Int

        init(node: Node, axis: Int) {
            self.node = node
            self.axis = axis
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let data = frame.input(0)
            let indices = frame.input(1)
            let rank = data.shape.count
            guard let axis = Axis.normalized(self.axis, rank: rank) else {
                throw .input(
                    "\(node.label): expected axis \(self.axis) within rank \(rank), found data shape \(data.shape)"
                )
            }
            let length = data.shape[axis]
            let outer = data.shape[..<axis].reduce(1, *)
            let inner = data.shape[(axis + 1)...].reduce(1, *)
            var picks: [Int] = []
            picks.reserveCapacity(indices.count)
            for index in indices.int64Values {
                let position = index < 0 ? Int(index) + length : Int(index)
                guard position >= 0, position < length else {
                    throw .input(
                        "\(node.label): expected indices from -\(length) to \(length - 1), found \(index)"
                    )
                }
                picks.append(position)
            }
            var sources: [Int] = []
            sources.reserveCapacity(outer * picks.count * inner)
            for block in 0..<outer {
                for pick in picks {
                    let start = (block * length + pick) * inner
                    sources.append(contentsOf: start..<(start + inner))
                }
            }
            let shape =
                Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
            frame.setOutput(0, Tensor(shape: shape, storage: data.storage.gathering(sources)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(1, [.int64])
        let axis = try context.node.int("axis", default: 0)
        return (GatherKernel(node: context.node, axis: Int(axis)), [context.inputTypes[0]])
    }
}
