/// ai.onnx ReduceMax: the maximum over the reduced axes (axes an input from opset 18).
enum ReduceMaxOperator: Operator {
    static let domain = ""
    static let opType = "ReduceMax"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .max, axesInputFrom: 18)
    }
}
