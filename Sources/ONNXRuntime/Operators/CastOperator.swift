/// ai.onnx Cast between float, double, int64, bool and string with onnxruntime's rules:
/// numbers to int64 truncate toward zero (NaN and out of range give INT64_MIN, as on
/// x86-64), numbers to bool test for non-zero, strings parse like std::stod / std::stoll /
/// std::stoull (a string that does not convert fails the run), floats print as "%.8g".
enum CastOperator: Operator {
    static let domain = ""
    static let opType = "Cast"
    static let opsets = 6...22

    final class CastKernel: Kernel {
        let node: Node
        let target: ElementType

        init(node: Node, target: ElementType) {
            self.node = node
            self.target = target
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let storage: Tensor.Storage
            switch input.storage {
            case .float(let values):
                storage =
                    target == .float
                    ? input.storage : Self.fromDouble(values.map { Double($0) }, target)
            case .double(let values): storage = Self.fromDouble(values, target)
            case .int64(let values):
                switch target {
                case .float: storage = .float(values.map { Float($0) })
                case .double: storage = .double(values.map { Double($0) })
                case .bool: storage = .bool(values.map { $0 != 0 })
                case .string: storage = .string(values.map { String($0) })
                default: storage = input.storage
                }
            case .bool(let values):
                switch target {
                case .string: storage = .string(values.map { $0 ? "1" : "0" })
                case .bool: storage = input.storage
                default: storage = Self.fromDouble(values.map { $0 ? 1 : 0 }, target)
                }
            case .string(let values): storage = try fromStrings(values)
            }
            frame.setOutput(0, Tensor(shape: input.shape, storage: storage))
        }

        private static func fromDouble(_ values: [Double], _ target: ElementType) -> Tensor.Storage
        {
            switch target {
            case .float: .float(values.map { Float($0) })
            case .int64: .int64(values.map { NumericConversion.truncated($0) })
            case .bool: .bool(values.map { $0 != 0 })
            case .string: .string(values.map { NumericConversion.string($0) })
            default: .double(values)
            }
        }

        private func fromStrings(_ values: [String]) throws(ModelError) -> Tensor.Storage {
            func failure(_ value: String) -> ModelError {
                .input(
                    "\(node.label): expected input '\(node.inputs[0])' to hold \(target) numbers, found '\(value)'"
                )
            }
            switch target {
            case .string: return .string(values)
            case .float, .double:
                var numbers: [Double] = []
                numbers.reserveCapacity(values.count)
                for value in values {
                    guard let number = NumericConversion.parseDouble(value) else {
                        throw failure(value)
                    }
                    numbers.append(number)
                }
                // onnxruntime parses float through double too.
                return target == .float ? .float(numbers.map { Float($0) }) : .double(numbers)
            case .int64:
                var numbers: [Int64] = []
                numbers.reserveCapacity(values.count)
                for value in values {
                    guard let number = NumericConversion.parseInt64(value) else {
                        throw failure(value)
                    }
                    numbers.append(number)
                }
                return .int64(numbers)
            default:
                var flags: [Bool] = []
                flags.reserveCapacity(values.count)
                for value in values {
                    guard let number = NumericConversion.parseUInt64(value) else {
                        throw failure(value)
                    }
                    flags.append(number != 0)
                }
                return .bool(flags)
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.float, .double, .int64, .bool, .string])
        let raw = try context.node.int("to")
        guard let target = ElementType(rawValue: Int32(truncatingIfNeeded: raw)),
            [.float, .double, .int64, .bool, .string].contains(target)
        else {
            throw .attribute(
                context.node, "to",
                "expected float (1), int64 (7), string (8), bool (9) or double (11), found \(ElementType.describe(Int32(truncatingIfNeeded: raw)))"
            )
        }
        return (CastKernel(node: context.node, target: target), [target])
    }
}
