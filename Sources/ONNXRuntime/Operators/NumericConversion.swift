#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C conversions onnxruntime's Cast and OneHotEncoder perform, reproduced so that
/// results match it on x86-64 Linux, where the service runs and the golden files are made.
enum NumericConversion {
    /// C++ `static_cast<int64_t>` of a float or double: truncation toward zero. Out of range
    /// and NaN are undefined in C++; x86-64's cvttsd2si yields INT64_MIN for them.
    static func truncated(_ value: Double) -> Int64 {
        guard value.isFinite, value > -9.3e18, value < 9.3e18,
            let exact = Int64(exactly: value.rounded(.towardZero))
        else { return .min }
        return exact
    }

    /// C++ `static_cast<int32_t>` of a float or double, as `truncated` but into int32's
    /// range: out of range and NaN give INT32_MIN (x86-64's cvttss2si / cvttsd2si).
    static func truncated32(_ value: Double) -> Int64 {
        guard value.isFinite, let exact = Int32(exactly: value.rounded(.towardZero)) else {
            return Int64(Int32.min)
        }
        return Int64(exact)
    }

    /// std::stod: leading white space skipped, the longest valid prefix read (decimal,
    /// hexadecimal, inf, nan), nil when nothing converts or the value is out of range.
    static func parseDouble(_ text: String) -> Double? {
        text.withCString { start in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtod(start, &end)
            guard let end, end != UnsafeMutablePointer(mutating: start), errno != ERANGE else {
                return nil
            }
            return value
        }
    }

    /// std::stoll in base 10: white space, an optional sign, then digits; nil when there
    /// are no digits or the value overflows.
    static func parseInt64(_ text: String) -> Int64? {
        text.withCString { start in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtoll(start, &end, 10)
            guard let end, end != UnsafeMutablePointer(mutating: start), errno != ERANGE else {
                return nil
            }
            return Int64(value)
        }
    }

    /// std::stoull in base 10, which accepts a minus sign and negates modulo 2⁶⁴.
    static func parseUInt64(_ text: String) -> UInt64? {
        text.withCString { start in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtoull(start, &end, 10)
            guard let end, end != UnsafeMutablePointer(mutating: start), errno != ERANGE else {
                return nil
            }
            return UInt64(value)
        }
    }

    /// onnxruntime's float-to-string: "NaN", "INF", "-INF", otherwise printf's "%.8g".
    static func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-INF" : "INF" }
        var buffer = [CChar](repeating: 0, count: 48)
        let length = withVaList([value]) { arguments in
            vsnprintf(&buffer, buffer.count, "%.8g", arguments)
        }
        return String(
            decoding: buffer[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
