/// ai.onnx Split: consecutive parts of the input along `axis` (default 0), one per output.
/// The part sizes come from the `split` attribute (before opset 13) or input (from 13), or
/// else are equal; from opset 18 `num_outputs` instead makes every part ceil(length / n)
/// long but the last, which keeps the remainder. onnxruntime then fails the run when the
/// parts do not add up to the axis (10 into 4 parts is 3, 3, 3, 1; 9 into 4 fails).
enum SplitOperator: Operator {
    static let domain = ""
    static let opType = "Split"
    static let opsets = 1...22

    final class SplitKernel: Kernel {
        let node: Node
        let axis: Int
        /// The attribute's sizes (before opset 13).
        let fixedSizes: [Int64]?
        /// Whether `num_outputs` was given (opset 18).
        let uneven: Bool

        init(node: Node, axis: Int, fixedSizes: [Int64]?, uneven: Bool) {
            self.node = node
            self.axis = axis
            self.fixedSizes = fixedSizes
            self.uneven = uneven
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let axis = try Axis.normalized(self.axis, in: input.shape, at: node)
            let length = input.shape[axis]
            let parts = frame.outputCount
            var sizes = fixedSizes ?? []
            if frame.inputCount > 1 {
                let split = frame.input(1)
                guard split.shape.count == 1 else {
                    throw .input("\(node.label): expected a 1-D split, found shape \(split.shape)")
                }
                sizes = split.int64Values
            }
            if uneven {
                guard parts <= length else {
                    throw .input(
                        "\(node.label): expected at most \(length) outputs (the length of axis \(axis)), found num_outputs \(parts)"
                    )
                }
                let size = (length + parts - 1) / parts
                sizes = [Int64](repeating: Int64(size), count: parts)
                if length % size != 0 { sizes[parts - 1] = Int64(length % size) }
            } else if sizes.isEmpty {
                guard length % parts == 0 else {
                    throw .input(
                        "\(node.label): expected axis \(axis) of shape \(input.shape) to split evenly into \(parts) parts"
                    )
                }
                sizes = [Int64](repeating: Int64(length / parts), count: parts)
            }
            guard sizes.allSatisfy({ $0 >= 0 }) else {
                throw .input("\(node.label): expected split sizes of 0 or more, found \(sizes)")
            }
            guard sizes.count == parts, sizes.reduce(0, &+) == Int64(length) else {
                throw .input(
                    "\(node.label): expected \(parts) split sizes adding up to \(length) (axis \(axis) of shape \(input.shape)), found \(sizes)"
                )
            }
            let outer = input.shape[..<axis].reduce(1, *)
            let inner = input.shape[(axis + 1)...].reduce(1, *)
            var offset = 0
            for (index, size) in sizes.enumerated() {
                let size = Int(size)
                var sources: [Int] = []
                sources.reserveCapacity(outer * size * inner)
                for block in 0..<outer {
                    let start = (block * length + offset) * inner
                    sources.append(contentsOf: start..<(start + size * inner))
                }
                var shape = input.shape
                shape[axis] = size
                frame.setOutput(
                    index, Tensor(shape: shape, storage: input.storage.gathering(sources)))
                offset += size
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let node = context.node
        try context.requireInputs(context.opset >= 13 ? 1...2 : 1...1)
        if context.inputTypes.count > 1 { try context.requireType(1, [.int64]) }
        let outputs = node.outputs.count
        guard outputs > 0 else {
            throw .graph("\(node.label): expected at least 1 output, found 0")
        }
        var fixedSizes: [Int64]?
        if context.opset < 13, let sizes = try node.ints("split") {
            guard sizes.count == outputs, sizes.allSatisfy({ $0 >= 0 }) else {
                throw .attribute(
                    node, "split",
                    "expected \(outputs) sizes of 0 or more (one per output), found \(sizes)")
            }
            fixedSizes = sizes
        }
        var uneven = false
        if context.opset >= 18, node.attribute("num_outputs") != nil {
            let count = try node.int("num_outputs")
            guard count == outputs else {
                throw .attribute(
                    node, "num_outputs", "expected \(outputs) (the node's outputs), found \(count)")
            }
            guard context.inputTypes.count == 1 else {
                throw .attribute(
                    node, "num_outputs", "expected no split input alongside it, found one")
            }
            uneven = true
        }
        if context.inputTypes.count > 1, let split = context.constants[1] {
            guard split.shape.count == 1, split.count == outputs || split.count == 0 else {
                throw .graph(
                    "\(node.label): expected a split of \(outputs) sizes (one per output), found shape \(split.shape)"
                )
            }
            guard split.int64Values.allSatisfy({ $0 >= 0 }) else {
                throw .graph(
                    "\(node.label): expected split sizes of 0 or more, found \(split.int64Values)")
            }
        }
        let axis = try node.int("axis", default: 0)
        let kernel = SplitKernel(
            node: node, axis: Int(axis), fixedSizes: fixedSizes, uneven: uneven)
        return (kernel, [ElementType](repeating: context.inputTypes[0], count: outputs))
    }
}
