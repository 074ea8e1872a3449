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

    /// The elements as float32, converting numeric storage the way a Cast to float would.
    func floats() -> [Float]? {
        switch storage {
        case .float(let values): values
        case .double(let values): values.map { Float($0) }
        case .int64(let values): values.map { Float($0) }
        case .bool(let values): values.map { $0 ? 1 : 0 }
        case .string: nil
        }
    }
}

/// One dimension of a declared shape.
public enum Dimension: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case symbolic(String?)

    public var description: String {
        switch self {
        case .fixed(let size): "\(size)"
        case .symbolic(let name): name ?? "?"
        }
    }
}

/// A graph input or output as the model declares it.
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let elementType: ElementType
    /// nil when the model declares no shape.
    public let shape: [Dimension]?
}

/// The classes of a classifier, in the order of its probability columns.
public enum ClassLabels: Sendable, Equatable {
    case int64s([Int64])
    case strings([String])

    var count: Int {
        switch self {
        case .int64s(let ids): ids.count
        case .strings(let names): names.count
        }
    }
}

extension Tensor {
    /// For decoders that check the element count themselves and report it as a model error.
    init(unchecked shape: [Int], _ storage: Storage) {
        self.shape = shape
        self.storage = storage
    }
}
