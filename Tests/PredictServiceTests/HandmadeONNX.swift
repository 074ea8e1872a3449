/// ONNX models written field by field (onnx.proto's numbers), for graphs that no exporter of
/// the fixtures writes.
enum HandmadeONNX {
    /// `input` float [1, 2] → LinearClassifier (classes 0 and 1, softmax) → `label` int64
    /// [N] and `probabilities` float [N, 2]: an export whose batch was fixed at one row
    /// (`FloatTensorType([1, 2])`). It loads and answers one instance; the runtime refuses a
    /// feed of two rows as `invalidInput`.
    static func fixedBatchClassifier() -> [UInt8] {
        var classifier = Message()
        classifier.string(1, "input")
        classifier.string(2, "label")
        classifier.string(2, "probabilities")
        classifier.string(3, "classifier")
        classifier.string(4, "LinearClassifier")
        classifier.message(5, attribute("classlabels_ints", ints: [0, 1]))
        classifier.message(5, attribute("coefficients", floats: [1, -1, -1, 1]))
        classifier.message(5, attribute("intercepts", floats: [0, 0]))
        classifier.message(5, attribute("post_transform", string: "SOFTMAX"))
        classifier.string(7, "ai.onnx.ml")

        var graph = Message()
        graph.message(1, classifier)
        graph.string(2, "fixed_batch")
        graph.message(11, tensorValue("input", elementType: 1, dims: [1, 2]))
        graph.message(12, tensorValue("label", elementType: 7, dims: [nil]))
        graph.message(12, tensorValue("probabilities", elementType: 1, dims: [nil, 2]))

        var model = Message()
        model.int(1, 8)
        model.string(2, "tests")
        model.message(7, graph)
        for (domain, version) in [("", 17), ("ai.onnx.ml", 3)] as [(String, Int64)] {
            var opset = Message()
            opset.string(1, domain)
            opset.int(2, version)
            model.message(8, opset)
        }
        return model.bytes
    }

    /// AttributeProto: name 1, s 4, floats 7, ints 8, type 20 (FLOATS 6, INTS 7, STRING 3).
    private static func attribute(_ name: String, ints: [Int64]) -> Message {
        var attribute = Message()
        attribute.string(1, name)
        var packed = Message()
        for value in ints { packed.varint(UInt64(bitPattern: value)) }
        attribute.data(8, packed.bytes)
        attribute.int(20, 7)
        return attribute
    }

    private static func attribute(_ name: String, floats: [Float]) -> Message {
        var attribute = Message()
        attribute.string(1, name)
        var packed: [UInt8] = []
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { packed += $0 } }
        attribute.data(7, packed)
        attribute.int(20, 6)
        return attribute
    }

    private static func attribute(_ name: String, string: String) -> Message {
        var attribute = Message()
        attribute.string(1, name)
        attribute.string(4, string)
        attribute.int(20, 3)
        return attribute
    }

    /// ValueInfoProto (name 1, type 2) of a tensor (TypeProto.tensor_type 1: elem_type 1,
    /// shape 2); a nil dimension is symbolic, "N".
    private static func tensorValue(
        _ name: String, elementType: Int64, dims: [Int64?]
    ) -> Message {
        var shape = Message()
        for dim in dims {
            var dimension = Message()
            if let dim { dimension.int(1, dim) } else { dimension.string(2, "N") }
            shape.message(1, dimension)
        }
        var tensorType = Message()
        tensorType.int(1, elementType)
        tensorType.message(2, shape)
        var type = Message()
        type.message(1, tensorType)
        var value = Message()
        value.string(1, name)
        value.message(2, type)
        return value
    }

    /// Protobuf's wire format: varint (0) and length-delimited (2) fields.
    private struct Message {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func int(_ field: Int, _ value: Int64) {
            varint(UInt64(field) << 3)
            varint(UInt64(bitPattern: value))
        }

        mutating func data(_ field: Int, _ value: [UInt8]) {
            varint(UInt64(field) << 3 | 2)
            varint(UInt64(value.count))
            bytes += value
        }

        mutating func string(_ field: Int, _ value: String) {
            data(field, Array(value.utf8))
        }

        mutating func message(_ field: Int, _ value: Message) {
            data(field, value.bytes)
        }
    }
}
