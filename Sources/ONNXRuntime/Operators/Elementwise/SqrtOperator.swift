/// ai.onnx Sqrt: the square root of each element, in the input's type.
enum SqrtOperator: Operator {
    static let domain = ""
    static let opType = "Sqrt"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(
            context, .init(float: { $0.squareRoot() }, double: { $0.squareRoot() }, int64: nil))
    }
}
