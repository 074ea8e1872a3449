#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Softmax over float or double. Before opset 13 the input is read as 2-D, split at
/// `axis` (default 1); from 13 the softmax runs along `axis` alone (default -1). Each
/// group subtracts its maximum, exponentiates, and divides by the sum.
enum SoftmaxOperator: Operator {
    static let domain = ""
    static let opType = "Softmax"
    static let opsets = 1...22

    final class SoftmaxKernel: Kernel {
        let node: Node
        let axis: Int
        let flattens: Bool

        init(node: Node, axis: Int, flattens: Bool) {
            self.node = node
            self.axis = axis
            self.flattens = flattens
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let axis = try Axis.normalized(self.axis, in: input.shape, at: node)
            let outer = input.shape[..<axis].reduce(1, *)
            let length = flattens ? input.shape[axis...].reduce(1, *) : input.shape[axis]
            let inner = flattens ? 1 : input.shape[(axis + 1)...].reduce(1, *)
            let storage: Tensor.Storage
            switch input.storage {
            case .float(let values):
                storage = .float(Self.softmax(values, outer, length, inner, exp: expf))
            case .double(let values):
                storage = .double(Self.softmax(values, outer, length, inner, exp: exp))
            default: storage = input.storage
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
        }

        private static func softmax<T: BinaryFloatingPoint>(
            _ values: [T], _ outer: Int, _ length: Int, _ inner: Int, exp: (T) -> T
        ) -> [T] {
            var result = values
            for block in 0..<outer {
                for offset in 0..<inner {
                    let start = block * length * inner + offset
                    var maximum = -T.greatestFiniteMagnitude
                    for step in 0..<length where result[start + step * inner] > maximum {
                        maximum = result[start + step * inner]
                    }
                    var sum: T = 0
                    for step in 0..<length {
                        let value = exp(result[start + step * inner] - maximum)
                        result[start + step * inner] = value
                        sum += value
                    }
                    for step in 0..<length { result[start + step * inner] /= sum }
                }
            }
            return result
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double])
        let flattens = context.opset < 13
        let axis = try context.node.int("axis", default: flattens ? 1 : -1)
        return (
            SoftmaxKernel(node: context.node, axis: Int(axis), flattens: flattens),
            [context.inputTypes[0]]
        )
    }
}
