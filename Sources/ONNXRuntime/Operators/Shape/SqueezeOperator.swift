/// ai.onnx Squeeze: removes the listed dimensions of size 1 (all of them when none are
/// listed); axes are an attribute before opset 13 and a constant input from 13.
enum SqueezeOperator: Operator {
    static let domain = ""
    static let opType = "Squeeze"
    static let opsets = 1...22

    final class SqueezeKernel: Kernel {
        let node: Node
        let axes: [Int]

        init(node: Node, axes: [Int]) {
            self.node = node
            self.axes = axes
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let rank = input.shape.count
            var remove = Set<Int>()
            for axis in axes {
                guard let normalized = Axis.normalized(axis, rank: rank),
                    input.shape[normalized] == 1
                else {
                    throw .input(
                        "\(node.label): expected axes \(axes) to name dimensions of size 1, found input shape \(input.shape)"
                    )
                }
                remove.insert(normalized)
            }
            let shape = input.shape.indices.filter { index in
                axes.isEmpty ? input.shape[index] != 1 : !remove.contains(index)
            }.map { input.shape[$0] }
            frame.setOutput(0, Tensor(shape: shape, storage: input.storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let axes: [Int]
        if context.opset >= 13 {
            try context.requireInputs(1...2)
            axes =
                context.inputTypes.count > 1
                ? try context.constant(1, "the axes").int64Values.map { Int($0) } : []
        } else {
            try context.requireInputs(1...1)
            axes = try context.node.ints("axes")?.map { Int($0) } ?? []
        }
        return (SqueezeKernel(node: context.node, axes: axes), [context.inputTypes[0]])
    }
}
