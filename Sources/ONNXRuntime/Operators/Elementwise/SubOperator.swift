/// ai.onnx Sub with numpy broadcasting, in the inputs' type (float stays float32, as in
/// onnxruntime); int64 wraps on overflow.
enum SubOperator: Operator {
    static let domain = ""
    static let opType = "Sub"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try BinaryKernel.arithmetic(
            context, .init(float: { $0 - $1 }, double: { $0 - $1 }, int64: { $0 &- $1 }))
    }
}
