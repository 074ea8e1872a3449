extension TreeEnsembleEvaluator {
    /// One row, as the row plan evaluates it: the trees' sums into `sums` and `hasScore`
    /// (zeroed by the caller, consumed here), then `classCount` probabilities into `output`.
    /// The batch path takes the walker once for all its rows instead.
    @inline(__always)
    func evaluate(
        row x: UnsafePointer<Scalar>, sums: UnsafeMutablePointer<Scalar>,
        hasScore: UnsafeMutablePointer<Bool>, into output: UnsafeMutablePointer<Float>
    ) -> LabelChoice {
        forest.withWalker { walker in
            walker.accumulate(x, into: sums, hasScore, SumCombiner.self)
        }
        return scoring.finish(sums, hasScore, into: output)
    }
}
