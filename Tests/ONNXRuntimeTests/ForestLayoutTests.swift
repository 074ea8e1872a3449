import Testing

@testable import ONNXRuntime

/// Seeded random ensembles run through the kernel and compared with a plain recursive walk
/// of the same attributes, one ensemble shape per Forest layout: padded complete trees,
/// the interleaved walk, and node by node. The sums must be identical, not close: every
/// layout adds the same float32 weights in the same tree order.
@Suite("Forest layouts")
struct ForestLayoutTests {
    enum Layout: String, CustomTestStringConvertible {
        case complete, interleaved, nodeByNode

        var testDescription: String { rawValue }
    }

    struct Shape: CustomTestStringConvertible {
        var name: String
        var trees = 12
        var depth: Int
        /// One mode for every branch, or nil for a random mode per branch.
        var mode: String?
        var tracksMissing = false
        var multiWeightLeaves = false
        var expected: Layout

        var testDescription: String { name }
    }

    static let modes = [
        "BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ",
    ]

    static let shapes: [Shape] =
        [
            Shape(name: "shallow LEQ", depth: 4, mode: "BRANCH_LEQ", expected: .complete),
            Shape(
                name: "shallow, two weights per leaf", depth: 4, mode: "BRANCH_LEQ",
                multiWeightLeaves: true, expected: .interleaved),
            Shape(
                name: "shallow, NaN tracking", depth: 5, mode: "BRANCH_LT", tracksMissing: true,
                expected: .interleaved),
            Shape(
                name: "deep, NaN tracking", depth: 13, mode: "BRANCH_LEQ", tracksMissing: true,
                expected: .interleaved),
            Shape(name: "mixed modes", depth: 12, mode: nil, expected: .nodeByNode),
            Shape(
                name: "mixed modes, NaN tracking", depth: 6, mode: nil, tracksMissing: true,
                expected: .nodeByNode),
        ]
        + modes.map {
            Shape(name: "deep \($0)", trees: 20, depth: 12, mode: $0, expected: .interleaved)
        }
        + modes.map {
            Shape(
                name: "deep \($0), NaN tracking", depth: 9, mode: $0, tracksMissing: true,
                expected: .interleaved)
        }

    /// SplitMix64: a fixed seed gives the same ensembles on every run and platform.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let features = 4
    static let thresholds: [Float] = [-1, 0, 0.5, 1, 2]
    static let weights: [Float] = [-2, -0.5, 0.25, 1, 3, 0.1]

    /// Trees grown at random to at most `shape.depth` levels (the first tree to exactly
    /// that depth) over 3 classes, with the NONE transform so probabilities are the sums.
    static func ensemble(_ shape: Shape, _ random: inout Seeded) -> TreeSpec {
        var spec = TreeSpec()
        for field in [\TreeSpec.treeIDs, \.nodeIDs, \.featureIDs, \.trueIDs, \.falseIDs] {
            spec[keyPath: field] = []
        }
        spec.modes = []
        spec.values = []
        spec.missingTracksTrue = shape.tracksMissing ? [] : nil
        spec.classTreeIDs = []
        spec.classNodeIDs = []
        spec.classIDs = []
        spec.classWeights = []
        for tree in 0..<Int64(shape.trees) {
            var nextID: Int64 = 1
            // (node id, level, whether it must reach the full depth)
            var pending: [(Int64, Int, Bool)] = [(0, 0, tree == 0)]
            while let (id, level, full) = pending.popLast() {
                let branches =
                    level < shape.depth && (full || level == 0 || random.next() % 10 < 7)
                spec.treeIDs.append(tree)
                spec.nodeIDs.append(id)
                spec.missingTracksTrue?.append(random.next() % 3 == 0 ? 1 : 0)
                if branches {
                    let trueID = nextID
                    let falseID = nextID + 1
                    nextID += 2
                    spec.modes.append(shape.mode ?? modes.randomElement(using: &random)!)
                    spec.featureIDs.append(Int64(random.next() % UInt64(features)))
                    spec.values.append(thresholds.randomElement(using: &random)!)
                    spec.trueIDs.append(trueID)
                    spec.falseIDs.append(falseID)
                    let deepSide = random.next() % 2 == 0
                    pending.append((trueID, level + 1, full && deepSide))
                    pending.append((falseID, level + 1, full && !deepSide))
                } else {
                    spec.modes.append("LEAF")
                    spec.featureIDs.append(0)
                    spec.values.append(0)
                    spec.trueIDs.append(0)
                    spec.falseIDs.append(0)
                    let classes =
                        shape.multiWeightLeaves ? [0, 1, 2].shuffled(using: &random)[..<2] : [0]
                    for classID in classes {
                        spec.classTreeIDs.append(tree)
                        spec.classNodeIDs.append(id)
                        spec.classIDs.append(Int64(classID))
                        spec.classWeights.append(weights.randomElement(using: &random)!)
                    }
                }
            }
        }
        spec.labelsInt = [0, 1, 2]
        spec.postTransform = "NONE"
        spec.baseValues = []
        spec.width = Int64(features)
        return spec
    }

