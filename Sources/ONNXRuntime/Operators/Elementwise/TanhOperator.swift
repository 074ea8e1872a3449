#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Tanh: the hyperbolic tangent of each element, in the input's type.
enum TanhOperator: Operator {
    static let domain = ""
    static let opType = "Tanh"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(context, .init(float: { tanhf($0) }, double: { tanh($0) }, int64: nil))
    }
}
