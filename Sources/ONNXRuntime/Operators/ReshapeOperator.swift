/// ai.onnx Reshape with a constant shape: 0 copies the input's dimension (allowzero = 0),
/// -1 takes whatever is left.
enum ReshapeOperator: Operator {
    static let domain = ""
    static let opType = "Reshape"
    static let opsets = 5...25

    struct ReshapeKernel: Kernel {
        let node: Node
        let target: [Int64]

        func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] {
            let input = inputs[0]
            var shape: [Int] = []
            var inferred: Int?
            for (index, dim) in target.enumerated() {
                switch dim {
                case 0:
                    guard index < input.shape.count else {
                        throw .input(
                            "\(node.label): shape has 0 at \(index) but the input has rank \(input.shape.count)"
                        )
                    }
                    shape.append(input.shape[index])
                case -1:
                    inferred = index
                    shape.append(1)
                default: shape.append(Int(dim))
                }
            }
            let known = shape.reduce(1, *)
            if let inferred {
                guard known > 0, input.count % known == 0 else {
                    throw .input("\(node.label): cannot reshape \(input.shape) to \(target)")
                }
                shape[inferred] = input.count / known
            }
            guard shape.reduce(1, *) == input.count else {
                throw .input("\(node.label): cannot reshape \(input.shape) to \(target)")
            }
            return [Tensor(shape: shape, storage: input.storage)]
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        guard let constant = context.constants[1], case .int64(let target) = constant.storage else {
            throw .graph(
                "\(context.node.label): the shape input '\(context.node.inputs[1])' must be a constant int64 tensor"
            )
        }
        guard target.allSatisfy({ $0 >= -1 }), target.filter({ $0 == -1 }).count <= 1 else {
            throw .graph("\(context.node.label): invalid target shape \(target)")
        }
        guard try context.node.int("allowzero", default: 0) == 0 || !target.contains(0) else {
            throw .attribute(
                context.node, "allowzero", "allowzero = 1 with a 0 in the shape is not supported")
        }
        return (ReshapeKernel(node: context.node, target: target), [context.inputTypes[0]])
    }
}
