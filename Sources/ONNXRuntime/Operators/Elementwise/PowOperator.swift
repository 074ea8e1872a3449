#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Pow with numpy broadcasting: the result has the base's type; the exponent may be
/// float, double or int64. As in onnxruntime, exponents 2 and 3 multiply instead of calling
/// pow, which matters for the last bit of float32 results.
enum PowOperator: Operator {
    static let domain = ""
    static let opType = "Pow"
    static let opsets = 7...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double, .int64])
        try context.requireType(1, [.float, .double, .int64])
        let kernel = BinaryKernel(node: context.node) { base, exponent, shape in
            let exponents = Self.doubles(exponent)
            switch base.storage {
            case .float(let values):
                return .float(
                    Broadcast.combine(values, base.shape, exponents, exponent.shape, into: shape) {
                        x, e in
                        e == 2 ? x * x : e == 3 ? x * x * x : powf(x, Float(e))
                    })
            case .double(let values):
                return .double(
                    Broadcast.combine(values, base.shape, exponents, exponent.shape, into: shape) {
                        x, e in
                        e == 2 ? x * x : e == 3 ? x * x * x : pow(x, e)
                    })
            default:
                return .int64(
                    Broadcast.combine(
                        base.int64Values, base.shape, exponents, exponent.shape, into: shape
                    ) { x, e in
                        NumericConversion.truncated(pow(Double(x), e))
                    })
            }
        }
        return (kernel, [context.inputTypes[0]])
    }

    private static func doubles(_ tensor: Tensor) -> [Double] {
        switch tensor.storage {
        case .float(let values): values.map { Double($0) }
        case .double(let values): values
        case .int64(let values): values.map { Double($0) }
        default: []
        }
    }
}
