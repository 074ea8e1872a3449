/// ai.onnx MatMul over float or double: `[.., M, K] × [K, N]` (A may carry batch
/// dimensions, B is a matrix) or a 1-D operand on either side, as numpy. Each dot product
/// accumulates in the input's type in order of K.
enum MatMulOperator: Operator {
    static let domain = ""
    static let opType = "MatMul"
    static let opsets = 1...22

    final class MatMulKernel: Kernel {
        let node: Node

        init(node: Node) { self.node = node }

        func run(_ frame: KernelFrame) throws(ModelError) {
            let a = frame.input(0)
            let b = frame.input(1)
            guard a.shape.count >= 1, (1...2).contains(b.shape.count) else {
                throw .input(
                    "\(node.label): expected a tensor times a matrix or vector, found shapes \(a.shape) and \(b.shape)"
                )
            }
            let k = a.shape.last!
            let n = b.shape.count == 2 ? b.shape[1] : 1
            guard b.shape[0] == k else {
                throw .input(
                    "\(node.label): expected inner dimensions to agree, found shapes \(a.shape) and \(b.shape)"
                )
            }
            let m = k == 0 ? 0 : a.count / k
            var shape = Array(a.shape.dropLast())
            if b.shape.count == 2 { shape.append(n) }
            let storage: Tensor.Storage
            switch (a.storage, b.storage) {
            case (.float(let x), .float(let y)):
                storage = .float(Self.multiplyFloats(x, y, m, k, n))
            case (.double(let x), .double(let y)): storage = .double(Self.multiply(x, y, m, k, n))
            default: storage = a.storage
            }
            frame.setOutput(0, Tensor(shape: shape, storage: storage))
        }

        /// The float case eight columns at a time; each output still adds its products
        /// one k after another, so the result equals the scalar loop's bit for bit.
        private static func multiplyFloats(
            _ a: [Float], _ b: [Float], _ m: Int, _ k: Int, _ n: Int
        ) -> [Float] {
            var result = [Float](repeating: 0, count: m * n)
            guard m > 0, n > 0, k > 0 else { return result }
            let wide = n - n % 8
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { out in
                        let bBase = UnsafeRawPointer(b.baseAddress!)
                        let outBase = UnsafeMutableRawPointer(out.baseAddress!)
                        for row in 0..<m {
                            for step in 0..<k {
                                let factor = a[row * k + step]
                                let splat = SIMD8<Float>(repeating: factor)
                                let bRow = (step * n) * 4
                                let outRow = (row * n) * 4
                                var column = 0
                                while column < wide {
                                    let offset = column * 4
                                    let sum =
                                        outBase.loadUnaligned(
                                            fromByteOffset: outRow + offset, as: SIMD8<Float>.self)
                                        + splat
                                        * bBase.loadUnaligned(
                                            fromByteOffset: bRow + offset, as: SIMD8<Float>.self)
                                    outBase.storeBytes(
                                        of: sum, toByteOffset: outRow + offset,
                                        as: SIMD8<Float>.self)
                                    column += 8
                                }
                                while column < n {
                                    out[row * n + column] += factor * b[step * n + column]
                                    column += 1
                                }
                            }
                        }
                    }
                }
            }
            return result
        }

        private static func multiply<T: BinaryFloatingPoint>(
            _ a: [T], _ b: [T], _ m: Int, _ k: Int, _ n: Int
        ) -> [T] {
            var result = [T](repeating: 0, count: m * n)
            guard m > 0, n > 0, k > 0 else { return result }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { out in
                        // Row by row, k outer and columns inner: every output still
                        // sums its products in order of k, and the column loop vectorizes.
                        for row in 0..<m {
                            let output = out.baseAddress! + row * n
                            for step in 0..<k {
                                let factor = a[row * k + step]
                                let bRow = b.baseAddress! + step * n
                                for column in 0..<n { output[column] += factor * bRow[column] }
                            }
                        }
                    }
                }
            }
            return result
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        try context.requireInputs(2...2)
        try context.requireType(0, [.float, .double])
        try context.requireSameTypes(0..<2)
        return (MatMulKernel(node: context.node), [context.inputTypes[0]])
    }
}
