import ONNXRuntime

/// libFuzzer entry point for model loading: any bytes given as an ONNX file either load into
/// an `InferenceModel` or are refused with a `ModelError`; the protobuf reader, the graph's
/// checks and every operator's load-time validation must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? InferenceModel(onnx: bytes)
    return 0
}
