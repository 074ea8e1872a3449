import Testing

@testable import ONNXRuntime

/// One test per reason a model is refused at load; each checks the kind and that the
/// message names what is wrong and where.
@Suite("Load-time validation")
struct LoadValidationTests {
    private func expectRefusal(
        _ bytes: [UInt8], _ kind: ModelError.Kind, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectLoadRefusal(bytes, kind, mentioning: fragments, sourceLocation: sourceLocation)
    }

    private func expectRefusal(
        _ spec: TreeSpec, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["node 'trees'"] + fragments,
            sourceLocation: sourceLocation)
    }

    private func identityModel(
        opType: String = "Identity", domain: String = "",
        opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)], input: String = "X",
        elementType: Int64 = ONNX.float, irVersion: Int64? = 8
    ) -> [UInt8] {
        ONNX.model(
            nodes: [ONNX.node(opType, domain: domain, inputs: [input], outputs: ["Y"])],
            inputs: [ONNX.value("X", elementType, [nil, 1])],
            outputs: [ONNX.value("Y", elementType, [nil, 1])], opsets: opsets,
            irVersion: irVersion)
    }

    @Test("refuses bytes that are not a protobuf message")
    func refusesMalformedBytes() {
        expectRefusal([0x0A, 0xFF, 0xFF], .malformedProtobuf, mentioning: ["ModelProto"])
        expectRefusal(
            Array("not a model".utf8), .malformedProtobuf, mentioning: ["malformed ONNX protobuf"])
    }

    @Test("refuses a model without ir_version")
    func refusesMissingIRVersion() {
        expectRefusal(
            identityModel(irVersion: nil), .malformedProtobuf, mentioning: ["ir_version"])
    }

    @Test("refuses an IR version from before opset imports")
    func refusesOldIRVersion() {
        expectRefusal(
            identityModel(irVersion: 2), .unsupportedOpset, mentioning: ["IR version", "found 2"])
    }

    @Test("lists every unsupported operator at once")
    func listsUnsupportedOperators() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node("Bar", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["A"]),
                ONNX.node("Foo", inputs: ["A"], outputs: ["B"]),
                ONNX.node("Foo", inputs: ["B"], outputs: ["Y"]),
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(
            bytes, .unsupportedOperators,
            mentioning: ["found unsupported operators ai.onnx.ml:Bar, :Foo ("])
    }

    @Test("refuses a node whose domain's opset is not imported")
    func refusesMissingOpsetImport() {
        expectRefusal(
            identityModel(opType: "Normalizer", domain: "ai.onnx.ml", opsets: [("", 17)]),
            .unsupportedOpset,
            mentioning: ["node 'normalizer' (ai.onnx.ml:Normalizer)", "'ai.onnx.ml'", "found none"])
    }

    @Test("runs ai.onnx nodes at the newest opset when the model imports none, as onnxruntime")
    func defaultsMissingDefaultOpset() throws {
        let model = try InferenceModel(onnx: identityModel(opsets: [("ai.onnx.ml", 1)]))
        #expect(model.opsets == ["ai.onnx.ml": 1])
        let x = Tensor(shape: [1, 1], storage: .float([2]))
        #expect(try model.run(["X": x])["Y"] == x)
    }

    @Test("refuses an opset version outside the operator's supported range")
    func refusesOpsetVersion() {
        expectRefusal(
            identityModel(opsets: [("", 99)]), .unsupportedOpset,
            mentioning: ["expected opset 1…22", "found opset 99"])
    }

    @Test("refuses a node reading a value nothing provides")
    func refusesDanglingReference() {
        expectRefusal(
            identityModel(input: "Z"), .invalidGraph,
            mentioning: ["node 'identity' (ai.onnx:Identity) reads 'Z'", "found none"])
    }

    @Test("refuses nodes that feed each other in a cycle")
    func refusesGraphCycle() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node("Identity", name: "a", inputs: ["B"], outputs: ["A"]),
                ONNX.node("Identity", name: "b", inputs: ["A"], outputs: ["B"]),
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("A", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .invalidGraph, mentioning: ["cycle", "'a', 'b'"])
    }

    @Test("refuses a value defined twice")
    func refusesDuplicateValue() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node("Identity", name: "a", inputs: ["X"], outputs: ["Y"]),
                ONNX.node("Identity", name: "b", inputs: ["X"], outputs: ["Y"]),
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .invalidGraph, mentioning: ["'Y' defined again by node 'b'"])
    }

    @Test("refuses a graph output that nothing produces")
    func refusesMissingOutput() {
        let bytes = ONNX.model(
            nodes: [ONNX.node("Identity", inputs: ["X"], outputs: ["Y"])],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Z", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .invalidGraph, mentioning: ["graph output 'Z'", "found nothing"])
    }

    @Test("refuses a graph output whose declared type differs from what its node makes")
    func refusesOutputTypeMismatch() {
        let bytes = ONNX.model(
            nodes: [ONNX.node("Identity", inputs: ["X"], outputs: ["Y"])],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.int64, [nil, 1])])
        expectRefusal(bytes, .unsupportedType, mentioning: ["'Y' of int64", "found float"])
    }

    @Test("refuses element types the runtime does not support")
    func refusesUnsupportedType() {
        expectRefusal(
            identityModel(elementType: ONNX.float16), .unsupportedType,
            mentioning: ["graph input 'X'", "found float16"])
    }

    @Test("refuses inputs that are not tensors")
    func refusesSequenceInput() {
        let bytes = ONNX.model(
            nodes: [ONNX.node("Identity", inputs: ["X"], outputs: ["Y"])],
            inputs: [ONNX.sequence("X")], outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .unsupportedType, mentioning: ["'X' to be a tensor, found sequence"])
    }

    @Test("refuses initializers whose values live in external files")
    func refusesExternalData() {
        var tensor = ONNX.tensor("shape", dims: [2], int64s: [])
        var entry = ProtoWriter()
        entry.string(1, "location")
        entry.string(2, "weights.bin")
        tensor.message(13, entry)
        let bytes = ONNX.model(
            nodes: [ONNX.node("Reshape", inputs: ["X", "shape"], outputs: ["Y"])],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])], initializers: [tensor])
        expectRefusal(
            bytes, .unsupportedType, mentioning: ["initializer 'shape'", "external data"])
    }

    @Test("refuses a node carrying a subgraph")
    func refusesSubgraphAttribute() {
        let node = ONNX.node(
            "Identity", inputs: ["X"], outputs: ["Y"],
            attributes: [ONNX.attribute("body", graph: ProtoWriter())])
        let bytes = ONNX.model(
            nodes: [node], inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .invalidAttribute, mentioning: ["attribute 'body'", "subgraph"])
    }

    @Test("refuses an attribute of the wrong type, naming both types")
    func refusesAttributeType() {
        var spec = TreeSpec()
        spec.extraAttributes = [ONNX.attribute("post_transform", ints: [1])]
        spec.postTransform = nil
        expectRefusal(spec, mentioning: ["'post_transform'", "expected type STRING, found INTS"])
    }

    @Test("refuses a missing required attribute")
    func refusesMissingAttribute() {
        let encoder = ONNX.node("Cast", inputs: ["X"], outputs: ["Y"])
        let bytes = ONNX.model(
            nodes: [encoder], inputs: [ONNX.value("X", ONNX.float, [nil])],
            outputs: [ONNX.value("Y", ONNX.float, [nil])])
        expectRefusal(bytes, .invalidAttribute, mentioning: ["attribute 'to'", "required"])
    }

    @Test("refuses node arrays of different lengths, naming both attributes and sizes")
    func refusesParallelArrayMismatch() {
        var spec = TreeSpec()
        spec.values = [0.5, 0]
        expectRefusal(
            spec, mentioning: ["'nodes_values'", "has 2 values but nodes_nodeids has 3"])
    }

    @Test("refuses weight arrays of different lengths, naming both attributes and sizes")
    func refusesWeightArrayMismatch() {
        var spec = TreeSpec()
        spec.classWeights = [1]
        expectRefusal(
            spec, mentioning: ["'class_weights'", "has 1 values but class_treeids has 2"])
    }

    @Test("refuses a child id that is not in the tree")
    func refusesDanglingChild() {
        var spec = TreeSpec()
        spec.falseIDs = [7, 0, 0]
        expectRefusal(spec, mentioning: ["'nodes_falsenodeids'", "points to node 7"])
    }

    @Test("refuses a repeated node id within a tree")
    func refusesDuplicateNodeID() {
        var spec = TreeSpec()
        spec.nodeIDs = [0, 1, 1]
        expectRefusal(spec, mentioning: ["'nodes_nodeids'", "node 1 twice in tree 0"])
    }

    @Test("refuses a tree whose nodes form a cycle")
    func refusesTreeCycle() {
        var spec = TreeSpec()
        spec.modes = ["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]
        spec.trueIDs = [1, 0, 0]
        spec.falseIDs = [2, 2, 0]
        expectRefusal(spec, mentioning: ["tree 0 has no root"])
    }

    @Test("refuses a tree with two roots")
    func refusesTwoRoots() {
        var spec = TreeSpec()
        spec.falseIDs = [1, 0, 0]
        expectRefusal(spec, mentioning: ["tree 0 has two roots"])
    }

    @Test("refuses a weight on a node that is not a leaf")
    func refusesWeightOnBranch() {
        var spec = TreeSpec()
        spec.classNodeIDs = [0, 2]
        expectRefusal(
            spec, mentioning: ["'class_nodeids'", "expected a LEAF, found a BRANCH_LEQ node"])
    }

    @Test("refuses a weight on a node that does not exist")
    func refusesWeightOnMissingNode() {
        var spec = TreeSpec()
        spec.classNodeIDs = [1, 9]
        expectRefusal(spec, mentioning: ["'class_nodeids'", "node 9 of tree 0", "does not exist"])
    }

    @Test("refuses a class id beyond the class labels")
    func refusesClassOutOfRange() {
        var spec = TreeSpec()
        spec.classIDs = [0, 2]
        expectRefusal(spec, mentioning: ["'class_ids'", "from 0 to 1, found 2"])
    }

    @Test("refuses both kinds of class labels")
    func refusesBothClassLabels() {
        var spec = TreeSpec()
        spec.labelsString = ["a", "b"]
        expectRefusal(spec, mentioning: ["classlabels_strings, found both"])
    }

    @Test("refuses a classifier without class labels")
    func refusesNoClassLabels() {
        var spec = TreeSpec()
        spec.labelsInt = nil
        expectRefusal(spec, mentioning: ["classlabels_strings, found neither"])
    }

    @Test("refuses a classifier with a single class")
    func refusesSingleClass() {
        var spec = TreeSpec()
        spec.labelsInt = [3]
        spec.classIDs = [0, 0]
        expectRefusal(spec, mentioning: ["at least 2 classes, found 1"])
    }

    @Test("refuses an unknown post_transform")
    func refusesPostTransform() {
        var spec = TreeSpec()
        spec.postTransform = "SIGMOID"
        expectRefusal(spec, mentioning: ["'post_transform'", "found 'SIGMOID'"])
    }

    @Test("refuses an unknown node mode")
    func refusesMode() {
        var spec = TreeSpec()
        spec.modes = ["BRANCH_MAYBE", "LEAF", "LEAF"]
        expectRefusal(spec, mentioning: ["'nodes_modes'", "found 'BRANCH_MAYBE'"])
    }

    @Test("refuses base values that fit neither onnxruntime's binary nor multiclass rule")
    func refusesBaseValues() {
        var spec = TreeSpec()
        spec.labelsInt = [0, 1, 2]
        spec.baseValues = [0.5, 0.5]
        expectRefusal(spec, mentioning: ["'base_values'", "0 or 3 values for 3 classes, found 2"])
    }

    @Test("refuses thresholds given twice, as a list and as a tensor")
    func refusesThresholdsTwice() {
        var spec = TreeSpec()
        spec.extraAttributes = [
            ONNX.attribute(
                "nodes_values_as_tensor", tensor: ONNX.tensor("", dims: [3], floats: [0, 0, 0]))
        ]
        expectRefusal(spec, mentioning: ["'nodes_values_as_tensor'", "found both"])
    }

    @Test("refuses double thresholds for float input, as onnxruntime does")
    func refusesThresholdTensorType() {
        var spec = TreeSpec()
        spec.values = []
        spec.extraAttributes = [
            ONNX.attribute(
                "nodes_values_as_tensor", tensor: ONNX.tensor("", dims: [3], doubles: [0, 0, 0]))
        ]
        expectRefusal(spec, mentioning: ["expected a float tensor", "found double"])
    }

    @Test("refuses a OneHotEncoder without categories")
    func refusesEncoderWithoutCategories() {
        let encoder = ONNX.node(
            "OneHotEncoder", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"])
        let bytes = ONNX.model(
            nodes: [encoder], inputs: [ONNX.value("X", ONNX.string, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 1])])
        expectRefusal(bytes, .invalidAttribute, mentioning: ["cats_int64s", "found neither"])
    }

    @Test("refuses an operator input of the wrong type")
    func refusesInputTypeMismatch() {
        let encoder = ONNX.node(
            "OneHotEncoder", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
            attributes: [ONNX.attribute("cats_strings", strings: ["a"])])
        let bytes = ONNX.model(
            nodes: [encoder], inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 1])])
        expectRefusal(
            bytes, .unsupportedType,
            mentioning: ["(ai.onnx.ml:OneHotEncoder)", "of string, found float"])
    }

    @Test("refuses a Reshape whose target shape is computed")
    func refusesComputedReshape() {
        let bytes = ONNX.model(
            nodes: [ONNX.node("Reshape", inputs: ["X", "S"], outputs: ["Y"])],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1]), ONNX.value("S", ONNX.int64, [2])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(bytes, .invalidGraph, mentioning: ["'S'", "initializer"])
    }

    @Test("refuses a Cast to a type the runtime does not hold")
    func refusesCastTarget() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node(
                    "Cast", inputs: ["X"], outputs: ["Y"],
                    attributes: [ONNX.attribute("to", int: ONNX.float16)])
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil])],
            outputs: [ONNX.value("Y", ONNX.float, [nil])])
        expectRefusal(bytes, .invalidAttribute, mentioning: ["attribute 'to'", "found float16"])
    }
}
