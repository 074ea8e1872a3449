import Testing

@testable import ONNXRuntime

/// Load-time refusals of StringNormalizer, com.microsoft Tokenizer and TfIdfVectorizer: each
/// names the node, the attribute, what was expected and what was found.
@Suite("Text operator refusals")
struct TextOperatorRefusalTests {
    private func expectRefusal(
        _ op: String, domain: String = "", _ attributes: [ProtoWriter],
        feed: Tensor = strings([1], ["a"]),
        opsets: [(String, Int64)] = [("", 17), ("com.microsoft", 1)],
        _ kind: ModelError.Kind = .invalidAttribute, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectLoadRefusal(
            OneNodeGraph.bytes(
                ONNX.node(
                    op, domain: domain, inputs: ["X"], outputs: ["Y"], attributes: attributes),
                feeds: [("X", feed)], outputs: ["Y"], opsets: opsets),
            kind, mentioning: fragments, sourceLocation: sourceLocation)
    }

    // MARK: StringNormalizer

    @Test("refuses a case_change_action other than LOWER, UPPER or NONE")
    func caseChangeAction() {
        expectRefusal(
            "StringNormalizer", [ONNX.attribute("case_change_action", string: "lower")],
            mentioning: ["(ai.onnx:StringNormalizer)", "'case_change_action'", "found 'lower'"])
    }

    @Test("refuses a locale whose case rules are not reproduced")
    func locale() {
        expectRefusal(
            "StringNormalizer",
            [
                ONNX.attribute("case_change_action", string: "LOWER"),
                ONNX.attribute("locale", string: "tr_TR.UTF-8"),
            ], mentioning: ["'locale'", "expected en_US.UTF-8", "found 'tr_TR.UTF-8'"])
    }

    // MARK: Tokenizer

    private func tokenizer(
        tokenexp: String? = "[a-z]+", separators: [String]? = nil, mincharnum: Int64 = 1
    ) -> [ProtoWriter] {
        var attributes = [
            ONNX.attribute("pad_value", string: "#"), ONNX.attribute("mark", int: 0),
            ONNX.attribute("mincharnum", int: mincharnum),
        ]
        if let tokenexp { attributes.append(ONNX.attribute("tokenexp", string: tokenexp)) }
        if let separators { attributes.append(ONNX.attribute("separators", strings: separators)) }
        return attributes
    }

