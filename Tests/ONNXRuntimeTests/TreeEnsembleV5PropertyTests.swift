import Testing

@testable import ONNXRuntime

/// Seeded random TreeEnsemble (opset 5) models, translated at load into the classifier's
/// definition and run on its Forest, compared with a plain walk of the opset-5 attributes
/// themselves: every score must be identical, not close, under every aggregate, for each
/// Forest layout, with member sets, NaN tracking, shared nodes and one-leaf trees.
@Suite("TreeEnsemble (opset 5) on the shared engine")
struct TreeEnsembleV5PropertyTests {
    struct Shape: CustomTestStringConvertible {
        var name: String
        /// One mode code for every branch, or nil for a random one per branch (6 included).
        var mode: Int64?
        var depth: Int
        var tracksMissing = false
        /// Whether some trees reach into earlier trees' nodes or are a single leaf.
        var sharing = false
        var double = false
        var expected: ForestLayoutTests.Layout

        var testDescription: String { name }
    }

    static let shapes = [
        Shape(name: "one mode, shallow", mode: 0, depth: 4, expected: .complete),
        Shape(name: "one mode, double", mode: 3, depth: 4, double: true, expected: .complete),
        Shape(
            name: "one mode, NaN tracking", mode: 1, depth: 8, tracksMissing: true,
            expected: .interleaved),
        Shape(
            name: "NEQ, NaN tracking", mode: 5, depth: 8, tracksMissing: true,
            expected: .interleaved),
        Shape(
            name: "one mode, shared nodes and one-leaf trees", mode: 2, depth: 6,
            tracksMissing: true, sharing: true, expected: .interleaved),
        Shape(
            name: "mixed modes and member sets", mode: nil, depth: 7, tracksMissing: true,
            expected: .nodeByNode),
        Shape(
            name: "mixed modes, shared nodes, double", mode: nil, depth: 6, tracksMissing: true,
            sharing: true, double: true, expected: .nodeByNode),
    ]

    static let thresholds: [Double] = [-1, 0, 0.5, 1, 2, 3, 30, 0.1]
    static let weights: [Double] = [-2, -0.5, 0.25, 1, 3, 0.1, -0.0, 1e-8, 0.3, 7, .nan]
    /// Unrolled by onnxruntime (fewer than 31 members within 0...30) or kept whole.
    static let smallMembers: [Double] = [0, 1, 2, 3, 4, 0.5, 30, 7]
    static let largeMembers: [Double] = [3, 40, 100, -5, -2_147_483_648, 0, 1, 2]

    static func pick<T>(_ values: [T], _ random: inout ForestLayoutTests.Seeded) -> T {
        values[Int(random.next() % UInt64(values.count))]
    }

