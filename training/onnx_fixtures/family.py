"""What a fixture family is: a fitted model, its graph inputs and the held-out rows to feed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
)

from onnx_fixtures.data import Mixed, Numeric

# "onnx": `model` is already the ONNX graph, built by the family with onnx.helper.
# "catboost": CatBoost's own exporter, `save_model(format="onnx")`.
Converter = Literal["skl2onnx", "onnxmltools", "onnx", "catboost"]


@dataclass(frozen=True)
class Fitted:
    """A fitted estimator (or, converter "onnx", its graph) with what the export and the
    cases need.

    `rows` holds held-out rows per graph input, each `[n, width]`; `categories` the known
    categories of each string input, so cases can feed one the model never saw; `extra`
    further cases of the family's own, by case id, as feeds per graph input; `edge_cases`
    False leaves out the generic edge cases (for graphs onnxruntime refuses to run on them).
    """

    model: Any
    inputs: list[tuple[str, Any]]
    rows: dict[str, np.ndarray]
    converter: Converter = "skl2onnx"
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    edge_cases: bool = True


@dataclass(frozen=True)
class Family:
    """One fixture: a name, how to fit its model, and whether to keep skl2onnx's ZipMap."""

    name: str
    fit: Callable[[], Fitted]
    zipmap: bool = False


def numeric(model: Any, data: Numeric, double: bool = False, **kwargs: Any) -> Fitted:
    """Fits `model` on a numeric set behind one `[N, width]` input named `input`."""
    dtype = np.float64 if double else np.float32
    model.fit(data.train_x.astype(dtype), data.train_y)
    width = data.train_x.shape[1]
    tensor = DoubleTensorType if double else FloatTensorType
    rows = {"input": data.test_x.astype(dtype)}
    return Fitted(model, [("input", tensor([None, width]))], rows, **kwargs)


def mixed(model: Any, data: Mixed, labels: np.ndarray | None = None, **kwargs: Any) -> Fitted:
    """Fits `model` on a mixed frame behind one `[N, 1]` input per column.

    Floats are float32, integers int64 and categories strings, like the default model.
    """
    model.fit(data.train_x, data.train_y if labels is None else labels)
    inputs: list[tuple[str, Any]] = []
    rows: dict[str, np.ndarray] = {}
    for column in data.train_x.columns:
        if column in data.numeric:
            inputs.append((column, FloatTensorType([None, 1])))
            rows[column] = _column(data.test_x, column, np.float32)
        elif column in data.integer:
            inputs.append((column, Int64TensorType([None, 1])))
            rows[column] = _column(data.test_x, column, np.int64)
        else:
            inputs.append((column, StringTensorType([None, 1])))
            rows[column] = _column(data.test_x, column, object)
    categories = {column: tuple(sorted(set(data.train_x[column]))) for column in data.categorical}
    return Fitted(model, inputs, rows, categories=categories, **kwargs)


def _column(frame: pd.DataFrame, column: str, dtype: Any) -> np.ndarray:
    return frame[column].to_numpy().astype(dtype).reshape(-1, 1)
