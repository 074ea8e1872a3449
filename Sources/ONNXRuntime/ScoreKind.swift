/// What a classifier's score output holds, as far as the graph shows it.
public enum ScoreKind: Sendable, Equatable {
    /// One probability per class.
    case probabilities
    /// One raw decision score per class (a LinearClassifier without a post transform): a
    /// margin, unbounded, not a probability.
    case margins
    /// One raw decision score per pair of classes (an SVMClassifier without Platt scaling),
    /// which belongs to no single class once there are more than two.
    case pairwiseMargins
}
