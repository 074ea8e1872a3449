/// Turns one row's summed class scores into its label and probability columns exactly as
/// onnxruntime's TreeAggregatorClassifier::FinalizeScores and write_scores do, quirks
/// included, because the service promises onnxruntime's numbers:
///
/// - A class that received no weight counts as 0 in the probabilities even when a base
///   value was added to it (onnxruntime tracks `has_score` separately from the sum).
/// - Two classes but one weighted column (skl2onnx's binary export) yield one score `s`:
///   all-positive weights give [1-s, s] and the positive label iff s > 0.5; mixed weights
///   give [-s, s] and the positive label iff s > 0. LOGISTIC turns either into
///   [σ(-s), σ(s)] (onnxruntime 1.31 does so for both, as measured); PROBIT fills only the
///   first column.
/// - Two classes weighted on both columns label by "second column > 0" and, with integer
///   labels, output the literal 0 or 1 rather than the class label.
struct ClassifierScoring<Scalar: TreeScalar>: Sendable {
    let classCount: Int
    let baseValues: [Scalar]
    let postTransform: PostTransform
    /// Two classes and every weight on one class column.
    let binaryCase: Bool
    let weightsAllPositive: Bool

    init(_ definition: TreeEnsembleDefinition<Scalar>) {
        classCount = definition.targetCount
        baseValues = definition.baseValues
        postTransform = definition.postTransform
        binaryCase = classCount == 2 && definition.weightClasses.count == 1
        weightsAllPositive = definition.weightsAllPositive
    }

    /// Whether the label is the literal 0 or 1 of the two-column binary rule.
    var labelsAreLiteral: Bool { classCount == 2 && !binaryCase }

    /// Writes `classCount` probabilities for one row from its sums; `scores` and `hasScore`
    /// are consumed.
    @inline(__always)
    func finish(
        _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>,
        into output: UnsafeMutablePointer<Float>
    ) -> LabelChoice {
        classCount == 2
            ? finishBinary(scores, hasScore, output)
            : finishMulticlass(scores, hasScore, output)
    }

    private func finishMulticlass(
        _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>,
        _ output: UnsafeMutablePointer<Float>
    ) -> LabelChoice {
        for (index, base) in baseValues.enumerated() {
            scores[index] = hasScore[index] ? scores[index] + base : base
            hasScore[index] = true
        }
        // The first strictly largest scored class; ties keep the lowest index.
        var best = -1
        for index in 0..<classCount where hasScore[index] {
            if best == -1 || scores[index] > scores[best] { best = index }
        }
        writeColumns(scores, hasScore, count: classCount, output)
        // onnxruntime indexes the labels with -1 when no class scored; only an ensemble whose
        // reached leaves all lack weights gets here, and the first class is the safe answer.
        return .position(max(best, 0))
    }

    private func finishBinary(
        _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>,
        _ output: UnsafeMutablePointer<Float>
    ) -> LabelChoice {
        var secondColumn = true
        // What write_scores calls add_second_class: -1 none, 0/1 all-positive weights,
        // 2/3 mixed weights.
        var pairing = -1
        switch baseValues.count {
        case 2:
            if hasScore[1] {
                // onnxruntime uses only base_values[1] here, on the first column's sum.
                scores[1] = baseValues[1] + scores[0]
                scores[0] = -scores[1]
            } else {
                scores[1] += baseValues[1]
                scores[0] += baseValues[0]
            }
        case 1:
            scores[0] += baseValues[0]
            secondColumn = hasScore[1]
        default:
            pairing = 3
            secondColumn = hasScore[1]
        }

        let positive: Scalar =
            secondColumn && hasScore[1] ? scores[1] : (hasScore[0] ? scores[0] : 0)
        let choice: LabelChoice
        if binaryCase {
            if weightsAllPositive {
                pairing = positive > 0.5 ? 0 : 1
                choice = .position(positive > 0.5 ? 1 : 0)
            } else {
                pairing = positive > 0 ? 2 : 3
                choice = .position(positive > 0 ? 1 : 0)
            }
        } else {
            choice = .literal(positive > 0 ? 1 : 0)
        }

        if secondColumn {
            writeColumns(scores, hasScore, count: 2, output)
            return choice
        }
        let score: Scalar = hasScore[0] ? scores[0] : 0
        switch (postTransform, pairing) {
        case (.probit, _):
            // onnxruntime writes only the first column here; the second is left as 0.
            output[0] = PostTransform.probit(score.float)
            output[1] = 0
        case (.logistic, 0...3):
            output[0] = PostTransform.logistic((-score).float)
            output[1] = PostTransform.logistic(score.float)
        case (_, 0...1):
            output[0] = (1 - score).float
            output[1] = score.float
        case (_, 2...3):
            output[0] = (-score).float
            output[1] = score.float
        default:
            output[0] = score.float
            output[1] = 0
        }
        return choice
    }

    /// write_scores for two or more columns: unscored classes count as 0.
    private func writeColumns(
        _ scores: UnsafeMutablePointer<Scalar>, _ hasScore: UnsafeMutablePointer<Bool>,
        count: Int, _ output: UnsafeMutablePointer<Float>
    ) {
        for index in 0..<count {
            output[index] = hasScore[index] ? scores[index].float : 0
        }
        postTransform.apply(UnsafeMutableBufferPointer(start: output, count: count))
    }
}

/// Which label a row gets: a position in the class labels, or (onnxruntime's two-column
/// binary rule) the literal 0 or 1 whatever the labels are.
enum LabelChoice {
    case position(Int)
    case literal(Int)
}
