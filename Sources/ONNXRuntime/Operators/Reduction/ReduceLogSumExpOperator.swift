/// ai.onnx ReduceLogSumExp: log of the sum of exponentials over the reduced axes, shifted by the maximum for stability (axes an input from opset 18).
enum ReduceLogSumExpOperator: Operator {
    static let domain = ""
    static let opType = "ReduceLogSumExp"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .logSumExp, axesInputFrom: 18)
    }
}
