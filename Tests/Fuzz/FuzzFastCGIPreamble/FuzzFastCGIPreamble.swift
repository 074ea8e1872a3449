import FastCGIProtocol

/// libFuzzer entry point for the check the connection gate makes before libfcgi reads a
/// connection: any bytes get a verdict without trapping, and the verdict is consistent over
/// the bytes as they arrive. Every prefix of an accepted preamble is `incomplete` or
/// `complete` (never refused), and once a prefix is complete every longer one is too: what
/// the gate decided on the bytes it had holds whatever arrives after them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let whole = FastCGIPreamble.inspect(bytes)
    guard whole == .complete else { return 0 }
    var completed = false
    for end in 0...size {
        let verdict = FastCGIPreamble.inspect(UnsafeRawBufferPointer(rebasing: bytes[..<end]))
        switch verdict {
        case .complete: completed = true
        case .incomplete: precondition(!completed, "complete at a shorter prefix, not at \(end)")
        case .refused(let reason): preconditionFailure("prefix of \(end) bytes refused: \(reason)")
        }
    }
    return 0
}
