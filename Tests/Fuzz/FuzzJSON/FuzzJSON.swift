import PredictService

/// libFuzzer entry point for the JSON parser: any bytes either parse or throw
/// `malformed_json`, and a parsed document written back out by `JSONWriter` parses again to
/// the same value (a round trip), unless it holds a number that overflowed a double.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    guard isFinite(value) else { return 0 }
    var writer = JSONWriter()
    writer.value(value)
    let again: JSONValue
    do {
        again = try JSONParser.parse(writer.bytes)
    } catch {
        fatalError("JSONWriter wrote what JSONParser refuses: \(error)")
    }
    precondition(again == value, "the round trip through JSONWriter changed the value")
    return 0
}

private func isFinite(_ value: JSONValue) -> Bool {
    switch value {
    case .number(let number): number.isFinite
    case .array(let elements): elements.allSatisfy(isFinite)
    case .object(let members): members.allSatisfy { isFinite($0.value) }
    case .null, .bool, .string: true
    }
}
