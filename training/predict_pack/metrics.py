"""Quality on the sample when it holds the target: what the served model gets right."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

from predict_pack.estimator import label_text

PLACES = 6


def evaluate(
    truth: pd.Series, predicted: Sequence[str], probabilities: np.ndarray, classes: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, ROC AUC (one-vs-rest when multiclass) and log loss of the served outputs.

    Rows without a target, or with a class the model does not know, are left out.
    """
    names = [label_text(value) for value in truth.tolist()]
    known = np.asarray(
        [not pd.isna(value) and name in classes for value, name in zip(truth, names, strict=True)]
    )
    result: dict[str, Any] = {
        "on": "the --data sample (held out only if the sample was)",
        "rows": int(known.sum()),
    }
    if not known.any():
        return result
    actual = np.asarray(names, dtype=object)[known]
    chosen = np.asarray(predicted, dtype=object)[known]
    scores = probabilities[known].astype(np.float64)
    result["accuracy"] = round(float(accuracy_score(actual, chosen)), PLACES)
    index = np.asarray([list(classes).index(name) for name in actual])
    present = set(index.tolist())
    if len(present) > 1:
        if len(classes) == 2:
            auc = roc_auc_score(index, scores[:, 1])
        elif len(present) == len(classes):
            auc = roc_auc_score(index, scores, multi_class="ovr", labels=list(range(len(classes))))
        else:
            auc = None
        if auc is not None:
            result["roc_auc"] = round(float(auc), PLACES)
    # float32 probabilities widened to float64 can sum to a hair above 1 (1.0000001), which
    # log_loss refuses: clip into [0, 1] before normalising.
    clipped = np.clip(scores, 0.0, 1.0)
    normalised = clipped / clipped.sum(axis=1, keepdims=True)
    result["log_loss"] = round(
        float(log_loss(index, normalised, labels=list(range(len(classes))))), PLACES
    )
    return result
