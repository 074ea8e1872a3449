/// ai.onnx Identity: the input, unchanged.
enum IdentityOperator: Operator {
    static let domain = ""
    static let opType = "Identity"
    static let opsets = 1...22

    final class IdentityKernel: Kernel {
        func run(_ frame: KernelFrame) throws(ModelError) { frame.setOutput(0, frame.input(0)) }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        return (IdentityKernel(), context.inputTypes)
    }
}
