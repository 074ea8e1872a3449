/// A loaded, validated ONNX model, ready to run.
///
/// Loading does all the checking: the protobuf, the opset imports, that every operator is
/// implemented (all unsupported ones are listed at once), every attribute and cross-reference,
/// and the element types flowing along every edge. `run` then only checks the feeds.
public final class InferenceModel: Sendable {
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    public let opsets: [String: Int]
    public let producer: String
    public let classLabels: ClassLabels?

    private let plan: ExecutionPlan

    public init(onnx bytes: [UInt8]) throws(ModelError) {
        let proto = try ModelProto(bytes: bytes)
        guard proto.irVersion > 0 else {
            throw .malformed("ModelProto has no ir_version; this is not an ONNX model")
        }
        guard let graph = proto.graph else { throw .malformed("ModelProto has no graph") }
        var opsets: [String: Int] = [:]
        for entry in proto.opsetImports {
            opsets[entry.domain == "ai.onnx" ? "" : entry.domain] = Int(entry.version)
        }
        self.opsets = opsets
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }
            .joined(separator: " ")
        try Self.checkOperators(graph.nodes, opsets: opsets)
        let builder = try PlanBuilder(graph: graph, opsets: opsets)
        plan = builder.plan
        inputs = builder.inputs
        outputs = builder.outputs
        classLabels = builder.classLabels
    }

    /// Refuses the graph if any node's operator is unknown, listing all of them, or if its
    /// domain's opset is not imported or not one this runtime follows.
    private static func checkOperators(_ nodes: [Node], opsets: [String: Int]) throws(ModelError) {
        var unsupported: [String] = []
        for node in nodes {
            let key = OperatorRegistry.key(node.domain, node.opType)
            if OperatorRegistry.lookup(domain: node.domain, opType: node.opType) == nil,
                !unsupported.contains(key)
            {
                unsupported.append(key)
            }
        }
        guard unsupported.isEmpty else {
            throw ModelError(
                .unsupportedOperators,
                "unsupported operators: \(unsupported.joined(separator: ", ")) "
                    + "(domain:op_type; an empty domain is ai.onnx)")
        }
        for node in nodes {
            let op = OperatorRegistry.lookup(domain: node.domain, opType: node.opType)!
            let domain = node.domain == "ai.onnx" ? "" : node.domain
            guard let version = opsets[domain] else {
                throw ModelError(
                    .unsupportedOpset,
                    "\(node.label) needs the opset of domain '\(domain.isEmpty ? "ai.onnx" : domain)', which the model does not import"
                )
            }
            guard op.opsets.contains(version) else {
                throw ModelError(
                    .unsupportedOpset,
                    "\(node.label): opset \(version) of '\(domain.isEmpty ? "ai.onnx" : domain)' is not supported; supported are \(op.opsets.lowerBound)…\(op.opsets.upperBound)"
                )
            }
        }
    }

    /// Runs the graph on `feeds` (keyed by input name, batch dimension first) and returns
    /// every graph output. Read-only, so any number of threads may call it at once.
    public func run(_ feeds: [String: Tensor]) throws(ModelError) -> [String: Tensor] {
        var ordered: [Tensor] = []
        ordered.reserveCapacity(inputs.count)
        for input in inputs {
            guard let tensor = feeds[input.name] else {
                throw .input("the feed for input '\(input.name)' is missing")
            }
            ordered.append(tensor)
        }
        let results = try plan.run(ordered, inputs: inputs)
        var named: [String: Tensor] = [:]
        for (info, tensor) in zip(outputs, results) { named[info.name] = tensor }
        return named
    }

    /// The same, positionally: feeds in the order of `inputs`, results in the order of
    /// `outputs`. Saves the name lookups on a hot path.
    public func run(_ feeds: [Tensor]) throws(ModelError) -> [Tensor] {
        try plan.run(feeds, inputs: inputs)
    }
}
