/// ai.onnx Flatten: the input as a matrix, dimensions before `axis` (default 1) in the
/// rows and the rest in the columns.
enum FlattenOperator: Operator {
    static let domain = ""
    static let opType = "Flatten"
    static let opsets = 1...22

    final class FlattenKernel: Kernel {
        let node: Node
        let axis: Int

        init(node: Node, axis: Int) {
            self.node = node
            self.axis = axis
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rank = input.shape.count
            guard let axis = Axis.normalized(self.axis, rank: rank, allowingEnd: true) else {
                throw .input(
                    "\(node.label): expected axis \(self.axis) from -\(rank) to \(rank), found input shape \(input.shape)"
                )
            }
            let shape = [input.shape[..<axis].reduce(1, *), input.shape[axis...].reduce(1, *)]
            frame.setOutput(0, Tensor(shape: shape, storage: input.storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let axis = try context.node.int("axis", default: 1)
        return (FlattenKernel(node: context.node, axis: Int(axis)), [context.inputTypes[0]])
    }
}
