import Testing

@testable import ONNXRuntime

/// Loads `bytes` and records an issue unless the load is refused with `kind` and a message
/// holding every one of `fragments` (the node, the attribute, what was expected and found).
func expectLoadRefusal(
    _ bytes: [UInt8], _ kind: ModelError.Kind, mentioning fragments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try InferenceModel(onnx: bytes)
        Issue.record("expected a \(kind) refusal, the model loaded", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(
                error.message.contains(fragment), "'\(fragment)' not in: \(error)",
                sourceLocation: sourceLocation)
        }
    }
}
