/// String categories → positions, matched byte for byte.
///
/// Swift's `String` equality follows Unicode canonical equivalence ("é" precomposed equals
/// "e" + combining accent), but onnxruntime compares bytes, and a lookup must find exactly
/// what it finds. This open-addressing table hashes and compares UTF-8 bytes directly,
/// which also costs less per lookup than hashing wrapped strings through a `Dictionary`.
public struct CategoryIndex: Sendable, Equatable {
    /// All categories' bytes back to back; `starts[i]..<starts[i + 1]` is category i.
    private let bytes: [UInt8]
    private let starts: [Int]
    private let positions: [Int]
    /// Slots of the table: an index into the categories, or -1 for empty.
    private let slots: [Int32]
    private let mask: Int

    /// A repeated category maps to its last position, as in onnxruntime's std::map.
    public init(_ categories: [String]) {
        var bytes: [UInt8] = []
        var starts = [0]
        var positions: [Int] = []
        var capacity = 8
        while capacity < categories.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (position, category) in categories.enumerated() {
            let utf8 = Array(category.utf8)
            var slot = Self.hash(utf8[...]) & (capacity - 1)
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                if bytes[starts[entry]..<starts[entry + 1]].elementsEqual(utf8) { break }
                slot = (slot + 1) & (capacity - 1)
            }
            if slots[slot] >= 0 {
                positions[Int(slots[slot])] = position
            } else {
                slots[slot] = Int32(positions.count)
                bytes += utf8
                starts.append(bytes.count)
                positions.append(position)
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.positions = positions
        self.slots = slots
        mask = capacity - 1
    }

    /// The position of `value`, or nil when it is not a category.
    public func position(of value: String) -> Int? {
        var value = value
        return value.withUTF8 { position(of: $0) }
    }

    /// The position of the category spelled by `utf8`, or nil when it is not one.
    public func position(of utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { bytes in
            var slot = Self.hash(utf8) & mask
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                let start = starts[entry]
                let count = starts[entry + 1] - start
                if count == utf8.count,
                    count == 0 || memoryEqual(bytes.baseAddress! + start, utf8.baseAddress!, count)
                {
                    return positions[entry]
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// FNV-1a: short category names hash in a few instructions per byte.
    private static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}

@inline(__always)
private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool
{
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}
