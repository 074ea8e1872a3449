/// numpy-style multidirectional broadcasting (ONNX's rule for Add, Sub, Mul, Div, Pow,
/// Equal, Where, Sum): shapes align from the right and a dimension of 1 stretches.
enum Broadcast {
    /// The broadcast shape of `shapes`, or nil when two dimensions differ and neither is 1.
    static func shape(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            for (offset, dim) in shape.reversed().enumerated() {
                let position = rank - 1 - offset
                if result[position] == 1 {
                    result[position] = dim
                } else if dim != 1 && dim != result[position] {
                    return nil
                }
            }
        }
        return result
    }

    /// For every element of `output` (row-major), the position of the element of a tensor
    /// of shape `shape` it reads.
    static func sourceIndices(_ shape: [Int], into output: [Int]) -> [Int] {
        let total = output.reduce(1, *)
        let count = shape.reduce(1, *)
        if count == total { return Array(0..<total) }
        if count == 1 { return [Int](repeating: 0, count: total) }
        let rank = output.count
        let padded = [Int](repeating: 1, count: rank - shape.count) + shape
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        return stridedIndices(shape: output, strides: strides)
    }

    /// Walks `shape` in row-major order and returns, for each element, the offset reached by
    /// stepping `strides[axis]` along each axis (a stride of 0 repeats the element).
    static func stridedIndices(shape: [Int], strides: [Int]) -> [Int] {
        let rank = shape.count
        let total = shape.reduce(1, *)
        var indices: [Int] = []
        indices.reserveCapacity(total)
        var counter = [Int](repeating: 0, count: rank)
        var source = 0
        for _ in 0..<total {
            indices.append(source)
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                source += strides[axis]
                if counter[axis] < shape[axis] { break }
                source -= strides[axis] * counter[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return indices
    }

    /// `f` applied elementwise over `a` and `b` broadcast to `shape`.
    @inline(__always)
    static func combine<A, B, R>(
        _ a: [A], _ aShape: [Int], _ b: [B], _ bShape: [Int], into shape: [Int],
        _ f: (A, B) -> R
    ) -> [R] {
        let total = shape.reduce(1, *)
        var result: [R] = []
        result.reserveCapacity(total)
        if a.count == total && b.count == total {
            for index in 0..<total { result.append(f(a[index], b[index])) }
        } else if b.count == 1 && a.count == total {
            let value = b[0]
            for index in 0..<total { result.append(f(a[index], value)) }
        } else if a.count == 1 && b.count == total {
            let value = a[0]
            for index in 0..<total { result.append(f(value, b[index])) }
        } else if a.count == total, isTrailing(bShape, of: shape) {
            // [N, F] with [F]: the second operand repeats every b.count elements.
            let period = b.count
            for index in 0..<total { result.append(f(a[index], b[index % period])) }
        } else if b.count == total, isTrailing(aShape, of: shape) {
            let period = a.count
            for index in 0..<total { result.append(f(a[index % period], b[index])) }
        } else {
            let left = sourceIndices(aShape, into: shape)
            let right = sourceIndices(bShape, into: shape)
            for index in 0..<total { result.append(f(a[left[index]], b[right[index]])) }
        }
        return result
    }

    /// Whether `shape`, leading 1s aside, equals the trailing dimensions of `output`, so
    /// that its elements repeat in order along the output.
    static func isTrailing(_ shape: [Int], of output: [Int]) -> Bool {
        let trimmed = shape.drop { $0 == 1 }
        return trimmed.count <= output.count && output.suffix(trimmed.count).elementsEqual(trimmed)
    }
}
