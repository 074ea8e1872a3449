/// Evaluates a TreeEnsembleClassifier: rows of `[N, features]` (or one row of rank 1) →
/// labels `[N]` and probabilities `[N, classes]`. Immutable, so many threads can share it.
///
/// The evaluator is generic over float32 and float64; the kernel names each instance
/// concretely so the compiler specializes the hot loops instead of running them through
/// generic witness tables.
final class TreeEnsembleClassifierKernel: ClassifierKernel {
    enum Evaluator {
        case float32(TreeEnsembleEvaluator<Float>)
        case float64(TreeEnsembleEvaluator<Double>)
    }

    let classLabels: ClassLabels
    let evaluator: Evaluator

    init(classLabels: ClassLabels, evaluator: Evaluator) {
        self.classLabels = classLabels
        self.evaluator = evaluator
    }

    /// Two classes weighted on both columns with int64 labels (CatBoost's binary export):
    /// onnxruntime labels by the literal 0 or 1, the class's position, whatever the labels
    /// are (3 and 10, say). With string labels the literal picks the name, so it is a label.
    var labelsArePositions: Bool {
        guard case .int64s = classLabels else { return false }
        switch evaluator {
        case .float32(let evaluator): return evaluator.scoring.labelsAreLiteral
        case .float64(let evaluator): return evaluator.scoring.labelsAreLiteral
        }
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let probabilities: [Float]
        let choices: [LabelChoice]
        switch evaluator {
        case .float32(let evaluator):
            (probabilities, choices) = try evaluator.evaluate(frame.input(0))
        case .float64(let evaluator):
            (probabilities, choices) = try evaluator.evaluate(frame.input(0))
        }
        let labels: Tensor.Storage
        switch classLabels {
        case .int64s(let ids):
            labels = .int64(
                choices.map {
                    switch $0 {
                    case .position(let index): ids[index]
                    case .literal(let value): Int64(value)
                    }
                })
        case .strings(let names):
            labels = .string(
                choices.map {
                    switch $0 {
                    case .position(let index), .literal(let index): names[index]
                    }
                })
        }
        frame.setOutput(0, Tensor(shape: [choices.count], storage: labels))
        frame.setOutput(
            1, Tensor(shape: [choices.count, classLabels.count], storage: .float(probabilities)))
    }
}

/// The tree walk and score finishing for one scalar type. A class, so that choosing the
/// kernel's evaluator costs one reference count rather than a copy of every array.
final class TreeEnsembleEvaluator<Scalar: TreeScalar>: Sendable {
    let node: Node
    let classCount: Int
    let forest: Forest<Scalar>
    let scoring: ClassifierScoring<Scalar>

    init(_ node: Node, _ definition: TreeEnsembleDefinition<Scalar>) {
        self.node = node
        classCount = definition.targetCount
        forest = Forest(definition)
        scoring = ClassifierScoring(definition)
    }

    func evaluate(_ input: Tensor) throws(ModelError) -> ([Float], [LabelChoice]) {
        // onnxruntime reads rank 1 as one row whose feature count is 1, and refuses other
        // ranks; the feature check below follows suit.
        let (rows, width, features): (Int, Int, Int)
        switch input.shape.count {
        case 1: (rows, width, features) = (1, input.shape[0], 1)
        case 2: (rows, width, features) = (input.shape[0], input.shape[1], input.shape[1])
        default:
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of rank 1 or 2, found shape \(input.shape)"
            )
        }
        // A classifier asks for feature 0 even when no tree branches.
        let widest = max(forest.maximumFeature, 0)
        guard rows == 0 || widest < features else {
            throw .input(
                "\(node.label): the trees read feature \(widest), but input '\(node.inputs[0])' has \(features) per row (shape \(input.shape))"
            )
        }
        var probabilities = [Float].filled(0, count: rows * classCount)
        var choices = [LabelChoice].filled(.position(0), count: rows)
        try withRows(input) { (x: UnsafePointer<Scalar>) in
            withUnsafeTemporaryAllocation(of: Scalar.self, capacity: classCount) { scores in
                withUnsafeTemporaryAllocation(of: Bool.self, capacity: classCount) { hasScore in
                    probabilities.withUnsafeMutableBufferPointer { output in
                        forest.withWalker { walker in
                            for row in 0..<rows {
                                scores.initialize(repeating: 0)
                                hasScore.initialize(repeating: false)
                                walker.accumulate(
                                    x + row * width, into: scores.baseAddress!,
                                    hasScore.baseAddress!, SumCombiner.self)
                                choices[row] = scoring.finish(
                                    scores.baseAddress!, hasScore.baseAddress!,
                                    into: output.baseAddress! + row * classCount)
                            }
                        }
                    }
                }
            }
        }
        return (probabilities, choices)
    }

    /// The input's elements as `Scalar`: float or double storage as is, int64 converted the
    /// way C++ converts an integer compared with a float threshold.
    private func withRows(
        _ input: Tensor, _ body: (UnsafePointer<Scalar>) -> Void
    ) throws(ModelError) {
        if Scalar.withElements(of: input.storage, body) { return }
        guard case .int64(let values) = input.storage else {
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of \(Scalar.self == Float.self ? "float or int64" : "double"), found \(input.elementType)"
            )
        }
        let converted = values.map { Scalar($0) }
        converted.withUnsafeBufferPointer { body($0.baseAddress ?? Scalar.placeholder) }
    }
}
