import Testing

@testable import ONNXRuntime

/// StringNormalizer, com.microsoft Tokenizer and TfIdfVectorizer on one-node graphs; every
/// expected value is onnxruntime 1.31.1's on the same graph (glibc 2.36, en_US.UTF-8).
@Suite("Text operators")
struct TextOperatorTests {
    private static let opsets: [(String, Int64)] = [("", 17), ("com.microsoft", 1)]

    private func run(
        _ op: String, _ x: Tensor, domain: String = "", _ attributes: [ProtoWriter]
    ) throws -> Tensor? {
        try OneNodeGraph.run(
            ONNX.node(op, domain: domain, inputs: ["X"], outputs: ["Y"], attributes: attributes),
            feeds: [("X", x)], opsets: Self.opsets)["Y"]
    }

    private func normalize(_ x: Tensor, _ attributes: [ProtoWriter]) throws -> Tensor? {
        try run("StringNormalizer", x, attributes)
    }

    private func tokenize(_ x: Tensor, _ attributes: [ProtoWriter]) throws -> Tensor? {
        try run("Tokenizer", x, domain: "com.microsoft", attributes)
    }

    private func tokenize(
        _ texts: [String], pattern: String, mincharnum: Int64 = 1
    ) throws -> Tensor? {
        try tokenize(
            strings([texts.count], texts),
            [
                ONNX.attribute("tokenexp", string: pattern),
                ONNX.attribute("pad_value", string: "#"),
                ONNX.attribute("mark", int: 0), ONNX.attribute("mincharnum", int: mincharnum),
            ])
    }

    // MARK: StringNormalizer

    @Test("LOWER and UPPER map each code point as glibc's towlower/towupper do, one to one")
    func glibcCase() throws {
        let lower = try normalize(
            strings([7], ["ÉCOLE", "ß", "ΣΟΦΙΑ", "İ", "ǅ", "😀😀", "ẞ"]),
            [ONNX.attribute("case_change_action", string: "LOWER")])
        #expect(lower == strings([7], ["école", "ß", "σοφια", "i", "ǆ", "😀😀", "ß"]))
        let upper = try normalize(
            strings([5], ["ß", "ſ", "ı", "ǆ", "\u{345}"]),
            [ONNX.attribute("case_change_action", string: "UPPER")])
        #expect(upper == strings([5], ["ß", "S", "I", "Ǆ", "Ι"]))
    }

    @Test("the C locale changes ASCII letters only")
    func posixLocale() throws {
        let y = try normalize(
            strings([1], ["ÉX"]),
            [
                ONNX.attribute("case_change_action", string: "LOWER"),
                ONNX.attribute("locale", string: "C"),
            ])
        #expect(y == strings([1], ["Éx"]))
    }

    @Test("stop words drop whole strings, compared in the case change's case unless case sensitive")
    func stopwords() throws {
        let insensitive = try normalize(
            strings([2], ["The", "b"]),
            [
                ONNX.attribute("case_change_action", string: "NONE"),
                ONNX.attribute("stopwords", strings: ["the"]),
            ])
        #expect(insensitive == strings([1], ["b"]))
        let sensitive = try normalize(
            strings([1, 2], ["The", "the"]),
            [
                ONNX.attribute("is_case_sensitive", int: 1),
                ONNX.attribute("stopwords", strings: ["the"]),
            ])
        #expect(sensitive == strings([1, 1], ["The"]))
    }

