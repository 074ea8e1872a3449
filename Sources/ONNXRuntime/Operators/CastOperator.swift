/// ai.onnx Cast between float, double, int64, bool and string with onnxruntime's rules:
/// numbers to int64 truncate toward zero (NaN and out of range give INT64_MIN, as on
/// x86-64), numbers to bool test for non-zero, strings parse like std::stod / std::stoll /
/// std::stoull (a string that does not convert fails the run), floats print as "%.8g".
/// int32 is held as int64, like int32 initializers: floats to int32 truncate toward zero
/// (NaN and out of range give INT32_MIN, as x86-64's cvttss2si), int64 and parsed strings
/// keep their low 32 bits.
enum CastOperator: Operator {
    static let domain = ""
    static let opType = "Cast"
    static let opsets = 6...22

    final class CastKernel: Kernel {
        let node: Node
        let target: ElementType
        /// `to` is int32: the int64 result holds int32 values.
        let narrow: Bool

        init(node: Node, target: ElementType, narrow: Bool = false) {
            self.node = node
            self.target = target
            self.narrow = narrow
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            if narrow {
                frame.setOutput(0, Tensor(shape: input.shape, storage: try narrowed(input)))
                return
            }
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

        private func narrowed(_ input: Tensor) throws(ModelError) -> Tensor.Storage {
            switch input.storage {
            case .float(let values):
                return .int64(values.map { NumericConversion.truncated32(Double($0)) })
            case .double(let values): return .int64(values.map(NumericConversion.truncated32))
            case .int64(let values):
                return .int64(values.map { Int64(Int32(truncatingIfNeeded: $0)) })
            case .bool(let values): return .int64(values.map { $0 ? 1 : 0 })
            case .string:
                let wide = Tensor(unchecked: [], try fromStrings(input.stringValues)).int64Values
                return .int64(wide.map { Int64(Int32(truncatingIfNeeded: $0)) })
            }
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
            [.float, .double, .int64, .int32, .bool, .string].contains(target)
        else {
            throw .attribute(
                context.node, "to",
                "expected float (1), int32 (6), int64 (7), string (8), bool (9) or double (11), found \(ElementType.describe(Int32(truncatingIfNeeded: raw)))"
            )
        }
        if target == .int32 {
            return (CastKernel(node: context.node, target: .int64, narrow: true), [.int64])
        }
        return (CastKernel(node: context.node, target: target), [target])
    }
}
