/// A loaded, validated ONNX model, ready to run.
///
/// Loading does all the checking: the protobuf, the IR version and opset imports, that every
/// operator is implemented (all unsupported ones are listed at once), every attribute and
/// cross-reference, and the element types flowing along every edge. `run` then only checks
/// the feeds.
public final class InferenceModel: Sendable {
    /// The graph inputs that are not initializers, in graph order.
    public let inputs: [TensorInfo]
    /// The graph outputs, in graph order.
    public let outputs: [TensorInfo]
    /// Imported opset version per domain; "" is ai.onnx.
    let opsets: [String: Int]
    /// producer_name and producer_version, e.g. "skl2onnx 1.20.0".
    public let producer: String
    /// The classes of the classifier whose outputs reach the graph outputs; nil if none.
    public let classLabels: ClassLabels?
    /// For each graph output that is a classifier's scores passed on unchanged, whether they
    /// are probabilities or decision scores. Outputs computed further (a calibration, say)
    /// are not listed.
    public let scoreKinds: [String: ScoreKind]
    /// The graph outputs that hold a classifier's labels as positions among `classLabels`
    /// (0 or 1) rather than the labels themselves: onnxruntime's rule for a two-class tree
    /// ensemble weighted on both columns, which is how CatBoost exports binary models.
    public let positionalLabelOutputs: Set<String>
    /// The graph folded into one row of floats for its tree ensemble, when it has that
    /// shape (see RowPlan); nil otherwise.
    public let rowPlan: RowPlan?

    private let plan: ExecutionPlan

    /// Parses and validates `bytes` (a serialized ModelProto) and compiles the graph.
    public init(onnx bytes: [UInt8]) throws(ModelError) {
        let proto = try ModelProto(bytes: bytes)
        guard let irVersion = proto.irVersion else {
            throw .malformed("ModelProto has no ir_version (field 1); expected an ONNX model")
        }
        guard irVersion >= 3 else {
            throw ModelError(
                .unsupportedOpset,
                "expected IR version 3 or later (with opset imports), found \(irVersion)")
        }
        guard let graph = proto.graph else {
            throw .malformed("ModelProto has no graph (field 7); expected an ONNX model")
        }
        var opsets: [String: Int] = [:]
        for entry in proto.opsetImports {
            opsets[entry.domain == "ai.onnx" ? "" : entry.domain] = Int(
                clamping: entry.version)
        }
        self.opsets = opsets
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }
            .joined(separator: " ")
        // Some converters (onnxmltools) import only ai.onnx.ml yet use a Cast or Identity;
        // onnxruntime then runs ai.onnx nodes at the newest opset it knows, and so does this.
        if opsets[""] == nil {
            opsets[""] = OperatorRegistry.newestDefaultOpset
        }
        try OperatorRegistry.check(graph.nodes, opsets: opsets)
        guard graph.sparseInitializerCount == 0 else {
            throw ModelError(
                .unsupportedType,
                "expected dense initializers, found \(graph.sparseInitializerCount) sparse ones")
        }
        let builder = try PlanBuilder(graph: graph, opsets: opsets)
        plan = builder.plan
        inputs = builder.inputs
        outputs = builder.outputs
        classLabels = builder.classLabels
        scoreKinds = builder.scoreKinds
        positionalLabelOutputs = builder.positionalLabelOutputs
        rowPlan = RowPlan.compile(plan, outputCount: outputs.count)
    }

    /// Runs the graph on `feeds` (keyed by input name, batch dimension N first) and returns
    /// every graph output by name. Read-only, so any number of threads may call it at once.
    /// A sequence-of-maps output (ZipMap's) comes back as its dense `[N, keys]` float
    /// tensor, columns in key order.
    public func run(_ feeds: [String: Tensor]) throws(ModelError) -> [String: Tensor] {
        try named(feeds) { $0.denseTensor }
    }

    /// The same, positionally: feeds in the order of `inputs`, results in the order of
    /// `outputs`. Saves the name lookups on a hot path.
    public func run(_ feeds: [Tensor]) throws(ModelError) -> [Tensor] {
        guard feeds.count == inputs.count else {
            throw .input("expected \(inputs.count) feeds in input order, found \(feeds.count)")
        }
        return try plan.run(inputs: inputs, feed: { index throws(ModelError) in feeds[index] }) {
            $0.denseTensor
        }
    }

    /// Like `run`, with every output as the value the graph declares (a ZipMap's maps
    /// themselves): what the parity tests compare with onnxruntime's outputs.
    func evaluate(_ feeds: [String: Tensor]) throws(ModelError) -> [String: Value] {
        try named(feeds) { $0 }
    }

    /// Runs on named feeds and names the outputs, each passed through `output`.
    private func named<Output>(
        _ feeds: [String: Tensor], _ output: (Value) -> Output
    ) throws(ModelError) -> [String: Output] {
        // A misspelt feed name would otherwise be ignored; onnxruntime refuses it too.
        if feeds.count > inputs.count,
            let extra = feeds.keys.sorted().first(where: { name in
                !inputs.contains { $0.name == name }
            })
        {
            throw .input(
                "expected feeds named \(inputs.map { "'\($0.name)'" }.joined(separator: ", ")), found '\(extra)'"
            )
        }
        let results = try plan.run(
            inputs: inputs,
            feed: { index throws(ModelError) in
                guard let tensor = feeds[inputs[index].name] else {
                    throw .input("expected a feed for input '\(inputs[index].name)', found none")
                }
                return tensor
            }, output: output)
        var named: [String: Output] = Dictionary(minimumCapacity: outputs.count)
        for (info, value) in zip(outputs, results) { named[info.name] = value }
        return named
    }

}
