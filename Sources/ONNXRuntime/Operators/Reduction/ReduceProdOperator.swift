/// ai.onnx ReduceProd: the product over the reduced axes, 1 over none (axes an input from opset 18).
enum ReduceProdOperator: Operator {
    static let domain = ""
    static let opType = "ReduceProd"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .prod, axesInputFrom: 18)
    }
}
