import ONNXRuntime

/// A model ready to serve: the validated graph, the feature schema clients must follow,
/// and the class names in probability order.
///
/// Immutable once built, so one bundle is shared by every worker thread; a reload builds
/// a new bundle and swaps it in whole.
public final class ModelBundle: Sendable {
    public let name: String
    public let version: String
    public let sha256: String
    public let features: [Feature]
    public let labels: [String]
    /// `golden.jsonl` next to the manifest, when the bundle came from a directory that has one.
    public let goldenPath: String?
    /// What `GET /model` serves: the manifest, or a description derived from the graph.
    public let document: JSONValue
    /// What the score output holds, and so what the API calls it.
    public let output: ScoreOutput
    /// The classes the score columns belong to, in column order: every label, or for a
    /// two-class model with one decision-score column, the positive (second) class alone.
    public let scoredLabels: [String]

    /// A classifier's score output is either one probability per class, or (LinearSVC and
    /// other models without `predict_proba`) decision scores: margins, not probabilities,
    /// so they are served as `scores`.
    public enum ScoreOutput: String, Sendable {
        case probabilities
        case decisionScore = "decision_score"
    }

    let model: InferenceModel
    /// One instance's fast path, when the graph folds into a row plan (see RowPath).
    let rowPath: RowPath?
    let featureIndex: [String: Int]
    private let labelOutput: String
    private let probabilitiesOutput: String
    private let classLookup: ClassLookup
    /// For each graph input, in graph order, the position of its feature.
    private let featureOfInput: [Int]
    /// Positions of the label and probabilities outputs in the graph's outputs.
    private let labelPosition: Int
    private let probabilitiesPosition: Int

    /// How a value of the label output maps to a position in `labels`.
    enum ClassLookup: Sendable {
        case int64([Int64: Int])
        case string([String: Int])
        case position
    }

    /// Cross-checks a graph against its manifest (or derives the schema from the graph when
    /// there is none) and runs one probe row, so that a bundle that exists can answer.
    init(
        model: InferenceModel, manifest: Manifest?, sha256: String, goldenPath: String?,
        fallbackName: String
    ) throws(LoadError) {
        self.model = model
        self.sha256 = sha256
        self.goldenPath = goldenPath
        name = manifest?.name ?? fallbackName
        version = manifest?.version ?? "sha256-" + sha256.prefix(12)

        features = try Self.features(of: model, manifest: manifest)
        var featureIndex: [String: Int] = [:]
        for (position, feature) in features.enumerated() { featureIndex[feature.name] = position }
        self.featureIndex = featureIndex

        featureOfInput = model.inputs.map { featureIndex[$0.name]! }
        let (label, probabilities) = try Self.outputs(of: model, manifest: manifest)
        (labelOutput, probabilitiesOutput) = (label, probabilities)
        labelPosition = model.outputs.firstIndex { $0.name == label }!
        probabilitiesPosition = model.outputs.firstIndex { $0.name == probabilities }!
        (labels, classLookup) = try Self.labels(of: model, manifest: manifest, labelOutput: label)
        // One synthetic row, run once: its scores tell probabilities from decision scores,
        // and reading its prediction catches outputs whose shape the labels do not fit.
        let probe = try Self.probe(model, features: features, featureOfInput: featureOfInput)
        (output, scoredLabels) = try Self.scoreOutput(
            of: model, named: probabilities, labels: labels,
            probeScores: Self.floats(probe[probabilitiesPosition].storage) ?? [])
        if let plan = model.rowPlan {
            rowPath = RowPath(
                plan: plan, features: features, featureOfInput: featureOfInput, labels: labels,
                scoredLabels: scoredLabels, labelPosition: labelPosition,
                scoresPosition: probabilitiesPosition, lookup: classLookup)
        } else {
            rowPath = nil
        }
        document = Self.stating(
            output,
            in: manifest?.document
                ?? Self.describe(
                    name: fallbackName, sha256: sha256, model: model, features: features,
                    labels: labels))
        do {
            _ = try predictions(from: probe, rows: 1)
        } catch {
            throw .invalidModel("a probe row failed: \(error.message)")
        }
    }

    /// Runs the graph on decoded columns and reads one prediction per row.
    func predict(_ columns: FeatureColumns) throws(ServiceError) -> [Prediction] {
        let byFeature = columns.tensors(for: features)
        let outputs: [Tensor]
        do {
            outputs = try model.run(featureOfInput.map { byFeature[$0] })
        } catch {
            throw .evaluation(error)
        }
        return try predictions(from: outputs, rows: columns.rowCount)
    }

    /// One prediction per row from the graph's outputs.
    private func predictions(from outputs: [Tensor], rows: Int) throws(ServiceError) -> [Prediction]
    {
        let labelTensor = outputs[labelPosition]
        let classes = scoredLabels.count
        guard let scores = Self.floats(outputs[probabilitiesPosition].storage) else {
            throw .internalError("output '\(probabilitiesOutput)' is not a float tensor")
        }
        guard scores.count == rows * classes else {
            throw .internalError(
                "output '\(probabilitiesOutput)' has \(scores.count) values for \(rows) rows "
                    + "of \(classes) score columns")
        }
        var predictions: [Prediction] = []
        predictions.reserveCapacity(rows)
        for row in 0..<rows {
            let index = try classIndex(labelTensor.storage, row: row)
            let values = Array(scores[row * classes..<(row + 1) * classes])
            predictions.append(Prediction(labelIndex: index, scores: .init(values, as: output)))
        }
        return predictions
    }

    private func classIndex(_ storage: Tensor.Storage, row: Int) throws(ServiceError) -> Int {
        let index: Int?
        switch (storage, classLookup) {
        case (.int64(let values), .int64(let lookup)) where row < values.count:
            index = lookup[values[row]]
        case (.string(let values), .string(let lookup)) where row < values.count:
            index = lookup[values[row]]
        case (.int64(let values), .position) where row < values.count:
            index = values[row] >= 0 && values[row] < labels.count ? Int(values[row]) : nil
        default:
            index = nil
        }
        guard let index else {
            throw .internalError("output '\(labelOutput)' holds a label that is not a known class")
        }
        return index
    }

    /// The synthetic row: each number at its range's lower bound (or 0), each category the
    /// first known one.
    private static func probeRow(_ features: [Feature]) -> FeatureColumns {
        var columns = FeatureColumns(features: features, rowCapacity: 1)
        for (column, feature) in features.enumerated() {
            for _ in 0..<feature.width {
                switch feature.kind {
                case .number:
                    columns.append(number: feature.range?.lowerBound ?? 0, to: column)
                case .category:
                    columns.append(string: feature.categories.first ?? "", to: column)
                }
            }
        }
        columns.finishRow()
        return columns
    }

    /// The graph's outputs for the synthetic row.
    private static func probe(
        _ model: InferenceModel, features: [Feature], featureOfInput: [Int]
    ) throws(LoadError) -> [Tensor] {
        let feeds = probeRow(features).tensors(for: features)
        do {
            return try model.run(featureOfInput.map { feeds[$0] })
        } catch {
            throw .invalidModel("a probe row failed: \(error)")
        }
    }

    /// A score output's values as float, nil when it is not a floating-point tensor.
    private static func floats(_ storage: Tensor.Storage) -> [Float]? {
        switch storage {
        case .float(let values): values
        case .double(let values): values.map { Float($0) }
        default: nil
        }
    }
}
