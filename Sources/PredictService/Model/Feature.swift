import ONNXRuntime

/// One input a client sends: a JSON key that maps to one graph input of the model.
public struct Feature: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case number
        case category
    }

    public let name: String
    public let kind: Kind
    /// Whether `null` is accepted (it becomes NaN, which tree ensembles route as missing).
    public let nullable: Bool
    /// The categories seen in training, in manifest order; empty when unknown.
    public let categories: [String]
    /// The range observed in training, for numbers; nil when unknown.
    public let range: ClosedRange<Double>?
    /// The graph input's element type and rank (1 for `[N]`, 2 for `[N, width]`).
    public let elementType: ElementType
    public let rank: Int
    /// Values per row: 1 for a scalar feature, k for an `[N, k]` input (sent as an array).
    public let width: Int

    /// The categories by their UTF-8 bytes, as the graph's encoders match them: a Set<String>
    /// would follow Unicode equivalence and take a decomposed "é" for a known "é" that the
    /// encoder then treats as unknown, without the warning.
    let categoryIndex: CategoryIndex

    init(
        name: String, kind: Kind, nullable: Bool, categories: [String],
        range: ClosedRange<Double>?, elementType: ElementType, rank: Int, width: Int
    ) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
        self.categories = categories
        self.range = range
        self.elementType = elementType
        self.rank = rank
        self.width = width
        self.categoryIndex = CategoryIndex(categories)
    }

    /// Whether `value` is a category seen in training, byte for byte (true when the manifest
    /// lists none: nothing to compare with).
    func knows(category value: String) -> Bool {
        categories.isEmpty || categoryIndex.position(of: value) != nil
    }

    /// How the expected value is described in error messages.
    var expectation: String {
        let one: String
        switch kind {
        case .number:
            one = elementType == .int64 ? "an integer" : "a number"
        case .category:
            if categories.isEmpty {
                one = "a string"
            } else {
                let shown = categories.prefix(4).map { "'\($0)'" }.joined(separator: ", ")
                one = "a string such as " + shown
            }
        }
        return width == 1 ? one : "an array of \(width) values, each \(one)"
    }
}
