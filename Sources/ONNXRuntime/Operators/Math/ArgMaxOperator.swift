/// ai.onnx ArgMax: the position of the largest element along `axis`, ties to the first
/// position (see ArgExtremumKernel).
enum ArgMaxOperator: Operator {
    static let domain = ""
    static let opType = "ArgMax"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ArgExtremumKernel.make(context, smallest: false)
    }
}
