/// ai.onnx Reshape with a constant target shape: -1 takes whatever is left, 0 copies the
/// input's dimension at that position (or, with allowzero = 1, means a zero dimension).
enum ReshapeOperator: Operator {
    static let domain = ""
    static let opType = "Reshape"
    static let opsets = 5...22

    final class ReshapeKernel: Kernel {
        let node: Node
        let target: [Int]
        let allowZero: Bool

        init(node: Node, target: [Int], allowZero: Bool) {
            self.node = node
            self.target = target
            self.allowZero = allowZero
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            var shape = target
            var inferred: Int?
            for (index, dim) in target.enumerated() {
                if dim == -1 {
                    inferred = index
                    shape[index] = 1
                } else if dim == 0 && !allowZero {
                    guard index < input.shape.count else {
                        throw .input(
                            "\(node.label): the target shape \(target) copies dimension \(index), but input '\(node.inputs[0])' has shape \(input.shape)"
                        )
                    }
                    shape[index] = input.shape[index]
                }
            }
            let known = shape.reduce(1, *)
            if let inferred {
                guard known > 0, input.count % known == 0 else {
                    throw .input(
                        "\(node.label): expected input '\(node.inputs[0])' to fill target shape \(target), found shape \(input.shape)"
                    )
                }
                shape[inferred] = input.count / known
            }
            guard shape.reduce(1, *) == input.count else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' to hold \(shape.reduce(1, *)) elements for target shape \(target), found shape \(input.shape)"
                )
            }
            frame.setOutput(0, Tensor(shape: shape, storage: input.storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(1, [.int64])
        guard let constant = context.constants[1], case .int64(let target) = constant.storage,
            constant.shape.count == 1
        else {
            throw .graph(
                "\(context.node.label): expected the shape input '\(context.node.inputs[1])' to be a 1-D int64 initializer, found a computed value"
            )
        }
        let allowZero = try context.node.int("allowzero", default: 0) != 0
        guard target.allSatisfy({ $0 >= -1 && $0 <= Int32.max }),
            target.filter({ $0 == -1 }).count <= 1,
            !(allowZero && target.contains(0) && target.contains(-1))
        else {
            throw .graph(
                "\(context.node.label): expected a target shape of sizes, 0 and at most one -1 (not both -1 and 0 with allowzero = 1), found \(target)"
            )
        }
        let kernel = ReshapeKernel(
            node: context.node, target: target.map { Int($0) }, allowZero: allowZero)
        return (kernel, [context.inputTypes[0]])
    }
}
