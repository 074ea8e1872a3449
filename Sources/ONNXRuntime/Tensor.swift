/// A dense tensor: a shape and its elements in row-major order.
public struct Tensor: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        case float([Float])
        case double([Double])
        case int64([Int64])
        case string([String])
        case bool([Bool])
    }

    public var shape: [Int]
    public var storage: Storage

    public init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
        precondition(
            shape.reduce(1, *) == count, "shape \(shape) does not hold \(count) elements")
    }

    public var elementType: ElementType {
        switch storage {
        case .float: .float
        case .double: .double
        case .int64: .int64
        case .string: .string
        case .bool: .bool
        }
    }

    public var count: Int {
        switch storage {
        case .float(let values): values.count
        case .double(let values): values.count
        case .int64(let values): values.count
        case .string(let values): values.count
        case .bool(let values): values.count
        }
    }
}

extension Tensor {
    /// For decoders that check the element count themselves and report it as a model error.
    init(unchecked shape: [Int], _ storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    // Typed views for kernels whose input types were checked at load; empty otherwise.
    var floatValues: [Float] { if case .float(let values) = storage { values } else { [] } }
    var doubleValues: [Double] { if case .double(let values) = storage { values } else { [] } }
    var int64Values: [Int64] { if case .int64(let values) = storage { values } else { [] } }
    var stringValues: [String] { if case .string(let values) = storage { values } else { [] } }
    var boolValues: [Bool] { if case .bool(let values) = storage { values } else { [] } }
}
