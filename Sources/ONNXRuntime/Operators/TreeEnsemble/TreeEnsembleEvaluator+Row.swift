extension TreeEnsembleEvaluator {
    /// One row: the trees' sums into `sums` and `hasScore` (zeroed by the caller, consumed
    /// here), then `classCount` probabilities into `output`. The batch path and the row
    /// plan both come through here.
    @inline(__always)
    func evaluate(
        row x: UnsafePointer<Scalar>, sums: UnsafeMutablePointer<Scalar>,
        hasScore: UnsafeMutablePointer<Bool>, into output: UnsafeMutablePointer<Float>
    ) -> LabelChoice {
        forest.accumulate(x, into: sums, hasScore)
        return scoring.finish(sums, hasScore, into: output)
    }
}
