/// The graph compiled at load: values live in numbered slots, nodes run in a topological
/// order and read their inputs from slots, so a run does no name lookups beyond the feeds.
struct ExecutionPlan: Sendable {
    struct Step: Sendable {
        let kernel: any Kernel
        /// Where the node's input slots start in `slotIndices`, and how many.
        let inputStart: Int
        let inputCount: Int
        /// The same for outputs; an output the graph omits (empty name) has slot -1.
        let outputStart: Int
        let outputCount: Int
    }

    /// What a feed must be: its slot, element type and declared dimensions (-1 where any
    /// size goes), nil dimensions when the model declares no shape.
    struct InputCheck: Sendable {
        let slot: Int
        let elementType: ElementType
        let dims: [Int]?
    }

    let slotCount: Int
    /// The initializers, placed in their slots at the start of each run.
    let constants: [(slot: Int, value: Value)]
    let inputChecks: [InputCheck]
    let steps: [Step]
    /// Every step's input and output slots, back to back.
    let slotIndices: [Int32]
    let outputSlots: [Int]
    /// Whether every feed must have the same first dimension (the batch); not so for a
    /// loop body, whose inputs are state and slices.
    let checksBatch: Bool

    /// Runs with feed `i` given by `feed(i)` for the inputs in declared order; returns the
    /// outputs in declared order, each passed through `output`. `inputs` names the inputs
    /// for messages.
    func run<Output>(
        inputs: [TensorInfo], feed: (Int) throws(ModelError) -> Tensor,
        output: (Value) -> Output
    ) throws(ModelError) -> [Output] {
        try withUnsafeTemporaryAllocation(of: Value?.self, capacity: slotCount) {
            values throws(ModelError) -> [Output] in
            let values = values.baseAddress!
            values.initialize(repeating: nil, count: slotCount)
            defer { values.deinitialize(count: slotCount) }
            for (slot, value) in constants { values[slot] = value }
            try place(inputs: inputs, feed: feed, into: values)
            try slotIndices.withUnsafeBufferPointer { indices throws(ModelError) in
                try steps.withUnsafeBufferPointer { steps throws(ModelError) in
                    for index in steps.indices {
                        let frame = KernelFrame(
                            values: values,
                            inputSlots: indices.baseAddress! + steps[index].inputStart,
                            inputCount: steps[index].inputCount,
                            outputSlots: indices.baseAddress! + steps[index].outputStart,
                            outputCount: steps[index].outputCount)
                        try steps[index].kernel.run(frame)
                    }
                }
            }
            return outputSlots.map { output(values[$0].unsafelyUnwrapped) }
        }
    }

    /// Checks each feed's element type, declared shape and batch size, and stores it.
    private func place(
        inputs: [TensorInfo], feed: (Int) throws(ModelError) -> Tensor,
        into values: UnsafeMutablePointer<Value?>
    ) throws(ModelError) {
        var batch: (rows: Int, input: Int)?
        for index in inputChecks.indices {
            let tensor = try feed(index)
            let check = inputChecks[index]
            guard tensor.elementType == check.elementType else {
                throw .input(
                    "expected input '\(inputs[index].name)' of \(check.elementType), found \(tensor.elementType)"
                )
            }
            if let dims = check.dims {
                guard dims.count == tensor.shape.count,
                    zip(dims, tensor.shape).allSatisfy({ $0 < 0 || $0 == $1 })
                else {
                    let declared = (inputs[index].shape ?? []).map(\.description)
                    throw .input(
                        "expected input '\(inputs[index].name)' of shape [\(declared.joined(separator: ", "))], found \(tensor.shape)"
                    )
                }
            }
            if checksBatch, let rows = tensor.shape.first {
                if let batch, batch.rows != rows {
                    throw .input(
                        "expected every input to have \(batch.rows) rows like '\(inputs[batch.input].name)', found \(rows) in '\(inputs[index].name)'"
                    )
                }
                batch = (rows, index)
            }
            values[check.slot] = .tensor(tensor)
        }
    }
}
