"""Each packed family, served by the worker over HTTP, answers as the original estimator does."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from families import FAMILIES, Fitted
from support.stack import Stack

# The worker computes in float32 as onnxruntime does; sklearn in float64.
TOLERANCE = 1e-4


def rows(fitted: Fitted) -> list[dict[str, Any]]:
    found = []
    for record in fitted.held_out.to_dict("records"):
        found.append(
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
        )
    return found


@pytest.mark.parametrize("name", [family.name for family in FAMILIES])
def test_served_answers_match_the_estimator(
    name: str, stack: Stack, fitted: dict[str, Fitted]
) -> None:
    each = fitted[name]
    instances = rows(each)
    reply = stack.client.post_json(f"/models/{name}/predict", {"instances": instances})
    assert reply.status == 200, reply.body
    predictions = reply.json["predictions"]
    assert len(predictions) == len(instances)
    expected = each.estimator.predict_proba(each.held_out)
    classes = [str(label) for label in each.estimator.classes_]
    labels = np.asarray(each.estimator.predict(each.held_out)).reshape(len(each.held_out))
    worst = 0.0
    for position, served in enumerate(predictions):
        assert served["label"] == str(labels[position]), (position, served)
        assert list(served["probabilities"]) == classes
        got = np.array([served["probabilities"][c] for c in classes])
        worst = max(worst, float(np.abs(got - expected[position]).max()))
    assert worst <= TOLERANCE, f"{name}: max abs diff {worst:.3g}"


def test_the_manifest_describes_every_column(stack: Stack, fitted: dict[str, Fitted]) -> None:
    document = stack.client.get("/models/logistic").json
    features = {feature["name"]: feature for feature in document["features"]}
    assert features["plan"]["type"] == "category"
    assert features["plan"]["categories"] == ["basic", "plus", "pro"]
    assert features["visits"]["nullable"] is True
    assert features["income"]["nullable"] is False
    assert features["tenure"]["type"] == "number"
    assert 0 <= features["tenure"]["min"] <= features["tenure"]["max"] < 120
    assert "churned" not in features
    assert document["labels"] == ["no", "yes"]
    assert document["golden"]["cases"]["edge-null"] >= 1
    assert json.dumps(document["metrics"])


def test_integer_labels_are_named_by_their_value(stack: Stack) -> None:
    assert stack.client.get("/models/xgboost").json["labels"] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("name", "labels"),
    [("kneighbors", ["0", "1", "2"]), ("naive-bayes", ["0", "1", "2"]), ("mlp", ["no", "yes"])],
)
def test_label_lookup_models_name_the_estimators_classes(
    name: str, labels: list[str], stack: Stack
) -> None:
    """Their graphs name the classes only in a constant an ArrayFeatureExtractor reads."""
    assert stack.client.get(f"/models/{name}").json["labels"] == labels
