/// ai.onnx Equal with numpy broadcasting over float, double, int64, bool or string inputs
/// of one type; NaN equals nothing.
enum EqualOperator: Operator {
    static let domain = ""
    static let opType = "Equal"
    static let opsets = 7...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64, .bool, .string])
        try context.requireSameTypes(0..<2)
        let kernel = BinaryKernel(node: context.node) { a, b, shape in
            switch (a.storage, b.storage) {
            case (.float(let x), .float(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, ==))
            case (.double(let x), .double(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, ==))
            case (.int64(let x), .int64(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, ==))
            case (.bool(let x), .bool(let y)):
                .bool(Broadcast.combine(x, a.shape, y, b.shape, into: shape, ==))
            case (.string(let x), .string(let y)):
                // Byte comparison, as onnxruntime's std::string ==.
                .bool(
                    Broadcast.combine(x, a.shape, y, b.shape, into: shape) {
                        $0.utf8.elementsEqual($1.utf8)
                    })
            default: .bool([])
            }
        }
        return (kernel, [.bool])
    }
}
