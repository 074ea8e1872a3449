/// ai.onnx.ml ArrayFeatureExtractor: the elements at int64 `Y` positions of the last axis
/// of `X`, for every leading index; a 1-D `X` gives a `[1, count]` result, as onnxruntime.
enum ArrayFeatureExtractorOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "ArrayFeatureExtractor"
    static let opsets = 1...5

    final class ArrayFeatureExtractorKernel: Kernel {
        let node: Node

        init(node: Node) { self.node = node }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let x = frame.input(0)
            let positions = frame.input(1).int64Values
            guard let stride = x.shape.last, !positions.isEmpty else {
                throw .input(
                    "\(node.label): expected a tensor of rank 1 or more and at least one index, found shape \(x.shape) and \(positions.count) indices"
                )
            }
            for position in positions where position < 0 || position >= stride {
                throw .input(
                    "\(node.label): expected indices from 0 to \(stride - 1) (the last axis of shape \(x.shape)), found \(position)"
                )
            }
            let rows = stride == 0 ? 0 : x.count / stride
            var sources: [Int] = []
            sources.reserveCapacity(rows * positions.count)
            for row in 0..<rows {
                for position in positions { sources.append(row * stride + Int(position)) }
            }
            var shape = x.shape.count == 1 ? [1, 0] : x.shape
            shape[shape.count - 1] = positions.count
            frame.setOutput(0, Tensor(shape: shape, storage: x.storage.gathering(sources)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64, .string])
        try context.requireType(1, [.int64])
        return (ArrayFeatureExtractorKernel(node: context.node), [context.inputTypes[0]])
    }
}
