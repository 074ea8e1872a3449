/// ai.onnx Greater: `A > B` elementwise with numpy broadcasting, over float, double or
/// int64 inputs of one type; comparisons with NaN are false.
enum GreaterOperator: Operator {
    static let domain = ""
    static let opType = "Greater"
    static let opsets = 7...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try BinaryKernel.comparison(context, { $0 > $1 }, { $0 > $1 }, { $0 > $1 })
    }
}
