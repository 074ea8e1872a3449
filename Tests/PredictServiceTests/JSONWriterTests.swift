import Testing

@testable import PredictService

@Suite("JSON writer")
struct JSONWriterTests {
    private func text(_ build: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("places commas between members and elements only")
    func placesCommas() {
        let output = text { writer in
            writer.beginObject()
            writer.key("a")
            writer.beginArray()
            writer.number(1)
            writer.number(2)
            writer.endArray()
            writer.key("b")
            writer.beginObject()
            writer.endObject()
            writer.key("c")
            writer.null()
            writer.endObject()
        }
        #expect(output == #"{"a":[1,2],"b":{},"c":null}"#)
    }

    @Test("escapes quotes, backslashes and control characters")
    func escapes() {
        let output = text { $0.string("q\"b\\n\nc\u{01}") }
        #expect(output == #""q\"b\\n\nc\u0001""#)
    }

    @Test("writes floats in their shortest round-trip form")
    func writesFloats() {
        #expect(text { $0.number(Float(0.07)) } == "0.07")
        #expect(text { $0.number(41.0 as Double) } == "41")
        #expect(text { $0.number(0.1 as Double) } == "0.1")
        #expect(text { $0.number(Double.nan) } == "null")
    }

    @Test("round-trips a parsed document")
    func roundTrips() throws {
        let source = #"{"k":["x",1.5,true,null,{"n":-3}]}"#
        let output = text { $0.value(try! JSONParser.parse(source)) }
        #expect(output == source)
    }
}
