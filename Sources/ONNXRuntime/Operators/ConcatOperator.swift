/// ai.onnx Concat along one axis; a negative axis counts from the end (opset 11 on, and
/// accepted earlier too, as onnxruntime does).
enum ConcatOperator: Operator {
    static let domain = ""
    static let opType = "Concat"
    static let opsets = 4...22

    final class ConcatKernel: Kernel {
        let node: Node
        let axis: Int

        init(node: Node, axis: Int) {
            self.node = node
            self.axis = axis
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            // Each input read once: every read of a frame slot costs reference counting.
            let inputs = (0..<frame.inputCount).map { frame.input($0) }
            let first = inputs[0].shape
            let axis = try Axis.normalized(self.axis, in: first, at: node)
            var shape = first
            shape[axis] = 0
            for input in inputs {
                guard input.shape.count == first.count,
                    input.shape.indices.allSatisfy({ $0 == axis || input.shape[$0] == first[$0] })
                else {
                    throw .input(
                        "\(node.label): expected inputs that differ only along axis \(axis), found shapes \(inputs.map(\.shape))"
                    )
                }
                shape[axis] += input.shape[axis]
            }
            // Per index before the axis, each input contributes a block of its
            // `shape[axis] * inner` elements in turn.
            let outer = first[..<axis].reduce(1, *)
            let total = shape.reduce(1, *)
            let storage: Tensor.Storage
            switch inputs[0].storage {
            case .float: storage = .float(Self.join(inputs, outer, total) { $0.floatValues })
            case .double: storage = .double(Self.join(inputs, outer, total) { $0.doubleValues })
            case .int64: storage = .int64(Self.join(inputs, outer, total) { $0.int64Values })
            case .string: storage = .string(Self.join(inputs, outer, total) { $0.stringValues })
            case .bool: storage = .bool(Self.join(inputs, outer, total) { $0.boolValues })
            }
            frame.setOutput(0, Tensor(shape: shape, storage: storage))
        }

        @inline(__always)
        private static func join<T>(
            _ inputs: [Tensor], _ outer: Int, _ total: Int, _ values: (Tensor) -> [T]
        ) -> [T] {
            if outer == 1 {
                var result: [T] = []
                result.reserveCapacity(total)
                for input in inputs { result.append(contentsOf: values(input)) }
                return result
            }
            let arrays = inputs.map(values)
            guard total > 0 else { return [] }
            return [T](unsafeUninitializedCapacity: total) { result, count in
                // Copied through pointers: slicing an array per block would retain and
                // release its storage once per row and input.
                var next = result.baseAddress!
                for index in 0..<outer {
                    for array in arrays where !array.isEmpty {
                        array.withUnsafeBufferPointer { array in
                            let block = array.count / outer
                            next.initialize(from: array.baseAddress! + index * block, count: block)
                            next += block
                        }
                    }
                }
                count = total
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...Int.max)
        let first = context.inputTypes[0]
        for (index, type) in context.inputTypes.enumerated() where type != first {
            throw ModelError(
                .unsupportedType,
                "\(context.node.label): expected every input to be \(first) like input 0, found \(type) in input \(index) ('\(context.node.inputs[index])')"
            )
        }
        let axis = try context.node.int("axis")
        return (ConcatKernel(node: context.node, axis: Int(axis)), [first])
    }
}
