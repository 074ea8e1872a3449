extension Node {
    func attribute(_ name: String) -> Attribute? {
        attributes.first { $0.name == name }
    }

    func int(_ name: String, default value: Int64? = nil) throws(ModelError) -> Int64 {
        if let attribute = attribute(name) {
            guard let int = attribute.int else { throw .attribute(self, name, "expected an int") }
            return int
        }
        guard let value else { throw .attribute(self, name, "is required") }
        return value
    }

    func ints(_ name: String, required: Bool = false) throws(ModelError) -> [Int64] {
        guard let attribute = attribute(name) else {
            if required { throw .attribute(self, name, "is required") }
            return []
        }
        return attribute.ints
    }

    func floats(_ name: String, required: Bool = false) throws(ModelError) -> [Float] {
        guard let attribute = attribute(name) else {
            if required { throw .attribute(self, name, "is required") }
            return []
        }
        return attribute.floats
    }

    func strings(_ name: String) throws(ModelError) -> [String] {
        guard let attribute = attribute(name) else { return [] }
        var result: [String] = []
        for bytes in attribute.strings {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .attribute(self, name, "holds a string that is not UTF-8")
            }
            result.append(text)
        }
        return result
    }

    func string(_ name: String, default value: String? = nil) throws(ModelError) -> String {
        if let attribute = attribute(name) {
            guard let bytes = attribute.bytes, let text = String(validating: bytes, as: UTF8.self)
            else { throw .attribute(self, name, "expected a string") }
            return text
        }
        guard let value else { throw .attribute(self, name, "is required") }
        return value
    }
}
