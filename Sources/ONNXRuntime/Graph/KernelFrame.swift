/// The values of one run as seen by the node being evaluated: its inputs to read and its
/// outputs to write, addressed by position. Kernels read and write slots in place, so a run
/// builds no argument or result arrays.
struct KernelFrame {
    private let values: UnsafeMutablePointer<Value?>
    private let inputSlots: UnsafePointer<Int32>
    private let outputSlots: UnsafePointer<Int32>
    let inputCount: Int
    let outputCount: Int

    init(
        values: UnsafeMutablePointer<Value?>, inputSlots: UnsafePointer<Int32>, inputCount: Int,
        outputSlots: UnsafePointer<Int32>, outputCount: Int
    ) {
        self.values = values
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        self.inputCount = inputCount
        self.outputCount = outputCount
    }

    /// Input `index`. The plan runs nodes in topological order, so it is always set, and
    /// refuses at load to feed a sequence of maps to any node, so it is a tensor.
    @inline(__always)
    func input(_ index: Int) -> Tensor {
        guard case .tensor(let tensor) = values[Int(inputSlots[index])].unsafelyUnwrapped else {
            preconditionFailure("the plan feeds only tensors to kernels")
        }
        return tensor
    }

    /// Stores output `index`, unless the graph omits that output.
    @inline(__always)
    func setOutput(_ index: Int, _ tensor: Tensor) {
        setOutput(index, .tensor(tensor))
    }

    @inline(__always)
    func setOutput(_ index: Int, _ value: Value) {
        guard index < outputCount else { return }
        let slot = Int(outputSlots[index])
        if slot >= 0 { values[slot] = value }
    }
}
