/// ai.onnx StringNormalizer, opsets 10 on: drops the stop words of a `[C]` or `[1, C]`
/// string input (compared as they are, or after the case change when not case sensitive)
/// and changes the case of the rest, as onnxruntime does on Linux (`CaseMapping`). When every
/// string is dropped the output is one empty string, `[1]` or `[1, 1]`.
enum StringNormalizerOperator: Operator {
    static let domain = ""
    static let opType = "StringNormalizer"
    static let opsets = 10...22

    final class StringNormalizerKernel: Kernel {
        let node: Node
        /// The case change of the output, nil for NONE.
        let change: CaseMapping?
        /// How strings are compared with `stopwords` when not case sensitive.
        let comparison: CaseMapping?
        /// Already in the comparison's case, compared byte for byte.
        let stopwords: Set<Utf8Key>

        init(node: Node, change: CaseMapping?, comparison: CaseMapping?, stopwords: Set<Utf8Key>) {
            self.node = node
            self.change = change
            self.comparison = comparison
            self.stopwords = stopwords
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let shape = input.shape
            guard
                (shape.count == 1 && shape[0] > 0)
                    || (shape.count == 2 && shape[0] == 1 && shape[1] > 0)
            else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of shape [C] or [1, C] with C > 0, found \(shape)"
                )
            }
            var kept: [String] = []
            kept.reserveCapacity(input.count)
            for text in input.stringValues {
                if stopwords.isEmpty {
                    kept.append(change?.apply(text) ?? text)
                } else if let comparison {
                    // The compared form is already in the output's case when there is one.
                    let compared = comparison.apply(text)
                    if !stopwords.contains(Utf8Key(compared)) {
                        kept.append(change == nil ? text : compared)
                    }
                } else if !stopwords.contains(Utf8Key(text)) {
                    kept.append(change?.apply(text) ?? text)
                }
            }
            if kept.isEmpty { kept = [""] }
            let outputShape = shape.count == 2 ? [1, kept.count] : [kept.count]
            frame.setOutput(0, Tensor(shape: outputShape, storage: .string(kept)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.string])
        let node = context.node
        let action = try node.string("case_change_action", default: "NONE")
        let direction: CaseMapping.Direction?
        switch action {
        case "LOWER": direction = .lower
        case "UPPER": direction = .upper
        case "NONE": direction = nil
        default:
            throw .attribute(
                node, "case_change_action", "expected LOWER, UPPER or NONE, found '\(action)'")
        }
        let locale = try node.string("locale", default: "en_US.UTF-8")
        guard let unicode = CaseMapping.unicode(locale: locale) else {
            throw .attribute(
                node, "locale",
                "expected en_US.UTF-8 (the default), en_US.utf8, C.UTF-8, C.utf8, C or POSIX, found '\(locale)' (other locales' case rules are not supported)"
            )
        }
        let caseSensitive = try node.int("is_case_sensitive", default: 0) != 0
        let comparison =
            caseSensitive
            ? nil : CaseMapping(direction == .upper ? .upper : .lower, unicode: unicode)
        let words = try node.strings("stopwords") ?? []
        let stopwords = Set(words.map { Utf8Key(comparison?.apply($0) ?? $0) })
        let kernel = StringNormalizerKernel(
            node: node, change: direction.map { CaseMapping($0, unicode: unicode) },
            comparison: comparison, stopwords: stopwords)
        return (kernel, [.string])
    }
}
