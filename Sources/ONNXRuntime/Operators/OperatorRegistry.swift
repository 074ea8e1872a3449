/// The one place that lists every implemented operator: adding an op means writing its file
/// and naming it here.
enum OperatorRegistry {
    static let operators: [any Operator.Type] = [
        AbsOperator.self,
        AddOperator.self,
        ArgMaxOperator.self,
        ArgMinOperator.self,
        ArrayFeatureExtractorOperator.self,
        BinarizerOperator.self,
        CastOperator.self,
        ClipOperator.self,
        ConcatOperator.self,
        ConstantOfShapeOperator.self,
        ConstantOperator.self,
        CumSumOperator.self,
        DivOperator.self,
        EqualOperator.self,
        ExpOperator.self,
        FlattenOperator.self,
        GatherOperator.self,
        GreaterOperator.self,
        GreaterOrEqualOperator.self,
        IdentityOperator.self,
        ImputerOperator.self,
        LabelEncoderOperator.self,
        LessOperator.self,
        LessOrEqualOperator.self,
        LinearClassifierOperator.self,
        LogOperator.self,
        LpNormalizationOperator.self,
        MatMulOperator.self,
        MaxOperator.self,
        MinOperator.self,
        MulOperator.self,
        NegOperator.self,
        NormalizerOperator.self,
        NotOperator.self,
        OneHotEncoderOperator.self,
        PowOperator.self,
        ReciprocalOperator.self,
        ReduceLogSumExpOperator.self,
        ReduceMaxOperator.self,
        ReduceMeanOperator.self,
        ReduceMinOperator.self,
        ReduceProdOperator.self,
        ReduceSumOperator.self,
        ReduceSumSquareOperator.self,
        ReluOperator.self,
        ReshapeOperator.self,
        SVMClassifierOperator.self,
        ScalerOperator.self,
        ScanOperator.self,
        ShapeOperator.self,
        SigmoidOperator.self,
        SliceOperator.self,
        SoftmaxOperator.self,
        SplitOperator.self,
        SqrtOperator.self,
        SqueezeOperator.self,
        StringNormalizerOperator.self,
        SubOperator.self,
        SumOperator.self,
        TanhOperator.self,
        TfIdfVectorizerOperator.self,
        TokenizerOperator.self,
        TopKOperator.self,
        TransposeOperator.self,
        TreeEnsembleClassifierOperator.self,
        TreeEnsembleOperator.self,
        UnsqueezeOperator.self,
        WhereOperator.self,
        ZipMapOperator.self,
    ]

    /// The newest ai.onnx opset every default-domain operator here follows; a model that
    /// imports no ai.onnx opset gets this one.
    static let newestDefaultOpset = 22

    private static let byKey: [String: any Operator.Type] = {
        var table: [String: any Operator.Type] = [:]
        for op in operators { table[key(op.domain, op.opType)] = op }
        return table
    }()

    /// `domain:op_type`, with ai.onnx as the empty domain (":Concat").
    static func key(_ domain: String, _ opType: String) -> String {
        "\(domain == "ai.onnx" ? "" : domain):\(opType)"
    }

    static func lookup(_ node: Node) -> (any Operator.Type)? {
        byKey[key(node.domain, node.opType)]
    }

    /// Refuses the graph if any node's operator is unknown (listing every one), if a node's
    /// domain is not imported or at a version this runtime does not follow, or if a node
    /// carries a subgraph.
    static func check(_ nodes: [Node], opsets: [String: Int]) throws(ModelError) {
        var unsupported: [String] = []
        for node in nodes where lookup(node) == nil {
            let key = key(node.domain, node.opType)
            if !unsupported.contains(key) { unsupported.append(key) }
        }
        guard unsupported.isEmpty else {
            throw ModelError(
                .unsupportedOperators,
                "expected only \(operators.map { key($0.domain, $0.opType) }.joined(separator: ", ")); "
                    + "found unsupported operators \(unsupported.joined(separator: ", ")) "
                    + "(domain:op_type; an empty domain is ai.onnx)")
        }
        for node in nodes {
            let op = lookup(node)!
            let domainName = node.canonicalDomain.isEmpty ? "ai.onnx" : node.canonicalDomain
            guard let version = opsets[node.canonicalDomain] else {
                throw ModelError(
                    .unsupportedOpset,
                    "\(node.label): expected the model to import an opset of domain '\(domainName)', found none"
                )
            }
            guard op.opsets.contains(version) else {
                throw ModelError(
                    .unsupportedOpset,
                    "\(node.label): expected opset \(op.opsets.lowerBound)…\(op.opsets.upperBound) of '\(domainName)', found opset \(version)"
                )
            }
            for attribute in node.attributes {
                if attribute.holdsGraph && !(op.runsSubgraphs && attribute.graph != nil) {
                    throw .attribute(
                        node, attribute.name,
                        "expected a plain value, found a subgraph (not supported)")
                }
                if attribute.isReference {
                    throw .attribute(
                        node, attribute.name,
                        "expected a value, found a reference to a function attribute (not supported)"
                    )
                }
            }
        }
    }
}
