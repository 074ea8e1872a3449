#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx LpNormalization: every vector along `axis` (default -1) divided by its L1 or L2
/// norm (`p`, default 2), the norm accumulated in the input's type from the first element
/// on, as onnxruntime's Eigen loop does; a vector of norm 0 becomes zeros.
enum LpNormalizationOperator: Operator {
    static let domain = ""
    static let opType = "LpNormalization"
    static let opsets = 1...22

    final class LpNormalizationKernel: Kernel {
        let node: Node
        let axis: Int
        let squared: Bool

        init(node: Node, axis: Int, squared: Bool) {
            self.node = node
            self.axis = axis
            self.squared = squared
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let axis = try Axis.normalized(self.axis, in: input.shape, at: node)
            let layout = (
                length: input.shape[axis], inner: input.shape[(axis + 1)...].reduce(1, *)
            )
            let storage: Tensor.Storage
            switch input.storage {
            case .float(let values): storage = .float(normalize(values, layout, root: sqrtf))
            case .double(let values): storage = .double(normalize(values, layout, root: sqrt))
            default: storage = input.storage
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
        }

        private func normalize<T: BinaryFloatingPoint>(
            _ x: [T], _ layout: (length: Int, inner: Int), root: (T) -> T
        ) -> [T] {
            let (length, inner) = layout
            guard length > 0, inner > 0 else { return x }
            var y = [T](repeating: 0, count: x.count)
            let outer = x.count / (length * inner)
            for block in 0..<outer {
                for offset in 0..<inner {
                    let base = block * length * inner + offset
                    var norm: T = 0
                    for position in 0..<length {
                        let value = x[base + position * inner]
                        norm += squared ? value * value : abs(value)
                    }
                    if squared { norm = root(norm) }
                    guard norm != 0 else { continue }
                    for position in 0..<length {
                        let index = base + position * inner
                        y[index] = x[index] / norm
                    }
                }
            }
            return y
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double])
        let node = context.node
        let p = try node.int("p", default: 2)
        guard p == 1 || p == 2 else {
            throw .attribute(node, "p", "expected 1 or 2, found \(p)")
        }
        let axis = try node.int("axis", default: -1)
        let kernel = LpNormalizationKernel(node: node, axis: Int(axis), squared: p == 2)
        return (kernel, [context.inputTypes[0]])
    }
}
