/// ai.onnx MatMul over float or double: `[.., M, K] × [K, N]` (A may carry batch
/// dimensions, B is a matrix) or a 1-D operand on either side, as numpy. Float products are
/// summed in the order of onnxruntime's MLAS GEMM on x86-64 (`SgemmOrder`), which depends on
/// whether onnxruntime prepacks B (a constant matrix after its constant folding); doubles in
/// the order of its DGEMM (`DgemmOrder`).
enum MatMulOperator: Operator {
    static let domain = ""
    static let opType = "MatMul"
    static let opsets = 1...22

    final class MatMulKernel: Kernel {
        let node: Node
        /// Whether onnxruntime sees B as a constant, and so prepacks it when it is a matrix.
        let foldedB: Bool
        /// Whether the plan feeds an Add's bias as a third input (`MatMulAddFusion`).
        let fusedBias: Bool

        init(node: Node, foldedB: Bool, fusedBias: Bool = false) {
            self.node = node
            self.foldedB = foldedB
            self.fusedBias = fusedBias
        }

        /// The same MatMul reading the bias of the Add it is fused with as input 2.
        func fused() -> MatMulKernel {
            MatMulKernel(node: node, foldedB: foldedB, fusedBias: true)
        }

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
                var bias: [Float]? = nil
                if fusedBias, case .float(let values) = frame.input(2).storage,
                    MatMulAddFusion.applies(a: a, b: b, bias: frame.input(2))
                {
                    bias = values
                }
                let route: Route =
                    b.shape.count == 1 ? .rowsOneByOne : foldedB ? .packed : .unpacked
                storage = .float(Self.multiplyFloats(x, y, m, k, n, route: route, bias: bias))
            case (.double(let x), .double(let y)):
                storage = .double(DgemmOrder.multiply(x, y, m, k, n))
            default: storage = a.storage
            }
            frame.setOutput(0, Tensor(shape: shape, storage: storage))
        }

        /// How onnxruntime hands a float MatMul to MLAS.
        enum Route {
            /// B is a constant matrix: prepacked at load.
            case packed
            /// B is a matrix computed per run.
            case unpacked
            /// B is a vector: onnxruntime multiplies each row of A on its own, as one-row
            /// GEMMs against an unpacked one-column B.
            case rowsOneByOne
        }

        /// The float case in onnxruntime's order (`SgemmOrder`): a prepacked B through the
        /// blocked kernel whatever M; an unpacked one through the one-row kernel for one row,
        /// the one-column kernel for one column, else the blocked kernel with MLAS's unpacked
        /// block. With a `bias` (`[N]`, fused from an Add) each row starts from it, as
        /// onnxruntime's Gemm does.
        static func multiplyFloats(
            _ a: [Float], _ b: [Float], _ m: Int, _ k: Int, _ n: Int, route: Route,
            bias: [Float]? = nil
        ) -> [Float] {
            var result = [Float](repeating: 0, count: m * n)
            if let bias {
                for row in 0..<m { result.replaceSubrange(row * n..<(row + 1) * n, with: bias) }
            }
            guard m > 0, n > 0, k > 0 else { return result }
            let accumulate = bias != nil
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    result.withUnsafeMutableBufferPointer { out in
                        let (a, b, c) = (a.baseAddress!, b.baseAddress!, out.baseAddress!)
                        switch route {
                        case .packed:
                            SgemmOrder.blocked(
                                a, b, c, m: m, k: k, n: n, block: SgemmOrder.packedBlock,
                                accumulate: accumulate)
                        case .rowsOneByOne:
                            for row in 0..<m {
                                SgemmOrder.rowKernel(
                                    a + row * k, b, c + row, k: k, n: 1, accumulate: accumulate)
                            }
                        case .unpacked where m == 1:
                            SgemmOrder.rowKernel(a, b, c, k: k, n: n, accumulate: accumulate)
                        case .unpacked where n == 1:
                            SgemmOrder.dotKernel(a, b, c, m: m, k: k, accumulate: accumulate)
                        case .unpacked:
                            SgemmOrder.blocked(
                                a, b, c, m: m, k: k, n: n,
                                block: SgemmOrder.unpackedBlock(k, n), accumulate: accumulate)
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
        return (
            MatMulKernel(node: context.node, foldedB: context.isFolded(1)),
            [context.inputTypes[0]]
        )
    }
}
