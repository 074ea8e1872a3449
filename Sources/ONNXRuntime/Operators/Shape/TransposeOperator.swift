/// ai.onnx Transpose: dimensions permuted by `perm` (default: reversed).
enum TransposeOperator: Operator {
    static let domain = ""
    static let opType = "Transpose"
    static let opsets = 1...22

    final class TransposeKernel: Kernel {
        let node: Node
        let permutation: [Int]?

        init(node: Node, permutation: [Int]?) {
            self.node = node
            self.permutation = permutation
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rank = input.shape.count
            let perm = permutation ?? Array((0..<rank).reversed())
            guard perm.count == rank, Set(perm) == Set(0..<rank) else {
                throw .input(
                    "\(node.label): expected perm \(perm) to permute the \(rank) dimensions of input shape \(input.shape)"
                )
            }
            let shape = perm.map { input.shape[$0] }
            var inputStrides = [Int](repeating: 1, count: rank)
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                inputStrides[axis] = inputStrides[axis + 1] * input.shape[axis + 1]
            }
            // The input stride of each output dimension, then walk the output in order.
            let indices = Broadcast.stridedIndices(
                shape: shape, strides: perm.map { inputStrides[$0] })
            frame.setOutput(0, Tensor(shape: shape, storage: input.storage.gathering(indices)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let perm = try context.node.ints("perm")?.map { Int($0) }
        return (TransposeKernel(node: context.node, permutation: perm), [context.inputTypes[0]])
    }
}
