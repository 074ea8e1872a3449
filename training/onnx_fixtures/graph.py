"""Reading an exported graph: where its tree thresholds are, in terms of the raw inputs.

A threshold is only useful as an edge case when the value that reaches it can be chosen: a
tree fed straight from the graph input (through Cast/Identity), or through one Scaler.
"""

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import helper, numpy_helper

TREE_OPS = ("TreeEnsembleClassifier", "TreeEnsembleRegressor", "TreeEnsemble")
PASS_THROUGH = ("Cast", "Identity")
# TreeEnsemble's nodes_modes code for a set membership test.
V5_MEMBER = 6


Step = tuple[str, float]


@dataclass(frozen=True)
class Split:
    """A split of input column `feature` at `threshold` (float32, or float64 in a double
    TreeEnsemble), and the element-wise float32 steps (`sub`, `mul`, `add`, `div` by a
    constant) between the input and the tree."""

    feature: int
    threshold: np.floating
    steps: tuple[Step, ...] = ()

    def apply(self, value: np.float32) -> np.float32:
        """What the tree sees for an input `value`, computed in float32 as onnxruntime does."""
        for operation, constant in self.steps:
            value = OPERATIONS[operation](value, np.float32(constant))
        return np.float32(value)


OPERATIONS = {
    "sub": np.subtract,
    "mul": np.multiply,
    "add": np.add,
    "div": np.divide,
}
INVERSES = {"sub": "add", "add": "sub", "mul": "div", "div": "mul"}


def _attributes(node: onnx.NodeProto) -> dict[str, object]:
    return {attribute.name: helper.get_attribute_value(attribute) for attribute in node.attribute}


def _trace(graph: onnx.GraphProto, name: str) -> tuple[str, list[tuple[str, np.ndarray]]]:
    """The graph input `name` comes from and the element-wise steps on the way, or `""` when
    something else (a Concat, an encoder) stands between them."""
    producers = {output: node for node in graph.node for output in node.output}
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    steps: list[tuple[str, np.ndarray]] = []
    while name in producers:
        node = producers[name]
        operation = node.op_type.lower()
        if node.op_type in PASS_THROUGH:
            name = node.input[0]
        elif node.op_type == "Scaler":
            attributes = _attributes(node)
            steps[:0] = [
                ("sub", np.asarray(attributes["offset"], dtype=np.float32)),
                ("mul", np.asarray(attributes["scale"], dtype=np.float32)),
            ]
            name = node.input[0]
        elif operation in OPERATIONS and node.input[1] in constants:
            steps.insert(0, (operation, constants[node.input[1]].reshape(-1)))
            name = node.input[0]
        else:
            return "", []
    return name, steps


def _thresholds(node: onnx.NodeProto) -> list[tuple[int, np.floating]]:
    values = _attributes(node)
    if node.op_type == "TreeEnsemble":
        return _splits_v5(values)
    if "nodes_values_as_tensor" in values:
        thresholds = numpy_helper.to_array(values["nodes_values_as_tensor"])
    else:
        thresholds = np.asarray(values.get("nodes_values", []), dtype=np.float32)
    modes = [mode.decode() if isinstance(mode, bytes) else mode for mode in values["nodes_modes"]]
    features = values["nodes_featureids"]
    return [
        (int(feature), np.float32(threshold))
        for feature, threshold, mode in zip(features, thresholds, modes, strict=True)
        if mode != "LEAF"
    ]


def _splits_v5(values: dict[str, object]) -> list[tuple[int, np.floating]]:
    """Opset 5's branches, in the type of `nodes_splits`, but for BRANCH_MEMBER (a set, not
    a threshold) and one-leaf trees (whose root splits nothing)."""
    thresholds = numpy_helper.to_array(values["nodes_splits"])
    modes = numpy_helper.to_array(values["nodes_modes"])
    columns = zip(
        values["nodes_featureids"],
        thresholds,
        modes,
        values["nodes_truenodeids"],
        values["nodes_trueleafs"],
        values["nodes_falsenodeids"],
        values["nodes_falseleafs"],
        strict=True,
    )
    return [
        (int(feature), threshold)
        for feature, threshold, mode, true, true_leaf, false, false_leaf in columns
        if mode != V5_MEMBER and not (true_leaf and false_leaf and true == false)
    ]


def splits(model: onnx.ModelProto, input_name: str) -> list[Split]:
    """Every distinct split of the tree ensembles that `input_name` reaches element-wise."""
    graph = model.graph
    found: set[Split] = set()
    for node in graph.node:
        if node.op_type not in TREE_OPS:
            continue
        source, steps = _trace(graph, node.input[0])
        if source != input_name:
            continue
        for feature, threshold in _thresholds(node):
            chain = tuple(
                (operation, float(constant[feature if len(constant) > 1 else 0]))
                for operation, constant in steps
            )
            found.add(Split(feature, threshold, chain))
    return sorted(found, key=lambda split: (split.feature, float(split.threshold)))


def landing(split: Split) -> np.floating | None:
    """An input the steps map exactly onto the threshold, searched within 64 float32 ulps of
    the real-number solution; the threshold itself when there are no steps."""
    if not split.steps:
        return split.threshold
    guess = float(split.threshold)
    for operation, constant in reversed(split.steps):
        if constant == 0 and operation in ("mul", "div"):
            return None
        guess = OPERATIONS[INVERSES[operation]](guess, constant)
    below = above = np.float32(guess)
    for _ in range(64):
        for candidate in (below, above):
            if split.apply(candidate) == split.threshold:
                return candidate
        below = np.nextafter(below, np.float32(-np.inf))
        above = np.nextafter(above, np.float32(np.inf))
    return None


def type_name(kind: onnx.TypeProto) -> str:
    """The fixture's type word for a graph value: a tensor's element type, or `seq_map`."""
    if kind.HasField("sequence_type"):
        return "seq_map"
    return ELEMENT_TYPES[kind.tensor_type.elem_type]


def shape(kind: onnx.TypeProto) -> list[int | None]:
    """A tensor's declared shape, `None` for a symbolic or unknown dimension."""
    return [
        dim.dim_value if dim.HasField("dim_value") else None for dim in kind.tensor_type.shape.dim
    ]


ELEMENT_TYPES = {
    onnx.TensorProto.FLOAT: "float",
    onnx.TensorProto.DOUBLE: "double",
    onnx.TensorProto.INT64: "int64",
    onnx.TensorProto.STRING: "string",
    onnx.TensorProto.BOOL: "bool",
}
