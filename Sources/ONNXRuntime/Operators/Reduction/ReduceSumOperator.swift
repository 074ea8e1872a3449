/// ai.onnx ReduceSum: the sum over the reduced axes (axes an input from opset 13).
enum ReduceSumOperator: Operator {
    static let domain = ""
    static let opType = "ReduceSum"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .sum, axesInputFrom: 13)
    }
}
