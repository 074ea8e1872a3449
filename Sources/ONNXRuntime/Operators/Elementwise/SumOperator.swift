/// ai.onnx Sum: the elementwise sum of one or more broadcast inputs, added left to right
/// in the inputs' type.
enum SumOperator: Operator {
    static let domain = ""
    static let opType = "Sum"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try VariadicKernel.make(
            context, .init(float: { $0 + $1 }, double: { $0 + $1 }, int64: { $0 &+ $1 }))
    }
}
