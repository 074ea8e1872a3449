/// ai.onnx Scan (opset 9 on) with its body compiled at load like a graph of its own: the
/// first N inputs are loop state, the last `num_scan_inputs` are sliced along axis 0, one
/// slice per iteration; the body's first N outputs become the next state and the rest are
/// stacked along axis 0. skl2onnx computes KNeighbors' pairwise distances this way. Only
/// axis 0 and forward directions are supported; the body may read only its own inputs and
/// initializers.
enum ScanOperator: Operator {
    static let domain = ""
    static let opType = "Scan"
    static let opsets = 9...22
    static var runsSubgraphs: Bool { true }

    final class ScanKernel: Kernel {
        let node: Node
        let body: ExecutionPlan
        let bodyInputs: [TensorInfo]
        let stateCount: Int

        init(node: Node, body: ExecutionPlan, bodyInputs: [TensorInfo], stateCount: Int) {
            self.node = node
            self.body = body
            self.bodyInputs = bodyInputs
            self.stateCount = stateCount
        }

        func run(_ frame: KernelFrame) throws(ModelError) {
            var states = (0..<stateCount).map { frame.input($0) }
            let scanned = (stateCount..<frame.inputCount).map { frame.input($0) }
            guard let steps = scanned.first?.shape.first,
                scanned.allSatisfy({ $0.shape.first == steps })
            else {
                throw .input(
                    "\(node.label): expected scan inputs of rank 1 or more with one length along axis 0, found shapes \(scanned.map(\.shape))"
                )
            }
            var collected: [[Tensor]] = []
            for step in 0..<steps {
                let slices = scanned.map { $0.slice(step) }
                let outputs = try body.run(
                    inputs: bodyInputs,
                    feed: { index throws(ModelError) in
                        index < self.stateCount ? states[index] : slices[index - self.stateCount]
                    }, output: { $0.denseTensor })
                states = Array(outputs[..<stateCount])
                collected.append(Array(outputs[stateCount...]))
            }
            for (index, state) in states.enumerated() { frame.setOutput(index, state) }
            let scanOutputCount = collected.first?.count ?? 0
            for output in 0..<scanOutputCount {
                let pieces = collected.map { $0[output] }
                guard pieces.allSatisfy({ $0.shape == pieces[0].shape }) else {
                    throw .input(
                        "\(node.label): expected scan output \(output) to have one shape at every step, found \(Set(pieces.map(\.shape)))"
                    )
                }
                let shape = [steps] + pieces[0].shape
                frame.setOutput(
                    stateCount + output,
                    Tensor(shape: shape, storage: .concatenating(pieces.map(\.storage))))
            }
        }
    }

    static func make(_ context: KernelContext) throws(ModelError) -> (any Kernel, [ElementType]) {
        let node = context.node
        guard let graph = node.attribute("body")?.graph else {
            throw .attribute(node, "body", "is required but missing")
        }
        let scanCount = Int(try node.int("num_scan_inputs"))
        let stateCount = node.inputs.count - scanCount
        guard scanCount >= 1, stateCount >= 0 else {
            throw .attribute(
                node, "num_scan_inputs",
                "expected 1 to \(node.inputs.count) (the node's inputs), found \(scanCount)")
        }
        for name in [
            "scan_input_axes", "scan_input_directions", "scan_output_axes",
            "scan_output_directions",
        ] {
            if let values = try node.ints(name), values.contains(where: { $0 != 0 }) {
                throw .attribute(
                    node, name, "expected only 0 (axis 0, forward), found \(values) (not supported)"
                )
            }
        }
        try OperatorRegistry.check(graph.nodes, opsets: context.opsets)
        let builder = try PlanBuilder(graph: graph, opsets: context.opsets, checksBatch: false)
        guard builder.inputs.count == node.inputs.count,
            builder.outputs.count >= stateCount,
            node.outputs.count <= builder.outputs.count
        else {
            throw .graph(
                "\(node.label): expected a body with \(node.inputs.count) inputs and at least \(max(stateCount, node.outputs.count)) outputs, found \(builder.inputs.count) inputs and \(builder.outputs.count) outputs"
            )
        }
        for (index, info) in builder.inputs.enumerated()
        where info.elementType != context.inputTypes[index] {
            throw ModelError(
                .unsupportedType,
                "\(node.label): expected body input '\(info.name)' of \(context.inputTypes[index]) like input \(index), found \(info.elementType)"
            )
        }
        let kernel = ScanKernel(
            node: node, body: builder.plan, bodyInputs: builder.inputs, stateCount: stateCount)
        return (kernel, builder.outputs.map(\.elementType))
    }
}
