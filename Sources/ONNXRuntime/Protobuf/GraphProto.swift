/// GraphProto: the nodes, initializers and declared inputs and outputs of a model.
struct GraphProto: Sendable {
    var nodes: [Node] = []
    var initializers: [TensorProto] = []
    var inputs: [ValueInfoProto] = []
    var outputs: [ValueInfoProto] = []
    /// Sparse initializers (field 15) define values this runtime cannot hold.
    var sparseInitializerCount = 0

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                var message = try reader.readMessage("NodeProto")
                nodes.append(try Node(&message))
            case (5, .lengthDelimited):
                var message = try reader.readMessage("TensorProto")
                initializers.append(try TensorProto(&message))
            case (11, .lengthDelimited):
                var message = try reader.readMessage("ValueInfoProto")
                inputs.append(try ValueInfoProto(&message))
            case (12, .lengthDelimited):
                var message = try reader.readMessage("ValueInfoProto")
                outputs.append(try ValueInfoProto(&message))
            case (15, .lengthDelimited):
                _ = try reader.readBytes()
                sparseInitializerCount += 1
            default: try reader.skip(wireType, field: field)
            }
        }
    }
}
