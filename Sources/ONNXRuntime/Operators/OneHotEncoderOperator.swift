/// ai.onnx.ml OneHotEncoder: each input element becomes `categories` floats with a 1 at its
/// category, so [N, 1] becomes [N, 1, categories]. An unknown value gives all zeros when
/// `zeros` is 1 (the default) and fails the run when it is 0. As in onnxruntime, a repeated
/// category maps to its last position, strings match byte for byte, and numeric input is
/// truncated to int64 before the lookup.
enum OneHotEncoderOperator: Operator {
    static let domain = "ai.onnx.ml"
    static let opType = "OneHotEncoder"
    static let opsets = 1...5

    final class OneHotEncoderKernel: Kernel {
        let node: Node
        let stringIndex: CategoryIndex
        let intIndex: [Int64: Int]
        let width: Int
        let zeros: Bool

        init(
            node: Node, stringIndex: CategoryIndex, intIndex: [Int64: Int], width: Int, zeros: Bool
        ) {
            self.node = node
            self.stringIndex = stringIndex
            self.intIndex = intIndex
            self.width = width
            self.zeros = zeros
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            guard input.shape.count <= 2 else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of rank 2 at most, found shape \(input.shape)"
                )
            }
            var output = [Float].filled(0, count: input.count * width)
            let unknown = output.withUnsafeMutableBufferPointer { fill($0, from: input.storage) }
            if let unknown, !zeros {
                throw .input(
                    "\(node.label): expected a known category in input '\(node.inputs[0])' (zeros = 0), found \(Self.describe(input, unknown)) at element \(unknown)"
                )
            }
            var shape = input.shape
            shape.append(width)
            frame.setOutput(0, Tensor(shape: shape, storage: .float(output)))
        }

        /// Sets the 1s; returns the first element whose category is unknown, if any.
        private func fill(
            _ output: UnsafeMutableBufferPointer<Float>, from storage: Tensor.Storage
        ) -> Int? {
            var unknown: Int?
            func place(_ position: Int?, _ element: Int) {
                if let position {
                    output[element * width + position] = 1
                } else if unknown == nil {
                    unknown = element
                }
            }
            switch storage {
            case .string(let values):
                for (element, value) in values.enumerated() {
                    place(stringIndex.position(of: value), element)
                }
            case .int64(let values):
                for (element, value) in values.enumerated() { place(intIndex[value], element) }
            case .float(let values):
                for (element, value) in values.enumerated() {
                    place(intIndex[NumericConversion.truncated(Double(value))], element)
                }
            case .double(let values):
                for (element, value) in values.enumerated() {
                    place(intIndex[NumericConversion.truncated(value)], element)
                }
            case .bool:
                break
            }
            return unknown
        }

        private static func describe(_ tensor: Tensor, _ element: Int) -> String {
            switch tensor.storage {
            case .string(let values): "'\(values[element])'"
            case .int64(let values): "\(values[element])"
            case .float(let values): "\(values[element])"
            case .double(let values): "\(values[element])"
            case .bool(let values): "\(values[element])"
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        let node = context.node
        let strings = try node.strings("cats_strings") ?? []
        let ints = try node.ints("cats_int64s") ?? []
        guard strings.isEmpty != ints.isEmpty else {
            throw .attribute(
                node, "cats_strings",
                "expected exactly one of cats_strings and cats_int64s to be non-empty, found "
                    + (strings.isEmpty ? "neither" : "both"))
        }
        if strings.isEmpty {
            try context.requireType(0, [.int64, .float, .double])
        } else {
            try context.requireType(0, [.string])
        }
        let stringIndex = CategoryIndex(strings)
        var intIndex: [Int64: Int] = [:]
        for (position, value) in ints.enumerated() { intIndex[value] = position }
        let zeros = try node.int("zeros", default: 1)
        let kernel = OneHotEncoderKernel(
            node: node, stringIndex: stringIndex, intIndex: intIndex,
            width: max(strings.count, ints.count), zeros: zeros != 0)
        return (kernel, [.float])
    }
}
