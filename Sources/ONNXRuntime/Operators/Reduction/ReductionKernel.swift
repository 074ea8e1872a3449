#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ai.onnx Reduce* family over float, double (and int64 where the op allows it):
/// `axes` from the attribute (older opsets) or the second input (ReduceSum from opset 13,
/// the others from 18), `keepdims` (default 1) and `noop_with_empty_axes`. Each output
/// element accumulates its inputs in row-major order, in the input's type.
final class ReductionKernel: Kernel {
    enum Kind {
        case sum, sumSquare, mean, max, min, logSumExp, prod
    }

    let node: Node
    let kind: Kind
    let attributeAxes: [Int]?
    let keepDims: Bool
    let noopWithEmptyAxes: Bool

    init(node: Node, kind: Kind, attributeAxes: [Int]?, keepDims: Bool, noopWithEmptyAxes: Bool) {
        self.node = node
        self.kind = kind
        self.attributeAxes = attributeAxes
        self.keepDims = keepDims
        self.noopWithEmptyAxes = noopWithEmptyAxes
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let input = frame.input(0)
        let rank = input.shape.count
        var axes = attributeAxes ?? []
        if frame.inputCount > 1 { axes = frame.input(1).int64Values.map { Int($0) } }
        if axes.isEmpty && noopWithEmptyAxes {
            frame.setOutput(0, input)
            return
        }
        var reduced = [Bool](repeating: axes.isEmpty, count: rank)
        for axis in axes {
            guard let normalized = Axis.normalized(axis, rank: rank) else {
                throw .input(
                    "\(node.label): expected axes within rank \(rank), found \(axes) for input shape \(input.shape)"
                )
            }
            reduced[normalized] = true
        }
        let kept = input.shape.indices.map { reduced[$0] ? 1 : input.shape[$0] }
        let outputShape =
            keepDims ? kept : input.shape.indices.filter { !reduced[$0] }.map { input.shape[$0] }
        let outputCount = kept.reduce(1, *)
        let groupSize = outputCount == 0 ? 0 : input.count / outputCount
        // Float reductions over one contiguous run of axes (the usual case) skip the
        // per-element target table.
        if let layout = Self.contiguousLayout(input.shape, reduced), kind != .logSumExp {
            switch input.storage {
            case .float(let values):
                let result = reduceBlocks(values, layout)
                frame.setOutput(0, Tensor(shape: outputShape, storage: .float(result)))
                return
            case .double(let values):
                let result = reduceBlocks(values, layout)
                frame.setOutput(0, Tensor(shape: outputShape, storage: .double(result)))
                return
            default: break
            }
        }
        let targets = Self.targets(input.shape, reduced, kept)
        let storage: Tensor.Storage
        switch input.storage {
        case .float(let values):
            storage = .float(reduce(values, targets, outputCount, groupSize, exp: expf, log: logf))
        case .double(let values):
            storage = .double(reduce(values, targets, outputCount, groupSize, exp: exp, log: log))
        case .int64(let values):
            storage = .int64(reduceIntegers(values, targets, outputCount, groupSize))
        default: storage = input.storage
        }
        frame.setOutput(0, Tensor(shape: outputShape, storage: storage))
    }

    /// `(outer, block, inner)` when the reduced axes are one contiguous run: every output
    /// element then accumulates `block` inputs `inner` apart.
    private static func contiguousLayout(
        _ shape: [Int], _ reduced: [Bool]
    ) -> (outer: Int, block: Int, inner: Int)? {
        guard let first = reduced.firstIndex(of: true), let last = reduced.lastIndex(of: true),
            reduced[first...last].allSatisfy({ $0 })
        else { return nil }
        return (
            shape[..<first].reduce(1, *), shape[first...last].reduce(1, *),
            shape[(last + 1)...].reduce(1, *)
        )
    }

