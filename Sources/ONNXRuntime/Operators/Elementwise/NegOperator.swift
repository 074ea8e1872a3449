/// ai.onnx Neg: each element negated (int64 wraps).
enum NegOperator: Operator {
    static let domain = ""
    static let opType = "Neg"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(context, .init(float: { -$0 }, double: { -$0 }, int64: { 0 &- $0 }))
    }
}
