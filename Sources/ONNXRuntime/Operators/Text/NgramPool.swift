/// TfIdfVectorizer's pool as onnxruntime loads it: the n-grams of the sizes it counts in
/// a trie over token numbers, each n-gram numbered from 1 in pool order (sizes it skips
/// still take their numbers).
struct NgramPool: Sendable {
    /// The token number of each distinct pool string or integer.
    let tokenNumbers: [Utf8Key: Int]
    let integerNumbers: [Int64: Int]
    /// Per trie node: its children by token number, and its n-gram's number (0 for none).
    private(set) var children: [[Int: Int]] = [[:]]
    private(set) var ngramIDs: [Int] = [0]
    /// The root's children again, indexed by token number (0 for none: the root is no
    /// child): every position of every row starts there, so it costs no hashing.
    private(set) var rootChildren: [Int]
    /// The highest n-gram number loaded.
    private(set) var largestID = 0

    init(tokenNumbers: [Utf8Key: Int], integerNumbers: [Int64: Int]) {
        self.tokenNumbers = tokenNumbers
        self.integerNumbers = integerNumbers
        rootChildren = Array(repeating: 0, count: max(tokenNumbers.count, integerNumbers.count))
    }

    var isEmpty: Bool { children[0].isEmpty }

    /// Inserts one n-gram; false if it is already there.
    mutating func insert(_ tokens: ArraySlice<Int>, id: Int) -> Bool {
        var node = 0
        for token in tokens {
            if let child = children[node][token] {
                node = child
            } else {
                children.append([:])
                ngramIDs.append(0)
                children[node][token] = children.count - 1
                if node == 0 { rootChildren[token] = children.count - 1 }
                node = children.count - 1
            }
        }
        guard ngramIDs[node] == 0 else { return false }
        ngramIDs[node] = id
        largestID = max(largestID, id)
        return true
    }

    /// Calls `hit` with the number of every pool n-gram of `minimum`…`maximum` tokens in
    /// `row` (token numbers, -1 for tokens not in the pool), with up to `skips` tokens
    /// skipped between consecutive items, in onnxruntime's order.
    func forEachNgram(
        in row: ArraySlice<Int>, minimum: Int, maximum: Int, skips: Int, _ hit: (Int) -> Void
    ) {
        var smallest = minimum
        for distance in 1...(skips + 1) {
            var start = row.startIndex
            while start < row.endIndex {
                if start + distance * (smallest - 1) >= row.endIndex { break }
                var node = 0
                var size = 1
                var item = start
                while size <= maximum && item < row.endIndex {
                    // A token the pool lacks (a pad, say) ends the n-gram without a lookup.
                    let token = row[item]
                    guard token >= 0 else { break }
                    let next = node == 0 ? rootChildren[token] : children[node][token]
                    guard let child = next, child != 0 else { break }
                    if size >= smallest && ngramIDs[child] != 0 { hit(ngramIDs[child]) }
                    node = child
                    size += 1
                    item += distance
                }
                start += 1
            }
            // Unigrams are counted once: skipping does not change them.
            if smallest == 1 {
                smallest += 1
                if smallest > maximum { break }
            }
        }
    }
}
