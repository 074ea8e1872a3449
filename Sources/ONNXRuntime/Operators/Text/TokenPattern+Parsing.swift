extension TokenPattern {
    /// Why a pattern is refused: RE2 would not compile it, or it needs a construct (anchor,
    /// word boundary, flag, Unicode class) this runtime does not reproduce.
    struct Refusal: Error {
        let reason: String
    }

    /// RE2's limit on `{n,m}`.
    static let maxRepeat = 1000

    indirect enum Syntax {
        case set(ScalarSet)
        case sequence([Syntax])
        case either([Syntax])
        case repeating(Syntax, min: Int, max: Int?)

        /// The search a pattern of this shape needs: one class, or one class repeated
        /// without bound from once, need no automaton.
        var search: Search {
            switch self {
            case .set(let set): .one(set)
            case .repeating(.set(let set), min: 1, max: nil): .run(set)
            case .sequence(let items) where items.count == 1: items[0].search
            case .either(let items) where items.count == 1: items[0].search
            default: .automaton
            }
        }

        /// Whether it can match the empty string.
        var matchesEmpty: Bool {
            switch self {
            case .set: false
            case .sequence(let items): items.allSatisfy(\.matchesEmpty)
            case .either(let items): items.contains(where: \.matchesEmpty)
            case .repeating(let item, let min, _): min == 0 || item.matchesEmpty
            }
        }
    }

    init(_ pattern: String) throws(Refusal) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let syntax = try parser.alternation()
        if parser.position < parser.scalars.count {
            throw Refusal(reason: "unmatched ')' at offset \(parser.position)")
        }
        var program: [Instruction] = []
        Self.emit(syntax, into: &program)
        program.append(.accept)
        self.init(program: program, matchesEmpty: syntax.matchesEmpty, search: syntax.search)
    }

    private static func emit(_ syntax: Syntax, into program: inout [Instruction]) {
        switch syntax {
        case .set(let set): program.append(.scalar(set))
        case .sequence(let items): for item in items { emit(item, into: &program) }
        case .either(let items):
            var jumps: [Int] = []
            for (index, item) in items.enumerated() {
                if index == items.count - 1 {
                    emit(item, into: &program)
                    break
                }
                let split = program.count
                program.append(.split(split + 1, 0))
                emit(item, into: &program)
                jumps.append(program.count)
                program.append(.jump(0))
                program[split] = .split(split + 1, program.count)
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeating(let item, let min, let max):
            for _ in 0..<min { emit(item, into: &program) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, 0))
                    emit(item, into: &program)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                program.append(.split(loop + 1, 0))
                emit(item, into: &program)
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        private mutating func take() -> Unicode.Scalar? {
            guard let scalar = peek else { return nil }
            position += 1
            return scalar
        }

        mutating func alternation() throws(Refusal) -> Syntax {
            var branches = [try sequence()]
            while peek == "|" {
                position += 1
                branches.append(try sequence())
            }
            return branches.count == 1 ? branches[0] : .either(branches)
        }

        private mutating func sequence() throws(Refusal) -> Syntax {
            var items: [Syntax] = []
            while let scalar = peek, scalar != "|", scalar != ")" {
                var item = try atom()
                var repeated = false
                while let bounds = try quantifier() {
                    if repeated {
                        throw Refusal(reason: "bad repetition operator at offset \(position)")
                    }
                    repeated = true
                    item = .repeating(item, min: bounds.min, max: bounds.max)
                    if peek == "?" { position += 1 }  // non-greedy: the same in longest-match mode
                }
                items.append(item)
            }
            return items.count == 1 ? items[0] : .sequence(items)
        }

        /// `*`, `+`, `?` or a well-formed `{n}`, `{n,}`, `{n,m}`; anything else is not one.
        private mutating func quantifier() throws(Refusal) -> (min: Int, max: Int?)? {
            switch peek {
            case "*": position += 1; return (0, nil)
            case "+": position += 1; return (1, nil)
            case "?": position += 1; return (0, 1)
            case "{":
                let start = position
                position += 1
                guard let low = number() else {
                    position = start
                    return nil
                }
                var high: Int? = low
                if peek == "," {
                    position += 1
                    high = number()
                }
                guard take() == "}" else {
                    position = start
                    return nil
                }
                if low > TokenPattern.maxRepeat || (high ?? 0) > TokenPattern.maxRepeat
                    || high.map({ $0 < low }) ?? false
                {
                    throw Refusal(reason: "bad repetition operator at offset \(start)")
                }
                return (low, high)
            default: return nil
            }
        }

        private mutating func number() -> Int? {
            var digits = ""
            while let scalar = peek, ("0"..."9").contains(scalar), digits.count < 5 {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            return Int(digits)
        }

        private mutating func atom() throws(Refusal) -> Syntax {
            let offset = position
            guard let scalar = take() else { throw Refusal(reason: "unexpected end") }
            switch scalar {
            case "*", "+", "?":
                throw Refusal(reason: "missing argument to repetition operator at offset \(offset)")
            case "(":
                if peek == "?" {
                    position += 1
                    if peek == ":" {
                        position += 1
                    } else {
                        throw Refusal(
                            reason:
                                "flags and named groups ('(?') are not supported, at offset \(offset)"
                        )
                    }
                }
                let inner = try alternation()
                guard take() == ")" else {
                    throw Refusal(reason: "missing ')' for offset \(offset)")
                }
                return inner
            case "[": return .set(try bracket())
            case ".": return .set(.anyButNewline)
            case "^", "$":
                throw Refusal(reason: "anchor '\(scalar)' is not supported, at offset \(offset)")
            case "\\": return .set(try escape(inClass: false))
            default: return .set(.scalar(scalar.value))
            }
        }

        private mutating func bracket() throws(Refusal) -> ScalarSet {
            let offset = position - 1
            let negated = peek == "^"
            if negated { position += 1 }
            var set = ScalarSet([])
            var first = true
            while true {
                guard let scalar = take() else {
                    throw Refusal(reason: "missing ] for offset \(offset)")
                }
                if scalar == "]" && !first { break }
                first = false
                if scalar == "[" && peek == ":" {
                    throw Refusal(
                        reason: "POSIX classes ('[:') are not supported, at offset \(position - 1)")
                }
                let low: ScalarSet
                if scalar == "\\" {
                    low = try escape(inClass: true)
                } else {
                    low = .scalar(scalar.value)
                }
                if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                    position += 1
                    let upperScalar = take()!
                    let high =
                        upperScalar == "\\" ? try escape(inClass: true) : .scalar(upperScalar.value)
                    guard low.ranges.count == 1, high.ranges.count == 1,
                        low.ranges[0].count == 1, high.ranges[0].count == 1,
                        low.ranges[0].lowerBound <= high.ranges[0].lowerBound
                    else {
                        throw Refusal(reason: "bad character class range at offset \(position)")
                    }
                    set = set.union(
                        ScalarSet([low.ranges[0].lowerBound...high.ranges[0].lowerBound]))
                } else {
                    set = set.union(low)
                }
            }
            return negated ? set.inverted : set
        }

        private mutating func escape(inClass: Bool) throws(Refusal) -> ScalarSet {
            let offset = position - 1
            guard let scalar = take() else { throw Refusal(reason: "trailing \\") }
            switch scalar {
            case "d": return .digit
            case "D": return ScalarSet.digit.inverted
            case "w": return .word
            case "W": return ScalarSet.word.inverted
            case "s": return .space
            case "S": return ScalarSet.space.inverted
            case "n": return .scalar(0x0A)
            case "t": return .scalar(0x09)
            case "r": return .scalar(0x0D)
            case "f": return .scalar(0x0C)
            case "v": return .scalar(0x0B)
            case "a": return .scalar(0x07)
            case "x": return try hexadecimal(offset)
            default:
                if scalar.isASCII && !scalar.properties.isAlphabetic
                    && !("0"..."9").contains(scalar)
                {
                    return .scalar(scalar.value)
                }
                throw Refusal(
                    reason:
                        "escape '\\\(scalar)' (word boundary, anchor, Unicode class or unknown) is not supported, at offset \(offset)"
                )
            }
        }

        private mutating func hexadecimal(_ offset: Int) throws(Refusal) -> ScalarSet {
            var digits = ""
            if peek == "{" {
                position += 1
                while let scalar = take(), scalar != "}" { digits.unicodeScalars.append(scalar) }
            } else {
                for _ in 0..<2 { if let scalar = take() { digits.unicodeScalars.append(scalar) } }
            }
            guard let value = UInt32(digits, radix: 16), value <= 0x10FFFF else {
                throw Refusal(reason: "bad \\x escape at offset \(offset)")
            }
            return .scalar(value)
        }
    }
}
