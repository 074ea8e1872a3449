extension ModelBundle {
    /// Validates one instance (a JSON object of feature name → value) and appends its
    /// values to `columns`. Errors name the field, prefixed by `prefix` inside a batch.
    func decode(
        _ instance: JSONValue, prefix: String, into columns: inout FeatureColumns
    )
        throws(ServiceError) -> [PredictionWarning]
    {
        guard case .object(let members) = instance else {
            let expected = "an object mapping feature names to values"
            throw .invalidBody(
                "\(prefix.isEmpty ? "the body" : String(prefix.dropLast())) must be \(expected), "
                    + "found \(instance.kindDescription)",
                field: prefix.isEmpty ? nil : String(prefix.dropLast()))
        }
        // Which member holds each feature; -1 while none does.
        var memberOf = [Int](repeating: -1, count: features.count)
        for (position, member) in members.enumerated() {
            guard let column = featureIndex[member.key] else {
                throw ServiceError.unknownField(member.key, suggestion: suggestion(for: member.key))
                    .nested(under: prefix)
            }
            guard memberOf[column] < 0 else {
                throw ServiceError.duplicateField(member.key).nested(under: prefix)
            }
            memberOf[column] = position
        }
        var warnings: [PredictionWarning] = []
        for (column, feature) in features.enumerated() {
            let value: JSONValue
            if memberOf[column] >= 0 {
                value = members[memberOf[column]].value
            } else if feature.nullable {
                value = .null
            } else {
                throw ServiceError.missingField(feature.name, expected: feature.expectation)
                    .nested(under: prefix)
            }
            do {
                try decode(value, of: feature, column: column, into: &columns, warnings: &warnings)
            } catch {
                throw error.nested(under: prefix)
            }
        }
        columns.finishRow()
        return prefix.isEmpty ? warnings : warnings.map { $0.nested(under: prefix) }
    }

    private func decode(
        _ value: JSONValue, of feature: Feature, column: Int, into columns: inout FeatureColumns,
        warnings: inout [PredictionWarning]
    ) throws(ServiceError) {
        guard feature.width > 1 else {
            return try decodeScalar(
                value, of: feature, field: feature.name, column: column, into: &columns,
                warnings: &warnings)
        }
        guard case .array(let elements) = value, elements.count == feature.width else {
            throw .wrongType(
                feature.name, expected: feature.expectation, found: describe(value))
        }
        for (position, element) in elements.enumerated() {
            try decodeScalar(
                element, of: feature, field: "\(feature.name)[\(position)]", column: column,
                into: &columns, warnings: &warnings)
        }
    }

    private func decodeScalar(
        _ value: JSONValue, of feature: Feature, field: String, column: Int,
        into columns: inout FeatureColumns, warnings: inout [PredictionWarning]
    ) throws(ServiceError) {
        switch (feature.kind, value) {
        case (.number, .number(let number)):
            guard number.isFinite else { throw .nonFiniteNumber(field) }
            if feature.elementType == .int64 {
                guard number == number.rounded(), abs(number) < 9.2e18 else {
                    throw .wrongType(field, expected: "an integer", found: "\(number)")
                }
            }
            if let range = feature.range, !range.contains(number) {
                warnings.append(.outOfRange(field, value: number, range: range))
            }
            columns.append(number: number, to: column)
        case (.number, .null) where feature.nullable:
            columns.append(number: .nan, to: column)
        case (.category, .string(let text)):
            if !feature.knows(category: text) {
                warnings.append(.unseenCategory(field, value: text))
            }
            columns.append(string: text, to: column)
        case (_, .null):
            throw .nullValue(field, expected: feature.expectation)
        default:
            throw .wrongType(field, expected: feature.expectation, found: describe(value))
        }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "the string \"\(text.prefix(40))\""
        case .number(let number): "the number \(number)"
        case .bool(let flag): "the boolean \(flag)"
        default: value.kindDescription
        }
    }

    /// The feature name closest to a misspelt key, if one is within two edits.
    func suggestion(for key: String) -> String? {
        let lowered = Array(key.lowercased().utf8)
        var best: (name: String, distance: Int)?
        for feature in features {
            let distance = editDistance(lowered, Array(feature.name.lowercased().utf8))
            if distance <= 2 && distance < (best?.distance ?? .max) {
                best = (feature.name, distance)
            }
        }
        return best?.name
    }

    private func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard a.count < 64 && b.count < 64 else { return .max }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(
                    previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
