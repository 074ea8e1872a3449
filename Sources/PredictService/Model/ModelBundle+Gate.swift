extension ModelBundle {
    /// The gate a model passes before it serves, at a reload as at a deploy (`predict-fcgi
    /// check`): it loads, and every golden case of its directory replays within tolerance. A
    /// model directory without golden.jsonl is refused, as `check` refuses it. A bare .onnx
    /// file has no directory to hold cases: it is only loaded (and validated).
    public static func admit(
        path: String, tolerance: Double = 1e-5
    ) throws(LoadError)
        -> ModelBundle
    {
        let bundle = try load(path: path)
        guard bundle.goldenPath != nil else {
            guard path.hasSuffix(".onnx") else {
                throw .invalidGolden(
                    "\(path) has no golden.jsonl; a model directory is admitted only with the "
                        + "golden cases it must replay")
            }
            return bundle
        }
        let report = try bundle.replayGolden(tolerance: tolerance)
        guard report.passed else { throw .invalidGolden(report.refusal) }
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
