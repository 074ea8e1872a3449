/// ai.onnx Abs: the absolute value of each element (int64 minimum wraps).
enum AbsOperator: Operator {
    static let domain = ""
    static let opType = "Abs"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(
            context,
            .init(float: { abs($0) }, double: { abs($0) }, int64: { $0 < 0 ? 0 &- $0 : $0 }))
    }
}
