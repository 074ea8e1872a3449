"""Agreement between the original estimator and onnxruntime on the same rows.

A bundle is written only when every probability agrees within `TOLERANCE` and every label
agrees, except where the estimator's two best classes are themselves within the tolerance
(float32 may then pick either). Otherwise the refusal says how many rows and which classes
differ, by how much, and shows the first differing rows.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from predict_pack.errors import PackError

# float32 graphs against float64 estimators: 1e-4 is far above the rounding seen
# (about 1e-6) and far below any difference that would matter to a client.
TOLERANCE = 1e-4
SHOWN_ROWS = 5


@dataclass(frozen=True)
class Parity:
    """How far onnxruntime strays from the estimator over `rows` rows."""

    rows: int
    max_abs_diff: float
    label_mismatches: int
    where: str

    def to_json(self) -> dict[str, Any]:
        """The manifest's `parity` object."""
        return {
            "rows": self.rows,
            "max_abs_diff": self.max_abs_diff,
            "label_mismatches": self.label_mismatches,
            "tolerance": TOLERANCE,
            "on": self.where,
        }


def expected(fitted: Any, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The estimator's `predict` (one label a row: CatBoost's multiclass answers a column) and
    `predict_proba` on `frame`, its warnings silenced (unseen categories, feature names)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = np.asarray(fitted.predict(frame)).reshape(len(frame))
        return labels, np.asarray(fitted.predict_proba(frame))


def compare(
    fitted: Any,
    frame: pd.DataFrame,
    onnx_labels: np.ndarray,
    onnx_probabilities: np.ndarray,
    classes: Sequence[str],
    where: str,
) -> Parity:
    """Raises `PackError` with a report unless onnxruntime's outputs agree with `fitted`'s."""
    labels, probabilities = expected(fitted, frame)
    if probabilities.shape != onnx_probabilities.shape:
        raise PackError(
            f"{where}: expected onnxruntime's probabilities of shape {probabilities.shape} as "
            f"the estimator's, found {onnx_probabilities.shape}"
        )
    difference = np.abs(onnx_probabilities.astype(np.float64) - probabilities)
    ordered = np.sort(probabilities, axis=1)
    close_call = (ordered[:, -1] - ordered[:, -2]) <= TOLERANCE
    label_differs = np.asarray([str(a) != str(b) for a, b in zip(labels, onnx_labels, strict=True)])
    bad = (difference > TOLERANCE).any(axis=1) | (label_differs & ~close_call)
    parity = Parity(
        rows=len(frame),
        max_abs_diff=float(difference.max()) if difference.size else 0.0,
        label_mismatches=int(label_differs.sum()),
        where=where,
    )
    if bad.any():
        raise PackError(_report(frame, bad, difference, labels, onnx_labels, classes, parity))
    return parity


def _report(
    frame: pd.DataFrame,
    bad: np.ndarray,
    difference: np.ndarray,
    labels: np.ndarray,
    onnx_labels: np.ndarray,
    classes: Sequence[str],
    parity: Parity,
) -> str:
    flags = np.asarray((difference > TOLERANCE).any(axis=0)).tolist()
    columns = [name for name, flag in zip(classes, flags, strict=True) if flag]
    lines = [
        f"refusing to write the bundle: onnxruntime disagrees with the estimator on "
        f"{int(bad.sum())} of {parity.rows} rows of {parity.where} "
        f"(probability tolerance {TOLERANCE})",
        f"  max abs probability difference: {parity.max_abs_diff:.6g}",
        f"  classes whose probabilities differ: {columns}",
        f"  label mismatches: {parity.label_mismatches}",
        "  first differing rows:",
    ]
    for position in np.flatnonzero(bad)[:SHOWN_ROWS]:
        row = frame.iloc[int(position)].to_dict()
        lines.append(
            f"    row {int(position)}: estimator label {labels[position]!r}, onnxruntime "
            f"{onnx_labels[position]!r}, max diff {difference[position].max():.6g}; input {row}"
        )
    return "\n".join(lines)
