/// RFC 8259's number grammar and the Double a number denotes, shared by `JSONParser` and
/// the row path so that both read every number to the same value.
enum JSONNumber {
    /// Where a number token breaks the grammar.
    enum Failure: Error {
        case noDigits
        case leadingZero
        case noFractionDigits
        case noExponentDigits

        var message: String {
            switch self {
            case .noDigits: "a number needs digits"
            case .leadingZero: "a number may not have leading zeros"
            case .noFractionDigits: "a number needs digits after '.'"
            case .noExponentDigits: "a number needs digits in its exponent"
            }
        }
    }

    /// Scans the number token starting at `index` (a '-' or a digit) and returns its value;
    /// `index` ends after the token, or where the grammar broke.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int
    ) throws(Failure) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw .noDigits }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw .leadingZero }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw .noFractionDigits }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count,
            bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
        {
            isInteger = false
            index += 1
            if index < bytes.count,
                bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw .noExponentDigits }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return value(UnsafeBufferPointer(rebasing: bytes[start..<index]), isInteger: isInteger)
    }

    private static func value(_ token: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Double {
        // Integers of up to 15 digits are exact in a Double; skip the string round trip.
        if isInteger && token.count <= 16 {
            var magnitude: Int64 = 0
            for byte in token where byte != UInt8(ascii: "-") {
                magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            if magnitude < 1 << 53 {
                return token.first == UInt8(ascii: "-") ? -Double(magnitude) : Double(magnitude)
            }
        }
        // The grammar admits only what Double's parser accepts, so this cannot fail; values
        // too large for a Double come back as ±infinity and are refused by callers.
        return Double(String(decoding: token, as: UTF8.self)) ?? .nan
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
