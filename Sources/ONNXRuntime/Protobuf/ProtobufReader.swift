/// A bounds-checked reader of the protobuf wire format over a byte range.
///
/// Only what ONNX files use: varints, 32- and 64-bit fixed values and length-delimited
/// fields. Every read checks the bounds, so truncated or hostile input ends in an error,
/// never a crash.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    /// The message being read, for error messages.
    let message: String

    init(_ bytes: [UInt8], message: String) {
        self.init(bytes, range: 0..<bytes.count, message: message)
    }

    private init(_ bytes: [UInt8], range: Range<Int>, message: String) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
        self.message = message
    }

    var isAtEnd: Bool { index >= end }

    /// The next field's number and wire type.
    mutating func readTag() throws(ModelError) -> (field: Int, wireType: WireType) {
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)), key >> 3 > 0, key >> 3 < 1 << 29
        else {
            throw .malformed("\(message): invalid field key \(key) at byte \(index)")
        }
        return (Int(key >> 3), wireType)
    }

    mutating func readVarint() throws(ModelError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw .malformed("\(message): truncated varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw .malformed("\(message): varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readInt64() throws(ModelError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    mutating func readFixed32() throws(ModelError) -> UInt32 {
        guard end - index >= 4 else { throw .malformed("\(message): truncated 32-bit value") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * offset) }
        index += 4
        return value
    }

    mutating func readFixed64() throws(ModelError) -> UInt64 {
        guard end - index >= 8 else { throw .malformed("\(message): truncated 64-bit value") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * offset) }
        index += 8
        return value
    }

    mutating func readFloat() throws(ModelError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    mutating func readDouble() throws(ModelError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// A length-delimited field's bytes.
    mutating func readBytes() throws(ModelError) -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(end - index) else {
            throw .malformed("\(message): a field of \(length) bytes overruns the message")
        }
        let slice = bytes[index..<index + Int(length)]
        index += Int(length)
        return slice
    }

    mutating func readString() throws(ModelError) -> String {
        let slice = try readBytes()
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw .malformed("\(message): a string field is not valid UTF-8")
        }
        return text
    }

    /// A reader over an embedded message, sharing the buffer.
    mutating func readMessage(_ name: String) throws(ModelError) -> ProtobufReader {
        let slice = try readBytes()
        return ProtobufReader(bytes, range: slice.startIndex..<slice.endIndex, message: name)
    }

    /// Appends a repeated scalar that may come packed (one length-delimited run) or not.
    mutating func readRepeated<T>(
        _ wireType: WireType, into values: inout [T],
        _ readOne: (inout ProtobufReader) throws(ModelError) -> T
    ) throws(ModelError) {
        guard wireType == .lengthDelimited else {
            values.append(try readOne(&self))
            return
        }
        var packed = try readMessage(message)
        while !packed.isAtEnd { values.append(try readOne(&packed)) }
    }

    mutating func skip(_ wireType: WireType) throws(ModelError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readBytes()
        case .startGroup, .endGroup:
            throw .malformed("\(message): deprecated protobuf groups are not supported")
        }
    }
}
