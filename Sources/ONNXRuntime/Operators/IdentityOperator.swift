/// ai.onnx Identity: the input, unchanged.
enum IdentityOperator: Operator {
    static let domain = ""
    static let opType = "Identity"
    static let opsets = 1...25

    struct IdentityKernel: Kernel {
        func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] { inputs }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        return (IdentityKernel(), context.inputTypes)
    }
}
