import ONNXRuntime

/// Decoded feature values of a batch, one typed column per feature, ready to become the
/// graph's input tensors without another conversion.
struct FeatureColumns {
    /// Where a feature's values go: which typed store, and which column in it.
    private enum Slot {
        case float(Int)
        case double(Int)
        case int64(Int)
        case string(Int)
    }

    private let slots: [Slot]
    private var floats: [[Float]] = []
    private var doubles: [[Double]] = []
    private var int64s: [[Int64]] = []
    private var strings: [[String]] = []
    private(set) var rowCount = 0

    init(features: [Feature], rowCapacity: Int) {
        var slots: [Slot] = []
        for feature in features {
            let capacity = rowCapacity * feature.width
            switch feature.elementType {
            case .double:
                slots.append(.double(doubles.count))
                doubles.append(Self.empty(capacity: capacity))
            case .int64:
                slots.append(.int64(int64s.count))
                int64s.append(Self.empty(capacity: capacity))
            case .string:
                slots.append(.string(strings.count))
                strings.append(Self.empty(capacity: capacity))
            default:
                slots.append(.float(floats.count))
                floats.append(Self.empty(capacity: capacity))
            }
        }
        self.slots = slots
    }

    /// Appends one number to a numeric column. `value` is already known to be acceptable:
    /// finite, or NaN for null, and integral for int64 columns.
    mutating func append(number value: Double, to column: Int) {
        switch slots[column] {
        case .float(let slot): floats[slot].append(Float(value))
        case .double(let slot): doubles[slot].append(value)
        case .int64(let slot): int64s[slot].append(Int64(value))
        case .string: preconditionFailure("a number was decoded for a string column")
        }
    }

    mutating func append(string value: String, to column: Int) {
        guard case .string(let slot) = slots[column] else {
            preconditionFailure("a string was decoded for a numeric column")
        }
        strings[slot].append(value)
    }

    private static func empty<Element>(capacity: Int) -> [Element] {
        var values: [Element] = []
        values.reserveCapacity(capacity)
        return values
    }

    mutating func finishRow() {
        rowCount += 1
    }

    /// The feeds for `InferenceModel.run`, in feature order, shaped `[N]` or `[N, width]` as
    /// each input is declared.
    func tensors(for features: [Feature]) -> [Tensor] {
        zip(features, slots).map { feature, slot in
            let shape = feature.rank == 1 ? [rowCount] : [rowCount, feature.width]
            let storage: Tensor.Storage
            switch slot {
            case .float(let index): storage = .float(floats[index])
            case .double(let index): storage = .double(doubles[index])
            case .int64(let index): storage = .int64(int64s[index])
            case .string(let index): storage = .string(strings[index])
            }
            return Tensor(shape: shape, storage: storage)
        }
    }
}
