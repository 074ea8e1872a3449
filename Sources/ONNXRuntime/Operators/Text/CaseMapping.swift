/// One direction of StringNormalizer's case change as onnxruntime makes it on Linux: each
/// code point through glibc's towlower or towupper for the node's locale, one code point
/// to one (so "ß" stays "ß" and "İ" becomes "i", unlike Swift's `lowercased()`).
struct CaseMapping: Sendable {
    enum Direction: Sendable {
        case lower, upper
    }

    /// (first, count, delta, stride) runs sorted by `first`; empty for ASCII-only locales.
    private let runs: [Run]
    private let direction: Direction

    private struct Run: Sendable {
        let first: UInt32
        let last: UInt32
        let delta: Int32
        let stride: UInt32
    }

    /// The locales whose LC_CTYPE this runtime reproduces: glibc's Unicode tables (en_US
    /// and C.UTF-8 share them) or the POSIX locale's ASCII-only mapping. nil for any other.
    static func unicode(locale: String) -> Bool? {
        switch locale {
        case "en_US.UTF-8", "en_US.utf8", "C.UTF-8", "C.utf8": true
        case "C", "POSIX": false
        default: nil
        }
    }

    init(_ direction: Direction, unicode: Bool) {
        self.direction = direction
        guard unicode else {
            runs = []
            return
        }
        let table = direction == .lower ? GlibcCaseTable.lower : GlibcCaseTable.upper
        runs = Swift.stride(from: 0, to: table.count, by: 4).map { index in
            let first = UInt32(table[index])
            let stride = UInt32(table[index + 3])
            return Run(
                first: first, last: first + UInt32(table[index + 1] - 1) * stride,
                delta: table[index + 2], stride: stride)
        }
    }

    func apply(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(text.utf8)
            for index in bytes.indices { bytes[index] = ascii(bytes[index]) }
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(map(scalar)) }
        return String(scalars)
    }

    private func ascii(_ byte: UInt8) -> UInt8 {
        switch direction {
        case .lower: (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
        case .upper: (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
        }
    }

    func map(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value < 0x80 { return Unicode.Scalar(ascii(UInt8(value))) }
        // The last run starting at or before the code point.
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].first <= value { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return scalar }
        let run = runs[low - 1]
        guard value <= run.last, (value - run.first) % run.stride == 0,
            let mapped = Unicode.Scalar(UInt32(Int32(value) + run.delta))
        else { return scalar }
        return mapped
    }
}
