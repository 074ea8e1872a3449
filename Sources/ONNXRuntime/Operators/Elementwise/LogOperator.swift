#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Log: the natural logarithm of each element, in the input's type.
enum LogOperator: Operator {
    static let domain = ""
    static let opType = "Log"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(context, .init(float: { logf($0) }, double: { log($0) }, int64: nil))
    }
}
