/// An elementwise function of one input (Exp, Log, Sqrt, Relu, Sigmoid, Neg, Abs), one
/// closure per element type it accepts; the output has the input's type and shape.
final class UnaryKernel: Kernel {
    struct Functions: Sendable {
        var float: (@Sendable (Float) -> Float)?
        var double: (@Sendable (Double) -> Double)?
        var int64: (@Sendable (Int64) -> Int64)?
    }

    let functions: Functions

    init(_ functions: Functions) { self.functions = functions }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let input = frame.input(0)
        let storage: Tensor.Storage
        switch input.storage {
        case .float(let values): storage = .float(values.map(functions.float!))
        case .double(let values): storage = .double(values.map(functions.double!))
        case .int64(let values): storage = .int64(values.map(functions.int64!))
        default: storage = input.storage
        }
        frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
    }

    static func make(
        _ context: KernelContext, _ functions: Functions
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        var allowed: Set<ElementType> = []
        if functions.float != nil { allowed.insert(.float) }
        if functions.double != nil { allowed.insert(.double) }
        if functions.int64 != nil { allowed.insert(.int64) }
        try context.requireType(0, allowed)
        return (UnaryKernel(functions), [context.inputTypes[0]])
    }
}
