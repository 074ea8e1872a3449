/// ai.onnx.ml OneHotEncoder: each input element becomes a row of `categories` floats with a
/// 1 at its category. Unknown values give all zeros when `zeros` is 1 (the default).
enum OneHotEncoderOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "OneHotEncoder"
    static let opsets = 1...5

    struct OneHotEncoderKernel: Kernel {
        let node: Node
        let stringIndex: [String: Int]
        let intIndex: [Int64: Int]
        let width: Int
        let zeros: Bool

        func run(_ inputs: [Tensor]) throws(ModelError) -> [Tensor] {
            let input = inputs[0]
            var output = [Float](repeating: 0, count: input.count * width)
            func place(
                _ position: Int?, _ element: Int, _ describe: () -> String
            ) throws(ModelError) {
                if let position {
                    output[element * width + position] = 1
                } else if !zeros {
                    throw .input(
                        "\(node.label): \(describe()) is not a known category and zeros = 0")
                }
            }
            switch input.storage {
            case .string(let values):
                for (element, value) in values.enumerated() {
                    try place(stringIndex[value], element) { "'\(value)'" }
                }
            case .int64(let values):
                for (element, value) in values.enumerated() {
                    try place(intIndex[value], element) { "\(value)" }
                }
            case .float(let values):
                for (element, value) in values.enumerated() {
                    try place(Int64(exactly: value).flatMap { intIndex[$0] }, element) {
                        "\(value)"
                    }
                }
            case .double(let values):
                for (element, value) in values.enumerated() {
                    try place(Int64(exactly: value).flatMap { intIndex[$0] }, element) {
                        "\(value)"
                    }
                }
            case .bool:
                throw .input("\(node.label): bool input is not supported")
            }
            return [Tensor(shape: input.shape + [width], storage: .float(output))]
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let node = context.node
        let strings = try node.strings("cats_strings")
        let ints = try node.ints("cats_int64s")
        guard strings.isEmpty != ints.isEmpty else {
            throw .attribute(
                node, "cats_strings", "exactly one of cats_strings and cats_int64s must be set")
        }
        if strings.isEmpty {
            try context.requireType(0, [.int64, .float, .double])
        } else {
            try context.requireType(0, [.string])
        }
        var stringIndex: [String: Int] = [:]
        for (position, value) in strings.enumerated() where stringIndex[value] == nil {
            stringIndex[value] = position
        }
        var intIndex: [Int64: Int] = [:]
        for (position, value) in ints.enumerated() where intIndex[value] == nil {
            intIndex[value] = position
        }
        let zeros = try node.int("zeros", default: 1)
        let kernel = OneHotEncoderKernel(
            node: node, stringIndex: stringIndex, intIndex: intIndex,
            width: max(strings.count, ints.count), zeros: zeros != 0)
        return (kernel, [.float])
    }
}
