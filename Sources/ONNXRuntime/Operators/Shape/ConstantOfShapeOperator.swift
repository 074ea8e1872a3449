/// ai.onnx ConstantOfShape: a tensor of the shape given by its int64 input, every element the
/// one value of the `value` attribute (a float 0 without it). As onnxruntime, `value` must
/// hold exactly one element in a shape of [1], and an empty shape gives a scalar.
enum ConstantOfShapeOperator: Operator {
    static let domain = ""
    static let opType = "ConstantOfShape"
    static let opsets = 9...22

    final class ConstantOfShapeKernel: Kernel {
        let node: Node
        let value: Tensor

        init(node: Node, value: Tensor) {
            self.node = node
            self.value = value
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            guard !input.shape.isEmpty else {
                throw .input("\(node.label): expected a 1-D shape tensor, found a scalar")
            }
            var count = 1
            for dimension in input.int64Values {
                guard dimension >= 0, dimension <= Int32.max else {
                    throw .input(
                        "\(node.label): expected dimensions from 0 to 2³¹-1, found shape \(input.int64Values)"
                    )
                }
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
                guard !overflow else {
                    throw .input("\(node.label): shape \(input.int64Values) is too large")
                }
                count = product
            }
            let shape = input.int64Values.map { Int($0) }
            let storage: Tensor.Storage
            switch value.storage {
            case .float(let values): storage = .float(.filled(values[0], count: count))
            case .double(let values): storage = .double(.filled(values[0], count: count))
            case .int64(let values): storage = .int64(.filled(values[0], count: count))
            case .bool(let values): storage = .bool(.filled(values[0], count: count))
            case .string(let values): storage = .string(.filled(values[0], count: count))
            }
            frame.setOutput(0, Tensor(shape: shape, storage: storage))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.int64])
        let node = context.node
        var value = Tensor(shape: [1], storage: .float([0]))
        if let proto = try node.tensor("value") {
            let allowed: Set<ElementType> = [.float, .double, .int64, .bool]
            guard let type = ElementType(rawValue: proto.dataType), allowed.contains(type) else {
                throw ModelError(
                    .unsupportedType,
                    "\(node.label) attribute 'value': expected a float, double, int64 or bool tensor, found \(ElementType.describe(proto.dataType))"
                )
            }
            value = try proto.tensor(context: "\(node.label) attribute 'value'")
            guard value.shape == [1] else {
                throw .attribute(
                    node, "value",
                    "expected one element in a shape of [1], found shape \(value.shape)")
            }
        }
        return (ConstantOfShapeKernel(node: node, value: value), [value.elementType])
    }
}
