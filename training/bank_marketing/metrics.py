"""Held-out quality of the fitted pipeline."""

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import Pipeline

from bank_marketing import recipe
from bank_marketing.data import Split

# Metrics are rounded so the manifest reads well; six places are far below their noise.
PLACES = 6


@dataclass(frozen=True)
class Metrics:
    """ROC AUC, and accuracy, precision and recall of "yes" at the model's 0.5 decision."""

    train_rows: int
    test_rows: int
    roc_auc: float
    accuracy: float
    precision_yes: float
    recall_yes: float
    base_rate_yes: float

    def to_json(self) -> dict[str, str | int | float]:
        """The manifest's `metrics` object."""
        return {
            "split": (
                f"stratified {round(100 * (1 - recipe.TEST_FRACTION))}/"
                f"{round(100 * recipe.TEST_FRACTION)}, seed {recipe.SEED}"
            ),
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "roc_auc": self.roc_auc,
            "accuracy": self.accuracy,
            "precision_yes": self.precision_yes,
            "recall_yes": self.recall_yes,
            "base_rate_yes": self.base_rate_yes,
        }


def evaluate(pipeline: Pipeline, split: Split) -> Metrics:
    """Scores `pipeline` on the held-out half of `split`."""
    truth = split.test_y.to_numpy()
    scores = pipeline.predict_proba(split.test_x)[:, 1]
    decisions = pipeline.predict(split.test_x)
    return Metrics(
        train_rows=len(split.train_x),
        test_rows=len(split.test_x),
        roc_auc=round(float(roc_auc_score(truth, scores)), PLACES),
        accuracy=round(float(accuracy_score(truth, decisions)), PLACES),
        precision_yes=round(float(precision_score(truth, decisions, zero_division=0)), PLACES),
        recall_yes=round(float(recall_score(truth, decisions, zero_division=0)), PLACES),
        base_rate_yes=round(float(np.mean(truth)), PLACES),
    )
