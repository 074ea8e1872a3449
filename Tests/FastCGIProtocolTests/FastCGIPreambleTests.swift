import Testing

@testable import FastCGIProtocol

/// FastCGI records as nginx writes them (FastCGI 1.0 spec, section 3): an 8-byte header
/// (version, type, request id, content length, padding length, reserved), then content and
/// padding.
private enum Wire {
    static func record(
        _ type: UInt8, id: UInt16 = 1, _ content: [UInt8], padding: UInt8 = 0, version: UInt8 = 1
    ) -> [UInt8] {
        let length = UInt16(content.count)
        return [
            version, type, UInt8(id >> 8), UInt8(id & 0xff), UInt8(length >> 8),
            UInt8(length & 0xff), padding, 0,
        ] + content + [UInt8](repeating: 0, count: Int(padding))
    }

    static func begin(role: UInt16 = 1, flags: UInt8 = 0, id: UInt16 = 1) -> [UInt8] {
        record(1, id: id, [UInt8(role >> 8), UInt8(role & 0xff), flags, 0, 0, 0, 0, 0])
    }

    /// One name-value pair: each length in one byte below 128, else four with the top bit.
    static func pair(name: [UInt8], value: [UInt8]) -> [UInt8] {
        length(name.count) + length(value.count) + name + value
    }

    static func length(_ count: Int) -> [UInt8] {
        count < 128
            ? [UInt8(count)]
            : [
                UInt8(count >> 24 | 0x80), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff),
                UInt8(count & 0xff),
            ]
    }

    /// BEGIN_REQUEST, the pairs as one PARAMS stream cut into records of `chunk` bytes, and
    /// the empty PARAMS record that ends it.
    static func preamble(_ pairs: [[UInt8]], chunk: Int = 65_535, padding: UInt8 = 0) -> [UInt8] {
        let stream = pairs.flatMap { $0 }
        var bytes = begin()
        var start = 0
        while start < stream.count {
            let end = min(start + chunk, stream.count)
            bytes += record(4, Array(stream[start..<end]), padding: padding)
            start = end
        }
        return bytes + record(4, [])
    }

    static let nginxPairs = [
        pair(name: Array("REQUEST_METHOD".utf8), value: Array("POST".utf8)),
        pair(name: Array("DOCUMENT_URI".utf8), value: Array("/predict".utf8)),
        pair(name: Array("HTTP_AUTHORIZATION".utf8), value: Array(repeating: 0x61, count: 300)),
        pair(name: Array("CONTENT_LENGTH".utf8), value: Array("512".utf8)),
    ]
}

private func verdict(_ bytes: [UInt8]) -> FastCGIPreamble.Verdict {
    bytes.withUnsafeBytes { FastCGIPreamble.inspect($0) }
}

@Suite("FastCGI preamble")
struct FastCGIPreambleTests {
    @Test("what nginx sends is complete, and every prefix of it is incomplete, not refused")
    func nginxPreamble() {
        let bytes = Wire.preamble(Wire.nginxPairs)
        #expect(verdict(bytes) == .complete)
        for end in 0..<bytes.count {
            #expect(verdict(Array(bytes[..<end])) == .incomplete, "prefix of \(end) bytes")
        }
    }

    @Test(
        "pairs split across records anywhere, with padding, are read whole",
        arguments: [1, 2, 3, 7, 100])
    func splitPairs(chunk: Int) {
        #expect(verdict(Wire.preamble(Wire.nginxPairs, chunk: chunk, padding: 3)) == .complete)
    }

    @Test("the issue's record, two lengths of 3 GiB, is refused from its first eight bytes")
    func hugeLengthsRefusedEarly() {
        let lengths: [UInt8] = [0xC0, 0, 0, 0, 0xC0, 0, 0, 0]
        // The record header declares 8 bytes of content; only they have arrived.
        let bytes = Wire.begin() + Wire.record(4, lengths)
        #expect(verdict(bytes) == .refused("parameter name too long"))
        let value = Wire.begin() + Wire.record(4, [4] + [0xC0, 0, 0, 0] + Array("NAME".utf8))
        #expect(verdict(value) == .refused("parameter value too long"))
    }

    @Test("a parameter of 64 KiB passes, one byte more is refused")
    func parameterBound() {
        let limit = FastCGIPreamble.maximumParameterBytes
        let name = Array("HTTP_X".utf8)
        let fits = Wire.preamble([
            Wire.pair(name: name, value: Array(repeating: 0x61, count: limit))
        ])
        #expect(verdict(fits) == .complete)
        let over = Wire.preamble([
            Wire.pair(name: name, value: Array(repeating: 0x61, count: limit + 1))
        ])
        #expect(verdict(over) == .refused("parameter value too long"))
    }

    @Test("names and values over 128 KiB in all are refused")
    func totalBound() {
        let big = Wire.pair(name: Array("X".utf8), value: Array(repeating: 0x61, count: 60 << 10))
        #expect(verdict(Wire.preamble([big, big])) == .complete)
        #expect(verdict(Wire.preamble([big, big, big])) == .refused("parameters too long"))
    }

    @Test(
        "anything but a RESPONDER request of FastCGI 1 without a kept connection is refused",
        arguments: [
            (Wire.record(1, [0, 1, 0, 0, 0, 0, 0, 0], version: 2), "unsupported FastCGI version"),
            (Wire.record(5, [0, 1, 0, 0, 0, 0, 0, 0]), "first record is not BEGIN_REQUEST"),
            (Wire.begin(role: 2), "role is not RESPONDER"),
            (Wire.begin(flags: 1), "FCGI_KEEP_CONN requested"),
        ])
    func refusedBeginnings(bytes: [UInt8], reason: String) {
        #expect(verdict(bytes + Wire.record(4, [])) == .refused(reason))
    }

    @Test("PARAMS of another request, or a stream that ends inside a pair, is refused")
    func refusedStreams() {
        let other = Wire.begin(id: 1) + Wire.record(4, id: 2, Wire.nginxPairs[0])
        #expect(verdict(other) == .refused("expected a PARAMS record of the same request"))
        let cut =
            Wire.begin() + Wire.record(4, Array(Wire.nginxPairs[0].dropLast())) + Wire.record(4, [])
        #expect(verdict(cut) == .refused("PARAMS ends inside a pair"))
        let stdin = Wire.begin() + Wire.record(5, Array("{}".utf8))
        #expect(verdict(stdin) == .refused("expected a PARAMS record of the same request"))
    }
}
