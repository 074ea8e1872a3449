#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates a validated TreeEnsemble (ai.onnx.ml opset 5) as onnxruntime 1.31 does, in the
/// input's float type (thresholds, weights and sums in float32 for float input, float64
/// for double). Each row walks the trees in `tree_roots` order: SUM and AVERAGE add the
/// reached leaves' weights to their targets in that order, AVERAGE divides by the number
/// of trees once at the end; MIN and MAX keep the first weight a target gets until a
/// smaller (larger) one comes, so a NaN weight, once first, stays. A target that no leaf
/// reached reads 0. The post transform runs last, on each row, in float32 even for double
/// input (SOFTMAX_ZERO only divides in float64 there).
///
/// A class, so the kernel's evaluator costs one reference count rather than array copies.
final class TreeEnsembleV5Evaluator<Scalar: TreeScalar>: Sendable {
    typealias Definition = TreeEnsembleV5Definition<Scalar>

    /// One branch node, 20 bytes for float. A child from 0 is a branch position, a negative
    /// one the leaf `~child`.
    struct Branch: Sendable {
        var split: Scalar
        var feature: Int32
        var trueChild: Int32
        var falseChild: Int32
        /// The comparison; nil for BRANCH_MEMBER. Opset 5's mode codes 0–5 are BranchMode's.
        var comparison: BranchMode?
        var missingTracksTrue: Bool
    }

    let node: Node
    let targetCount: Int
    let aggregate: Definition.Aggregate
    let postTransform: PostTransform
    let branches: [Branch]
    /// Per branch position, a BRANCH_MEMBER node's set.
    let memberships: [TreeMembership<Scalar>?]
    let leafTargets: [Int32]
    let leafWeights: [Scalar]
    /// Each tree's root as a child reference (a one-leaf tree's is its leaf).
    let roots: [Int32]
    let maximumFeature: Int

    init(_ node: Node, _ definition: Definition) {
        func reference(_ child: Definition.Child) -> Int32 {
            switch child {
            case .node(let position): Int32(position)
            case .leaf(let position): ~Int32(position)
            }
        }
        branches = definition.branches.map { branch in
            Branch(
                split: branch.split, feature: Int32(branch.feature),
                trueChild: reference(branch.trueChild), falseChild: reference(branch.falseChild),
                comparison: BranchMode(rawValue: branch.mode.rawValue),
                missingTracksTrue: branch.missingTracksTrue)
        }
        memberships = definition.branches.map(\.membership)
        self.node = node
        targetCount = definition.targetCount
        aggregate = definition.aggregate
        postTransform = definition.postTransform
        leafTargets = definition.leafTargets.map { Int32($0) }
        leafWeights = definition.leafWeights
        roots = definition.roots.map(reference)
        maximumFeature = definition.maximumFeature
    }

