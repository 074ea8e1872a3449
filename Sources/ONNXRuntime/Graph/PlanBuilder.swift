/// Turns a GraphProto into an ExecutionPlan, checking every edge on the way: each value is
/// defined once, each node input is defined before the node runs, each operator accepts
/// the element types it receives, each graph output exists with its declared type.
struct PlanBuilder {
    private(set) var plan: ExecutionPlan
    private(set) var inputs: [TensorInfo] = []
    private(set) var outputs: [TensorInfo] = []
    private(set) var classLabels: ClassLabels?
    /// For graph outputs that are a classifier's scores, passed on unchanged, what they hold.
    private(set) var scoreKinds: [String: ScoreKind] = [:]
    private(set) var positionalLabelOutputs: Set<String> = []

    init(graph: GraphProto, opsets: [String: Int], checksBatch: Bool = true) throws(ModelError) {
        var slotOf: [String: Int] = [:]
        var types: [ElementType] = []
        var template: [Tensor?] = []
        // Slots that hold a sequence of maps rather than a tensor, with the map key type.
        var mapKeyOf: [Int: ElementType] = [:]
        func newSlot(
            _ name: String, _ type: ElementType, by definer: String
        ) throws(ModelError)
            -> Int
        {
            guard slotOf[name] == nil else {
                throw .graph(
                    "expected each value to be defined once, found '\(name)' defined again by \(definer)"
                )
            }
            slotOf[name] = types.count
            types.append(type)
            template.append(nil)
            return types.count - 1
        }

        for initializer in graph.initializers {
            let tensor = try initializer.tensor(context: "initializer '\(initializer.name)'")
            let slot = try newSlot(initializer.name, tensor.elementType, by: "an initializer")
            template[slot] = tensor
        }
        var inputChecks: [ExecutionPlan.InputCheck] = []
        // Slots that depend on a graph input; onnxruntime folds the others into constants.
        var varying = Set<Int>()
        for input in graph.inputs where slotOf[input.name] == nil {
            let info = try Self.info(input, role: "graph input")
            inputs.append(info)
            let slot = try newSlot(info.name, info.elementType, by: "a graph input")
            varying.insert(slot)
            inputChecks.append(
                .init(slot: slot, elementType: info.elementType, dims: Self.dims(info.shape)))
        }

        var steps: [ExecutionPlan.Step] = []
        var trace = ClassifierTrace()
        var slotIndices: [Int32] = []
        let ordered = try Self.topologicalOrder(graph.nodes, defined: Set(slotOf.keys))
        let fusion = MatMulAddFusion(
            nodes: ordered, graphOutputs: Set(graph.outputs.map(\.name)),
            defaultOpset: opsets[""] ?? 0)
        // The Adds whose MatMul was built fused (it needs its bias already defined).
        var fusedAdds = Set<Int>()
        for (nodeIndex, node) in ordered.enumerated() {
            guard !node.inputs.contains("") else {
                throw .graph(
                    "\(node.label): expected every input to be named, found an omitted optional input (not supported)"
                )
            }
            let inputSlots = node.inputs.map { slotOf[$0]! }
            for (position, slot) in inputSlots.enumerated() where mapKeyOf[slot] != nil {
                throw ModelError(
                    .unsupportedType,
                    "\(node.label): expected input \(position) ('\(node.inputs[position])') to be a tensor, found a sequence of maps"
                )
            }
            let context = KernelContext(
                node: node, inputTypes: inputSlots.map { types[$0] },
                constants: inputSlots.map { template[$0] },
                opset: opsets[node.canonicalDomain] ?? 0,
                opsets: opsets,
                varying: inputSlots.map { varying.contains($0) }
            )
            var (kernel, outputTypes) = try OperatorRegistry.lookup(node)!.make(context)
            var stepInputs = inputSlots
            if let bias = fusion.biasOf[nodeIndex], let biasSlot = slotOf[bias],
                let matMul = kernel as? MatMulOperator.MatMulKernel
            {
                kernel = matMul.fused()
                stepInputs.append(biasSlot)
                if let add = ordered.firstIndex(where: { $0.inputs.contains(node.outputs[0]) }) {
                    fusedAdds.insert(add)
                }
            }
            if fusedAdds.contains(nodeIndex), let position = fusion.productPositionOf[nodeIndex] {
                kernel = FusedAddKernel(add: kernel, productPosition: position)
            }
            guard node.outputs.count <= outputTypes.count else {
                throw .graph(
                    "\(node.label): expected at most \(outputTypes.count) outputs, found \(node.outputs.count)"
                )
            }
            var outputSlots: [Int] = []
            for (position, (name, type)) in zip(node.outputs, outputTypes).enumerated() {
                guard !name.isEmpty else {
                    outputSlots.append(-1)
                    continue
                }
                let slot = try newSlot(name, type, by: node.label)
                if context.varying.contains(true) { varying.insert(slot) }
                if position == 0, let maps = kernel as? any MapSequenceKernel {
                    mapKeyOf[slot] = maps.keyType
                }
                outputSlots.append(slot)
            }
            steps.append(
                .init(
                    kernel: kernel, inputStart: slotIndices.count, inputCount: stepInputs.count,
                    outputStart: slotIndices.count + stepInputs.count,
                    outputCount: outputSlots.count))
            slotIndices += (stepInputs + outputSlots).map { Int32($0) }
            trace.record(node, kernel, inputs: inputSlots, outputs: outputSlots)
        }

        var outputSlots: [Int] = []
        for output in graph.outputs {
            guard let slot = slotOf[output.name] else {
                throw .graph(
                    "expected graph output '\(output.name)' to be produced by a node, an initializer or an input, found nothing"
                )
            }
            // An output declared without a type takes the type its producer gives it.
            let info =
                output.kind == .untyped
                ? TensorInfo(
                    name: output.name, elementType: types[slot], shape: nil,
                    kind: mapKeyOf[slot].map { .sequenceOfMaps(keyType: $0) } ?? .tensor)
                : try Self.info(output, role: "graph output")
            let produced =
                mapKeyOf[slot].map { TensorInfo.Kind.sequenceOfMaps(keyType: $0) } ?? .tensor
            let declared = output.kind == .untyped ? produced : info.kind
            guard types[slot] == info.elementType, declared == produced else {
                throw ModelError(
                    .unsupportedType,
                    "expected graph output '\(info.name)' of \(Self.describe(info.elementType, declared)) as declared, found \(Self.describe(types[slot], produced)) from its producer"
                )
            }
            outputs.append(info)
            outputSlots.append(slot)
            if classLabels == nil { classLabels = trace.classLabels[slot] }
            if let kind = trace.scoreKinds[slot] { scoreKinds[output.name] = kind }
            if trace.positionalLabels.contains(slot) { positionalLabelOutputs.insert(output.name) }
        }
        guard !outputs.isEmpty else {
            throw .graph("expected at least one graph output, found none")
        }
        plan = ExecutionPlan(
            slotCount: types.count,
            constants: template.indices.compactMap { slot in
                template[slot].map { (slot, .tensor($0)) }
            },
            inputChecks: inputChecks, steps: steps, slotIndices: slotIndices,
            outputSlots: outputSlots, checksBatch: checksBatch)
    }

