"""Models the runtime must refuse at load, each for one precise reason (see the fixtures'
README.md): built from real skl2onnx graphs where possible, with `onnx.helper` otherwise."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper
from skl2onnx import to_onnx
from sklearn.tree import DecisionTreeClassifier

from onnx_fixtures import data

OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]


def _sorted_opsets(model: onnx.ModelProto) -> onnx.ModelProto:
    imports = sorted((entry.domain, entry.version) for entry in model.opset_import)
    del model.opset_import[:]
    model.opset_import.extend(helper.make_opsetid(domain, version) for domain, version in imports)
    return model


def _tree() -> onnx.ModelProto:
    iris = data.iris()
    tree = DecisionTreeClassifier(max_depth=3, random_state=data.SEED).fit(
        iris.train_x, iris.train_y
    )
    model = to_onnx(
        tree,
        iris.train_x[:1],
        options={id(tree): {"zipmap": False}},
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    return _sorted_opsets(model)


def _tree_attribute(model: onnx.ModelProto, name: str) -> onnx.AttributeProto:
    node = next(node for node in model.graph.node if node.op_type == "TreeEnsembleClassifier")
    return next(attribute for attribute in node.attribute if attribute.name == name)


def tree_featureids_short() -> onnx.ModelProto:
    """nodes_featureids one entry shorter than nodes_nodeids."""
    model = _tree()
    del _tree_attribute(model, "nodes_featureids").ints[-1]
    return model


def tree_child_out_of_range() -> onnx.ModelProto:
    """nodes_truenodeids[0] names node 999, which tree 0 does not have."""
    model = _tree()
    _tree_attribute(model, "nodes_truenodeids").ints[0] = 999
    return model


def tree_class_id_out_of_range() -> onnx.ModelProto:
    """class_ids[0] is 7, with only 3 entries in classlabels_int64s."""
    model = _tree()
    _tree_attribute(model, "class_ids").ints[0] = 7
    return model


def _graph(nodes: list[onnx.NodeProto], inputs, outputs, initializers=()) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "refusal", inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="onnx_fixtures")
    model.ir_version = 8
    return model


def unsupported_op_erf() -> onnx.ModelProto:
    """ai.onnx Erf, not among the supported ops."""
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 4])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 4])
    return _graph([helper.make_node("Erf", ["input"], ["output"])], [x], [y])


def unsupported_op_feature_vectorizer() -> onnx.ModelProto:
    """ai.onnx.ml FeatureVectorizer joining two float inputs, not among the supported ops."""
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, 2]) for name in ("a", "b")
    ]
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 4])
    node = helper.make_node(
        "FeatureVectorizer", ["a", "b"], ["output"], domain="ai.onnx.ml", inputdimensions=[2, 2]
    )
    return _graph([node], inputs, [y])


def type_mismatch_add() -> onnx.ModelProto:
    """Add of a float input and a double initializer: both operands must share one type."""
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 4])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 4])
    bias = helper.make_tensor("bias", TensorProto.DOUBLE, [4], np.ones(4).tolist())
    return _graph([helper.make_node("Add", ["input", "bias"], ["output"])], [x], [y], [bias])


def type_mismatch_scaler_string() -> onnx.ModelProto:
    """A string tensor fed to ai.onnx.ml Scaler, which takes only numbers."""
    x = helper.make_tensor_value_info("input", TensorProto.STRING, [None, 1])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 1])
    scaler = helper.make_node(
        "Scaler", ["input"], ["output"], domain="ai.onnx.ml", offset=[0.0], scale=[1.0]
    )
    return _graph([scaler], [x], [y])


def undefined_input() -> onnx.ModelProto:
    """A node reads `hidden`, which no input, initializer or node defines."""
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, 4])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [None, 4])
    return _graph([helper.make_node("Add", ["input", "hidden"], ["output"])], [x], [y])


REFUSALS: dict[str, Callable[[], onnx.ModelProto]] = {
    "unsupported_op_erf": unsupported_op_erf,
    "unsupported_op_feature_vectorizer": unsupported_op_feature_vectorizer,
    "tree_featureids_short": tree_featureids_short,
    "tree_child_out_of_range": tree_child_out_of_range,
    "tree_class_id_out_of_range": tree_class_id_out_of_range,
    "type_mismatch_add": type_mismatch_add,
    "type_mismatch_scaler_string": type_mismatch_scaler_string,
    "undefined_input": undefined_input,
}


def write(out: Path) -> list[str]:
    """Writes `<name>.onnx` for every refusal; returns the names."""
    out.mkdir(parents=True, exist_ok=True)
    for name, build in REFUSALS.items():
        (out / f"{name}.onnx").write_bytes(build().SerializeToString())
    return list(REFUSALS)