    /// `[N, features]` (or one row of rank 1) → `[N, targets]` of the input's type.
    func evaluate(_ input: Tensor) throws(ModelError) -> [Scalar] {
        // onnxruntime reads rank 1 as one row but checks the trees' features against a
        // width of 1, as it does for TreeEnsembleClassifier; the check below follows suit.
        let (rows, width, features): (Int, Int, Int)
        switch input.shape.count {
        case 1: (rows, width, features) = (1, input.shape[0], min(1, input.shape[0]))
        case 2: (rows, width, features) = (input.shape[0], input.shape[1], input.shape[1])
        default:
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of rank 1 or 2, found shape \(input.shape)"
            )
        }
        guard rows == 0 || maximumFeature < features else {
            throw .input(
                "\(node.label): the trees read feature \(maximumFeature), but input '\(node.inputs[0])' has \(features) per row (shape \(input.shape))"
            )
        }
        var output = [Scalar].filled(0, count: rows * targetCount)
        try withRows(input) { x in
            withTables { tables in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.group) { positions in
                    withUnsafeTemporaryAllocation(of: Bool.self, capacity: targetCount) {
                        hasScore in
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: targetCount) {
                            narrow in
                            output.withUnsafeMutableBufferPointer { output in
                                for row in 0..<rows {
                                    let scores = UnsafeMutableBufferPointer(
                                        rebasing: output[
                                            (row * targetCount)..<((row + 1) * targetCount)])
                                    hasScore.initialize(repeating: false)
                                    accumulate(
                                        tables, x + row * width, positions.baseAddress!, scores,
                                        hasScore)
                                    finish(scores, hasScore, narrow)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The evaluator's arrays as buffers, taken once per run rather than once per row.
    private struct Tables {
        let branches: UnsafeBufferPointer<Branch>
        let memberships: UnsafeBufferPointer<TreeMembership<Scalar>?>
        let leafTargets: UnsafeBufferPointer<Int32>
        let leafWeights: UnsafeBufferPointer<Scalar>
        let roots: UnsafeBufferPointer<Int32>
    }

    private func withTables(_ body: (Tables) -> Void) {
        branches.withUnsafeBufferPointer { branches in
            memberships.withUnsafeBufferPointer { memberships in
                leafTargets.withUnsafeBufferPointer { leafTargets in
                    leafWeights.withUnsafeBufferPointer { leafWeights in
                        roots.withUnsafeBufferPointer { roots in
                            body(
                                Tables(
                                    branches: branches, memberships: memberships,
                                    leafTargets: leafTargets, leafWeights: leafWeights,
                                    roots: roots))
                        }
                    }
                }
            }
        }
    }

    /// How many trees one walk advances side by side.
    private static var group: Int { 8 }

    /// Walks every tree for one row and combines the reached weights into `scores`. The
    /// trees go in groups whose walks advance a level at a time together, so their node
    /// loads overlap instead of waiting on each other; the leaves are then combined in tree
    /// order, which fixes the float rounding.
    @inline(__always)
    private func accumulate(
        _ tables: Tables, _ x: UnsafePointer<Scalar>, _ positions: UnsafeMutablePointer<Int32>,
        _ scores: UnsafeMutableBufferPointer<Scalar>, _ hasScore: UnsafeMutableBufferPointer<Bool>
    ) {
        let roots = tables.roots
        var first = 0
        while first < roots.count {
            let count = min(Self.group, roots.count - first)
            for tree in 0..<count { positions[tree] = roots[first + tree] }
            var moving = true
            while moving {
                moving = false
                for tree in 0..<count where positions[tree] >= 0 {
                    let position = Int(positions[tree])
                    let branch = tables.branches[position]
                    let goesTrue = Self.goesTrue(
                        branch, x[Int(branch.feature)], tables.memberships, position)
                    // Chosen by a mask rather than a jump: which child is next is as
                    // unpredictable as the data.
                    let mask = 0 &- Int32(unsafeBitCast(goesTrue, to: UInt8.self))
                    let next = branch.falseChild ^ ((branch.trueChild ^ branch.falseChild) & mask)
                    positions[tree] = next
                    if next >= 0 { moving = true }
                }
            }
            for tree in 0..<count {
                let leaf = Int(~positions[tree])
                add(tables.leafWeights[leaf], to: Int(tables.leafTargets[leaf]), scores, hasScore)
            }
            first += count
        }
    }

    /// Whether `branch` (at `position`) sends `x` to its true child. As in onnxruntime, NaN
    /// fails every comparison but NEQ, and goes true anyway where the node's missing-value
    /// flag is 1.
    @inline(__always)
    private static func goesTrue(
        _ branch: Branch, _ x: Scalar, _ memberships: UnsafeBufferPointer<TreeMembership<Scalar>?>,
        _ position: Int
    ) -> Bool {
        if branch.missingTracksTrue && x.isNaN { return true }
        guard let comparison = branch.comparison else { return memberships[position]!.contains(x) }
        return comparison.goesTrue(x, branch.split)
    }

    /// Combines one reached leaf weight into its target's score.
    @inline(__always)
    private func add(
        _ weight: Scalar, to target: Int, _ scores: UnsafeMutableBufferPointer<Scalar>,
        _ hasScore: UnsafeMutableBufferPointer<Bool>
    ) {
        switch aggregate {
        case .sum, .average:
            scores[target] += weight
        case .minimum:
            if !hasScore[target] || weight < scores[target] { scores[target] = weight }
        case .maximum:
            if !hasScore[target] || weight > scores[target] { scores[target] = weight }
        }
        hasScore[target] = true
    }

    /// The aggregate's last step and the post transform, for one row.
    @inline(__always)
    private func finish(
        _ scores: UnsafeMutableBufferPointer<Scalar>, _ hasScore: UnsafeMutableBufferPointer<Bool>,
        _ narrow: UnsafeMutableBufferPointer<Float>
    ) {
        let trees = Scalar(roots.count)
        for target in scores.indices {
            // onnxruntime adds each finished score to a zero (its absent base value), which
            // also turns a MIN or MAX of -0 into +0.
            let score = aggregate == .average ? scores[target] / trees : scores[target]
            scores[target] = hasScore[target] ? 0 + score : 0
        }
        switch postTransform {
        case .none: return
        case .softmaxZero where Scalar.self == Double.self:
            let base = UnsafeMutableRawPointer(scores.baseAddress!)
                .assumingMemoryBound(to: Double.self)
            Self.softmaxZero(UnsafeMutableBufferPointer(start: base, count: scores.count))
        default:
            if Scalar.self == Float.self {
                let base = UnsafeMutableRawPointer(scores.baseAddress!)
                    .assumingMemoryBound(to: Float.self)
                postTransform.apply(UnsafeMutableBufferPointer(start: base, count: scores.count))
            } else {
                for target in scores.indices { narrow[target] = scores[target].float }
                let row = UnsafeMutableBufferPointer(rebasing: narrow[0..<scores.count])
                postTransform.apply(row)
                for target in scores.indices { scores[target] = Scalar(row[target]) }
            }
        }
    }

    /// SOFTMAX_ZERO for double scores, as onnxruntime 1.31 computes it (measured bit for
    /// bit): scores within 1e-7 of zero stay out and are only scaled by e^-max; the others'
    /// exponentials are taken and summed in float32, and each score is divided by that sum
    /// in float64.
    private static func softmaxZero(_ values: UnsafeMutableBufferPointer<Double>) {
        var maximum = -Double.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        let narrowMaximum = Float(maximum)
        let scale = Double(expf(-narrowMaximum))
        var sum: Float = 0
        for index in values.indices {
            let value = values[index]
            if value > 0.0000001 || value < -0.0000001 {
                let exponential = expf(Float(value) - narrowMaximum)
                values[index] = Double(exponential)
                sum += exponential
            } else {
                values[index] = value * scale
            }
        }
        let total = Double(sum)
        for index in values.indices { values[index] /= total }
    }

    /// The input's elements as `Scalar`: float storage for a float ensemble, double for a
    /// double one (the load-time type check makes any other a caller's error).
    private func withRows(
        _ input: Tensor, _ body: (UnsafePointer<Scalar>) -> Void
    ) throws(ModelError) {
        guard Scalar.withElements(of: input.storage, body) else {
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of \(Scalar.self == Float.self ? "float" : "double"), found \(input.elementType)"
            )
        }
    }
}
