/// A bounds-checked reader of the protobuf wire format over a byte range.
///
/// Only what ONNX files use: varints, 32- and 64-bit fixed values and length-delimited
/// fields. Every read checks the bounds, so truncated or hostile input ends in a
/// `malformedProtobuf` error naming the message, the field and the byte offset, never in
/// a crash.
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
    /// The field whose value is being read, for error messages; 0 before the first tag.
    private var field = 0

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
        let start = index
        field = 0
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)), key >> 3 > 0, key >> 3 < 1 << 29
        else {
            throw .malformed(
                "\(message): expected a field key at byte \(start), found \(key) "
                    + "(field \(key >> 3), wire type \(key & 7))")
        }
        field = Int(key >> 3)
        return (field, wireType)
    }

    mutating func readVarint() throws(ModelError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw failure("a varint runs past the end") }
            let byte = bytes[index]
            index += 1
            // The tenth byte may only carry the top bit of a 64-bit value.
            guard shift < 63 || (shift == 63 && byte <= 1) else {
                throw failure("a varint is longer than 10 bytes or exceeds 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readInt64() throws(ModelError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    mutating func readFixed32() throws(ModelError) -> UInt32 {
        guard end - index >= 4 else {
            throw failure("expected 4 bytes of a 32-bit value, found \(end - index)")
        }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * offset) }
        index += 4
        return value
    }

    mutating func readFixed64() throws(ModelError) -> UInt64 {
        guard end - index >= 8 else {
            throw failure("expected 8 bytes of a 64-bit value, found \(end - index)")
        }
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
            throw failure("a length of \(length) bytes overruns the \(end - index) bytes left")
        }
        let slice = bytes[index..<index + Int(length)]
        index += Int(length)
        return slice
    }

    mutating func readString() throws(ModelError) -> String {
        let slice = try readBytes()
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw failure("expected a UTF-8 string, found other bytes")
        }
        return text
    }

    /// A reader over an embedded message, sharing the buffer.
    mutating func readMessage(_ name: String) throws(ModelError) -> ProtobufReader {
        let slice = try readBytes()
        return ProtobufReader(bytes, range: slice.startIndex..<slice.endIndex, message: name)
    }

    /// Appends a repeated scalar, which writers may send packed (one length-delimited run)
    /// or as one tagged value per element; protobuf requires accepting both.
    mutating func readRepeated<T>(
        _ wireType: WireType, field: Int, into values: inout [T],
        _ readOne: (inout ProtobufReader) throws(ModelError) -> T
    ) throws(ModelError) {
        guard wireType == .lengthDelimited else {
            values.append(try readOne(&self))
            return
        }
        var packed = try readMessage(message)
        packed.field = field
        while !packed.isAtEnd { values.append(try readOne(&packed)) }
    }

    /// Skips a field this runtime does not read.
    mutating func skip(_ wireType: WireType, field: Int) throws(ModelError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readBytes()
        case .startGroup, .endGroup:
            throw failure("expected a field value, found a protobuf group (deprecated)")
        }
    }

    private func failure(_ detail: String) -> ModelError {
        let location = field == 0 ? "" : " field \(field)"
        return .malformed("\(message)\(location) at byte \(index): \(detail)")
    }
}
