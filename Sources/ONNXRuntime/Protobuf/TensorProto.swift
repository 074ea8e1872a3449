/// TensorProto: an initializer or a tensor-valued attribute.
struct TensorProto: Sendable {
    var name = ""
    var dims: [Int64] = []
    var dataType: Int32 = 0
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    var stringData: [[UInt8]] = []
    var rawData: [UInt8]?
    /// data_location EXTERNAL or external_data entries: the values live in another file.
    var isExternal = false
    /// A segment of a larger tensor split across several protos.
    var isSegment = false

    init(_ reader: inout ProtobufReader) throws(ModelError) {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readTag()
            switch (field, wireType) {
            case (1, _):
                try reader.readRepeated(wireType, field: field, into: &dims) {
                    r throws(ModelError) in try r.readInt64()
                }
            case (2, .varint): dataType = Int32(truncatingIfNeeded: try reader.readInt64())
            case (3, .lengthDelimited):
                isSegment = true
                _ = try reader.readBytes()
            case (4, _):
                try reader.readRepeated(wireType, field: field, into: &floatData) {
                    r throws(ModelError) in try r.readFloat()
                }
            case (5, _):
                // int32 values travel as sign-extended varints, so Int64 holds them exactly.
                try reader.readRepeated(wireType, field: field, into: &int32Data) {
                    r throws(ModelError) in try r.readInt64()
                }
            case (6, .lengthDelimited): stringData.append(Array(try reader.readBytes()))
            case (7, _):
                try reader.readRepeated(wireType, field: field, into: &int64Data) {
                    r throws(ModelError) in try r.readInt64()
                }
            case (8, .lengthDelimited): name = try reader.readString()
            case (9, .lengthDelimited): rawData = Array(try reader.readBytes())
            case (10, _):
                try reader.readRepeated(wireType, field: field, into: &doubleData) {
                    r throws(ModelError) in try r.readDouble()
                }
            case (13, .lengthDelimited):
                isExternal = true
                _ = try reader.readBytes()
            case (14, .varint):
                let location = try reader.readInt64()
                isExternal = isExternal || location == 1
            default: try reader.skip(wireType, field: field)
            }
        }
    }

    /// The tensor's values; raw_data is little-endian, as onnx.proto specifies. `context`
    /// says where the tensor sits, for messages ("initializer 'shape'").
    func tensor(context: String) throws(ModelError) -> Tensor {
        guard !isExternal else {
            throw ModelError(
                .unsupportedType,
                "\(context): expected the values inside the model, found external data")
        }
        guard !isSegment else {
            throw ModelError(
                .unsupportedType, "\(context): expected a whole tensor, found a segment")
        }
        guard let type = ElementType(rawValue: dataType), type.isStorable else {
            throw ModelError(
                .unsupportedType,
                "\(context): expected float, double, int64, int32, string or bool values, "
                    + "found \(ElementType.describe(dataType))")
        }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard dim >= 0, dim <= Int32.max else {
                throw .malformed("\(context): expected dimensions from 0 to 2³¹-1, found \(dim)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
            guard !overflow else { throw .malformed("\(context): shape \(dims) is too large") }
            shape.append(Int(dim))
            count = product
        }
        let storage: Tensor.Storage
        switch type {
        case .float:
            storage = .float(
                try values(rawData, floatData, width: 4, context) {
                    Float(bitPattern: UInt32(truncatingIfNeeded: $0))
                })
        case .double:
            storage = .double(
                try values(rawData, doubleData, width: 8, context) { Double(bitPattern: $0) })
        case .int64:
            storage = .int64(
                try values(rawData, int64Data, width: 8, context) { Int64(bitPattern: $0) })
        case .int32:
            storage = .int64(
                try values(rawData, int32Data, width: 4, context) {
                    Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: $0)))
                })
        case .bool:
            storage = .bool(
                try values(rawData, int32Data.map { $0 != 0 }, width: 1, context) { $0 != 0 })
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(stringData.count)
            for (index, data) in stringData.enumerated() {
                guard let text = String(validating: data, as: UTF8.self) else {
                    throw .malformed("\(context): string element \(index) is not valid UTF-8")
                }
                strings.append(text)
            }
            storage = .string(strings)
        case .uint8, .int8:
            preconditionFailure("isStorable excludes \(type)")
        }
        let tensor = Tensor(unchecked: shape, storage)
        guard tensor.count == count else {
            throw .malformed(
                "\(context): shape \(shape) needs \(count) values, found \(tensor.count)")
        }
        return tensor
    }

    private func values<T>(
        _ raw: [UInt8]?, _ typed: [T], width: Int, _ context: String, _ convert: (UInt64) -> T
    ) throws(ModelError) -> [T] {
        guard let raw else { return typed }
        guard raw.count % width == 0 else {
            throw .malformed(
                "\(context): expected raw_data in whole \(width)-byte elements, "
                    + "found \(raw.count) bytes")
        }
        var result: [T] = []
        result.reserveCapacity(raw.count / width)
        var offset = 0
        while offset < raw.count {
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(raw[offset + byte]) << (8 * byte) }
            result.append(convert(bits))
            offset += width
        }
        return result
    }
}
