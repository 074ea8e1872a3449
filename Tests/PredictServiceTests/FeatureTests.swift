import ONNXRuntime
import Testing

@testable import PredictService

@Suite("Feature categories")
struct FeatureTests {
    private func category(_ categories: [String]) -> Feature {
        Feature(
            name: "city", kind: .category, nullable: false, categories: categories, range: nil,
            elementType: .string, rank: 1, width: 1)
    }

    @Test("a category is known byte for byte, as the encoders match it, not by Unicode equivalence")
    func bytesNotEquivalence() {
        let feature = category(["café", "zürich"])
        #expect(feature.knows(category: "café"))
        // "e" + combining acute accent: equal as Swift strings, but other bytes, which the
        // graph's one-hot encoder treats as an unknown category; the client must be warned.
        #expect("cafe\u{301}" == "café")
        #expect(!feature.knows(category: "cafe\u{301}"))
        #expect(!feature.knows(category: "Café"))
        #expect(!feature.knows(category: ""))
    }

    @Test("without categories in the manifest every string is known")
    func noCategories() {
        #expect(category([]).knows(category: "anything"))
    }
}
