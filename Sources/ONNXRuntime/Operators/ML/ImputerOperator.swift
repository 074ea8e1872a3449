/// ai.onnx.ml Imputer: replaces every element equal to `replaced_value_float` (NaN matches
/// NaN, the default being 0) or `replaced_value_int64` with the column's imputed value
/// (one value applies to every column).
enum ImputerOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Imputer"
    static let opsets = 1...5

    final class ImputerKernel: Kernel {
        let node: Node
        let floats: [Float]
        let replacedFloat: Float
        let ints: [Int64]
        let replacedInt: Int64

        init(node: Node, floats: [Float], replacedFloat: Float, ints: [Int64], replacedInt: Int64) {
            self.node = node
            self.floats = floats
            self.replacedFloat = replacedFloat
            self.ints = ints
            self.replacedInt = replacedInt
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let width = input.shape.last ?? 1
            let columns = max(floats.count, ints.count)
            guard columns == 1 || columns == width else {
                throw .input(
                    "\(node.label): expected \(columns) columns as the imputed values have, found shape \(input.shape)"
                )
            }
            switch input.storage {
            case .float(var x):
                let matchesNaN = replacedFloat.isNaN
                for index in x.indices where matchesNaN ? x[index].isNaN : x[index] == replacedFloat
                {
                    x[index] = floats[columns == 1 ? 0 : index % width]
                }
                frame.setOutput(0, Tensor(shape: input.shape, storage: .float(x)))
            case .int64(var x):
                for index in x.indices where x[index] == replacedInt {
                    x[index] = ints[columns == 1 ? 0 : index % width]
                }
                frame.setOutput(0, Tensor(shape: input.shape, storage: .int64(x)))
            default:
                frame.setOutput(0, input)
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let node = context.node
        let floats = try node.floats("imputed_value_floats") ?? []
        let ints = try node.ints("imputed_value_int64s") ?? []
        guard floats.isEmpty != ints.isEmpty else {
            throw .attribute(
                node, "imputed_value_floats",
                "expected exactly one of imputed_value_floats and imputed_value_int64s, found "
                    + (floats.isEmpty ? "neither" : "both"))
        }
        try context.requireType(0, floats.isEmpty ? [.int64] : [.float])
        var replacedFloat: Float = 0
        if let attribute = node.attribute("replaced_value_float") {
            guard let value = attribute.float else {
                throw .attribute(node, "replaced_value_float", "expected a FLOAT value, found none")
            }
            replacedFloat = value
        }
        let kernel = ImputerKernel(
            node: node, floats: floats, replacedFloat: replacedFloat, ints: ints,
            replacedInt: try node.int("replaced_value_int64", default: 0))
        return (kernel, [context.inputTypes[0]])
    }
}
