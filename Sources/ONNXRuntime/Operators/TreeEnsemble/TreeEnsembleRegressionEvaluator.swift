/// Evaluates TreeEnsemble (ai.onnx.ml opset 5) on the shared engine: `[N, features]` (or
/// one row of rank 1) → `[N, targets]` of the input's float type. Thresholds, weights and
/// scores stay in that type (float32 for float input, float64 for double); each row walks
/// the Forest in `tree_roots` order under the aggregate's LeafCombiner, chosen once per
/// run, then RegressionScoring finishes it.
///
/// A class, so the kernel's evaluator costs one reference count rather than array copies.
final class TreeEnsembleRegressionEvaluator<Scalar: TreeScalar>: Sendable {
    let node: Node
    let targetCount: Int
    let forest: Forest<Scalar>
    let scoring: RegressionScoring<Scalar>

    init(_ node: Node, _ definition: TreeEnsembleDefinition<Scalar>) {
        self.node = node
        targetCount = definition.targetCount
        forest = Forest(definition)
        scoring = RegressionScoring(definition)
    }

    func evaluate(_ input: Tensor) throws(ModelError) -> [Scalar] {
        // onnxruntime reads rank 1 as one row but checks the trees' features against a
        // width of 1, as it does for TreeEnsembleClassifier; the check below follows suit.
        let (rows, width, features): (Int, Int, Int)
        switch input.shape.count {
        case 1: (rows, width, features) = (1, input.shape[0], min(1, input.shape[0]))
        case 2: (rows, width, features) = (input.shape[0], input.shape[1], input.shape[1])
        default:
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of rank 1 or 2, found shape \(input.shape)"
            )
        }
        guard rows == 0 || forest.maximumFeature < features else {
            throw .input(
                "\(node.label): the trees read feature \(forest.maximumFeature), but input '\(node.inputs[0])' has \(features) per row (shape \(input.shape))"
            )
        }
        var output = [Scalar].filled(0, count: rows * targetCount)
        guard
            Scalar.withElements(
                of: input.storage,
                { x in
                    switch scoring.aggregate {
                    case .sum, .average: run(x, rows, width, &output, SumCombiner.self)
                    case .minimum: run(x, rows, width, &output, MinimumCombiner.self)
                    case .maximum: run(x, rows, width, &output, MaximumCombiner.self)
                    }
                })
        else {
            throw .input(
                "\(node.label): expected input '\(node.inputs[0])' of \(Scalar.self == Float.self ? "float" : "double"), found \(input.elementType)"
            )
        }
        return output
    }

    /// Scores every row into `output`, combining leaves under `Combiner`.
    @inline(__always)
    private func run<Combiner: LeafCombiner>(
        _ x: UnsafePointer<Scalar>, _ rows: Int, _ width: Int, _ output: inout [Scalar],
        _ combiner: Combiner.Type
    ) {
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: targetCount) { hasScore in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: targetCount) { narrow in
                output.withUnsafeMutableBufferPointer { output in
                    forest.withWalker { walker in
                        for row in 0..<rows {
                            let scores = UnsafeMutableBufferPointer(
                                rebasing: output[(row * targetCount)..<((row + 1) * targetCount)])
                            hasScore.initialize(repeating: false)
                            walker.accumulate(
                                x + row * width, into: scores.baseAddress!,
                                hasScore.baseAddress!, combiner)
                            scoring.finish(scores, hasScore, narrow)
                        }
                    }
                }
            }
        }
    }
}
