/// ai.onnx TfIdfVectorizer, opsets 9 on: counts the pool's n-grams (`min_gram_length` to
/// `max_gram_length` tokens, up to `max_skip_count` skipped between items) in each row of a
/// `[C]` or `[B, C]` string or int64 input, into `[output size]` or `[B, output size]`
/// floats at `ngram_indexes`, weighted as `mode` says (TF: counts; IDF: the weight, or 1,
/// where present; TFIDF: the weight, or 1, added per occurrence). Pad tokens are not
/// special: they count only if the pool holds them, which converters avoid.
enum TfIdfVectorizerOperator: Operator {
    static let domain = ""
    static let opType = "TfIdfVectorizer"
    static let opsets = 9...22

    enum Mode: String, Sendable {
        case tf = "TF"
        case idf = "IDF"
        case tfidf = "TFIDF"
    }

    final class TfIdfVectorizerKernel: Kernel {
        let node: Node
        let mode: Mode
        let pool: NgramPool
        let minimum: Int
        let maximum: Int
        let skips: Int
        /// Output column of n-gram number `id`, at `id - 1`.
        let columns: [Int]
        let weights: [Float]?
        let width: Int

        init(
            node: Node, mode: Mode, pool: NgramPool, grams: ClosedRange<Int>, skips: Int,
            columns: [Int], weights: [Float]?
        ) {
            self.node = node
            self.mode = mode
            self.pool = pool
            self.minimum = grams.lowerBound
            self.maximum = grams.upperBound
            self.skips = skips
            self.columns = columns
            self.weights = weights
            self.width = (columns.max() ?? 0) + 1
        }

        /// Each string's token number, -1 when the pool lacks it. A repeat of the string
        /// before it (the Tokenizer's padding runs) takes the same number without hashing.
        private func numbers(of values: [String]) -> [Int] {
            var numbers: [Int] = []
            numbers.reserveCapacity(values.count)
            var previous: (text: String, number: Int)?
            for value in values {
                if let previous, previous.text.utf8.elementsEqual(value.utf8) {
                    numbers.append(previous.number)
                    continue
                }
                let number = pool.tokenNumbers[Utf8Key(value)] ?? -1
                numbers.append(number)
                previous = (value, number)
            }
            return numbers
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let input = frame.input(0)
            let shape = input.shape
            guard shape.count <= 2, shape.count < 2 || shape[0] > 0 else {
                throw .input(
                    "\(node.label): expected input '\(node.inputs[0])' of shape [C] or [B, C] with B > 0, found \(shape)"
                )
            }
            let rows = shape.count == 2 ? shape[0] : 1
            let tokens: [Int]
            switch input.storage {
            case .string(let values): tokens = numbers(of: values)
            case .int64(let values): tokens = values.map { pool.integerNumbers[$0] ?? -1 }
            default: tokens = []
            }
            var output = [Float](repeating: 0, count: rows * width)
            let length = rows == 0 ? 0 : tokens.count / rows
            if !tokens.isEmpty && !pool.isEmpty {
                for row in 0..<rows {
                    let base = row * width
                    let items = tokens[(row * length)..<((row + 1) * length)]
                    pool.forEachNgram(in: items, minimum: minimum, maximum: maximum, skips: skips) {
                        id in
                        let column = columns[id - 1]
                        switch mode {
                        case .tf: output[base + column] += 1
                        case .idf: output[base + column] = weights?[column] ?? 1
                        case .tfidf: output[base + column] += weights?[column] ?? 1
                        }
                    }
                }
            }
            let outputShape = shape.count == 2 ? [rows, width] : [width]
            frame.setOutput(0, Tensor(shape: outputShape, storage: .float(output)))
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(1...1)
        try context.requireType(0, [.string, .int64])
        let node = context.node
        let modeName = try node.string("mode")
        guard let mode = Mode(rawValue: modeName) else {
            throw .attribute(node, "mode", "expected TF, IDF or TFIDF, found '\(modeName)'")
        }
        let minimum = try node.int("min_gram_length")
        guard minimum > 0 else {
            throw .attribute(
                node, "min_gram_length", "expected a positive length, found \(minimum)")
        }
        let maximum = try node.int("max_gram_length")
        guard maximum >= minimum else {
            throw .attribute(
                node, "max_gram_length",
                "expected at least min_gram_length (\(minimum)), found \(maximum)")
        }
        let skips = try node.int("max_skip_count")
        guard skips >= 0 else {
            throw .attribute(node, "max_skip_count", "expected 0 or more, found \(skips)")
        }
        let counts = try node.ints("ngram_counts") ?? []
        guard !counts.isEmpty, maximum <= counts.count else {
            throw .attribute(
                node, "ngram_counts",
                "expected one start per n-gram size up to max_gram_length (\(maximum)), found \(counts.count)"
            )
        }
        let indexes = try node.ints("ngram_indexes") ?? []
        guard !indexes.isEmpty else {
            throw .attribute(node, "ngram_indexes", "expected at least one index, found none")
        }
        if let negative = indexes.first(where: { $0 < 0 }) {
            throw .attribute(
                node, "ngram_indexes", "expected indexes of 0 or more, found \(negative)")
        }
        let weights = try node.floats("weights")
        if let weights, weights.count != indexes.count {
            throw .attribute(
                node, "weights",
                "expected one weight per ngram_indexes entry (\(indexes.count)), found \(weights.count)"
            )
        }
        let (pool, poolName) = try loadPool(
            node, inputType: context.inputTypes[0], counts: counts,
            grams: Int(minimum)...Int(maximum))
        guard pool.largestID <= indexes.count else {
            throw .attribute(
                node, "ngram_indexes",
                "expected an index for each of the \(pool.largestID) n-grams of \(poolName), found \(indexes.count)"
            )
        }
        let columns = indexes.map { Int($0) }
        if let weights, let largest = columns.max(), largest >= weights.count {
            throw .attribute(
                node, "weights",
                "expected a weight for every output column up to \(largest) (weights are indexed by column), found \(weights.count)"
            )
        }
        let kernel = TfIdfVectorizerKernel(
            node: node, mode: mode, pool: pool, grams: Int(minimum)...Int(maximum),
            skips: Int(skips), columns: columns, weights: weights)
        return (kernel, [.float])
    }

