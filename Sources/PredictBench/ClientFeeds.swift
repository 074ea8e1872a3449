import ONNXRuntime
import PredictService

/// Graph feeds holding one client's values, repeated for a batch: built once, outside the
/// timed loop, so that only the graph's evaluation is measured.
enum ClientFeeds {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One tensor per graph input, in the order of `model.inputs`; each input takes the
    /// client member of the same name, shaped `[rows]` or `[rows, 1]` as it is declared.
    static func positional(
        for model: InferenceModel, client: JSONValue, rows: Int
    ) throws(Failure) -> [Tensor] {
        var feeds: [Tensor] = []
        for input in model.inputs {
            guard let value = client[input.name] else {
                throw Failure(description: "the client has no member '\(input.name)'")
            }
            let shape = input.shape?.count == 1 ? [rows] : [rows, 1]
            feeds.append(Tensor(shape: shape, storage: try storage(value, input, rows: rows)))
        }
        return feeds
    }

    /// The same feeds keyed by input name, for the `run(_: [String: Tensor])` entry point.
    static func named(
        for model: InferenceModel, client: JSONValue, rows: Int
    ) throws(Failure) -> [String: Tensor] {
        let tensors = try positional(for: model, client: client, rows: rows)
        return Dictionary(
            uniqueKeysWithValues: zip(model.inputs.map(\.name), tensors))
    }

    private static func storage(
        _ value: JSONValue, _ input: TensorInfo, rows: Int
    ) throws(Failure) -> Tensor.Storage {
        switch (input.elementType, value) {
        case (.string, .string(let text)):
            return .string(Array(repeating: text, count: rows))
        case (.float, .number(let number)):
            return .float(Array(repeating: Float(number), count: rows))
        case (.double, .number(let number)):
            return .double(Array(repeating: number, count: rows))
        case (.int64, .number(let number)):
            return .int64(Array(repeating: Int64(number), count: rows))
        default:
            throw Failure(
                description: "input '\(input.name)' takes \(input.elementType) elements; "
                    + "the client gives \(value.kindDescription)")
        }
    }

    /// One row's values as the row plan takes them: the numbers (at each number input's
    /// offset) and each category input's position, from the positional one-row feeds.
    static func rowValues(
        for plan: RowPlan, feeds: [Tensor]
    ) -> (numbers: [Double], categories: [Int]) {
        var numbers = [Double](repeating: .nan, count: plan.numberCount)
        var categories = [Int](repeating: -1, count: plan.inputs.count)
        for (index, input) in plan.inputs.enumerated() {
            switch (input, feeds[index].storage) {
            case (.number(_, let offset, _), .float(let values)):
                numbers[offset] = Double(values[0])
            case (.number(_, let offset, _), .double(let values)): numbers[offset] = values[0]
            case (.number(_, let offset, _), .int64(let values)):
                numbers[offset] = Double(values[0])
            case (.category(let known), .string(let values)):
                categories[index] = known.position(of: values[0]) ?? -1
            default: break
            }
        }
        return (numbers, categories)
    }
}
