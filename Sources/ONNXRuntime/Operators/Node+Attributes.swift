/// Typed attribute access for operator factories. Each accessor checks the attribute's
/// declared AttributeProto type, so a model that stores, say, `class_weights` as INTS is
/// refused at load with the node, the attribute and both types named.
extension Node {
    func attribute(_ name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    func int(_ name: String, default value: Int64? = nil) throws(ModelError) -> Int64 {
        guard let attribute = try typed(name, .int) else {
            guard let value else { throw .attribute(self, name, "is required but missing") }
            return value
        }
        guard let int = attribute.int else {
            throw .attribute(self, name, "expected an INT value, found none")
        }
        return int
    }

    /// nil when the attribute is absent and `required` is false.
    func ints(_ name: String, required: Bool = false) throws(ModelError) -> [Int64]? {
        guard let attribute = try typed(name, .ints) else {
            if required { throw .attribute(self, name, "is required but missing") }
            return nil
        }
        return attribute.ints
    }

    func floats(_ name: String, required: Bool = false) throws(ModelError) -> [Float]? {
        guard let attribute = try typed(name, .floats) else {
            if required { throw .attribute(self, name, "is required but missing") }
            return nil
        }
        return attribute.floats
    }

    func strings(_ name: String, required: Bool = false) throws(ModelError) -> [String]? {
        guard let attribute = try typed(name, .strings) else {
            if required { throw .attribute(self, name, "is required but missing") }
            return nil
        }
        var result: [String] = []
        result.reserveCapacity(attribute.strings.count)
        for (index, bytes) in attribute.strings.enumerated() {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .attribute(self, name, "expected UTF-8 strings, element \(index) is not")
            }
            result.append(text)
        }
        return result
    }

    func string(_ name: String, default value: String? = nil) throws(ModelError) -> String {
        guard let attribute = try typed(name, .string) else {
            guard let value else { throw .attribute(self, name, "is required but missing") }
            return value
        }
        guard let bytes = attribute.bytes else {
            throw .attribute(self, name, "expected a STRING value, found none")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .attribute(self, name, "expected a UTF-8 string, found other bytes")
        }
        return text
    }

    func tensor(_ name: String) throws(ModelError) -> TensorProto? {
        guard let attribute = try typed(name, .tensor) else { return nil }
        guard let tensor = attribute.tensor else {
            throw .attribute(self, name, "expected a TENSOR value, found none")
        }
        return tensor
    }

    /// The attribute if present, after checking its declared type. Writers that leave
    /// `type` unset (UNDEFINED, from before IR version 2) are trusted on the field they set.
    private func typed(
        _ name: String, _ expected: Attribute.Kind
    ) throws(ModelError) -> Attribute? {
        guard let attribute = attribute(name) else { return nil }
        guard attribute.type == 0 || attribute.type == expected.rawValue else {
            throw .attribute(
                self, name,
                "expected type \(expected), found \(Attribute.Kind.describe(attribute.type))")
        }
        return attribute
    }
}
