import Foundation
import Testing

@testable import PredictService

/// The row path against the general path on the default model: every body either takes
/// the general path (the row path declines) or gets from the row path exactly the bytes the
/// general path answers. Bodies are the golden cases, moved into the training ranges so
/// that the row path takes them, and mutations of those that it must decline or answer
/// alike.
@Suite("Row path")
struct RowPathTests {
    let bundle = TestModels.bankMarketing

    /// The golden inputs with every number moved into its feature's training range.
    func plainInstances() throws -> [[JSONMember]] {
        let golden = URL(filePath: TestModels.bankMarketingPath).appending(path: "golden.jsonl")
        let lines = try String(contentsOf: golden, encoding: .utf8).split(separator: "\n")
        return try lines.map { line in
            guard case .object(let members) = try JSONParser.parse(String(line)),
                case .object(let input)? = members.first(where: { $0.key == "input" })?.value
            else { throw RowPathTestError("a golden line without an input object") }
            return input.map { member in
                guard case .number(let value) = member.value,
                    let feature = bundle.features.first(where: { $0.name == member.key }),
                    let range = feature.range
                else { return member }
                return JSONMember(
                    member.key, .number(min(max(value, range.lowerBound), range.upperBound)))
            }
        }
    }

    /// What the general path answers a single instance with, or nil when it refuses it.
    func generalAnswer(_ body: [UInt8]) -> [UInt8]? {
        guard let document = try? JSONParser.parse(body),
            let prediction = try? bundle.predict(instance: document)
        else { return nil }
        return ResponseEncoder.prediction(prediction, bundle: bundle)
    }

    func rowAnswer(_ body: [UInt8]) throws -> [UInt8]? {
        let path = try #require(bundle.rowPath)
        return path.evaluate(body) { label, scores in
            ResponseEncoder.prediction(labelIndex: label, scores: scores, bundle: bundle)
        }
    }

    @Test("the default model has a row path")
    func defaultModelHasOne() {
        #expect(bundle.rowPath != nil)
    }

    @Test("answers every golden instance without warnings as the general path does")
    func answersPlainInstances() throws {
        var answered = 0
        for members in try plainInstances() {
            let body = JSONValue.object(members).bytes
            let text = String(decoding: body, as: UTF8.self)
            let general = try #require(
                generalAnswer(body).map { String(decoding: $0, as: UTF8.self) })
            let row = try rowAnswer(body).map { String(decoding: $0, as: UTF8.self) }
            if general.contains(#""warnings":[]"#) {
                #expect(row == general, "\(text)")
                answered += 1
            } else {
                #expect(row == nil, "answered despite a warning: \(text)")
            }
        }
        #expect(answered >= 300)
    }

    @Test("declines or agrees on every mutation")
    func mutations() throws {
        var answered = 0
        var declined = 0
        for members in try plainInstances().prefix(60) {
            for body in Self.mutations(of: members) {
                let text = String(decoding: body, as: UTF8.self)
                let general = generalAnswer(body).map { String(decoding: $0, as: UTF8.self) }
                if let row = try rowAnswer(body) {
                    answered += 1
                    #expect(
                        String(decoding: row, as: UTF8.self) == general,
                        "answered differently: \(text)")
                } else {
                    declined += 1
                }
            }
        }
        #expect(answered > 0 && declined > 0)
    }

    /// Bodies derived from one plain instance: spelled differently (which the row path
    /// should answer) or changed into what must warn, fail or be a batch.
    static func mutations(of members: [JSONMember]) -> [[UInt8]] {
        let plain = JSONValue.object(members).bytes
        let text = String(decoding: plain, as: UTF8.self)
        var bodies: [String] = [
            " \n\t" + text + "\r\n",
            text.replacingOccurrences(of: ",", with: " , ").replacingOccurrences(
                of: ":", with: " : "),
            "{\"instances\":[\(text)]}",
            "[\(text)]",
            text + "x",
            text + "{}",
            String(text.dropLast()) + ",}",
            String(text.dropLast()),
            "{}",
            "",
            "null",
        ]
        let reversed = JSONValue.object(members.reversed()).bytes
        bodies.append(String(decoding: reversed, as: UTF8.self))
        for (position, member) in members.enumerated() {
            var without = members
            without.remove(at: position)
            bodies.append(String(decoding: JSONValue.object(without).bytes, as: UTF8.self))
            var twice = members
            twice.append(member)
            bodies.append(String(decoding: JSONValue.object(twice).bytes, as: UTF8.self))
            for replacement in replacements(for: member.value) {
                var changed = members
                changed[position] = JSONMember(member.key, replacement)
                bodies.append(String(decoding: JSONValue.object(changed).bytes, as: UTF8.self))
            }
            // Raw spellings the writer would not produce.
            let key = "\"\(member.key)\":"
            if case .number(let value) = member.value, value == value.rounded() {
                for spelling in ["\(Int(value)).0", "\(Int(value))e0", "\(Int(value)).000"] {
                    bodies.append(
                        text.replacingOccurrences(of: key + "\(Int(value))", with: key + spelling))
                }
            }
            if case .string(let category) = member.value, let first = category.unicodeScalars.first
            {
                let escaped = String(format: "\\u%04x", first.value) + category.dropFirst()
                bodies.append(
                    text.replacingOccurrences(
                        of: key + "\"\(category)\"", with: key + "\"\(escaped)\""))
            }
            bodies.append(
                text.replacingOccurrences(of: "\"\(member.key)\"", with: "\"\(member.key)x\""))
            bodies.append(
                text.replacingOccurrences(
                    of: "\"\(member.key)\"", with: "\"\(member.key.uppercased())\""))
        }
        bodies.append(text.replacingOccurrences(of: "}", with: ",\"extra\":1}"))
        return bodies.map { Array($0.utf8) }
    }

    static func replacements(for value: JSONValue) -> [JSONValue] {
        switch value {
        case .number(let number):
            [
                .null, .string("\(number)"), .bool(true), .array([value]), .number(-number),
                .number(number + 0.5), .number(1e300), .number(-1e300), .number(0),
            ]
        case .string(let text):
            [
                .null, .number(1), .string(text.uppercased()), .string(text + " "), .string(""),
                .string("e\u{301}"), .string("\u{e9}"), .array([value]),
            ]
        default: [.null]
        }
    }
}

struct RowPathTestError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
