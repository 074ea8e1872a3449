import ONNXRuntime

/// `POST /predict` of one instance for a model with a row plan, from the body's bytes to
/// the row's scores with no JSON tree, no tensors and no arrays in between.
///
/// It takes only the common case: a flat object of known features with plain values, every
/// number within its training range and every category one the model knows. Anything else
/// (a batch, a missing or unknown key, a string with an escape, a value that warns or
/// fails) makes `evaluate` return nil, and the request takes the general path, which
/// decides and words the answer. So the two can only differ in speed; `RowPathTests` holds
/// them to the same bytes on every golden case and on mutations of them.
struct RowPath: Sendable {
    /// What the row path knows of one feature.
    private struct Field: Sendable {
        enum Kind: Sendable {
            /// A number for `numbers[offset]`; `integral` for an int64 input.
            case number(offset: Int, integral: Bool, range: ClosedRange<Double>?)
            /// A category for `categories[input]`: its position among the graph encoder's
            /// categories, once the manifest's categories (`known`) admit it; when the
            /// manifest lists none, the encoder's must.
            case category(input: Int, known: CategoryIndex?, encoder: CategoryIndex)
        }

        let kind: Kind
        let nullable: Bool
    }

    private let plan: RowPlan
    private let names: CategoryIndex
    private let fields: [Field]
    /// The bundle's label index for each of the plan's labels: by position among string
    /// labels, or by value for int64 ones.
    private let labelOfName: [Int?]
    private let labelOfInt64: [Int64: Int]

    /// The row path of a bundle, or nil when its graph has no row plan or its features or
    /// outputs are not what the row path reads.
    init?(
        plan: RowPlan, features: [Feature], featureOfInput: [Int], labels: [String],
        scoredLabels: [String], labelPosition: Int, scoresPosition: Int,
        lookup: ModelBundle.ClassLookup
    ) {
        guard plan.outputs[labelPosition] == .label, plan.outputs[scoresPosition] == .scores,
            plan.classCount == scoredLabels.count, scoredLabels == labels,
            features.allSatisfy({ $0.width == 1 }),
            // {"instances": …} alone is a batch, whatever the features are called.
            !features.contains(where: { $0.name == "instances" })
        else { return nil }
        var fields: [Field?] = Array(repeating: nil, count: features.count)
        for (input, kind) in plan.inputs.enumerated() {
            let feature = features[featureOfInput[input]]
            switch (kind, feature.kind) {
            case (.number(let type, let offset, _), .number):
                fields[featureOfInput[input]] = Field(
                    kind: .number(offset: offset, integral: type == .int64, range: feature.range),
                    nullable: feature.nullable && type != .int64)
            case (.category(let encoder), .category):
                fields[featureOfInput[input]] = Field(
                    kind: .category(
                        input: input,
                        known: feature.categories.isEmpty ? nil : feature.categoryIndex,
                        encoder: encoder),
                    nullable: false)
            default:
                return nil
            }
        }
        guard fields.allSatisfy({ $0 != nil }) else { return nil }
        self.plan = plan
        self.fields = fields.map { $0! }
        names = CategoryIndex(features.map(\.name))
        switch (plan.classLabels, lookup) {
        case (.strings(let names), .string(let index)):
            labelOfName = names.map { index[$0] }
            labelOfInt64 = [:]
        case (.int64s, .int64(let index)):
            labelOfName = []
            labelOfInt64 = index
        case (.int64s, .position):
            labelOfName = []
            labelOfInt64 = Dictionary(
                uniqueKeysWithValues: labels.indices.map { (Int64($0), $0) })
        default:
            return nil
        }
    }

