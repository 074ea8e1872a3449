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

    /// The same lookup over a constant list of distinct labels: skl2onnx turns an argmax
    /// into a class label this way (GaussianNB, MLP, KNeighbors), and the list names the
    /// model's classes in probability-column order.
    final class LabelLookupKernel: ClassifierKernel {
        let lookup: ArrayFeatureExtractorKernel
        let classLabels: ClassLabels

        init(node: Node, classLabels: ClassLabels) {
            lookup = ArrayFeatureExtractorKernel(node: node)
            self.classLabels = classLabels
        }

        func run(_ frame: KernelFrame) throws(ModelError) { try lookup.run(frame) }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64, .string])
        try context.requireType(1, [.int64])
        if let labels = classLabels(context.constants[0]) {
            return (
                LabelLookupKernel(node: context.node, classLabels: labels), [context.inputTypes[0]]
            )
        }
        return (ArrayFeatureExtractorKernel(node: context.node), [context.inputTypes[0]])
    }

    /// A constant 1-D list of at least two distinct int64 or string values.
    private static func classLabels(_ constant: Tensor?) -> ClassLabels? {
        guard let constant, constant.shape.count == 1, constant.count >= 2 else { return nil }
        switch constant.storage {
        case .int64(let ids) where Set(ids).count == ids.count: return .int64s(ids)
        case .string(let names) where Set(names.map { Array($0.utf8) }).count == names.count:
            return .strings(names)
        default: return nil
        }
    }
}