    /// The pool's n-grams of the counted sizes, numbered as onnxruntime numbers them.
    private static func loadPool(
        _ node: Node, inputType: ElementType, counts: [Int64], grams: ClosedRange<Int>
    ) throws(ModelError) -> (NgramPool, String) {
        let strings = try node.strings("pool_strings")
        let integers = try node.ints("pool_int64s")
        let poolName = strings != nil ? "pool_strings" : "pool_int64s"
        var items: [Int]
        var pool: NgramPool
        if let strings {
            guard !strings.isEmpty else {
                throw .attribute(node, "pool_strings", "expected a non-empty pool, found none")
            }
            guard inputType == .string else {
                throw .attribute(
                    node, "pool_strings",
                    "expected pool_int64s for an \(inputType) input, found pool_strings")
            }
            var numbers: [Utf8Key: Int] = [:]
            items = strings.map { text in
                let key = Utf8Key(text)
                if let number = numbers[key] { return number }
                numbers[key] = numbers.count
                return numbers.count - 1
            }
            pool = NgramPool(tokenNumbers: numbers, integerNumbers: [:])
        } else {
            guard let integers, !integers.isEmpty else {
                throw .attribute(
                    node, "pool_int64s",
                    "expected a non-empty pool_int64s or pool_strings, found neither")
            }
            guard inputType == .int64 else {
                throw .attribute(
                    node, "pool_int64s",
                    "expected pool_strings for a \(inputType) input, found pool_int64s")
            }
            var numbers: [Int64: Int] = [:]
            items = integers.map { value in
                if let number = numbers[value] { return number }
                numbers[value] = numbers.count
                return numbers.count - 1
            }
            pool = NgramPool(tokenNumbers: [:], integerNumbers: numbers)
        }
        var id = 1
        for (position, start) in counts.enumerated() {
            let size = position + 1
            let end = position + 1 < counts.count ? counts[position + 1] : Int64(items.count)
            guard start >= 0, end >= start, end <= items.count else {
                throw .attribute(
                    node, "ngram_counts",
                    "expected \(size)-grams within the \(items.count) items of \(poolName), found items \(start) to \(end)"
                )
            }
            let length = Int(end - start)
            guard length % size == 0 else {
                throw .attribute(
                    node, "ngram_counts",
                    "expected whole \(size)-grams, found \(length) items of \(poolName) from \(start)"
                )
            }
            for ngram in 0..<(length / size) {
                let first = Int(start) + ngram * size
                if grams.contains(size) && !pool.insert(items[first..<(first + size)], id: id) {
                    throw .attribute(
                        node, poolName,
                        "expected distinct n-grams, found \(size)-gram \(ngram) (from item \(first)) twice"
                    )
                }
                id += 1
            }
        }
        return (pool, poolName)
    }
}
