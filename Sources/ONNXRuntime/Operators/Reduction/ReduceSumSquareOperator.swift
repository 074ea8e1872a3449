/// ai.onnx ReduceSumSquare: the sum of squares over the reduced axes (axes an input from opset 18).
enum ReduceSumSquareOperator: Operator {
    static let domain = ""
    static let opType = "ReduceSumSquare"
    static let opsets = 1...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try ReductionKernel.make(context, .sumSquare, axesInputFrom: 18)
    }
}
