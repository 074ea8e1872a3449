#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The post_transform of the ai.onnx.ml classifiers, computed in float32 with
/// onnxruntime's formulas (ml_common.h), so probabilities match it to the last bit or two.
enum PostTransform: String, Sendable {
    case none = "NONE"
    case logistic = "LOGISTIC"
    case softmax = "SOFTMAX"
    case softmaxZero = "SOFTMAX_ZERO"
    case probit = "PROBIT"

    /// Written so that neither large positive nor large negative scores overflow expf.
    static func logistic(_ value: Float) -> Float {
        let v = 1 / (1 + expf(-abs(value)))
        return value < 0 ? 1 - v : v
    }

    static func probit(_ value: Float) -> Float {
        Float(2).squareRoot() * inverseErf(2 * value - 1)
    }

    /// Winitzki's closed-form approximation of erf⁻¹ with a = 0.147, as onnxruntime uses
    /// it; outside (-1, 1) it yields NaN or infinity, as there.
    static func inverseErf(_ input: Float) -> Float {
        let sign: Float = input < 0 ? -1 : 1
        let x = (1 - input) * (1 + input)
        let log = logf(x)
        // π rounded to nearest, as C's (float)M_PI; Float.pi rounds toward zero.
        let pi: Float = 3.14159265358979323846
        let v = 2 / (pi * 0.147) + 0.5 * log
        let v2 = 1 / 0.147 * log
        let v3 = -v + sqrtf(v * v - v2)
        return sign * sqrtf(v3)
    }

    /// Applies the transform to the columns of one row (onnxruntime's write_scores for two
    /// or more columns).
    func apply(_ row: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .none: break
        case .logistic: for index in row.indices { row[index] = Self.logistic(row[index]) }
        case .probit: for index in row.indices { row[index] = Self.probit(row[index]) }
        case .softmax: Self.softmax(row)
        case .softmaxZero: Self.softmaxZero(row)
        }
    }

    private static func softmax(_ values: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        var sum: Float = 0
        for index in values.indices {
            values[index] = expf(values[index] - maximum)
            sum += values[index]
        }
        for index in values.indices { values[index] /= sum }
    }

    /// Softmax that leaves near-zero scores (|v| ≤ 1e-7, meaning "no score") out of the
    /// exponentials: they are scaled by e^-max instead, so exact zeros stay zero.
    private static func softmaxZero(_ values: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        let scale = expf(-maximum)
        var sum: Float = 0
        for index in values.indices {
            let value = values[index]
            if value > 0.0000001 || value < -0.0000001 {
                values[index] = expf(value - maximum)
                sum += values[index]
            } else {
                values[index] = value * scale
            }
        }
        for index in values.indices { values[index] /= sum }
    }
}
