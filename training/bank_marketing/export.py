"""ONNX export and the checks that the export says what scikit-learn says."""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.pipeline import Pipeline

from .data import NUMERIC

TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def export(pipeline: Pipeline, columns: list[str], version: str) -> onnx.ModelProto:
    """One graph input per column: float32 [N,1] for numbers, string [N,1] for categories."""
    types = [
        (c, FloatTensorType([None, 1]) if c in NUMERIC else StringTensorType([None, 1]))
        for c in columns
    ]
    model = to_onnx(
        pipeline,
        initial_types=types,
        options={"zipmap": False},
        target_opset=TARGET_OPSET,
    )
    model.doc_string = "UCI bank marketing: will the client subscribe to a term deposit?"
    model.model_version = int(version.split(".")[0])
    return model


def feeds(frame: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
    return {
        c: (
            frame[c].to_numpy(np.float32) if c in NUMERIC else frame[c].to_numpy(dtype=object)
        ).reshape(-1, 1)
        for c in columns
    }


def session(path: Path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def verify(path: Path, pipeline: Pipeline, test: pd.DataFrame, columns: list[str]) -> float:
    """The largest difference between onnxruntime's and scikit-learn's probabilities."""
    labels, probabilities = session(path).run(None, feeds(test, columns))
    expected = pipeline.predict_proba(test)
    difference = float(np.abs(probabilities - expected).max())
    if difference > 1e-4:
        raise RuntimeError(f"onnxruntime disagrees with scikit-learn by {difference}")
    return difference


def opsets(model: onnx.ModelProto) -> dict[str, int]:
    return {entry.domain: entry.version for entry in model.opset_import}


def numeric_thresholds(model: onnx.ModelProto, columns: list[str]) -> dict[str, list[float]]:
    """Every split threshold of the tree ensemble, per numeric input column.

    The graph concatenates the one-hot blocks first and the passed-through numbers last, so
    a tree feature id at or beyond the one-hot width is a numeric column. The width is read
    from the Reshape that flattens the one-hot blocks rather than assumed.
    """
    trees = next(n for n in model.graph.node if n.op_type == "TreeEnsembleClassifier")
    attributes = {a.name: a for a in trees.attribute}
    shape = next(i for i in model.graph.initializer if i.name == "shape_tensor")
    one_hot_width = int(onnx.numpy_helper.to_array(shape)[-1])
    numeric = NUMERIC  # the passthrough order of the ColumnTransformer
    thresholds: dict[str, set[float]] = {c: set() for c in numeric}
    modes = [m.decode() for m in attributes["nodes_modes"].strings]
    for feature, value, mode in zip(
        attributes["nodes_featureids"].ints, attributes["nodes_values"].floats, modes, strict=True
    ):
        if mode != "LEAF" and feature >= one_hot_width:
            thresholds[numeric[feature - one_hot_width]].add(float(np.float32(value)))
    return {c: sorted(values) for c, values in thresholds.items()}
