extension ModelBundle {
    /// The gate a model passes before it serves, at a reload as at a deploy (`predict-fcgi
    /// check`): it loads, and every golden case its directory has replays within tolerance.
    public static func admit(
        path: String, tolerance: Double = 1e-5
    ) throws(ServiceError)
        -> ModelBundle
    {
        let bundle = try load(path: path)
        guard bundle.goldenPath != nil else { return bundle }
        let report = try bundle.replayGolden(tolerance: tolerance)
        guard report.passed else { throw .invalidModel(report.refusal) }
        return bundle
    }
}

extension GoldenReport {
    /// Cases with at least one mismatch (a case can mismatch in its label and its scores).
    public var failedCases: Int { Set(mismatches.map(\.caseID)).count }

    /// Why a model that failed its replay is refused.
    public var refusal: String {
        guard total > 0 else { return "golden.jsonl has no cases" }
        return "\(failedCases) of \(total) golden cases mismatch; first: "
            + "\(mismatches.first.map { "\($0.caseID): \($0.message)" } ?? "-")"
    }
}
