/// ai.onnx Reciprocal: 1 / x elementwise, in the input's type.
enum ReciprocalOperator: Operator {
    static let domain = ""
    static let opType = "Reciprocal"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(context, .init(float: { 1 / $0 }, double: { 1 / $0 }, int64: nil))
    }
}
