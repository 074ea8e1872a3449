/// ai.onnx Cast between the numeric types, bool and string, as far as classifier graphs
/// need it. Float to integer truncates toward zero, as C's conversion does.
enum CastOperator: Operator {
    static let domain = ""
    static let opType = "Cast"
    static let opsets = 6...25

    struct CastKernel: Kernel {
        let node: Node
        let target: ElementType

        func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] {
            let input = inputs[0]
            let storage: Tensor.Storage
            switch (input.storage, target) {
            case (.string(let values), .string): storage = .string(values)
            case (.string(let values), _):
                var numbers: [Double] = []
                numbers.reserveCapacity(values.count)
                for value in values {
                    guard let number = Double(value) else {
                        throw .input("\(node.label) cannot cast the string '\(value)' to \(target)")
                    }
                    numbers.append(number)
                }
                storage = Self.convert(numbers, to: target)
            case (.float(let values), _):
                storage = Self.convert(values.map { Double($0) }, to: target, floats: values)
            case (.double(let values), _): storage = Self.convert(values, to: target)
            case (.int64(let values), .string): storage = .string(values.map { String($0) })
            case (.int64(let values), _):
                storage = Self.convert(values.map { Double($0) }, to: target, ints: values)
            case (.bool(let values), _):
                storage = Self.convert(values.map { $0 ? 1 : 0 }, to: target)
            }
            return [Tensor(shape: input.shape, storage: storage)]
        }

        private static func convert(
            _ values: [Double], to target: ElementType, floats: [Float]? = nil, ints: [Int64]? = nil
        ) -> Tensor.Storage {
            switch target {
            case .float: .float(floats ?? values.map { Float($0) })
            case .double: .double(values)
            case .int64, .int32, .int8, .uint8:
                .int64(
                    ints
                        ?? values.map {
                            $0.isFinite
                                ? Int64(
                                    clamping: Int64(exactly: $0.rounded(.towardZero))
                                        ?? ($0 < 0 ? .min : .max)) : 0
                        })
            case .bool: .bool(values.map { $0 != 0 })
            case .string: .string(floats.map { $0.map { "\($0)" } } ?? values.map { "\($0)" })
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let raw = try context.node.int("to")
        guard let target = ElementType(rawValue: Int32(truncatingIfNeeded: raw)),
            [.float, .double, .int64, .bool, .string].contains(target)
        else {
            throw ModelError(
                .unsupportedType,
                "\(context.node.label) attribute 'to': casting to \(ElementType.describe(Int32(truncatingIfNeeded: raw))) is not supported"
            )
        }
        return (CastKernel(node: context.node, target: target), [target])
    }
}
