/// ai.onnx ReduceMin: the minimum over the reduced axes (axes an input from opset 18).
enum ReduceMinOperator: Operator {
    static let domain = ""
    static let opType = "ReduceMin"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .min, axesInputFrom: 18)
    }
}
