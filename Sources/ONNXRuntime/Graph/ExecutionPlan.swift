/// The graph compiled at load: values live in numbered slots, nodes run in a topological
/// order and read their inputs from slots, so a run does no name lookups beyond the feeds.
struct ExecutionPlan: Sendable {
    struct Step: Sendable {
        let kernel: any Kernel
        let inputs: [Int]
        let outputs: [Int]
    }

    let slotCount: Int
    let inputSlots: [Int]
    let constants: [(slot: Int, tensor: Tensor)]
    let steps: [Step]
    let outputs: [(name: String, slot: Int)]
    let maximumArity: Int

    /// Runs on feeds given in the order of `inputs`; returns the outputs in declared order.
    func run(_ feeds: [Tensor], inputs: [TensorInfo]) throws(ModelError) -> [Tensor] {
        guard feeds.count == inputs.count else {
            throw .input("the model takes \(inputs.count) inputs, \(feeds.count) were given")
        }
        var slots = [Tensor?](repeating: nil, count: slotCount)
        for (slot, tensor) in constants { slots[slot] = tensor }
        var batch: Int?
        for ((info, slot), tensor) in zip(zip(inputs, inputSlots), feeds) {
            guard tensor.elementType == info.elementType else {
                throw .input(
                    "input '\(info.name)' must be \(info.elementType), found \(tensor.elementType)")
            }
            if let shape = info.shape {
                guard shape.count == tensor.shape.count else {
                    throw .input(
                        "input '\(info.name)' must have rank \(shape.count) \(shape), found shape \(tensor.shape)"
                    )
                }
                for (position, (declared, actual)) in zip(shape, tensor.shape).enumerated() {
                    if case .fixed(let size) = declared, size != actual,
                        !(position == 0 && size <= 0)
                    {
                        throw .input(
                            "input '\(info.name)' must have shape \(shape), found \(tensor.shape)")
                    }
                }
            }
            if let rows = tensor.shape.first {
                if let batch, batch != rows {
                    throw .input(
                        "input '\(info.name)' has \(rows) rows, other inputs have \(batch)")
                }
                batch = rows
            }
            slots[slot] = tensor
        }
        var arguments: [Tensor] = []
        arguments.reserveCapacity(maximumArity)
        for index in steps.indices {
            arguments.removeAll(keepingCapacity: true)
            for slot in steps[index].inputs { arguments.append(slots[slot]!) }
            let results = try steps[index].kernel.run(arguments)
            for (slot, result) in zip(steps[index].outputs, results) { slots[slot] = result }
        }
        return outputs.map { slots[$0.slot]! }
    }
}
