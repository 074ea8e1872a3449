#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Exp: e to the power of each element, in the input's type.
enum ExpOperator: Operator {
    static let domain = ""
    static let opType = "Exp"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(context, .init(float: { expf($0) }, double: { exp($0) }, int64: nil))
    }
}
