import Testing

@testable import PredictService

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value and keeps object members in order")
    func parsesValues() throws {
        let value = try JSONParser.parse(
            #"{"b": [1, -2.5, 3e2, true, false, null], "a": "x", "c": {}}"#)
        #expect(
            value
                == .object([
                    JSONMember(
                        "b",
                        .array([
                            .number(1), .number(-2.5), .number(300), .bool(true), .bool(false),
                            .null,
                        ])),
                    JSONMember("a", .string("x")),
                    JSONMember("c", .object([])),
                ]))
    }

    @Test("decodes escapes including surrogate pairs")
    func decodesEscapes() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\n\té😀"))
    }

    @Test("reads integers and decimals exactly")
    func readsNumbers() throws {
        #expect(try JSONParser.parse("9007199254740991") == .number(9_007_199_254_740_991))
        #expect(try JSONParser.parse("-0") == .number(-0.0))
        #expect(try JSONParser.parse("0.1") == .number(0.1))
        #expect(try JSONParser.parse("1E-7") == .number(1e-7))
    }

    @Test("turns numbers beyond a Double into infinity for the caller to refuse")
    func overflowsToInfinity() throws {
        #expect(try JSONParser.parse("1e400") == .number(.infinity))
    }

    @Test(
        "refuses malformed documents with the byte offset",
        arguments: [
            ("", "empty"),
            ("{", "end of input"),
            (#"{"a":1,}"#, "expected a string key"),
            ("[1,]", "expected a JSON value"),
            ("01", "leading zeros"),
            ("1.", "digits after '.'"),
            ("NaN", "expected a JSON value"),
            ("Infinity", "expected a JSON value"),
            (#"{"a" 1}"#, "expected ':'"),
            ("tru", "expected true"),
            (#""abc"#, "unterminated string"),
            ("\"a\u{01}b\"", "raw control character"),
            (#""\x""#, "invalid escape"),
            (#""\ud800""#, "unpaired surrogate"),
            ("{} {}", "after the JSON value"),
            ("// comment\n{}", "expected a JSON value"),
        ])
    func refusesMalformed(text: String, fragment: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? ServiceError else { return false }
            return error.code == .malformedJSON && error.status == .badRequest
                && error.message.contains(fragment)
        }
    }

    @Test("refuses invalid UTF-8 inside strings")
    func refusesInvalidUTF8() {
        #expect(throws: ServiceError.self) {
            _ = try JSONParser.parse([0x22, 0xC3, 0x28, 0x22])
        }
    }

    @Test("bounds nesting so a hostile body cannot exhaust the stack")
    func boundsNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            _ = try JSONParser.parse(deep)
        } throws: { error in
            (error as? ServiceError)?.message.contains("nesting deeper than 64") == true
        }
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONParser.parse(allowed)
    }
}
