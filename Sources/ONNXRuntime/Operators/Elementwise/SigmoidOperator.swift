#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ai.onnx Sigmoid: 1 / (1 + e^-x) elementwise, written so that neither tail overflows.
enum SigmoidOperator: Operator {
    static let domain = ""
    static let opType = "Sigmoid"
    static let opsets = 6...22

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try UnaryKernel.make(
            context,
            .init(
                float: { $0 >= 0 ? 1 / (1 + expf(-$0)) : expf($0) / (1 + expf($0)) },
                double: { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }, int64: nil))
    }
}
