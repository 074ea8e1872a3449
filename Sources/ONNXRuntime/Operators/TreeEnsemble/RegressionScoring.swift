#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns one row's combined target scores into TreeEnsemble's (opset 5) output as
/// onnxruntime 1.31 does: AVERAGE divides by the number of trees once, at the end; each
/// finished score is added to a zero (its absent base value), which also turns a MIN or MAX
/// of -0 into +0; a target that no leaf reached reads 0. The post transform runs last, on
/// each row, in float32 even for double input (SOFTMAX_ZERO only divides in float64 there).
struct RegressionScoring<Scalar: TreeScalar>: Sendable {
    let aggregate: TreeAggregate
    let postTransform: PostTransform
    let treeCount: Int

    init(_ definition: TreeEnsembleDefinition<Scalar>) {
        aggregate = definition.aggregate
        postTransform = definition.postTransform
        treeCount = definition.roots.count
    }

    /// Finishes one row in place; `narrow` is float32 room for as many columns.
    @inline(__always)
    func finish(
        _ scores: UnsafeMutableBufferPointer<Scalar>, _ hasScore: UnsafeMutableBufferPointer<Bool>,
        _ narrow: UnsafeMutableBufferPointer<Float>
    ) {
        let trees = Scalar(treeCount)
        for target in scores.indices {
            let score = aggregate == .average ? scores[target] / trees : scores[target]
            scores[target] = hasScore[target] ? 0 + score : 0
        }
        switch postTransform {
        case .none: return
        case .softmaxZero where Scalar.self == Double.self:
            let base = UnsafeMutableRawPointer(scores.baseAddress!)
                .assumingMemoryBound(to: Double.self)
            Self.softmaxZero(UnsafeMutableBufferPointer(start: base, count: scores.count))
        default:
            if Scalar.self == Float.self {
                let base = UnsafeMutableRawPointer(scores.baseAddress!)
                    .assumingMemoryBound(to: Float.self)
                postTransform.apply(UnsafeMutableBufferPointer(start: base, count: scores.count))
            } else {
                for target in scores.indices { narrow[target] = scores[target].float }
                let row = UnsafeMutableBufferPointer(rebasing: narrow[0..<scores.count])
                postTransform.apply(row)
                for target in scores.indices { scores[target] = Scalar(row[target]) }
            }
        }
    }

    /// SOFTMAX_ZERO for double scores, as onnxruntime 1.31 computes it (measured bit for
    /// bit): scores within 1e-7 of zero stay out and are only scaled by e^-max; the others'
    /// exponentials are taken and summed in float32, and each score is divided by that sum
    /// in float64.
    private static func softmaxZero(_ values: UnsafeMutableBufferPointer<Double>) {
        var maximum = -Double.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        let narrowMaximum = Float(maximum)
        let scale = Double(expf(-narrowMaximum))
        var sum: Float = 0
        for index in values.indices {
            let value = values[index]
            if value > 0.0000001 || value < -0.0000001 {
                let exponential = expf(Float(value) - narrowMaximum)
                values[index] = Double(exponential)
                sum += exponential
            } else {
                values[index] = value * scale
            }
        }
        let total = Double(sum)
        for index in values.indices { values[index] /= total }
    }
}
