/// An elementwise fold of one or more broadcast inputs of one type (Sum, Max, Min),
/// combined left to right.
final class VariadicKernel: Kernel {
    let node: Node
    let functions: BinaryKernel.Functions

    init(node: Node, functions: BinaryKernel.Functions) {
        self.node = node
        self.functions = functions
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let inputs = (0..<frame.inputCount).map { frame.input($0) }
        let shape = try BinaryKernel.broadcastShape(node, inputs)
        var total = inputs[0]
        for input in inputs.dropFirst() {
            let storage: Tensor.Storage
            switch (total.storage, input.storage) {
            case (.float(let a), .float(let b)):
                storage = .float(
                    Broadcast.combine(a, total.shape, b, input.shape, into: shape, functions.float!)
                )
            case (.double(let a), .double(let b)):
                storage = .double(
                    Broadcast.combine(
                        a, total.shape, b, input.shape, into: shape, functions.double!))
            case (.int64(let a), .int64(let b)):
                storage = .int64(
                    Broadcast.combine(a, total.shape, b, input.shape, into: shape, functions.int64!)
                )
            default: storage = total.storage
            }
            total = Tensor(shape: shape, storage: storage)
        }
        if total.shape != shape {
            // A single input, or inputs that never widened the first: broadcast it.
            let indices = Broadcast.sourceIndices(total.shape, into: shape)
            total = Tensor(shape: shape, storage: total.storage.gathering(indices))
        }
        frame.setOutput(0, total)
    }

    static func make(
        _ context: KernelContext, _ functions: BinaryKernel.Functions
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...Int.max)
        try context.requireType(0, [.float, .double, .int64])
        try context.requireSameTypes(0..<context.inputTypes.count)
        return (VariadicKernel(node: context.node, functions: functions), [context.inputTypes[0]])
    }
}
