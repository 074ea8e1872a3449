/// Follows classifiers' outputs through the graph as the plan is built, node by node: which
/// classes a value's columns belong to, and which values are a classifier's scores passed
/// on unchanged (and whether those are probabilities or decision scores). The plan builder
/// reads both for the graph outputs.
struct ClassifierTrace {
    /// The classes of the classifier whose outputs a slot derives from (carried through
    /// every later node until another classifier names its own).
    private(set) var classLabels: [Int: ClassLabels] = [:]
    /// Slots that hold a classifier's scores, or pass them on unchanged.
    private(set) var scoreKinds: [Int: ScoreKind] = [:]
    /// Slots that hold a classifier's labels as positions among its classes (see
    /// `ClassifierKernel.labelsArePositions`), or pass them on unchanged.
    private(set) var positionalLabels: Set<Int> = []

    /// Records one node, given its input slots and its output slots (-1 for an omitted one).
    mutating func record(_ node: Node, _ kernel: any Kernel, inputs: [Int], outputs: [Int]) {
        let classifier = kernel as? any ClassifierKernel
        let known = classLabels
        let carried = classifier?.classLabels ?? inputs.lazy.compactMap { known[$0] }.first
        let scores: (output: Int, kind: ScoreKind)? =
            if Self.passesScoresOn(node), let first = inputs.first, let kind = scoreKinds[first] {
                (0, kind)
            } else if let classifier {
                (1, classifier.scoreKind)
            } else { nil }
        for (position, slot) in outputs.enumerated() where slot >= 0 {
            classLabels[slot] = carried
            if let scores, scores.output == position { scoreKinds[slot] = scores.kind }
        }
        let positional =
            if let classifier { classifier.labelsArePositions } else {
                Self.passesScoresOn(node) && inputs.first.map(positionalLabels.contains) == true
            }
        if positional, let first = outputs.first, first >= 0 { positionalLabels.insert(first) }
    }

    /// Nodes whose first output holds their first input's values unchanged, only reshaped,
    /// retyped or keyed by class: what scores (or positional labels) are stays what it was.
    private static func passesScoresOn(_ node: Node) -> Bool {
        switch (node.canonicalDomain, node.opType) {
        case ("", "Identity"), ("", "Cast"), ("", "Reshape"), ("", "Flatten"), ("", "Squeeze"),
            ("", "Unsqueeze"), ("ai.onnx.ml", "ZipMap"):
            true
        default: false
        }
    }
}