    /// Sum, sum of squares, mean, max, min or product over a contiguous run of axes, each output
    /// element accumulating its inputs in row-major order.
    private func reduceBlocks<T: BinaryFloatingPoint>(
        _ values: [T], _ layout: (outer: Int, block: Int, inner: Int)
    ) -> [T] {
        let (outer, block, inner) = layout
        let initial: T =
            switch kind {
            case .max: -.infinity
            case .min: .infinity
            case .prod: 1
            default: 0
            }
        var result = [T](repeating: initial, count: outer * inner)
        values.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { out in
                for o in 0..<outer {
                    for b in 0..<block {
                        let base = (o * block + b) * inner
                        for i in 0..<inner {
                            let value = x[base + i]
                            let target = o * inner + i
                            switch kind {
                            case .sum, .mean: out[target] += value
                            case .sumSquare: out[target] += value * value
                            case .prod: out[target] *= value
                            case .max: if value > out[target] { out[target] = value }
                            case .min: if value < out[target] { out[target] = value }
                            case .logSumExp: break
                            }
                        }
                    }
                }
                if kind == .mean, block > 0 {
                    for index in out.indices { out[index] /= T(block) }
                }
            }
        }
        return result
    }

    /// For each input element, the output element it accumulates into.
    private static func targets(_ shape: [Int], _ reduced: [Bool], _ kept: [Int]) -> [Int] {
        guard let first = reduced.firstIndex(of: true), let last = reduced.lastIndex(of: true),
            reduced[first...last].allSatisfy({ $0 })
        else { return Broadcast.sourceIndices(kept, into: shape) }
        // One contiguous block of reduced axes: outer × block × inner, without an odometer.
        let outer = shape[..<first].reduce(1, *)
        let block = shape[first...last].reduce(1, *)
        let inner = shape[(last + 1)...].reduce(1, *)
        var targets: [Int] = []
        targets.reserveCapacity(outer * block * inner)
        for o in 0..<outer {
            for _ in 0..<block {
                for i in 0..<inner { targets.append(o * inner + i) }
            }
        }
        return targets
    }

    private func reduce<T: BinaryFloatingPoint>(
        _ values: [T], _ targets: [Int], _ count: Int, _ groupSize: Int,
        exp: (T) -> T, log: (T) -> T
    ) -> [T] {
        switch kind {
        case .sum, .mean:
            var result = [T](repeating: 0, count: count)
            for index in values.indices { result[targets[index]] += values[index] }
            if kind == .mean { for index in result.indices { result[index] /= T(groupSize) } }
            return result
        case .sumSquare:
            var result = [T](repeating: 0, count: count)
            for index in values.indices { result[targets[index]] += values[index] * values[index] }
            return result
        case .prod:
            var result = [T](repeating: 1, count: count)
            for index in values.indices { result[targets[index]] *= values[index] }
            return result
        case .max, .min:
            var result = [T](repeating: kind == .max ? -.infinity : .infinity, count: count)
            for index in values.indices {
                let value = values[index]
                let target = targets[index]
                if kind == .max ? value > result[target] : value < result[target] {
                    result[target] = value
                }
            }
            return result
        case .logSumExp:
            var maxima = [T](repeating: -.infinity, count: count)
            for index in values.indices where values[index] > maxima[targets[index]] {
                maxima[targets[index]] = values[index]
            }
            // onnxruntime shifts by the maximum only when it is finite.
            for index in maxima.indices where !maxima[index].isFinite { maxima[index] = 0 }
            var sums = [T](repeating: 0, count: count)
            for index in values.indices {
                sums[targets[index]] += exp(values[index] - maxima[targets[index]])
            }
            return sums.indices.map { log(sums[$0]) + maxima[$0] }
        }
    }

    private func reduceIntegers(
        _ values: [Int64], _ targets: [Int], _ count: Int, _ groupSize: Int
    ) -> [Int64] {
        switch kind {
        case .max, .min:
            var result = [Int64](repeating: kind == .max ? .min : .max, count: count)
            for index in values.indices {
                let target = targets[index]
                result[target] =
                    kind == .max
                    ? Swift.max(result[target], values[index])
                    : Swift.min(result[target], values[index])
            }
            return result
        case .prod:
            var result = [Int64](repeating: 1, count: count)
            for index in values.indices { result[targets[index]] &*= values[index] }
            return result
        default:
            var result = [Int64](repeating: 0, count: count)
            for index in values.indices {
                let value = kind == .sumSquare ? values[index] &* values[index] : values[index]
                result[targets[index]] &+= value
            }
            if kind == .mean, groupSize > 0 {
                for index in result.indices { result[index] /= Int64(groupSize) }
            }
            return result
        }
    }

    /// The kernel for a Reduce* node: axes move from attribute to input at `axesInputFrom`.
    static func make(
        _ context: KernelContext, _ kind: Kind, axesInputFrom: Int
    ) throws(ModelError) -> (any Kernel, [ElementType]) {
        let node = context.node
        let axesAsInput = context.opset >= axesInputFrom
        try context.requireInputs(axesAsInput ? 1...2 : 1...1)
        try context.requireType(
            0, kind == .logSumExp ? [.float, .double] : [.float, .double, .int64])
        if context.inputTypes.count > 1 { try context.requireType(1, [.int64]) }
        let axes = axesAsInput ? nil : try node.ints("axes")?.map { Int($0) }
        let kernel = ReductionKernel(
            node: node, kind: kind, attributeAxes: axes,
            keepDims: try node.int("keepdims", default: 1) != 0,
            noopWithEmptyAxes: try node.int("noop_with_empty_axes", default: 0) != 0)
        return (kernel, [context.inputTypes[0]])
    }
}
