/// ai.onnx Max: the elementwise largest of one or more broadcast inputs; NaN propagates,
/// as in onnxruntime.
enum MaxOperator: Operator {
    static let domain = ""
    static let opType = "Max"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try VariadicKernel.make(
            context,
            .init(
                float: { $0.isNaN || $0 > $1 ? $0 : $1 },
                double: { $0.isNaN || $0 > $1 ? $0 : $1 },
                int64: { $0 > $1 ? $0 : $1 }))
    }
}
