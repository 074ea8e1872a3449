"""The pipeline: one-hot categories, numbers passed through, gradient-boosted trees."""

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from .data import CATEGORICAL, NUMERIC, SEED, TEST_SIZE, Split

PARAMS: dict[str, Any] = {
    "n_estimators": 200,
    "max_depth": 3,
    "learning_rate": 0.1,
    "subsample": 0.8,
    "random_state": SEED,
}


def build() -> Pipeline:
    # Trees need no scaling; a scaler in front of them would only move the thresholds.
    encode = ColumnTransformer(
        [
            ("categories", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
            ("numbers", "passthrough", NUMERIC),
        ]
    )
    return Pipeline([("encode", encode), ("classify", GradientBoostingClassifier(**PARAMS))])


def fit(split: Split) -> Pipeline:
    return build().fit(split.train, split.y_train)


def metrics(pipeline: Pipeline, split: Split) -> dict[str, Any]:
    """Held-out metrics; precision and recall of "yes" at the model's own decision."""
    probability = pipeline.predict_proba(split.test)[:, 1]
    predicted = pipeline.predict(split.test)
    return {
        "split": f"stratified {int((1 - TEST_SIZE) * 100)}/{int(TEST_SIZE * 100)}, seed {SEED}",
        "train_rows": len(split.train),
        "test_rows": len(split.test),
        "roc_auc": round(float(roc_auc_score(split.y_test, probability)), 4),
        "accuracy": round(float(accuracy_score(split.y_test, predicted)), 4),
        "precision_yes": round(float(precision_score(split.y_test, predicted)), 4),
        "recall_yes": round(float(recall_score(split.y_test, predicted)), 4),
        "base_rate_yes": round(float(np.mean(split.y_test)), 4),
    }


def categories(pipeline: Pipeline) -> dict[str, list[str]]:
    encoder = pipeline.named_steps["encode"].named_transformers_["categories"]
    return {
        column: [str(value) for value in values]
        for column, values in zip(CATEGORICAL, encoder.categories_, strict=True)
    }
