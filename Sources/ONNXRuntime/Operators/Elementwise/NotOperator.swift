/// ai.onnx Not: logical negation of a bool tensor.
enum NotOperator: Operator {
    static let domain = ""
    static let opType = "Not"
    static let opsets = 1...22

    final class NotKernel: Kernel {
        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            frame.setOutput(
                0, Tensor(shape: input.shape, storage: .bool(input.boolValues.map { !$0 })))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.bool])
        return (NotKernel(), [.bool])
    }
}
