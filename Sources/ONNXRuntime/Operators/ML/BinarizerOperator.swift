/// ai.onnx.ml Binarizer: 1 where an element is greater than `threshold` (default 0), 0
/// elsewhere, so a value on the threshold gives 0. onnxruntime implements float input only
/// and fails the run on NaN.
enum BinarizerOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Binarizer"
    static let opsets = 1...5

    final class BinarizerKernel: Kernel {
        let node: Node
        let threshold: Float

        init(node: Node, threshold: Float) {
            self.node = node
            self.threshold = threshold
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let x = input.floatValues
            var y: [Float] = []
            y.reserveCapacity(x.count)
            for (index, value) in x.enumerated() {
                guard !value.isNaN else {
                    throw .input("\(node.label): expected numbers, found NaN at element \(index)")
                }
                y.append(value > threshold ? 1 : 0)
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: .float(y)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float])
        let node = context.node
        // The ONNX schema's default; onnxruntime's own fallback of 1 never applies, as it
        // fills schema defaults into the node before the kernel reads them.
        var threshold: Float = 0
        if let attribute = node.attribute("threshold") {
            guard let value = attribute.float else {
                throw .attribute(node, "threshold", "expected a FLOAT value, found none")
            }
            threshold = value
        }
        return (BinarizerKernel(node: node, threshold: threshold), [.float])
    }
}
