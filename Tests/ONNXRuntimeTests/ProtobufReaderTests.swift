import Testing

@testable import ONNXRuntime

@Suite("Protobuf reader")
struct ProtobufReaderTests {
    private func tensor(_ writer: ProtoWriter) throws -> Tensor {
        var reader = ProtobufReader(writer.bytes, message: "TensorProto")
        return try TensorProto(&reader).tensor(context: "test")
    }

    @Test("reads a negative int64 from its ten-byte varint")
    func readsNegativeVarint() throws {
        var writer = ProtoWriter()
        writer.varint(UInt64(bitPattern: -2))
        #expect(writer.bytes.count == 10)
        var reader = ProtobufReader(writer.bytes, message: "test")
        #expect(try reader.readInt64() == -2)
        #expect(reader.isAtEnd)
    }

    @Test("refuses a varint longer than ten bytes")
    func refusesLongVarint() {
        var reader = ProtobufReader(Array(repeating: 0xFF, count: 11) + [0], message: "test")
        #expect(throws: ModelError.self) { try reader.readVarint() }
    }

    @Test("reads repeated scalars packed and unpacked alike")
    func readsPackedAndUnpacked() throws {
        var packed = ProtoWriter()
        packed.packedInts(8, [1, -1, 300])
        packed.packedFloats(7, [0.5, -2])
        var unpacked = ProtoWriter()
        for value: Int64 in [1, -1, 300] { unpacked.int(8, value) }
        for value: Float in [0.5, -2] { unpacked.float(7, value) }
        for writer in [packed, unpacked] {
            var message = ProtoWriter()
            message.string(1, "a")
            message.bytes += writer.bytes
            var reader = ProtobufReader(message.bytes, message: "AttributeProto")
            let attribute = try Attribute(&reader)
            #expect(attribute.ints == [1, -1, 300])
            #expect(attribute.floats == [0.5, -2])
        }
    }

    @Test("decodes raw_data little-endian for each element type")
    func decodesRawData() throws {
        func raw(_ type: Int64, _ dims: [Int64], _ bytes: [UInt8]) -> ProtoWriter {
            var writer = ProtoWriter()
            writer.packedInts(1, dims)
            writer.int(2, type)
            writer.data(9, bytes)
            return writer
        }
        #expect(
            try tensor(raw(ONNX.float, [2], [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]))
                == Tensor(shape: [2], storage: .float([1, -2])))
        #expect(
            try tensor(raw(ONNX.int64, [1], [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]))
                == Tensor(shape: [1], storage: .int64([-2])))
        #expect(
            try tensor(
                raw(ONNX.double, [1], ProtoWriter.littleEndian(Double(0.1).bitPattern, width: 8)))
                == Tensor(shape: [1], storage: .double([0.1])))
        #expect(
            try tensor(raw(ONNX.int32, [2], [0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0]))
                == Tensor(shape: [2], storage: .int64([-1, 7])))
        #expect(
            try tensor(raw(ONNX.bool, [2], [1, 0]))
                == Tensor(shape: [2], storage: .bool([true, false])))
    }

    @Test("decodes typed data fields: int32 as sign-extended varints, doubles, strings")
    func decodesTypedData() throws {
        var ints = ProtoWriter()
        ints.packedInts(1, [2])
        ints.int(2, ONNX.int32)
        ints.packedInts(5, [-3, 4])
        #expect(try tensor(ints) == Tensor(shape: [2], storage: .int64([-3, 4])))
        var doubles = ProtoWriter()
        doubles.int(1, 1)
        doubles.int(2, ONNX.double)
        doubles.double(10, 2.5)
        #expect(try tensor(doubles) == Tensor(shape: [1], storage: .double([2.5])))
        var strings = ProtoWriter()
        strings.int(1, 2)
        strings.int(2, ONNX.string)
        strings.string(6, "x")
        strings.string(6, "yz")
        #expect(try tensor(strings) == Tensor(shape: [2], storage: .string(["x", "yz"])))
    }

    @Test("refuses a tensor whose values do not fill its shape")
    func refusesShortTensor() {
        var writer = ProtoWriter()
        writer.packedInts(1, [3])
        writer.int(2, ONNX.float)
        writer.packedFloats(4, [1, 2])
        #expect { try tensor(writer) } throws: { error in
            (error as? ModelError)?.kind == .malformedProtobuf
                && "\(error)".contains("shape [3] needs 3 values, found 2")
        }
    }

    @Test("skips fields it does not know, of every wire type")
    func skipsUnknownFields() throws {
        var writer = ProtoWriter()
        writer.string(3, "name")
        writer.int(99, 5)
        writer.float(98, 1)
        writer.double(96, 1)
        writer.string(97, "ignored")
        writer.string(4, "Identity")
        var reader = ProtobufReader(writer.bytes, message: "NodeProto")
        let node = try Node(&reader)
        #expect(node.name == "name" && node.opType == "Identity")
    }

    @Test("refuses the deprecated group wire type")
    func refusesGroups() {
        var writer = ProtoWriter()
        writer.tag(9, 3)
        var reader = ProtobufReader(writer.bytes, message: "NodeProto")
        #expect { _ = try Node(&reader) } throws: { error in
            "\(error)".contains("NodeProto field 9") && "\(error)".contains("group")
        }
    }

    @Test("reports truncated input as an error, at every cut")
    func reportsTruncation() {
        let bytes = TreeSpec().modelBytes
        for cut in 1..<bytes.count {
            #expect(throws: ModelError.self) {
                _ = try InferenceModel(onnx: Array(bytes.prefix(cut)))
            }
        }
    }

    @Test("reports a length that overruns the message, naming message and field")
    func reportsOverrun() {
        var reader = ProtobufReader([0x0A, 0x05, 0x01], message: "ModelProto")
        #expect {
            _ = try reader.readTag()
            _ = try reader.readBytes()
        } throws: { error in
            "\(error)".contains("ModelProto field 1")
                && "\(error)".contains("length of 5 bytes overruns the 1 bytes left")
        }
    }

    @Test("survives random bytes and random corruptions without crashing")
    func survivesGarbage() {
        var generator = SystemRandomNumberGenerator()
        let valid = TreeSpec().modelBytes
        for round in 0..<300 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = valid
                for _ in 0..<3 {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            }
            // Either outcome is fine; the point is that neither traps.
            _ = try? InferenceModel(onnx: bytes)
        }
    }
}