    /// The nodes in an order where every input is defined before use: the file's order
    /// when it is one (ONNX requires it), otherwise repeatedly the first node that is ready.
    private static func topologicalOrder(
        _ nodes: [Node], defined: Set<String>
    ) throws(ModelError) -> [Node] {
        var available = defined
        var pending = nodes
        var ordered: [Node] = []
        ordered.reserveCapacity(nodes.count)
        while !pending.isEmpty {
            guard
                let next = pending.firstIndex(where: { node in
                    node.inputs.allSatisfy { $0.isEmpty || available.contains($0) }
                })
            else {
                let produced = Set(pending.flatMap(\.outputs))
                for node in pending {
                    for input in node.inputs where !input.isEmpty && !available.contains(input) {
                        if !produced.contains(input) {
                            throw .graph(
                                "\(node.label) reads '\(input)'; expected a graph input, initializer or node output of that name, found none"
                            )
                        }
                    }
                }
                let names = pending.map { "'\($0.name)'" }.joined(separator: ", ")
                throw .graph(
                    "expected an acyclic graph, found a cycle among the nodes \(names)")
            }
            let node = pending.remove(at: next)
            available.formUnion(node.outputs.filter { !$0.isEmpty })
            ordered.append(node)
        }
        return ordered
    }

    private static func describe(_ type: ElementType, _ kind: TensorInfo.Kind) -> String {
        switch kind {
        case .tensor: "\(type)"
        case .sequenceOfMaps(let key): "a sequence of maps from \(key) to \(type)"
        }
    }

    private static func info(_ value: ValueInfoProto, role: String) throws(ModelError) -> TensorInfo
    {
        if role == "graph output", let key = value.mapKeyType, let raw = value.elementType {
            guard let keyType = ElementType(rawValue: key), [.int64, .string].contains(keyType),
                raw == ElementType.float.rawValue
            else {
                throw ModelError(
                    .unsupportedType,
                    "expected \(role) '\(value.name)' to be a sequence of maps from int64 or string to float, found keys of \(ElementType.describe(key)) and values of \(ElementType.describe(raw))"
                )
            }
            return TensorInfo(
                name: value.name, elementType: .float, shape: nil,
                kind: .sequenceOfMaps(keyType: keyType))
        }
        guard value.isTensor, let raw = value.elementType else {
            throw ModelError(
                .unsupportedType,
                "expected \(role) '\(value.name)' to be a tensor, found \(value.kind)")
        }
        guard let type = ElementType(rawValue: raw),
            [.float, .double, .int64, .string, .bool].contains(type)
        else {
            throw ModelError(
                .unsupportedType,
                "expected \(role) '\(value.name)' of float, double, int64, string or bool, found \(ElementType.describe(raw))"
            )
        }
        return TensorInfo(name: value.name, elementType: type, shape: value.shape)
    }

    /// Declared dimensions for the run-time check: -1 where any size goes (symbolic, or a
    /// batch dimension declared as 0, which some exporters write for "any").
    private static func dims(_ shape: [Dimension]?) -> [Int]? {
        shape.map { shape in
            shape.enumerated().map { position, dimension in
                guard case .fixed(let size) = dimension, position > 0 || size > 0 else {
                    return -1
                }
                return size
            }
        }
    }
}
