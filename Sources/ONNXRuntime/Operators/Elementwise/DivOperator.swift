/// ai.onnx Div with numpy broadcasting, in the inputs' type. Integer division truncates
/// toward zero; dividing an integer by zero, undefined in onnxruntime, gives 0 here rather
/// than a crash.
enum DivOperator: Operator {
    static let domain = ""
    static let opType = "Div"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try BinaryKernel.arithmetic(
            context,
            .init(
                float: { $0 / $1 }, double: { $0 / $1 },
                int64: { $1 == 0 ? 0 : $0.dividedReportingOverflow(by: $1).partialValue }))
    }
}
