/// ai.onnx.ml Normalizer: each row of a rank-1 or rank-2 input scaled by its MAX, L1 or
/// L2 norm, in float32 with onnxruntime's formulas (L2 takes sqrt(x² / Σx²) with x's sign);
/// a row whose norm is 0 passes through.
enum NormalizerOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Normalizer"
    static let opsets = 1...5

    enum Norm: String {
        case max = "MAX"
        case l1 = "L1"
        case l2 = "L2"
    }

    final class NormalizerKernel: Kernel {
        let node: Node
        let norm: Norm

        init(node: Node, norm: Norm) {
            self.node = node
            self.norm = norm
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            guard (1...2).contains(input.shape.count) else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of rank 1 or 2, found shape \(input.shape)"
                )
            }
            let width = input.shape.last!
            let x: [Float]
            switch input.storage {
            case .float(let values): x = values
            case .double(let values): x = values.map { Float($0) }
            case .int64(let values): x = values.map { Float($0) }
            default: x = []
            }
            var y = x
            let rows = width == 0 ? 0 : x.count / width
            for row in 0..<rows {
                let start = row * width
                switch norm {
                case .max:
                    var maximum = -Float.greatestFiniteMagnitude
                    for index in start..<(start + width) { maximum = Swift.max(maximum, x[index]) }
                    if maximum != 0 { for index in start..<(start + width) { y[index] /= maximum } }
                case .l1:
                    var sum: Float = 0
                    for index in start..<(start + width) { sum += abs(x[index]) }
                    if sum != 0 { for index in start..<(start + width) { y[index] /= sum } }
                case .l2:
                    var sum: Float = 0
                    for index in start..<(start + width) { sum += x[index] * x[index] }
                    if sum != 0 {
                        for index in start..<(start + width) {
                            let root = (x[index] * x[index] / sum).squareRoot()
                            y[index] = x[index] < 0 ? -root : root
                        }
                    }
                }
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: .float(y)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let name = try context.node.string("norm", default: "MAX")
        guard let norm = Norm(rawValue: name) else {
            throw .attribute(context.node, "norm", "expected MAX, L1 or L2, found '\(name)'")
        }
        return (NormalizerKernel(node: context.node, norm: norm), [.float])
    }
}
