/// The Add of a MatMul-Add pair (`MatMulAddFusion`): when the pair fuses, the MatMul has
/// already added the bias, and this passes its output on; otherwise it is the plain Add.
final class FusedAddKernel: Kernel {
    let add: any Kernel
    /// The position of the MatMul's output among the Add's inputs.
    let productPosition: Int

    init(add: any Kernel, productPosition: Int) {
        self.add = add
        self.productPosition = productPosition
    }

    func run(_ frame: KernelFrame) throws(ModelError) {
        let product = frame.input(productPosition)
        let bias = frame.input(1 - productPosition)
        // The product is a float matrix exactly when A is a float matrix and B a matrix, so
        // its shape and the bias's tell whether the MatMul fused (`MatMulAddFusion.applies`).
        if product.shape.count == 2, case .float = product.storage,
            MatMulAddFusion.isBias(bias, columns: product.shape[1])
        {
            frame.setOutput(0, product)
        } else {
            try add.run(frame)
        }
    }
}