    /// Random trees over 4 features and 3 targets, up to `shape.depth` levels deep.
    static func ensemble(
        _ shape: Shape, aggregate: Int64, _ random: inout ForestLayoutTests.Seeded
    ) -> TreeV5Spec {
        var spec = TreeV5Spec()
        spec.width = 4
        spec.targets = 3
        spec.aggregate = aggregate
        spec.postTransform = 0
        spec.inputType = shape.double ? ONNX.double : ONNX.float
        for field in [
            \TreeV5Spec.roots, \.features, \.modes, \.trueIDs, \.trueLeafs, \.falseIDs,
            \.falseLeafs, \.leafTargets,
        ] {
            spec[keyPath: field] = []
        }
        spec.splits = []
        spec.leafWeights = []
        var missing: [Int64] = []
        var members: [Double] = []
        // Branches of finished trees, which later trees may reach into.
        var finished: [Int64] = []

        func leaf(_ random: inout ForestLayoutTests.Seeded) -> Int64 {
            spec.leafTargets.append(Int64(random.next() % 3))
            spec.leafWeights.append(pick(weights, &random))
            return Int64(spec.leafTargets.count - 1)
        }
        func branch(mode: Int64, _ random: inout ForestLayoutTests.Seeded) -> Int {
            spec.features.append(Int64(random.next() % 4))
            spec.splits.append(pick(thresholds, &random))
            spec.modes.append(mode)
            missing.append(random.next() % 3 == 0 ? 1 : 0)
            for field in [\TreeV5Spec.trueIDs, \.trueLeafs, \.falseIDs, \.falseLeafs] {
                spec[keyPath: field].append(0)
            }
            if mode == 6 {
                let pool = random.next() % 2 == 0 ? smallMembers : largeMembers
                members += (0...(random.next() % 4)).map { _ in pick(pool, &random) }
                members.append(.nan)
            }
            return spec.features.count - 1
        }
        // (branch, level); its children are chosen when it is popped.
        for _ in 0..<12 {
            if shape.sharing, random.next() % 5 == 0 {
                if let shared = finished.randomElement(using: &random), random.next() % 2 == 0 {
                    spec.roots.append(shared)
                } else {
                    // A one-leaf tree: both children the same leaf; the feature is never read.
                    let root = branch(mode: 0, &random)
                    spec.features[root] = 9
                    let only = leaf(&random)
                    (spec.trueIDs[root], spec.falseIDs[root]) = (only, only)
                    (spec.trueLeafs[root], spec.falseLeafs[root]) = (1, 1)
                    spec.roots.append(Int64(root))
                }
                continue
            }
            let firstOfTree = spec.features.count
            let root = branch(mode: shape.mode ?? Int64(random.next() % 7), &random)
            spec.roots.append(Int64(root))
            var pending = [(root, 0)]
            while let (index, level) = pending.popLast() {
                for side in [true, false] {
                    let child: Int64
                    var isLeaf = true
                    if level + 1 < shape.depth && random.next() % 10 < 7 {
                        let next = branch(mode: shape.mode ?? Int64(random.next() % 7), &random)
                        pending.append((next, level + 1))
                        child = Int64(next)
                        isLeaf = false
                    } else if shape.sharing, !finished.isEmpty, random.next() % 8 == 0 {
                        child = finished.randomElement(using: &random)!
                        isLeaf = false
                    } else {
                        child = leaf(&random)
                    }
                    if side {
                        spec.trueIDs[index] = child
                        spec.trueLeafs[index] = isLeaf ? 1 : 0
                    } else {
                        spec.falseIDs[index] = child
                        spec.falseLeafs[index] = isLeaf ? 1 : 0
                    }
                }
            }
            finished += (firstOfTree..<spec.features.count).map { Int64($0) }
        }
        spec.missingTracksTrue = shape.tracksMissing ? missing : nil
        spec.members = members.isEmpty ? nil : members
        return spec
    }

    /// Feature values on and beside every threshold and member, NaN, ±∞ and far out.
    static func rows(_ count: Int, _ random: inout ForestLayoutTests.Seeded) -> [[Double]] {
        let values =
            thresholds + thresholds.map { $0 + 0.25 }
            + [2.7, 40.7, 100.9, -0.5, .nan, .infinity, -.infinity, 1e9, -0.0, 3e9, 31, 4]
        return (0..<count).map { _ in (0..<4).map { _ in pick(values, &random) } }
    }

    /// Scores one row straight from the opset-5 attributes, as onnxruntime 1.31 defines
    /// them: trees in `tree_roots` order, each weight combined into its target, AVERAGE
    /// divided once at the end, unreached targets 0, every finished score added to 0.
    struct Reference<Scalar: TreeScalar> {
        let spec: TreeV5Spec
        /// Per node, its member set (empty unless BRANCH_MEMBER).
        let sets: [[Double]]

        init(_ spec: TreeV5Spec) {
            self.spec = spec
            var sets: [[Double]] = []
            var values = (spec.members ?? [])[...]
            for mode in spec.modes {
                var set: [Double] = []
                if mode == 6 {
                    while let value = values.popFirst(), !value.isNaN { set.append(value) }
                }
                sets.append(set)
            }
            self.sets = sets
        }

