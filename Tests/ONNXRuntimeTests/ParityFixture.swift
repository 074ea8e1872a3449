import Foundation

@testable import ONNXRuntime

/// One fixture of the parity suite: an ONNX model next to a JSON file of cases whose
/// expected outputs onnxruntime computed (format in Fixtures/README.md, written by the
/// fixture generator).
struct ParityFixture {
    enum Expected {
        case tensor(type: String, shape: [Int], values: [Any])
        /// One list of (key, value) pairs per row.
        case mapSequence(rows: [[(key: String, value: Double)]])
    }

    struct Case {
        let id: String
        let feeds: [String: Tensor]
        let expected: [(name: String, value: Expected)]
    }

    let family: String
    let modelPath: URL
    let cases: [Case]

    /// `ONNX_PARITY_FIXTURES` when set (to develop against other fixtures), otherwise the
    /// Fixtures directory next to this file.
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["ONNX_PARITY_FIXTURES"] {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }

    /// The families that have both a model and a case file, sorted.
    static func families() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .filter { names.contains($0 + ".onnx") }.sorted()
    }

    init(family: String) throws {
        self.family = family
        modelPath = Self.directory.appendingPathComponent(family + ".onnx")
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(family + ".json"))
        guard let document = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let inputs = document["inputs"] as? [[String: Any]],
            let cases = document["cases"] as? [[String: Any]]
        else { throw FixtureError("\(family).json: expected an object with inputs and cases") }
        var types: [String: String] = [:]
        for input in inputs {
            if let name = input["name"] as? String { types[name] = input["type"] as? String }
        }
        self.cases = try cases.map { item throws in
            let id = item["id"] as? String ?? "?"
            var feeds: [String: Tensor] = [:]
            for (name, raw) in item["inputs"] as? [String: Any] ?? [:] {
                guard let spec = raw as? [String: Any], let type = types[name],
                    let shape = spec["shape"] as? [Int], let values = spec["values"] as? [Any]
                else { throw FixtureError("\(family) case \(id): malformed input '\(name)'") }
                feeds[name] = try Self.tensor(
                    type, shape, values, "\(family) case \(id) input \(name)")
            }
            var expected: [(String, Expected)] = []
            for (name, raw) in item["outputs"] as? [String: Any] ?? [:] {
                guard let spec = raw as? [String: Any], let type = spec["type"] as? String else {
                    throw FixtureError("\(family) case \(id): malformed output '\(name)'")
                }
                if type == "seq_map" {
                    let rows = (spec["values"] as? [[[Any]]] ?? []).map { row in
                        row.map { pair in (key: "\(pair[0])", value: Self.number(pair[1]) ?? .nan) }
                    }
                    expected.append((name, .mapSequence(rows: rows)))
                } else {
                    expected.append(
                        (
                            name,
                            .tensor(
                                type: type, shape: spec["shape"] as? [Int] ?? [],
                                values: spec["values"] as? [Any] ?? [])
                        ))
                }
            }
            return Case(id: id, feeds: feeds, expected: expected.sorted { $0.0 < $1.0 })
        }
    }

    /// A JSON number, or one of the strings "NaN", "Infinity", "-Infinity".
    static func number(_ value: Any) -> Double? {
        switch value {
        case let decimal as NSDecimalNumber:
            // Linux's JSONSerialization returns long decimals (17 digits, as double inputs
            // one ulp off a threshold have) as NSDecimalNumber, whose doubleValue can miss
            // by an ulp; its digits, read as a Double, round correctly.
            return Double(decimal.stringValue) ?? decimal.doubleValue
        case let number as NSNumber: return number.doubleValue
        case let text as String:
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return Double(text)
            }
        default: return nil
        }
    }

    private static func tensor(
        _ type: String, _ shape: [Int], _ values: [Any], _ context: String
    ) throws -> Tensor {
        let storage: Tensor.Storage
        switch type {
        case "float": storage = .float(values.map { Float(number($0) ?? .nan) })
        case "double": storage = .double(values.map { number($0) ?? .nan })
        case "int64": storage = .int64(values.map { ($0 as? NSNumber)?.int64Value ?? 0 })
        case "bool": storage = .bool(values.map { ($0 as? NSNumber)?.boolValue ?? false })
        case "string": storage = .string(values.map { $0 as? String ?? "\($0)" })
        default: throw FixtureError("\(context): unknown type \(type)")
        }
        guard shape.reduce(1, *) == values.count else {
            throw FixtureError("\(context): shape \(shape) does not hold \(values.count) values")
        }
        return Tensor(shape: shape, storage: storage)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
