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
        #expect(sourceLocation: sourceLocation) {
            _ = try InferenceModel(onnx: bytes)
        } throws: { error in
            guard let error = error as? ModelError, error.kind == kind else { return false }
            return fragments.allSatisfy { error.message.contains($0) }
        }
    }

    private func identityModel(
        opType: String = "Identity", domain: String = "",
        opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)], input: String = "X",
        elementType: Int64 = ONNX.float
    ) -> [UInt8] {
        ONNX.model(
            nodes: [ONNX.node(opType, domain: domain, inputs: [input], outputs: ["Y"])],
            inputs: [ONNX.value("X", elementType, [nil, 1])],
            outputs: [ONNX.value("Y", elementType, [nil, 1])], opsets: opsets)
    }

    @Test("refuses bytes that are not a protobuf message")
    func refusesMalformedBytes() {
        expectRefusal([0x0A, 0xFF, 0xFF], .malformedProtobuf, mentioning: ["ModelProto"])
        expectRefusal(Array("not a model".utf8), .malformedProtobuf, mentioning: ["malformed"])
    }

    @Test("lists every unsupported operator at once")
    func listsUnsupportedOperators() {
        let bytes = ONNX.model(
            nodes: [
                ONNX.node("SVMClassifier", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["A"]),
                ONNX.node("Foo", inputs: ["A"], outputs: ["Y"]),
            ],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1])])
        expectRefusal(
            bytes, .unsupportedOperators, mentioning: ["ai.onnx.ml:SVMClassifier", ":Foo"])
    }

    @Test("refuses a node whose domain's opset is not imported")
    func refusesMissingOpsetImport() {
        expectRefusal(
            identityModel(opsets: [("ai.onnx.ml", 3)]), .unsupportedOpset,
            mentioning: ["identity", "ai.onnx", "does not import"])
    }

    @Test("refuses an opset version outside the operator's supported range")
    func refusesOpsetVersion() {
        expectRefusal(
            identityModel(opsets: [("", 99)]), .unsupportedOpset, mentioning: ["opset 99"])
    }

    @Test("refuses a node reading a value nothing provides")
    func refusesDanglingReference() {
        expectRefusal(identityModel(input: "Z"), .invalidGraph, mentioning: ["reads 'Z'"])
    }

    @Test("refuses element types the runtime does not support")
    func refusesUnsupportedType() {
        expectRefusal(identityModel(elementType: 10), .unsupportedType, mentioning: ["float16"])
    }

    @Test("refuses node arrays of different lengths, naming both attributes and sizes")
    func refusesParallelArrayMismatch() {
        var spec = TreeSpec()
        spec.values = [0.5, 0]
        expectRefusal(
            spec.modelBytes, .invalidAttribute,
            mentioning: ["nodes_values", "has 2 values", "nodes_nodeids has 3", "trees"])
    }

    @Test("refuses a child id that is not in the tree")
    func refusesDanglingChild() {
        var spec = TreeSpec()
        spec.falseIDs = [7, 0, 0]
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["nodes_falsenodeids", "node 7"])
    }

    @Test("refuses a weight on a node that is not a leaf")
    func refusesWeightOnBranch() {
        var spec = TreeSpec()
        spec.classNodeIDs = [0, 2]
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["class_nodeids", "not a leaf"])
    }

    @Test("refuses a weight on a node that does not exist")
    func refusesWeightOnMissingNode() {
        var spec = TreeSpec()
        spec.classNodeIDs = [1, 9]
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["class_nodeids", "does not exist"])
    }

    @Test("refuses a class id beyond the class labels")
    func refusesClassOutOfRange() {
        var spec = TreeSpec()
        spec.classIDs = [0, 2]
        expectRefusal(spec.modelBytes, .invalidAttribute, mentioning: ["class_ids", "class 2"])
    }

    @Test("refuses both kinds of class labels, and neither")
    func refusesClassLabelChoice() {
        var both = TreeSpec()
        both.labelsString = ["a", "b"]
        expectRefusal(both.modelBytes, .invalidAttribute, mentioning: ["both"])
        var neither = TreeSpec()
        neither.labelsInt = nil
        expectRefusal(neither.modelBytes, .invalidAttribute, mentioning: ["neither"])
    }

    @Test("refuses an unknown post_transform")
    func refusesPostTransform() {
        var spec = TreeSpec()
        spec.postTransform = "SIGMOID"
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["post_transform", "SIGMOID"])
    }

    @Test("refuses an unknown node mode")
    func refusesMode() {
        var spec = TreeSpec()
        spec.modes = ["BRANCH_MAYBE", "LEAF", "LEAF"]
        expectRefusal(
            spec.modelBytes, .invalidAttribute, mentioning: ["nodes_modes", "BRANCH_MAYBE"])
    }

    @Test("refuses a tree whose nodes form a cycle")
    func refusesCycle() {
        var spec = TreeSpec()
        spec.modes = ["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]
        spec.trueIDs = [1, 0, 0]
        spec.falseIDs = [2, 2, 0]
        expectRefusal(spec.modelBytes, .invalidAttribute, mentioning: ["tree 0"])
    }

    @Test("refuses a graph output whose declared type differs from what its node makes")
    func refusesOutputTypeMismatch() {
        let bytes = ONNX.model(
            nodes: [ONNX.node("Identity", inputs: ["X"], outputs: ["Y"])],
            inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.int64, [nil, 1])])
        expectRefusal(bytes, .unsupportedType, mentioning: ["'Y'", "int64", "float"])
    }

    @Test("refuses an operator input of the wrong type")
    func refusesInputTypeMismatch() {
        let encoder = ONNX.node(
            "OneHotEncoder", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y"],
            attributes: [ONNX.attribute("cats_strings", strings: ["a"])])
        let bytes = ONNX.model(
            nodes: [encoder], inputs: [ONNX.value("X", ONNX.float, [nil, 1])],
            outputs: [ONNX.value("Y", ONNX.float, [nil, 1, 1])])
        expectRefusal(bytes, .unsupportedType, mentioning: ["OneHotEncoder", "must be string"])
    }
}
