/// A Tokenizer `tokenexp` or separator: RE2's syntax without anchors, word boundaries,
/// flags or Unicode classes (those are refused when parsed), compiled to a Thompson NFA and
/// searched as onnxruntime runs RE2 with `longest_match`: the leftmost match, and of those
/// the longest. Classes are RE2's (ASCII `\w`, `\d`, `\s`; `.` is anything but newline).
struct TokenPattern: Sendable {
    enum Instruction: Sendable {
        case scalar(ScalarSet)
        /// Try both.
        case split(Int, Int)
        case jump(Int)
        case accept
    }

    /// How `firstMatch` searches, chosen once when the pattern is compiled: the patterns
    /// converters write are one class, alone or repeated, which need no automaton.
    enum Search: Sendable {
        /// One code point of a class (`[a-z]`; `.` alone never gets here, the Tokenizer
        /// splits into characters for it): the first member.
        case one(ScalarSet)
        /// A class once or more (`[a-zA-Z0-9_]+`, skl2onnx's word pattern): the first run
        /// of members, whole.
        case run(ScalarSet)
        /// Anything else: the NFA.
        case automaton
    }

    let program: [Instruction]
    /// Whether the empty string matches (separators must not: onnxruntime then reads past
    /// the end of the text).
    let matchesEmpty: Bool
    let search: Search

    /// The leftmost-longest match in `scalars` starting at or after `start`, as a range of
    /// indices into `scalars` (empty when the pattern matches the empty string there).
    func firstMatch(in scalars: [UInt32], from start: Int) -> Range<Int>? {
        switch search {
        case .one(let set):
            guard let first = scalars[start...].firstIndex(where: set.contains) else { return nil }
            return first..<(first + 1)
        case .run(let set):
            guard let first = scalars[start...].firstIndex(where: set.contains) else { return nil }
            let end = scalars[first...].firstIndex { !set.contains($0) } ?? scalars.count
            return first..<end
        case .automaton:
            return automatonMatch(in: scalars, from: start)
        }
    }

    /// `firstMatch` by simulating the NFA from each origin in turn.
    func automatonMatch(in scalars: [UInt32], from start: Int) -> Range<Int>? {
        var current = StateList(capacity: program.count)
        var next = StateList(capacity: program.count)
        var origin = start
        while origin <= scalars.count {
            current.clear()
            add(0, to: &current)
            var end: Int?
            var position = origin
            while !current.isEmpty {
                if current.accepts { end = position }
                guard position < scalars.count else { break }
                next.clear()
                let value = scalars[position]
                for pc in current.members {
                    if case .scalar(let set) = program[pc], set.contains(value) {
                        add(pc + 1, to: &next)
                    }
                }
                swap(&current, &next)
                position += 1
            }
            if let end { return origin..<end }
            origin += 1
        }
        return nil
    }

    /// Adds `pc` and every instruction it reaches without reading a code point.
    private func add(_ pc: Int, to list: inout StateList) {
        guard list.insert(pc) else { return }
        switch program[pc] {
        case .split(let first, let second):
            add(first, to: &list)
            add(second, to: &list)
        case .jump(let target): add(target, to: &list)
        case .accept: list.accepts = true
        case .scalar: break
        }
    }

    /// The instructions a simulation step is in: a dense list with a membership mark.
    private struct StateList {
        private var marks: [Bool]
        private(set) var members: [Int] = []
        var accepts = false

        init(capacity: Int) {
            marks = Array(repeating: false, count: capacity)
            members.reserveCapacity(capacity)
        }

        var isEmpty: Bool { members.isEmpty }

        mutating func insert(_ pc: Int) -> Bool {
            if marks[pc] { return false }
            marks[pc] = true
            members.append(pc)
            return true
        }

        mutating func clear() {
            for pc in members { marks[pc] = false }
            members.removeAll(keepingCapacity: true)
            accepts = false
        }
    }
}
