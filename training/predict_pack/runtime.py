"""onnxruntime: the reference that every expected output in golden.jsonl comes from."""

from collections.abc import Sequence

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
from onnx import numpy_helper

from predict_pack.errors import PackError

ELEMENTS = {
    onnx.TensorProto.FLOAT: np.float32,
    onnx.TensorProto.DOUBLE: np.float64,
    onnx.TensorProto.INT64: np.int64,
    onnx.TensorProto.STRING: np.object_,
}
OUTPUTS = ["label", "probabilities"]
# The element types predict-fcgi reads a label lookup's classes from (ArrayFeatureExtractor
# over a constant): int64 and string, not the int32 some skl2onnx converters write.
LOOKUP_ELEMENTS = (onnx.TensorProto.INT64, onnx.TensorProto.STRING)


def session(model: bytes) -> ort.InferenceSession:
    """A CPU session on one thread: the results do not depend on thread scheduling."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own untyped exceptions
        raise PackError(f"onnxruntime cannot load the model: {error}") from error


def input_types(model: onnx.ModelProto) -> dict[str, type]:
    """The numpy type of each graph input, in graph order; refuses other element types."""
    found: dict[str, type] = {}
    for value in model.graph.input:
        element = value.type.tensor_type.elem_type
        if element not in ELEMENTS:
            raise PackError(
                f"graph input '{value.name}': expected float, double, int64 or string, found "
                f"{onnx.TensorProto.DataType.Name(element)}"
            )
        found[value.name] = ELEMENTS[element]
    return found


def feeds(frame: pd.DataFrame, types: dict[str, type]) -> dict[str, np.ndarray]:
    """One [N,1] tensor per graph input from the typed frame's column of that name."""
    return {
        name: frame[name].to_numpy().astype(kind).reshape(-1, 1) for name, kind in types.items()
    }


def predict(
    runner: ort.InferenceSession, frame: pd.DataFrame, types: dict[str, type]
) -> tuple[np.ndarray, np.ndarray]:
    """The `label` [N] and `probabilities` [N, classes] outputs for `frame`."""
    labels, probabilities = runner.run(OUTPUTS, feeds(frame, types))
    return np.asarray(labels).reshape(-1), np.asarray(probabilities)


def class_labels(model: onnx.ModelProto) -> list[str | int] | None:
    """The classes the graph names for its `label` output, in probability order; None when
    it names none.

    Traced back from `label` as predict-fcgi does: the nearest classifier node's
    `classlabels_*` attribute, or a constant 1-D list of distinct int64 or string values that
    an ArrayFeatureExtractor picks the label from (skl2onnx's ArgMax lookup for KNeighbors,
    GaussianNB and MLP).
    """
    graph = model.graph
    producers = {output: node for node in graph.node for output in node.output}
    constants = {tensor.name: tensor for tensor in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            constants[node.output[0]] = node.attribute[0].t
    seen: set[str] = set()

    def trace(name: str) -> list[str | int] | None:
        node = producers.get(name)
        if node is None or node.name + name in seen:
            return None
        seen.add(node.name + name)
        named = _named_classes(node, constants)
        if named is not None:
            return named
        for source in node.input:
            found = trace(source)
            if found is not None:
                return found
        return None

    label = next((output.name for output in graph.output), None)
    return None if label is None else trace(label)


def _named_classes(
    node: onnx.NodeProto, constants: dict[str, onnx.TensorProto]
) -> list[str | int] | None:
    """The classes `node` names itself: a classifier's attribute, or a label lookup."""
    for attribute in node.attribute:
        if attribute.name == "classlabels_strings":
            return [value.decode() for value in attribute.strings]
        if attribute.name in ("classlabels_int64s", "classlabels_ints"):
            return [int(value) for value in attribute.ints]
    if node.op_type != "ArrayFeatureExtractor" or node.input[0] not in constants:
        return None
    tensor = constants[node.input[0]]
    if tensor.data_type not in LOOKUP_ELEMENTS or len(tensor.dims) != 1:
        return None
    values = numpy_helper.to_array(tensor).tolist()
    found: list[str | int] = [
        value.decode() if isinstance(value, bytes) else value for value in values
    ]
    return found if len(found) >= 2 and len(set(found)) == len(found) else None


def output_names(model: onnx.ModelProto) -> Sequence[str]:
    """The graph's output names, which the runtime and the manifest rely on."""
    return [output.name for output in model.graph.output]
