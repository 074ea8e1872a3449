import Testing

@testable import ONNXRuntime

@Suite("Protobuf reader")
struct ProtobufReaderTests {
    @Test("reads a negative int64 from its ten-byte varint")
    func readsNegativeVarint() throws {
        var writer = ProtoWriter()
        writer.varint(UInt64(bitPattern: -2))
        #expect(writer.bytes.count == 10)
        var reader = ProtobufReader(writer.bytes, message: "test")
        #expect(try reader.readInt64() == -2)
        #expect(reader.isAtEnd)
    }

    @Test("reads repeated scalars packed and unpacked alike")
    func readsPackedAndUnpacked() throws {
        var packed = ProtoWriter()
        packed.packedInts(8, [1, -1, 300])
        var unpacked = ProtoWriter()
        for value: Int64 in [1, -1, 300] { unpacked.int(8, value) }
        for writer in [packed, unpacked] {
            var message = ProtoWriter()
            message.string(1, "a")
            message.bytes += writer.bytes
            var reader = ProtobufReader(message.bytes, message: "AttributeProto")
            #expect(try Attribute(&reader).ints == [1, -1, 300])
        }
    }

    @Test("decodes raw_data little-endian")
    func decodesRawData() throws {
        var writer = ProtoWriter()
        writer.packedInts(1, [2])
        writer.int(2, ONNX.float)
        writer.data(9, [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
        var reader = ProtobufReader(writer.bytes, message: "TensorProto")
        let tensor = try TensorProto(&reader).tensor(context: "test")
        #expect(tensor == Tensor(shape: [2], storage: .float([1, -2])))
    }

    @Test("skips fields it does not know")
    func skipsUnknownFields() throws {
        var writer = ProtoWriter()
        writer.string(3, "name")
        writer.int(99, 5)
        writer.float(98, 1)
        writer.string(97, "ignored")
        writer.string(4, "Identity")
        var reader = ProtobufReader(writer.bytes, message: "NodeProto")
        let node = try Node(&reader)
        #expect(node.name == "name" && node.opType == "Identity")
    }

    @Test("reports truncated input as an error, at every cut")
    func reportsTruncation() {
        var spec = TreeSpec()
        spec.postTransform = "LOGISTIC"
        let bytes = spec.modelBytes
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            #expect(throws: ModelError.self) {
                _ = try InferenceModel(onnx: Array(bytes.prefix(cut)))
            }
        }
    }

    @Test("reports a length that overruns the message")
    func reportsOverrun() {
        var reader = ProtobufReader([0x0A, 0x05, 0x01], message: "test")
        #expect(throws: ModelError.self) {
            _ = try reader.readTag()
            _ = try reader.readBytes()
        }
    }
}