    @Test("when every string is a stop word the output is one empty string")
    func allFiltered() throws {
        let attributes = [
            ONNX.attribute("case_change_action", string: "UPPER"),
            ONNX.attribute("stopwords", strings: ["the"]),
        ]
        #expect(try normalize(strings([2], ["The", "the"]), attributes) == strings([1], [""]))
        #expect(
            try normalize(strings([1, 2], ["The", "the"]), attributes) == strings([1, 1], [""]))
    }

    @Test("stop words match byte for byte: a decomposed é is not the precomposed one")
    func stopwordBytes() throws {
        let y = try normalize(
            strings([3], ["e\u{301}", "\u{e9}", "x"]),
            [ONNX.attribute("stopwords", strings: ["\u{e9}"])])
        #expect(y?.stringValues.map { Array($0.unicodeScalars) } == [["e", "\u{301}"], ["x"]])
    }

    @Test("an input of more than one row is refused at run time")
    func normalizerShape() {
        #expect(throws: ModelError.self) {
            try normalize(strings([2, 1], ["a", "b"]), [])
        }
    }

    // MARK: Tokenizer

    @Test("tokenexp tokens are padded to the longest row; \\w-like classes stay ASCII")
    func expression() throws {
        let y = try tokenize(["Hello wörld_9 a", ""], pattern: "[a-zA-Z0-9_]+")
        #expect(y == strings([2, 4], ["Hello", "w", "rld_9", "a", "#", "#", "#", "#"]))
        let word = try tokenize(["héllo wörld ab"], pattern: "\\w+")
        #expect(word == strings([1, 5], ["h", "llo", "w", "rld", "ab"]))
        let dot = try tokenize(["ab\ncd"], pattern: ".+")
        #expect(dot == strings([1, 2], ["ab", "cd"]))
    }

    @Test("an [N, 1] input gives [N, 1, tokens]; no token anywhere gives a last dimension of 0")
    func shapes() throws {
        let attributes = [
            ONNX.attribute("tokenexp", string: "[a-z]+"), ONNX.attribute("pad_value", string: "#"),
            ONNX.attribute("mark", int: 0), ONNX.attribute("mincharnum", int: 1),
        ]
        #expect(try tokenize(strings([2, 1], ["ab c", ""]), attributes)?.shape == [2, 1, 2])
        #expect(try tokenize(strings([2], ["", " "]), attributes)?.shape == [2, 0])
        #expect(try tokenize(strings([1, 2], ["", "1"]), attributes)?.shape == [1, 2, 0])
    }

    @Test("matches are leftmost-longest, as RE2 with longest_match")
    func longestMatch() throws {
        #expect(
            try tokenize(["abab aab"], pattern: "a|ab")
                == strings([1, 4], ["ab", "ab", "a", "ab"]))
        #expect(
            try tokenize(["abab aab"], pattern: "(a|ab)(c|bab)?")
                == strings([1, 3], ["abab", "a", "ab"]))
    }

    @Test("a match shorter than mincharnum is skipped one code point past its start")
    func mincharnum() throws {
        #expect(
            try tokenize(["abc de fghi"], pattern: "[a-z]+", mincharnum: 3)
                == strings([1, 2], ["abc", "fghi"]))
        #expect(try tokenize(["abc"], pattern: "b*") == strings([1, 1], ["b"]))
        #expect(try tokenize(["abc"], pattern: "x*")?.shape == [1, 0])
    }

    @Test("tokenexp '.' splits into code points; marks frame each row before the padding")
    func characters() throws {
        let y = try tokenize(
            strings([2], ["aé😀 b", "x"]),
            [
                ONNX.attribute("tokenexp", string: "."), ONNX.attribute("pad_value", string: "#"),
                ONNX.attribute("mark", int: 1), ONNX.attribute("mincharnum", int: 1),
            ])
        #expect(
            y
                == strings(
                    [2, 7],
                    [
                        "\u{2}", "a", "é", "😀", " ", "b", "\u{3}", "\u{2}", "x", "\u{3}", "#", "#",
                        "#", "#",
                    ]))
    }

    @Test("separators are regular expressions applied in turn; [\"\"] means characters")
    func separators() throws {
        let common = [
            ONNX.attribute("pad_value", string: "#"), ONNX.attribute("mark", int: 0),
            ONNX.attribute("mincharnum", int: 1),
        ]
        let split = try tokenize(
            strings([2], ["a,b. c?d", "e"]),
            common + [
                ONNX.attribute("separators", strings: [" ", "[.]", "\\?", ",", ";", ":", "\\!"])
            ])
        #expect(split == strings([2, 4], ["a", "b", "c", "d", "e", "#", "#", "#"]))
        let characters = try tokenize(
            strings([1], ["a,b"]), common + [ONNX.attribute("separators", strings: [""])])
        #expect(characters == strings([1, 3], ["a", ",", "b"]))
    }

    // MARK: TfIdfVectorizer

    private func vectorize(
        _ x: Tensor, mode: String = "TF", grams: ClosedRange<Int64> = 1...2, skips: Int64 = 0,
        indexes: [Int64] = [0, 1, 2, 3, 4], weights: [Float]? = nil, integers: Bool = false
    ) throws -> Tensor? {
        var attributes = [
            ONNX.attribute("mode", string: mode),
            ONNX.attribute("min_gram_length", int: grams.lowerBound),
            ONNX.attribute("max_gram_length", int: grams.upperBound),
            ONNX.attribute("max_skip_count", int: skips),
            ONNX.attribute("ngram_counts", ints: [0, 3]),
            ONNX.attribute("ngram_indexes", ints: indexes),
            integers
                ? ONNX.attribute("pool_int64s", ints: [1, 2, 3, 1, 2, 2, 3])
                : ONNX.attribute("pool_strings", strings: ["a", "b", "c", "a", "b", "b", "c"]),
        ]
        if let weights { attributes.append(ONNX.attribute("weights", floats: weights)) }
        return try run("TfIdfVectorizer", x, attributes)
    }

    @Test("TF counts unigrams and bigrams of a [C] input; pad tokens not in the pool count nothing")
    func termFrequency() throws {
        #expect(
            try vectorize(strings([6], ["a", "b", "c", "a", "b", "#"]))
                == floats([5], [2, 2, 1, 2, 1]))
        #expect(
            try vectorize(strings([2, 2], ["a", "b", "b", "c"]))
                == floats([2, 5], [1, 1, 0, 1, 0, 0, 1, 1, 0, 1]))
        #expect(
            try vectorize(strings([2, 0], [])) == floats([2, 5], Array(repeating: 0, count: 10)))
        #expect(
            try vectorize(int64s([5], [1, 2, 3, 1, 2]), integers: true)
                == floats([5], [2, 2, 1, 2, 1]))
    }

    @Test("max_skip_count also counts n-grams whose items are further apart, unigrams once")
    func skips() throws {
        #expect(
            try vectorize(strings([6], ["a", "x", "b", "a", "c", "b"]), skips: 1)
                == floats([5], [2, 2, 1, 2, 1]))
    }

    @Test("IDF sets the column's weight, TFIDF adds it per occurrence; weights go by output column")
    func weighting() throws {
        let x = strings([7], ["a", "x", "b", "a", "c", "b", "b"])
        let weights: [Float] = [0.5, 2, 3, 4, 5]
        #expect(try vectorize(x, mode: "TFIDF", weights: weights) == floats([5], [1, 6, 3, 0, 0]))
        #expect(try vectorize(x, mode: "IDF", weights: weights) == floats([5], [0.5, 2, 3, 0, 0]))
        #expect(try vectorize(x, mode: "IDF") == floats([5], [1, 1, 1, 0, 0]))
    }

    @Test(
        "min_gram_length leaves shorter n-grams out; ngram_indexes place columns, the largest sets the width"
    )
    func layout() throws {
        let x = strings([3], ["a", "b", "c"])
        #expect(try vectorize(x, grams: 2...2) == floats([5], [0, 0, 0, 1, 1]))
        #expect(
            try vectorize(x, indexes: [0, 1, 2, 7, 4]) == floats([8], [1, 1, 1, 0, 1, 0, 0, 1]))
    }

    @Test("pool strings match byte for byte")
    func poolBytes() throws {
        let y = try run(
            "TfIdfVectorizer", strings([2], ["e\u{301}", "\u{e9}"]),
            [
                ONNX.attribute("mode", string: "TF"), ONNX.attribute("min_gram_length", int: 1),
                ONNX.attribute("max_gram_length", int: 1), ONNX.attribute("max_skip_count", int: 0),
                ONNX.attribute("ngram_counts", ints: [0]),
                ONNX.attribute("ngram_indexes", ints: [0, 1]),
                ONNX.attribute("pool_strings", strings: ["\u{e9}", "x"]),
            ])
        #expect(y == floats([2], [1, 0]))
    }
}
