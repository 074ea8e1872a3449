/// Turns a GraphProto into an ExecutionPlan, checking every edge on the way.
struct PlanBuilder {
    private(set) var plan: ExecutionPlan
    private(set) var inputs: [TensorInfo] = []
    private(set) var outputs: [TensorInfo] = []
    private(set) var classLabels: ClassLabels?

    init(graph: GraphProto, opsets: [String: Int]) throws(ModelError) {
        var slotOf: [String: Int] = [:]
        var types: [ElementType] = []
        var constantValues: [Int: Tensor] = [:]
        func newSlot(_ name: String, _ type: ElementType) throws(ModelError) -> Int {
            guard slotOf[name] == nil else {
                throw .graph("the value '\(name)' is defined more than once")
            }
            slotOf[name] = types.count
            types.append(type)
            return types.count - 1
        }

        for initializer in graph.initializers {
            let tensor = try initializer.tensor(context: "initializer '\(initializer.name)'")
            let slot = try newSlot(initializer.name, tensor.elementType)
            constantValues[slot] = tensor
        }
        let initializerNames = Set(graph.initializers.map(\.name))
        var inputSlots: [Int] = []
        for input in graph.inputs where !initializerNames.contains(input.name) {
            let info = try Self.info(input, role: "graph input")
            inputs.append(info)
            inputSlots.append(try newSlot(info.name, info.elementType))
        }

        // Nodes in a topological order: the file's order when it is one, else the first
        // node whose inputs are all available, repeatedly.
        var pending = graph.nodes
        var steps: [ExecutionPlan.Step] = []
        var classifier: ClassLabels?
        while !pending.isEmpty {
            guard
                let next = pending.firstIndex(where: { node in
                    node.inputs.allSatisfy { $0.isEmpty || slotOf[$0] != nil }
                })
            else {
                let node = pending[0]
                let missing = node.inputs.first { !$0.isEmpty && slotOf[$0] == nil } ?? "?"
                throw .graph(
                    "\(node.label) reads '\(missing)', which no graph input, initializer or other node provides (or the nodes form a cycle)"
                )
            }
            let node = pending.remove(at: next)
            guard !node.inputs.contains(""), !node.outputs.isEmpty else {
                throw .graph(
                    "\(node.label): omitted optional inputs and nodes without outputs are not supported"
                )
            }
            let inputSlotsOfNode = node.inputs.map { slotOf[$0]! }
            let domain = node.domain == "ai.onnx" ? "" : node.domain
            let op = OperatorRegistry.lookup(domain: node.domain, opType: node.opType)!
            let context = KernelContext(
                node: node, inputTypes: inputSlotsOfNode.map { types[$0] },
                constants: inputSlotsOfNode.map { constantValues[$0] }, opset: opsets[domain] ?? 0)
            let (kernel, outputTypes) = try op.make(context)
            guard node.outputs.count <= outputTypes.count else {
                throw .graph(
                    "\(node.label) declares \(node.outputs.count) outputs, the operator has \(outputTypes.count)"
                )
            }
            var outputSlots: [Int] = []
            for (name, type) in zip(node.outputs, outputTypes) {
                outputSlots.append(try newSlot(name, type))
            }
            if let labeled = kernel as? any ClassifierKernel { classifier = labeled.classLabels }
            steps.append(.init(kernel: kernel, inputs: inputSlotsOfNode, outputs: outputSlots))
        }

        var outputSlots: [(String, Int)] = []
        for output in graph.outputs {
            let info = try Self.info(output, role: "graph output")
            guard let slot = slotOf[info.name] else {
                throw .graph("graph output '\(info.name)' is not produced by any node")
            }
            guard types[slot] == info.elementType else {
                throw ModelError(
                    .unsupportedType,
                    "graph output '\(info.name)' is declared \(info.elementType), but its node produces \(types[slot])"
                )
            }
            outputs.append(info)
            outputSlots.append((info.name, slot))
        }
        guard !outputs.isEmpty else { throw .graph("the graph declares no outputs") }
        classLabels = classifier
        plan = ExecutionPlan(
            slotCount: types.count, inputSlots: inputSlots,
            constants: constantValues.map { ($0.key, $0.value) }, steps: steps,
            outputs: outputSlots, maximumArity: steps.map(\.inputs.count).max() ?? 0)
    }

    private static func info(_ value: ValueInfoProto, role: String) throws(ModelError) -> TensorInfo
    {
        guard value.isTensor, let raw = value.elementType else {
            throw ModelError(
                .unsupportedType,
                "\(role) '\(value.name)' is not a tensor (sequences and maps are not supported)")
        }
        guard let type = ElementType(rawValue: raw),
            [.float, .double, .int64, .string, .bool].contains(type)
        else {
            throw ModelError(
                .unsupportedType,
                "\(role) '\(value.name)' holds \(ElementType.describe(raw)), which is not supported"
            )
        }
        return TensorInfo(name: value.name, elementType: type, shape: value.shape)
    }
}
