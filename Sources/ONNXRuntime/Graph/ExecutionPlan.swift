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

    func run(_ feeds: [String: Tensor], inputs: [TensorInfo]) throws(ModelError) -> [String: Tensor]
    {
        var slots = [Tensor?](repeating: nil, count: slotCount)
        for (slot, tensor) in constants { slots[slot] = tensor }
        var batch: Int?
        for (info, slot) in zip(inputs, inputSlots) {
            guard let tensor = feeds[info.name] else {
                throw .input("the feed for input '\(info.name)' is missing")
            }
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
        for step in steps {
            arguments.removeAll(keepingCapacity: true)
            for slot in step.inputs { arguments.append(slots[slot]!) }
            let results = try step.kernel.run(arguments)
            for (slot, result) in zip(step.outputs, results) { slots[slot] = result }
        }
        var result: [String: Tensor] = [:]
        for (name, slot) in outputs { result[name] = slots[slot] }
        return result
    }
}
