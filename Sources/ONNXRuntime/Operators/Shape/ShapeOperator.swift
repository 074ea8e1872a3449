/// ai.onnx Shape: the input's dimensions as a 1-D int64 tensor (the whole shape; the
/// opset-15 `start`/`end` slice is honoured too).
enum ShapeOperator: Operator {
    static let domain = ""
    static let opType = "Shape"
    static let opsets = 1...22

    final class ShapeKernel: Kernel {
        let start: Int
        let end: Int?

        init(start: Int, end: Int?) {
            self.start = start
            self.end = end
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let shape = frame.input(0).shape
            let rank = shape.count
            func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + rank : value, 0), rank) }
            let lower = clamp(start)
            let upper = max(clamp(end ?? rank), lower)
            let dims = shape[lower..<upper].map { Int64($0) }
            frame.setOutput(0, Tensor(shape: [dims.count], storage: .int64(dims)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let node = context.node
        let end = node.attribute("end") == nil ? nil : Int(try node.int("end"))
        return (ShapeKernel(start: Int(try node.int("start", default: 0)), end: end), [.int64])
    }
}