        func goesTrue(_ node: Int, _ x: Scalar) -> Bool {
            if spec.missingTracksTrue?[node] == 1 && x.isNaN { return true }
            let split = Scalar(spec.splits[node])
            switch spec.modes[node] {
            case 0: return x <= split
            case 1: return x < split
            case 2: return x >= split
            case 3: return x > split
            case 4: return x == split
            case 5: return x != split
            default:
                let set = sets[node]
                if set.count < 31 && set.allSatisfy({ $0 >= 0 && $0 <= 30 }) {
                    return set.contains { Scalar($0) == x }
                }
                // int32(x) as x86-64 truncates: Int32.min for NaN and out of range.
                let whole = x.rounded(.towardZero)
                let key =
                    whole >= -2_147_483_648 && whole < 2_147_483_648 ? Int32(whole) : .min
                return set.contains { Int32($0) == key }
            }
        }

        func scores(_ row: [Scalar]) -> [Scalar] {
            var scores = [Scalar](repeating: 0, count: 3)
            var scored = [Bool](repeating: false, count: 3)
            for root in spec.roots.map(Int.init) {
                var (node, isLeaf) = (root, false)
                if spec.trueLeafs[root] == 1, spec.falseLeafs[root] == 1,
                    spec.trueIDs[root] == spec.falseIDs[root]
                {
                    (node, isLeaf) = (Int(spec.trueIDs[root]), true)
                }
                while !isLeaf {
                    let side = goesTrue(node, row[Int(spec.features[node])])
                    isLeaf = (side ? spec.trueLeafs[node] : spec.falseLeafs[node]) == 1
                    node = Int(side ? spec.trueIDs[node] : spec.falseIDs[node])
                }
                let target = Int(spec.leafTargets[node])
                let weight = Scalar(spec.leafWeights[node])
                switch spec.aggregate {
                case 2: if !scored[target] || weight < scores[target] { scores[target] = weight }
                case 3: if !scored[target] || weight > scores[target] { scores[target] = weight }
                default: scores[target] += weight
                }
                scored[target] = true
            }
            return scores.indices.map { target in
                let score =
                    spec.aggregate == 0 ? scores[target] / Scalar(spec.roots.count) : scores[target]
                return scored[target] ? 0 + score : 0
            }
        }
    }

    static func layout<Scalar: TreeScalar>(
        of spec: TreeV5Spec, _ scalar: Scalar.Type
    ) throws -> ForestLayoutTests.Layout {
        let node = try ModelProto(bytes: spec.modelBytes).graph!.nodes[0]
        let forest = Forest(try TreeEnsembleDefinition<Scalar>(opset5: node))
        if forest.complete != nil { return .complete }
        return forest.interleaved != nil ? .interleaved : .nodeByNode
    }

    /// Whether two scores are the same number, bit for bit (every NaN the same).
    static func same<T: BinaryFloatingPoint>(_ a: [T], _ b: [T]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || ($0 == $1 && $0.sign == $1.sign) }
    }

    @Test(
        "every layout scores exactly what a plain walk of the opset-5 attributes scores",
        arguments: shapes, [Int64(0), 1, 2, 3])
    func matchesReference(shape: Shape, aggregate: Int64) throws {
        // Seeded by the shape's name and the aggregate (FNV-1a).
        var random = ForestLayoutTests.Seeded(
            state: "\(shape.name) \(aggregate)".utf8.reduce(0xcbf2_9ce4_8422_2325) {
                ($0 ^ UInt64($1)) &* 0x100_0000_01b3
            })
        let spec = Self.ensemble(shape, aggregate: aggregate, &random)
        let rows = Self.rows(300, &random)
        if shape.double {
            #expect(try Self.layout(of: spec, Double.self) == shape.expected)
            let reference = Reference<Double>(spec)
            for (row, got) in zip(rows, try spec.run(doubles: rows)) {
                #expect(Self.same(got, reference.scores(row)), "row \(row)")
            }
        } else {
            #expect(try Self.layout(of: spec, Float.self) == shape.expected)
            let reference = Reference<Float>(spec)
            let floatRows = rows.map { $0.map { Float($0) } }
            for (row, got) in zip(floatRows, try spec.run(floatRows)) {
                #expect(Self.same(got, reference.scores(row)), "row \(row)")
            }
        }
    }
}
