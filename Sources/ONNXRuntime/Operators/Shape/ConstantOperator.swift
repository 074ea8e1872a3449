/// ai.onnx Constant: the tensor in `value`, or a scalar or list from `value_float(s)`,
/// `value_int(s)`, `value_string(s)`.
enum ConstantOperator: Operator {
    static let domain = ""
    static let opType = "Constant"
    static let opsets = 1...22

    final class ConstantKernel: Kernel {
        let tensor: Tensor

        init(tensor: Tensor) { self.tensor = tensor }

        func run(_ frame: KernelFrame) throws(ModelError) { frame.setOutput(0, tensor) }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(0...0)
        let node = context.node
        let tensor: Tensor
        if let proto = try node.tensor("value") {
            tensor = try proto.tensor(context: "\(node.label) attribute 'value'")
        } else if let attribute = node.attribute("value_float"), let value = attribute.float {
            tensor = Tensor(shape: [], storage: .float([value]))
        } else if let values = try node.floats("value_floats") {
            tensor = Tensor(shape: [values.count], storage: .float(values))
        } else if node.attribute("value_int") != nil {
            tensor = Tensor(shape: [], storage: .int64([try node.int("value_int")]))
        } else if let values = try node.ints("value_ints") {
            tensor = Tensor(shape: [values.count], storage: .int64(values))
        } else if node.attribute("value_string") != nil {
            tensor = Tensor(shape: [], storage: .string([try node.string("value_string")]))
        } else if let values = try node.strings("value_strings") {
            tensor = Tensor(shape: [values.count], storage: .string(values))
        } else {
            throw .attribute(
                node, "value",
                "expected one of value, value_float(s), value_int(s), value_string(s), found none")
        }
        return (ConstantKernel(tensor: tensor), [tensor.elementType])
    }
}