    /// Decodes `body` and evaluates its row, then hands `answer` the label's index in the
    /// bundle's labels and the scores, in the bundle's order. Nil when the body is not the
    /// plain case (see the type's comment).
    func evaluate<Result>(
        _ body: [UInt8], _ answer: (Int, UnsafeBufferPointer<Float>) -> Result
    ) -> Result? {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: plan.numberCount) { numbers in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: plan.inputs.count) {
                categories in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: plan.columnCount) { row in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: plan.classCount) {
                        scores in
                        let decoded = body.withUnsafeBufferPointer { bytes in
                            decode(bytes, numbers.baseAddress!, categories.baseAddress!)
                        }
                        guard decoded,
                            let label = plan.evaluate(
                                numbers: numbers.baseAddress!,
                                categories: categories.baseAddress!,
                                row: row.baseAddress!, scores: scores.baseAddress!),
                            let index = labelIndex(label)
                        else { return nil }
                        return answer(index, UnsafeBufferPointer(scores))
                    }
                }
            }
        }
    }

    private func labelIndex(_ label: RowPlan.Label) -> Int? {
        switch label {
        case .name(let position): labelOfName[position]
        case .int64(let value): labelOfInt64[value]
        }
    }

    /// Fills `numbers` and `categories` from a flat JSON object of features; false when the
    /// body is anything else.
    private func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, _ numbers: UnsafeMutablePointer<Double>,
        _ categories: UnsafeMutablePointer<Int>
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: fields.count) { seen in
            seen.initialize(repeating: false)
            var index = skipSpace(bytes, 0)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
            index = skipSpace(bytes, index + 1)
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    guard let key = string(bytes, &index),
                        let feature = names.position(of: key), !seen[feature]
                    else { return false }
                    seen[feature] = true
                    index = skipSpace(bytes, index)
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                        return false
                    }
                    index = skipSpace(bytes, index + 1)
                    guard value(bytes, &index, fields[feature], numbers, categories) else {
                        return false
                    }
                    index = skipSpace(bytes, index)
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        break
                    }
                    guard bytes[index] == UInt8(ascii: ",") else { return false }
                    index = skipSpace(bytes, index + 1)
                }
            }
            guard skipSpace(bytes, index) == bytes.count else { return false }
            // An absent feature is null, which only a nullable number accepts.
            for (feature, field) in fields.enumerated() where !seen[feature] {
                guard field.nullable, case .number(let offset, _, _) = field.kind else {
                    return false
                }
                numbers[offset] = .nan
            }
            return true
        }
    }

    /// One feature's value, when it is plain and acceptable without a warning.
    private func value(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ field: Field,
        _ numbers: UnsafeMutablePointer<Double>, _ categories: UnsafeMutablePointer<Int>
    ) -> Bool {
        guard index < bytes.count else { return false }
        switch (field.kind, bytes[index]) {
        case (.number(let offset, _, _), UInt8(ascii: "n")):
            guard field.nullable, bytes.count - index >= 4, bytes[index + 1] == UInt8(ascii: "u"),
                bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
            else { return false }
            index += 4
            numbers[offset] = .nan
            return true
        case (.number(let offset, let integral, let range), let byte)
        where byte == UInt8(ascii: "-") || JSONNumber.isDigit(byte):
            guard let number = try? JSONNumber.scan(bytes, at: &index), number.isFinite,
                !integral || (number == number.rounded() && abs(number) < 9.2e18),
                range?.contains(number) ?? true
            else { return false }
            numbers[offset] = number
            return true
        case (.category(let input, let known, let encoder), UInt8(ascii: "\"")):
            // A category the manifest lists is valid UTF-8 by construction; one it does not
            // list warns, so the general path takes it.
            guard let text = string(bytes, &index) else { return false }
            let position = encoder.position(of: text)
            if let known {
                guard known.position(of: text) != nil else { return false }
            } else {
                guard position != nil else { return false }
            }
            categories[input] = position ?? -1
            return true
        default:
            return false
        }
    }

    /// The bytes of a string without escapes or control characters, `index` at its opening
    /// quote and then after its closing one.
    private func string(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int
    ) -> UnsafeBufferPointer<UInt8>? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                index = end + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<end])
            }
            guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
            end += 1
        }
        return nil
    }

    private func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }
}
