/// ai.onnx Relu: max(x, 0) elementwise; NaN stays NaN.
enum ReluOperator: Operator {
    static let domain = ""
    static let opType = "Relu"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(
            context,
            .init(float: { $0 < 0 ? 0 : $0 }, double: { $0 < 0 ? 0 : $0 }, int64: { max($0, 0) }))
    }
}
