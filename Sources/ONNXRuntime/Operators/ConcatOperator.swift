/// ai.onnx Concat along one axis (negative axes count from the end).
enum ConcatOperator: Operator {
    static let domain = ""
    static let opType = "Concat"
    static let opsets = 4...25

    struct ConcatKernel: Kernel {
        let node: Node
        let axis: Int

        func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] {
            let rank = inputs[0].shape.count
            let axis = self.axis < 0 ? self.axis + rank : self.axis
            guard axis >= 0, axis < rank else {
                throw .input("\(node.label): axis \(self.axis) is out of range for rank \(rank)")
            }
            var shape = inputs[0].shape
            shape[axis] = 0
            for input in inputs {
                guard input.shape.count == rank,
                    zip(input.shape, inputs[0].shape).enumerated().allSatisfy({
                        $0.offset == axis || $0.element.0 == $0.element.1
                    })
                else {
                    throw .input(
                        "\(node.label): shapes \(inputs.map(\.shape)) cannot be joined on axis \(axis)"
                    )
                }
                shape[axis] += input.shape[axis]
            }
            // Each input contributes blocks of shape[axis...] elements per outer index.
            let outer = inputs[0].shape[..<axis].reduce(1, *)
            let inner = inputs[0].shape[(axis + 1)...].reduce(1, *)
            func join<T>(_ arrays: [[T]]) -> [T] {
                var result: [T] = []
                result.reserveCapacity(shape.reduce(1, *))
                for o in 0..<outer {
                    for (array, input) in zip(arrays, inputs) {
                        let block = input.shape[axis] * inner
                        result.append(contentsOf: array[(o * block)..<((o + 1) * block)])
                    }
                }
                return result
            }
            let storage: Tensor.Storage
            switch inputs[0].storage {
            case .float:
                storage = .float(
                    join(inputs.map { if case .float(let v) = $0.storage { v } else { [] } }))
            case .double:
                storage = .double(
                    join(inputs.map { if case .double(let v) = $0.storage { v } else { [] } }))
            case .int64:
                storage = .int64(
                    join(inputs.map { if case .int64(let v) = $0.storage { v } else { [] } }))
            case .string:
                storage = .string(
                    join(inputs.map { if case .string(let v) = $0.storage { v } else { [] } }))
            case .bool:
                storage = .bool(
                    join(inputs.map { if case .bool(let v) = $0.storage { v } else { [] } }))
            }
            return [Tensor(shape: shape, storage: storage)]
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...Int.max)
        let first = context.inputTypes[0]
        for (index, type) in context.inputTypes.enumerated() where type != first {
            throw ModelError(
                .unsupportedType,
                "\(context.node.label) input \(index) ('\(context.node.inputs[index])') is \(type), but input 0 is \(first)"
            )
        }
        let axis = try context.node.int("axis")
        return (ConcatKernel(node: context.node, axis: Int(axis)), [first])
    }
}
