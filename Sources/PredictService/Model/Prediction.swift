/// One row's answer: the class the model chose and its score for each class of the bundle's
/// `scoredLabels`, in that order.
public struct Prediction: Sendable, Equatable {
    public let labelIndex: Int
    public let scores: Scores
    public var warnings: [PredictionWarning]

    /// What the score columns hold, as the bundle's `output` says: the API serves the first
    /// as `probabilities`, the second as `scores`.
    public enum Scores: Sendable, Equatable {
        /// One probability per class.
        case probabilities([Float])
        /// Decision scores (margins, unbounded) of a model without probabilities: one per
        /// class, or the positive class's alone for a two-class model with one column.
        case decisionScores([Float])

        /// `values` as what a bundle's score output says they are.
        init(_ values: [Float], as output: ModelBundle.ScoreOutput) {
            switch output {
            case .probabilities: self = .probabilities(values)
            case .decisionScore: self = .decisionScores(values)
            }
        }

        /// What a bundle's score output calls these values.
        var output: ModelBundle.ScoreOutput {
            switch self {
            case .probabilities: .probabilities
            case .decisionScores: .decisionScore
            }
        }

        /// The values, in `scoredLabels` order, whatever they are.
        public var values: [Float] {
            switch self {
            case .probabilities(let values), .decisionScores(let values): values
            }
        }
    }

    public init(labelIndex: Int, scores: Scores, warnings: [PredictionWarning] = []) {
        self.labelIndex = labelIndex
        self.scores = scores
        self.warnings = warnings
    }
}

/// Something about an accepted input that the client should know: the model answered,
/// but on a value it did not see in training.
public struct PredictionWarning: Sendable, Equatable {
    public let code: String
    public let field: String
    public let message: String

    static func unseenCategory(_ field: String, value: String) -> PredictionWarning {
        PredictionWarning(
            code: "unseen_category", field: field,
            message: "'\(value)' is not a category the model was trained on; "
                + "it is encoded like no known category")
    }

    static func outOfRange(
        _ field: String, value: Double, range: ClosedRange<Double>
    )
        -> PredictionWarning
    {
        PredictionWarning(
            code: "out_of_range", field: field,
            message: "\(value) is outside the range seen in training "
                + "[\(range.lowerBound), \(range.upperBound)]")
    }

    func nested(under prefix: String) -> PredictionWarning {
        PredictionWarning(code: code, field: prefix + field, message: message)
    }
}
