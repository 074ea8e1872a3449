/// ai.onnx Clip: each element limited to [min, max]; the bounds are attributes before
/// opset 11 and optional scalar inputs from 11 (an omitted one is unbounded). NaN stays NaN.
enum ClipOperator: Operator {
    static let domain = ""
    static let opType = "Clip"
    static let opsets = 6...22

    final class ClipKernel: Kernel {
        let node: Node
        let lower: Float?
        let upper: Float?

        init(node: Node, lower: Float?, upper: Float?) {
            self.node = node
            self.lower = lower
            self.upper = upper
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            var lower = self.lower
            var upper = self.upper
            if frame.inputCount > 1, let value = Self.scalar(frame.input(1)) { lower = value }
            if frame.inputCount > 2, let value = Self.scalar(frame.input(2)) { upper = value }
            let low = lower ?? -.infinity
            let high = upper ?? .infinity
            let storage: Tensor.Storage
            switch input.storage {
            case .float(let values):
                storage = .float(values.map { $0 < low ? low : ($0 > high ? high : $0) })
            case .double(let values):
                let (l, h) = (Double(low), Double(high))
                storage = .double(values.map { $0 < l ? l : ($0 > h ? h : $0) })
            default: storage = input.storage
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
        }

        private static func scalar(_ tensor: Tensor) -> Float? {
            switch tensor.storage {
            case .float(let values): values.first
            case .double(let values): values.first.map { Float($0) }
            default: nil
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let node = context.node
        try context.requireType(0, [.float, .double])
        if context.opset < 11 {
            try context.requireInputs(1...1)
            var bounds: [Float?] = [nil, nil]
            for (index, name) in ["min", "max"].enumerated() {
                if let attribute = node.attribute(name) {
                    guard let value = attribute.float else {
                        throw .attribute(node, name, "expected a FLOAT value, found none")
                    }
                    bounds[index] = value
                }
            }
            return (
                ClipKernel(node: node, lower: bounds[0], upper: bounds[1]), [context.inputTypes[0]]
            )
        }
        try context.requireInputs(1...3)
        if context.inputTypes.count > 1 {
            try context.requireSameTypes(0..<context.inputTypes.count)
        }
        return (ClipKernel(node: node, lower: nil, upper: nil), [context.inputTypes[0]])
    }
}
