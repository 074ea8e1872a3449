/// ai.onnx.ml Scaler: `(x - offset) * scale` per column, in the input's arithmetic and then
/// rounded to float32 (float input stays in float32 throughout, exactly as onnxruntime);
/// an offset or scale of one value applies to every column.
enum ScalerOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "Scaler"
    static let opsets = 1...5

    final class ScalerKernel: Kernel {
        let node: Node
        let offset: [Float]
        let scale: [Float]

        init(node: Node, offset: [Float], scale: [Float]) {
            self.node = node
            self.offset = offset
            self.scale = scale
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let width = input.shape.count == 1 ? input.shape[0] : input.shape.last ?? 1
            let columns = max(offset.count, scale.count)
            guard columns == 1 || columns == width else {
                throw .input(
                    "\(node.label): expected \(columns) columns as offset and scale have, found shape \(input.shape)"
                )
            }
            let offsetOf: (Int) -> Float =
                offset.count == 1 ? { [offset] _ in offset[0] } : { [offset] in offset[$0] }
            let scaleOf: (Int) -> Float =
                scale.count == 1 ? { [scale] _ in scale[0] } : { [scale] in scale[$0] }
            var y = [Float]()
            y.reserveCapacity(input.count)
            switch input.storage {
            case .float(let x):
                for index in x.indices {
                    let column = width == 0 ? 0 : index % width
                    y.append((x[index] - offsetOf(column)) * scaleOf(column))
                }
            case .double(let x):
                for index in x.indices {
                    let column = width == 0 ? 0 : index % width
                    y.append(Float((x[index] - Double(offsetOf(column))) * Double(scaleOf(column))))
                }
            case .int64(let x):
                for index in x.indices {
                    let column = width == 0 ? 0 : index % width
                    y.append((Float(x[index]) - offsetOf(column)) * scaleOf(column))
                }
            default: break
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: .float(y)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64])
        let node = context.node
        let offset = try node.floats("offset") ?? [0]
        let scale = try node.floats("scale") ?? [1]
        guard !offset.isEmpty, !scale.isEmpty,
            offset.count == scale.count || offset.count == 1 || scale.count == 1
        else {
            throw .attribute(
                node, "scale",
                "expected offset and scale of equal length (or one of length 1), found \(offset.count) offsets and \(scale.count) scales"
            )
        }
        return (ScalerKernel(node: node, offset: offset, scale: scale), [.float])
    }
}
