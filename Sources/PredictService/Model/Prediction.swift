/// One row's answer: the class the model chose and every class probability, in the
/// model's label order.
public struct Prediction: Sendable, Equatable {
    public let labelIndex: Int
    /// One probability per class, or, when the bundle's `output` is `.decisionScore`, one
    /// decision score per class of the bundle's `scoredLabels`.
    public let probabilities: [Float]
    public var warnings: [PredictionWarning]

    public init(labelIndex: Int, probabilities: [Float], warnings: [PredictionWarning] = []) {
        self.labelIndex = labelIndex
        self.probabilities = probabilities
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
