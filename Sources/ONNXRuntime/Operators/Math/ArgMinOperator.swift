/// ai.onnx ArgMin: the position of the smallest element along `axis`, ties to the first
/// position (see ArgExtremumKernel).
enum ArgMinOperator: Operator {
    static let domain = ""
    static let opType = "ArgMin"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ArgExtremumKernel.make(context, smallest: true)
    }
}
