/// The parts of onnx.proto's ModelProto this runtime reads. Field numbers are onnx.proto's;
/// unknown fields are skipped, as protobuf requires.
struct ModelProto {
    var irVersion: Int64?
    var opsetImports: [(domain: String, version: Int64)] = []
    var producerName = ""
    var producerVersion = ""
    var graph: GraphProto?

    init(bytes: [UInt8]) throws(ModelError) {
        var reader = ProtobufReader(bytes, message: "ModelProto")
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .varint): irVersion = try reader.readInt64()
            case (2, .lengthDelimited): producerName = try reader.readString()
            case (3, .lengthDelimited): producerVersion = try reader.readString()
            case (7, .lengthDelimited):
                var message = try reader.readMessage("GraphProto")
                graph = try GraphProto(&message)
            case (8, .lengthDelimited):
                var message = try reader.readMessage("OperatorSetIdProto")
                opsetImports.append(try Self.readOpset(&message))
            default: try reader.skip(wireType, field: field)
            }
        }
    }

    /// OperatorSetIdProto: domain (1) and version (2).
    private static func readOpset(
        _ reader: inout ProtobufReader
    ) throws(ModelError) -> (domain: String, version: Int64) {
        var domain = ""
        var version: Int64 = 0
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, .lengthDelimited): domain = try reader.readString()
            case (2, .varint): version = try reader.readInt64()
            default: try reader.skip(wireType, field: field)
            }
        }
        return (domain, version)
    }
}
