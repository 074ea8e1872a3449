/// A string compared and hashed by its UTF-8 bytes, as onnxruntime's std::string keys are:
/// Swift's `==` on String would also equate canonically equivalent spellings ("é" and
/// "e" + U+0301), which onnxruntime keeps apart.
struct Utf8Key: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (left: Utf8Key, right: Utf8Key) -> Bool {
        left.text.utf8.elementsEqual(right.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if done == nil {
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }
}
