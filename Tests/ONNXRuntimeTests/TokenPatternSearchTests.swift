import Testing

@testable import ONNXRuntime

/// The searches chosen at load for one class (`.`) and one class repeated (`[a-z]+`) must
/// find exactly what the NFA finds, from every start, on text with newlines, ASCII and
/// other code points.
@Suite("Token pattern searches")
struct TokenPatternSearchTests {
    static let alphabet: [UInt32] = [
        0x61, 0x62, 0x7A, 0x41, 0x30, 0x5F, 0x20, 0x0A, 0x2C, 0xE9, 0x3C3, 0x1F600,
    ]

    @Test(
        "the class searches agree with the automaton",
        arguments: [".", "[a-zA-Z0-9_]+", "\\w+", "[^ ,]+", "[a-z]", "\\s+"])
    func classSearchesAgree(pattern text: String) throws {
        let pattern = try TokenPattern(text)
        switch pattern.search {
        case .one, .run: break
        case .automaton: Issue.record("\(text): expected a class search, found the automaton")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let length = Int.random(in: 0...24, using: &generator)
            let scalars = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }
            for start in 0...scalars.count {
                let fast = pattern.firstMatch(in: scalars, from: start)
                let automaton = pattern.automatonMatch(in: scalars, from: start)
                #expect(fast == automaton, "\(text) on \(scalars) from \(start)")
            }
        }
    }

    @Test("alternations, sequences and bounded repeats keep the automaton")
    func otherShapesKeepTheAutomaton() throws {
        for text in ["a|ab", "ab", "[a-z]{2,3}", "[a-z]*", "(ab)+"] {
            guard case .automaton = try TokenPattern(text).search else {
                Issue.record("\(text): expected the automaton")
                continue
            }
        }
    }
}
