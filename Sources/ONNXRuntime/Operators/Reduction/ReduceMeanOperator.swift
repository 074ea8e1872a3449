/// ai.onnx ReduceMean: the mean over the reduced axes (axes an input from opset 18).
enum ReduceMeanOperator: Operator {
    static let domain = ""
    static let opType = "ReduceMean"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .mean, axesInputFrom: 18)
    }
}