    @Test("refuses a Tokenizer mincharnum below 1")
    func mincharnum() {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft", tokenizer(mincharnum: 0),
            mentioning: ["(com.microsoft:Tokenizer)", "'mincharnum'", "found 0"])
    }

    @Test("refuses mincharnum above 1 when splitting into characters")
    func characterMincharnum() {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft", tokenizer(tokenexp: ".", mincharnum: 2),
            mentioning: ["'mincharnum'", "found 2"])
    }

    @Test("refuses a Tokenizer with neither separators nor tokenexp")
    func noMode() {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft", tokenizer(tokenexp: nil),
            mentioning: ["'tokenexp'", "found neither"])
    }

    @Test(
        "refuses tokenexp constructs RE2 rejects or whose meaning is not reproduced",
        arguments: [
            ("(?u)\\b\\w\\w+\\b", "flags"), ("\\bab", "word boundary"), ("^ab", "anchor"),
            ("[a-z", "missing ]"), ("\\p{L}+", "Unicode class"), ("a**", "bad repetition"),
            ("[[:alpha:]]", "POSIX"), ("a{2,1}", "bad repetition"),
        ])
    func tokenexp(pattern: String, reason: String) {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft", tokenizer(tokenexp: pattern),
            mentioning: ["'tokenexp'", "found '\(pattern)'", reason])
    }

    @Test("refuses a separator that matches the empty string")
    func emptySeparator() {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft",
            tokenizer(tokenexp: nil, separators: [" ", "a*"]),
            mentioning: ["'separators'", "found 'a*' (separator 1)"])
    }

    @Test("refuses com.microsoft opsets other than 1")
    func microsoftOpset() {
        expectRefusal(
            "Tokenizer", domain: "com.microsoft", tokenizer(),
            opsets: [("", 17), ("com.microsoft", 2)], .unsupportedOpset,
            mentioning: ["expected opset 1…1 of 'com.microsoft'", "found opset 2"])
    }

    // MARK: TfIdfVectorizer

    private func vectorizer(
        mode: String = "TF", grams: (Int64, Int64) = (1, 2), skips: Int64 = 0,
        counts: [Int64] = [0, 2],
        indexes: [Int64] = [0, 1, 2], pool: [String] = ["a", "b", "a", "b"], weights: [Float]? = nil
    ) -> [ProtoWriter] {
        var attributes = [
            ONNX.attribute("mode", string: mode), ONNX.attribute("min_gram_length", int: grams.0),
            ONNX.attribute("max_gram_length", int: grams.1),
            ONNX.attribute("max_skip_count", int: skips),
            ONNX.attribute("ngram_counts", ints: counts),
            ONNX.attribute("ngram_indexes", ints: indexes),
            ONNX.attribute("pool_strings", strings: pool),
        ]
        if let weights { attributes.append(ONNX.attribute("weights", floats: weights)) }
        return attributes
    }

    @Test(
        "refuses TfIdfVectorizer attributes onnxruntime refuses or could not index",
        arguments: [
            ("mode", ["'mode'", "found 'BM25'"]),
            ("min_gram_length", ["'min_gram_length'", "found 0"]),
            ("max_gram_length", ["'max_gram_length'", "at least min_gram_length (2), found 1"]),
            ("max_skip_count", ["'max_skip_count'", "found -1"]),
            ("ngram_counts short", ["'ngram_counts'", "up to max_gram_length (2), found 1"]),
            ("ngram_counts bounds", ["'ngram_counts'", "found items 0 to 5"]),
            ("ngram_counts whole", ["'ngram_counts'", "whole 2-grams, found 3 items"]),
            ("ngram_indexes negative", ["'ngram_indexes'", "found -1"]),
            (
                "ngram_indexes few",
                ["'ngram_indexes'", "each of the 3 n-grams of pool_strings, found 2"]
            ),
            ("weights", ["'weights'", "(3), found 2"]),
            ("weights columns", ["'weights'", "up to 5", "found 3"]),
            ("duplicate", ["'pool_strings'", "1-gram 1 (from item 1) twice"]),
        ])
    func vectorizer(attribute: String, fragments: [String]) {
        let attributes: [ProtoWriter] =
            switch attribute {
            case "mode": vectorizer(mode: "BM25")
            case "min_gram_length": vectorizer(grams: (0, 2))
            case "max_gram_length": vectorizer(grams: (2, 1))
            case "max_skip_count": vectorizer(skips: -1)
            case "ngram_counts short": vectorizer(counts: [0])
            case "ngram_counts bounds": vectorizer(counts: [0, 5])
            case "ngram_counts whole": vectorizer(counts: [0, 1])
            case "ngram_indexes negative": vectorizer(indexes: [0, -1, 2])
            case "ngram_indexes few": vectorizer(indexes: [0, 1])
            case "weights": vectorizer(weights: [1, 2])
            case "weights columns": vectorizer(indexes: [0, 1, 5], weights: [1, 2, 3])
            default: vectorizer(pool: ["a", "a", "a", "b"])
            }
        expectRefusal(
            "TfIdfVectorizer", attributes, mentioning: ["(ai.onnx:TfIdfVectorizer)"] + fragments)
    }

    @Test("refuses a string pool for an int64 input")
    func poolType() {
        expectRefusal(
            "TfIdfVectorizer", vectorizer(), feed: int64s([1], [1]),
            mentioning: ["'pool_strings'", "expected pool_int64s for an int64 input"])
    }
}
