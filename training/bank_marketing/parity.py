"""Agreement between the sklearn pipeline and the exported model on the same rows."""

import warnings
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort
import pandas as pd
from sklearn.pipeline import Pipeline

from bank_marketing import recipe, runtime
from bank_marketing.errors import TrainingError


@dataclass(frozen=True)
class Parity:
    """How far onnxruntime strays from sklearn over `rows` rows."""

    rows: int
    max_abs_diff: float
    label_mismatches: int

    def to_json(self) -> dict[str, int | float]:
        """The manifest's `parity` object."""
        return {
            "rows": self.rows,
            "max_abs_diff": self.max_abs_diff,
            "label_mismatches": self.label_mismatches,
        }


def compare(
    pipeline: Pipeline, runner: ort.InferenceSession, frame: pd.DataFrame, where: str
) -> Parity:
    """Runs both on `frame`; raises if a probability differs by more than the tolerance."""
    with warnings.catch_warnings():
        # Unseen categories are the point of some golden cases; sklearn warns about each.
        warnings.filterwarnings("ignore", message="Found unknown categories")
        expected = pipeline.predict_proba(frame)
        expected_labels = pipeline.predict(frame)
    labels, probabilities = runtime.predict(runner, frame)
    difference = float(np.max(np.abs(probabilities.astype(np.float64) - expected)))
    parity = Parity(
        rows=len(frame),
        max_abs_diff=difference,
        label_mismatches=int(np.sum(labels != expected_labels)),
    )
    if not difference <= recipe.PARITY_TOLERANCE:
        raise TrainingError(
            f"{where}: expected onnxruntime within {recipe.PARITY_TOLERANCE} of sklearn's "
            f"probabilities, found a difference of {difference:.3g}"
        )
    return parity