    /// Feature values on and beside every threshold, NaN, and ±1e9.
    static func rows(_ count: Int, _ random: inout Seeded) -> [[Float]] {
        let values = thresholds + thresholds.map { $0 + 0.25 } + [.nan, 1e9, -1e9, -3]
        return (0..<count).map { _ in
            (0..<features).map { _ in values.randomElement(using: &random)! }
        }
    }

    /// Sums each class's weights over the leaves a row reaches, tree by tree, straight from
    /// the attributes.
    struct Reference {
        let spec: TreeSpec
        /// Per tree in order, node id → attribute position.
        let trees: [[Int64: Int]]
        /// Per attribute position of a leaf, its (class, weight) pairs.
        let leafWeights: [Int: [(Int, Float)]]

        init(_ spec: TreeSpec) {
            self.spec = spec
            var index: [Int64: [Int64: Int]] = [:]
            for position in spec.nodeIDs.indices {
                index[spec.treeIDs[position], default: [:]][spec.nodeIDs[position]] = position
            }
            trees = index.keys.sorted().map { index[$0]! }
            var leafWeights: [Int: [(Int, Float)]] = [:]
            for weight in spec.classNodeIDs.indices {
                let tree = Int(spec.classTreeIDs[weight])
                let position = trees[tree][spec.classNodeIDs[weight]]!
                leafWeights[position, default: []].append(
                    (Int(spec.classIDs[weight]), spec.classWeights[weight]))
            }
            self.leafWeights = leafWeights
        }

        func sums(_ row: [Float]) -> [Float] {
            var sums: [Float] = [0, 0, 0]
            for tree in trees {
                var position = tree[0]!
                while spec.modes[position] != "LEAF" {
                    let x = row[Int(spec.featureIDs[position])]
                    let goesTrue =
                        BranchMode(onnxName: spec.modes[position])!.goesTrue(
                            x, spec.values[position])
                        || (spec.missingTracksTrue?[position] == 1 && x.isNaN)
                    position = tree[goesTrue ? spec.trueIDs[position] : spec.falseIDs[position]]!
                }
                for (classIndex, weight) in leafWeights[position, default: []] {
                    sums[classIndex] += weight
                }
            }
            return sums
        }
    }

    static func layout(of spec: TreeSpec) throws -> Layout {
        let node = try ModelProto(bytes: spec.modelBytes).graph!.nodes[0]
        let forest = Forest(try TreeEnsembleDefinition<Float>(node))
        if forest.complete != nil { return .complete }
        return forest.interleaved != nil ? .interleaved : .nodeByNode
    }

    @Test("every layout sums exactly what a plain walk of the attributes sums", arguments: shapes)
    func matchesReference(shape: Shape) throws {
        // Seeded by the shape's name (FNV-1a), so each shape gets its own ensemble.
        var random = Seeded(
            state: shape.name.utf8.reduce(0xcbf2_9ce4_8422_2325) {
                ($0 ^ UInt64($1)) &* 0x100_0000_01b3
            })
        let spec = Self.ensemble(shape, &random)
        #expect(try Self.layout(of: spec) == shape.expected)
        let rows = Self.rows(300, &random)
        let (_, probabilities) = try spec.run(rows)
        let reference = Reference(spec)
        for (row, got) in zip(rows, probabilities) {
            #expect(got == reference.sums(row), "row \(row)")
        }
    }
}
