/// The per-leaf step of a TreeAggregate: how one reached weight joins its column's score.
/// Static, so each walk is compiled once per combiner and the aggregate costs nothing per
/// leaf (onnxruntime's TreeAggregatorSum, Min and Max, picked once per run the same way).
protocol LeafCombiner {
    /// Combines `weight` into `score`; `scored` says whether the column already had one.
    static func combine<Scalar: TreeScalar>(
        _ weight: Scalar, into score: inout Scalar, scored: Bool)
}

extension LeafCombiner {
    /// Combines `weight` into column `column` and marks the column as scored.
    @inline(__always)
    static func add<Scalar: TreeScalar>(
        _ weight: Scalar, to column: Int, _ scores: UnsafeMutablePointer<Scalar>,
        _ hasScore: UnsafeMutablePointer<Bool>
    ) {
        combine(weight, into: &scores[column], scored: hasScore[column])
        hasScore[column] = true
    }
}

/// SUM, and AVERAGE before its division: weights add up in tree order.
enum SumCombiner: LeafCombiner {
    @inline(__always)
    static func combine<Scalar: TreeScalar>(
        _ weight: Scalar, into score: inout Scalar, scored: Bool
    ) {
        score += weight
    }
}

/// MIN: the first weight a column gets stays until a smaller one comes, so a NaN weight,
/// once first, stays.
enum MinimumCombiner: LeafCombiner {
    @inline(__always)
    static func combine<Scalar: TreeScalar>(
        _ weight: Scalar, into score: inout Scalar, scored: Bool
    ) {
        if !scored || weight < score { score = weight }
    }
}

/// MAX: as MIN, keeping a larger weight.
enum MaximumCombiner: LeafCombiner {
    @inline(__always)
    static func combine<Scalar: TreeScalar>(
        _ weight: Scalar, into score: inout Scalar, scored: Bool
    ) {
        if !scored || weight > score { score = weight }
    }
}
