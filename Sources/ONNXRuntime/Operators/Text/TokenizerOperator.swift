/// com.microsoft Tokenizer, opset 1 (onnxruntime's contrib op, which skl2onnx emits for
/// CountVectorizer and TfidfVectorizer): splits each string of a `[C]` or `[N, C]` input
/// into tokens, output `input shape + [max tokens]` padded with `pad_value`, optionally
/// between start (0x02) and end (0x03) marks. Three modes, as onnxruntime picks them:
/// characters (`separators` = [""] or `tokenexp` = "."), the matches of `tokenexp`, or the
/// text between matches of each of `separators` in turn. Tokens shorter than `mincharnum`
/// code points are dropped.
enum TokenizerOperator: Operator {
    static let domain = "com.microsoft"
    static let opType = "Tokenizer"
    static let opsets = 1...1

    enum Mode: Sendable {
        case characters
        case expression(TokenPattern)
        case separators([TokenPattern])
    }

    final class TokenizerKernel: Kernel {
        let node: Node
        let mode: Mode
        let mark: Bool
        let padValue: String
        let minimumLength: Int

        init(node: Node, mode: Mode, mark: Bool, padValue: String, minimumLength: Int) {
            self.node = node
            self.mode = mode
            self.mark = mark
            self.padValue = padValue
            self.minimumLength = minimumLength
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let shape = input.shape
            guard (1...2).contains(shape.count) else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of shape [C] or [N, C], found \(shape)"
                )
            }
            guard input.count > 0 else {
                let empty = shape.count == 2 ? [shape[0], 0] : [0]
                frame.setOutput(0, Tensor(shape: empty, storage: .string([])))
                return
            }
            let rows = input.stringValues.map(tokens)
            let longest = rows.map(\.count).max() ?? 0
            guard longest > 0 else {
                frame.setOutput(0, Tensor(shape: shape + [0], storage: .string([])))
                return
            }
            let width = longest + (mark ? 2 : 0)
            var output: [String] = []
            output.reserveCapacity(rows.count * width)
            for row in rows {
                if mark { output.append("\u{02}") }
                output.append(contentsOf: row)
                if mark { output.append("\u{03}") }
                output.append(contentsOf: repeatElement(padValue, count: longest - row.count))
            }
            frame.setOutput(0, Tensor(shape: shape + [width], storage: .string(output)))
        }

        private func tokens(_ text: String) -> [String] {
            switch mode {
            case .characters:
                return text.unicodeScalars.map { String($0) }
            case .expression(let pattern):
                let scalars = text.unicodeScalars.map(\.value)
                var found: [String] = []
                var start = 0
                while let match = pattern.firstMatch(in: scalars, from: start) {
                    if match.count >= minimumLength {
                        found.append(Self.string(scalars[match]))
                        start = match.upperBound
                    } else {
                        // onnxruntime steps one code point past the start of a short match.
                        start = match.lowerBound + 1
                    }
                }
                return found
            case .separators(let patterns):
                var row = [text.unicodeScalars.map(\.value)]
                for pattern in patterns {
                    var pieces: [[UInt32]] = []
                    for scalars in row {
                        var start = 0
                        while let match = pattern.firstMatch(in: scalars, from: start) {
                            if match.lowerBound - start >= minimumLength {
                                pieces.append(Array(scalars[start..<match.lowerBound]))
                            }
                            start = match.upperBound
                        }
                        if scalars.count - start >= minimumLength {
                            pieces.append(Array(scalars[start...]))
                        }
                    }
                    row = pieces
                }
                return row.map { Self.string($0[...]) }
            }
        }

        private static func string(_ scalars: ArraySlice<UInt32>) -> String {
            var view = String.UnicodeScalarView()
            for value in scalars { view.append(Unicode.Scalar(value)!) }
            return String(view)
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.string])
        let node = context.node
        let mark = try node.int("mark") != 0
        let padValue = try node.string("pad_value")
        let minimumLength = try node.int("mincharnum")
        guard minimumLength > 0 else {
            throw .attribute(
                node, "mincharnum", "expected a positive value, found \(minimumLength)")
        }
        let mode: Mode
        let modeAttribute: String
        if let separators = try node.strings("separators") {
            modeAttribute = "separators"
            guard !separators.isEmpty else {
                throw .attribute(node, "separators", "expected at least one separator, found none")
            }
            if separators == [""] {
                mode = .characters
            } else {
                var patterns: [TokenPattern] = []
                for (index, separator) in separators.enumerated() {
                    let pattern = try compile(separator, node, "separators", "separator \(index) ")
                    guard !pattern.matchesEmpty else {
                        throw .attribute(
                            node, "separators",
                            "expected separators that cannot match the empty string, found '\(separator)' (separator \(index))"
                        )
                    }
                    patterns.append(pattern)
                }
                mode = .separators(patterns)
            }
        } else {
            modeAttribute = "tokenexp"
            guard node.attribute("tokenexp") != nil else {
                throw .attribute(
                    node, "tokenexp", "expected either separators or tokenexp, found neither")
            }
            let expression = try node.string("tokenexp")
            guard !expression.isEmpty else {
                throw .attribute(node, "tokenexp", "expected a non-empty expression, found ''")
            }
            mode =
                expression == "."
                ? .characters : .expression(try compile(expression, node, "tokenexp", ""))
        }
        if case .characters = mode, minimumLength > 1 {
            throw .attribute(
                node, "mincharnum",
                "expected 1 when \(modeAttribute) splits into characters, found \(minimumLength)")
        }
        let kernel = TokenizerKernel(
            node: node, mode: mode, mark: mark, padValue: padValue,
            minimumLength: Int(minimumLength))
        return (kernel, [.string])
    }

    private static func compile(
        _ text: String, _ node: Node, _ attribute: String, _ which: String
    ) throws(ModelError) -> TokenPattern {
        do {
            return try TokenPattern(text)
        } catch {
            throw .attribute(
                node, attribute,
                "expected a regular expression in the RE2 subset this runtime runs with RE2's meaning, found \(which)'\(text)': \(error.reason)"
            )
        }
    }
}
