#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The post_transform of the ai.onnx.ml classifiers, in float32 with onnxruntime's formulas.
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
        1.41421356 * inverseErf(value * 2 - 1)
    }

    /// onnxruntime's closed-form approximation of erf⁻¹ (Winitzki, a = 0.147).
    static func inverseErf(_ input: Float) -> Float {
        let sign: Float = input < 0 ? -1 : 1
        let x = (1 - input) * (1 + input)
        let log = logf(x)
        let v: Float = 2 / (3.14159 * 0.147) + 0.5 * log
        let v2: Float = 1 / 0.147 * log
        let v3 = -v + sqrtf(v * v - v2)
        return sign * sqrtf(v3 - v)
    }

    static func softmax(_ values: inout ArraySlice<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        var sum: Float = 0
        for index in values.indices {
            values[index] = expf(values[index] - maximum)
            sum += values[index]
        }
        for index in values.indices { values[index] /= sum }
    }

    /// Softmax over the non-zero scores; exact zeros stay zero.
    static func softmaxZero(_ values: inout ArraySlice<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for value in values where value > maximum { maximum = value }
        var sum: Float = 0
        for index in values.indices where values[index] != 0 {
            values[index] = expf(values[index] - maximum)
            sum += values[index]
        }
        for index in values.indices where values[index] != 0 { values[index] /= sum }
    }

    /// Applies the transform to every column of one row.
    func apply(_ row: inout ArraySlice<Float>) {
        switch self {
        case .none: break
        case .logistic: for index in row.indices { row[index] = Self.logistic(row[index]) }
        case .probit: for index in row.indices { row[index] = Self.probit(row[index]) }
        case .softmax: Self.softmax(&row)
        case .softmaxZero: Self.softmaxZero(&row)
        }
    }
}
