"""onnxruntime's answers, in the fixture format."""

from typing import Any

import numpy as np
import onnx
import onnxruntime

from onnx_fixtures import graph, jsonfmt
from onnx_fixtures.cases import Case

DTYPES = {
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
    np.dtype(np.int64): "int64",
    np.dtype(object): "string",
    np.dtype(np.bool_): "bool",
}


def session(model: onnx.ModelProto) -> onnxruntime.InferenceSession:
    """A single-threaded session, so the sums are accumulated the same way on every run."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def header(name: str, model: onnx.ModelProto) -> dict[str, Any]:
    """A fixture's description of the graph: name, producer, inputs and outputs."""
    return {
        "family": name,
        "producer": f"{model.producer_name} {model.producer_version}",
        "inputs": [
            {
                "name": value.name,
                "type": graph.type_name(value.type),
                "shape": graph.shape(value.type),
            }
            for value in model.graph.input
        ],
        "outputs": [
            {"name": value.name, "type": graph.type_name(value.type)}
            for value in model.graph.output
        ],
    }


def values(array: np.ndarray, kind: str) -> list[Any]:
    """A tensor's elements, flat and row-major, as JSON tokens of the given type."""
    flat = array.reshape(-1)
    if kind == "float":
        return [jsonfmt.float32(value) for value in flat]
    if kind == "double":
        return [jsonfmt.float64(value) for value in flat]
    if kind == "int64":
        return [int(value) for value in flat]
    if kind == "bool":
        return [bool(value) for value in flat]
    return [str(value) for value in flat]


def tensor(array: np.ndarray, kind: str | None = None) -> dict[str, Any]:
    kind = kind or DTYPES[array.dtype]
    return {"type": kind, "shape": list(array.shape), "values": values(array, kind)}


def seq_map(rows: list[dict[Any, float]]) -> dict[str, Any]:
    """ZipMap's sequence of maps: one list of [key, probability] pairs per row, in key order."""
    keys = {type(key) for row in rows for key in row}
    key_type = "string" if keys == {str} else "int64"
    return {
        "type": "seq_map",
        "key_type": key_type,
        "values": [[[key, jsonfmt.float32(value)] for key, value in row.items()] for row in rows],
    }


def run(model: onnx.ModelProto, cases: list[Case]) -> list[dict[str, Any]]:
    """Each case with its inputs and onnxruntime's outputs, as fixture JSON objects."""
    runner = session(model)
    input_types = {value.name: graph.type_name(value.type) for value in model.graph.input}
    names = [output.name for output in model.graph.output]
    documents = []
    for case in cases:
        results = runner.run(names, case.feeds)
        outputs = {
            name: seq_map(result) if isinstance(result, list) else tensor(result)
            for name, result in zip(names, results, strict=True)
        }
        inputs = {name: tensor(array, input_types[name]) for name, array in case.feeds.items()}
        for document in inputs.values():
            del document["type"]
        documents.append({"id": case.id, "inputs": inputs, "outputs": outputs})
    return documents
