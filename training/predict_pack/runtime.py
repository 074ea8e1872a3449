"""onnxruntime: the reference that every expected output in golden.jsonl comes from."""

from collections.abc import Sequence

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd

from predict_pack.errors import PackError

ELEMENTS = {
    onnx.TensorProto.FLOAT: np.float32,
    onnx.TensorProto.DOUBLE: np.float64,
    onnx.TensorProto.INT64: np.int64,
    onnx.TensorProto.STRING: np.object_,
}
OUTPUTS = ["label", "probabilities"]


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


def class_labels(model: onnx.ModelProto) -> list[str | int]:
    """The classes the graph's classifier node names, in probability order."""
    for node in model.graph.node:
        for attribute in node.attribute:
            if attribute.name == "classlabels_strings":
                return [value.decode() for value in attribute.strings]
            if attribute.name in ("classlabels_int64s", "classlabels_ints"):
                return [int(value) for value in attribute.ints]
    raise PackError("expected a classifier node naming its class labels, found none in the graph")


def output_names(model: onnx.ModelProto) -> Sequence[str]:
    """The graph's output names, which the runtime and the manifest rely on."""
    return [output.name for output in model.graph.output]
