/// ai.onnx Where: `condition ? X : Y` elementwise, all three broadcast together.
enum WhereOperator: Operator {
    static let domain = ""
    static let opType = "Where"
    static let opsets = 9...22

    final class WhereKernel: Kernel {
        let node: Node

        init(node: Node) { self.node = node }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let condition = frame.input(0)
            let x = frame.input(1)
            let y = frame.input(2)
            let shape = try BinaryKernel.broadcastShape(node, [condition, x, y])
            let flags = condition.boolValues
            let c = Broadcast.sourceIndices(condition.shape, into: shape)
            let xi = Broadcast.sourceIndices(x.shape, into: shape)
            let yi = Broadcast.sourceIndices(y.shape, into: shape)
            // Each element's source: non-negative in X, negative (-1 - index) in Y.
            let sources = (0..<c.count).map { flags[c[$0]] ? xi[$0] : -1 - yi[$0] }
            let storage: Tensor.Storage
            switch (x.storage, y.storage) {
            case (.float(let a), .float(let b)): storage = .float(Self.pick(sources, a, b))
            case (.double(let a), .double(let b)): storage = .double(Self.pick(sources, a, b))
            case (.int64(let a), .int64(let b)): storage = .int64(Self.pick(sources, a, b))
            case (.string(let a), .string(let b)): storage = .string(Self.pick(sources, a, b))
            case (.bool(let a), .bool(let b)): storage = .bool(Self.pick(sources, a, b))
            default: storage = x.storage
            }
            frame.setOutput(0, Tensor(shape: shape, storage: storage))
        }

        private static func pick<T>(_ sources: [Int], _ a: [T], _ b: [T]) -> [T] {
            sources.map { $0 >= 0 ? a[$0] : b[-1 - $0] }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(3...3)
        try context.requireType(0, [.bool])
        try context.requireSameTypes(1..<3)
        return (WhereKernel(node: context.node), [context.inputTypes[1]])
    }
}
