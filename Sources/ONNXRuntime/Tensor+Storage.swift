extension Tensor.Storage {
    /// How many elements.
    var count: Int {
        switch self {
        case .float(let values): values.count
        case .double(let values): values.count
        case .int64(let values): values.count
        case .string(let values): values.count
        case .bool(let values): values.count
        }
    }

    var elementType: ElementType {
        switch self {
        case .float: .float
        case .double: .double
        case .int64: .int64
        case .string: .string
        case .bool: .bool
        }
    }
}
extension Tensor.Storage {
    /// The elements at `indices`, in that order, of the same type.
    func gathering(_ indices: [Int]) -> Tensor.Storage {
        switch self {
        case .float(let values): .float(indices.map { values[$0] })
        case .double(let values): .double(indices.map { values[$0] })
        case .int64(let values): .int64(indices.map { values[$0] })
        case .string(let values): .string(indices.map { values[$0] })
        case .bool(let values): .bool(indices.map { values[$0] })
        }
    }
}

extension Tensor.Storage {
    /// Several storages of one type back to back.
    static func concatenating(_ parts: [Tensor.Storage]) -> Tensor.Storage {
        func join<T>(_ values: (Tensor.Storage) -> [T]) -> [T] {
            var result: [T] = []
            for part in parts { result.append(contentsOf: values(part)) }
            return result
        }
        switch parts.first {
        case .float?: return .float(join { Tensor(unchecked: [], $0).floatValues })
        case .double?: return .double(join { Tensor(unchecked: [], $0).doubleValues })
        case .int64?: return .int64(join { Tensor(unchecked: [], $0).int64Values })
        case .string?: return .string(join { Tensor(unchecked: [], $0).stringValues })
        case .bool?: return .bool(join { Tensor(unchecked: [], $0).boolValues })
        case nil: return .float([])
        }
    }
}

extension Tensor {
    /// Index `position` of axis 0, with the remaining dimensions.
    func slice(_ position: Int) -> Tensor {
        let inner = shape.dropFirst().reduce(1, *)
        let range = (position * inner)..<((position + 1) * inner)
        let part: Storage
        switch storage {
        case .float(let values): part = .float(Array(values[range]))
        case .double(let values): part = .double(Array(values[range]))
        case .int64(let values): part = .int64(Array(values[range]))
        case .string(let values): part = .string(Array(values[range]))
        case .bool(let values): part = .bool(Array(values[range]))
        }
        return Tensor(shape: Array(shape.dropFirst()), storage: part)
    }
}
