/// An elementwise operation of two broadcast inputs (Add, Sub, Mul, Div, Pow, Equal,
/// Greater, Less, And, Or): one closure per element type, chosen at load.
final class BinaryKernel: Kernel {
    struct Functions: Sendable {
        var float: (@Sendable (Float, Float) -> Float)?
        var double: (@Sendable (Double, Double) -> Double)?
        var int64: (@Sendable (Int64, Int64) -> Int64)?
    }

    let node: Node
    private let compute: @Sendable (Tensor, Tensor, [Int]) throws(ModelError) -> Tensor.Storage

    init(
        node: Node,
        compute: @escaping @Sendable (Tensor, Tensor, [Int]) throws(ModelError) -> Tensor.Storage
    ) {
        self.node = node
        self.compute = compute
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let a = frame.input(0)
        let b = frame.input(1)
        let shape = try Self.broadcastShape(node, [a, b])
        frame.setOutput(0, Tensor(shape: shape, storage: try compute(a, b, shape)))
    }

    /// The broadcast shape of `inputs`, or an input error naming the shapes.
    static func broadcastShape(_ node: Node, _ inputs: [Tensor]) throws(ModelError) -> [Int] {
        if inputs.count == 2 {
            let (a, b) = (inputs[0].shape, inputs[1].shape)
            if a == b { return a }
            // The common [N, F] with [F] (or [1, F]) needs no general pass.
            if a.count >= b.count, Broadcast.isTrailing(b, of: a) { return a }
            if b.count > a.count, Broadcast.isTrailing(a, of: b) { return b }
        }
        guard let shape = Broadcast.shape(inputs.map(\.shape)) else {
            throw .input(
                "\(node.label): expected shapes that broadcast together, found \(inputs.map(\.shape))"
            )
        }
        return shape
    }

    /// A kernel for a numeric operation over float, double or int64 inputs of one type;
    /// the output has the input type.
    static func arithmetic(
        _ context: KernelContext, _ functions: Functions
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        var allowed: Set<ElementType> = []
        if functions.float != nil { allowed.insert(.float) }
        if functions.double != nil { allowed.insert(.double) }
        if functions.int64 != nil { allowed.insert(.int64) }
        try context.requireType(0, allowed)
        try context.requireSameTypes(0..<2)
        let node = context.node
        let kernel: BinaryKernel
        switch context.inputTypes[0] {
        case .float:
            let f = functions.float!
            kernel = BinaryKernel(node: node) { a, b, shape in
                .float(
                    Broadcast.combine(
                        a.floatValues, a.shape, b.floatValues, b.shape, into: shape, f))
            }
        case .double:
            let f = functions.double!
            kernel = BinaryKernel(node: node) { a, b, shape in
                .double(
                    Broadcast.combine(
                        a.doubleValues, a.shape, b.doubleValues, b.shape, into: shape, f))
            }
        default:
            let f = functions.int64!
            kernel = BinaryKernel(node: node) { a, b, shape in
                .int64(
                    Broadcast.combine(
                        a.int64Values, a.shape, b.int64Values, b.shape, into: shape, f))
            }
        }
        return (kernel, [context.inputTypes[0]])
    }

    /// A kernel for an ordering comparison of float, double or int64 inputs of one type;
    /// the output is bool.
    static func comparison(
        _ context: KernelContext, _ float: @escaping @Sendable (Float, Float) -> Bool,
        _ double: @escaping @Sendable (Double, Double) -> Bool,
        _ int64: @escaping @Sendable (Int64, Int64) -> Bool
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64])
        try context.requireSameTypes(0..<2)
        let kernel = BinaryKernel(node: context.node) { a, b, shape in
            switch (a.storage, b.storage) {
            case (.float(let x), .float(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, float))
            case (.double(let x), .double(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, double))
            case (.int64(let x), .int64(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, int64))
            default: .bool([])
            }
        }
        return (kernel, [.bool])
    }
}
