/// ai.onnx Unsqueeze: inserts dimensions of size 1 at the listed output positions; axes
/// are an attribute before opset 13 and a constant input from 13.
enum UnsqueezeOperator: Operator {
    static let domain = ""
    static let opType = "Unsqueeze"
    static let opsets = 1...22

    final class UnsqueezeKernel: Kernel {
        let node: Node
        let axes: [Int]

        init(node: Node, axes: [Int]) {
            self.node = node
            self.axes = axes
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rank = input.shape.count + axes.count
            let inserted = Set(axes.compactMap { Axis.normalized($0, rank: rank) })
            guard inserted.count == axes.count else {
                throw .input(
                    "\(node.label): expected distinct axes within the output rank \(rank), found \(axes)"
                )
            }
            var dims = input.shape.makeIterator()
            let shape = (0..<rank).map { inserted.contains($0) ? 1 : dims.next()! }
            frame.setOutput(0, Tensor(shape: shape, storage: input.storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let axes: [Int]
        if context.opset >= 13 {
            try context.requireInputs(2...2)
            axes = try context.constant(1, "the axes").int64Values.map { Int($0) }
        } else {
            try context.requireInputs(1...1)
            axes = try context.node.ints("axes", required: true)!.map { Int($0) }
        }
        return (UnsqueezeKernel(node: context.node, axes: axes), [context.inputTypes[0]])
    }
}
