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
            // Per-column offsets and scales, widened once so the loop indexes plainly.
            let offsets = offset.count == 1 ? [Float](repeating: offset[0], count: width) : offset
            let scales = scale.count == 1 ? [Float](repeating: scale[0], count: width) : scale
            var y = [Float](repeating: 0, count: input.count)
            let rows = width == 0 ? 0 : input.count / width
            y.withUnsafeMutableBufferPointer { y in
                switch input.storage {
                case .float(let x):
                    for row in 0..<rows {
                        for column in 0..<width {
                            let index = row * width + column
                            y[index] = (x[index] - offsets[column]) * scales[column]
                        }
                    }
                case .double(let x):
                    for row in 0..<rows {
                        for column in 0..<width {
                            let index = row * width + column
                            y[index] = Float(
                                (x[index] - Double(offsets[column])) * Double(scales[column]))
                        }
                    }
                case .int64(let x):
                    for row in 0..<rows {
                        for column in 0..<width {
                            let index = row * width + column
                            y[index] = (Float(x[index]) - offsets[column]) * scales[column]
                        }
                    }
                default: break
                }
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
