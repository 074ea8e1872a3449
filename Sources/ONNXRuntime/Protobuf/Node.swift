/// NodeProto: one operator application.
struct Node: Sendable {
    var name = ""
    var opType = ""
    var domain = ""
    var inputs: [String] = []
    var outputs: [String] = []
    var attributes: [Attribute] = []

    /// The domain with ai.onnx's two spellings ("" and "ai.onnx") folded into "".
    var canonicalDomain: String { domain == "ai.onnx" ? "" : domain }

    /// How the node is named in error messages: `node 'name' (domain:op_type)`, or for an
    /// unnamed node (names are optional) `node writing 'output' (domain:op_type)`.
    var label: String {
        let kind = "(\(canonicalDomain.isEmpty ? "ai.onnx" : canonicalDomain):\(opType))"
        if name.isEmpty, let output = outputs.first(where: { !$0.isEmpty }) {
            return "node writing '\(output)' \(kind)"
        }
        return "node '\(name)' \(kind)"
    }

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): inputs.append(try reader.readString())
            case (2, .lengthDelimited): outputs.append(try reader.readString())
            case (3, .lengthDelimited): name = try reader.readString()
            case (4, .lengthDelimited): opType = try reader.readString()
            case (5, .lengthDelimited):
                var message = try reader.readMessage("AttributeProto")
                attributes.append(try Attribute(&message))
            case (7, .lengthDelimited): domain = try reader.readString()
            default: try reader.skip(wireType, field: field)
            }
        }
    }
}
