"""model.json: the manifest predict-fcgi reads next to model.onnx."""

import json
import os
import platform
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from bank_marketing import recipe
from bank_marketing.errors import TrainingError
from bank_marketing.metrics import Metrics
from bank_marketing.parity import Parity
from bank_marketing.profile import Profile

SCHEMA_VERSION = 1
MODEL_FILE = "model.onnx"
GOLDEN_FILE = "golden.jsonl"
# Distribution names, in the order the manifest lists them.
LIBRARIES = ("scikit-learn", "skl2onnx", "onnx", "onnxruntime", "numpy", "pandas")


def created() -> str:
    """`SOURCE_DATE_EPOCH` as ISO 8601 UTC when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        moment = datetime.now(UTC)
    elif epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), UTC)
    else:
        raise TrainingError(
            f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, found '{epoch}'"
        )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def libraries() -> dict[str, str]:
    """The interpreter and library versions that produced the bundle."""
    found = {"python": platform.python_version()}
    found.update({name: metadata.version(name) for name in LIBRARIES})
    return found


def features(profile: Profile) -> list[dict[str, Any]]:
    """Each graph input in order: numbers with their training range, categories with theirs."""
    found: list[dict[str, Any]] = []
    for name in recipe.FEATURES:
        if name in recipe.NUMERIC:
            numeric = profile.numeric[name]
            found.append(
                {
                    "name": name,
                    "type": "number",
                    "nullable": False,
                    "min": numeric.minimum,
                    "max": numeric.maximum,
                }
            )
        else:
            found.append(
                {
                    "name": name,
                    "type": "category",
                    "nullable": False,
                    "categories": profile.categories[name],
                }
            )
    return found


def build(
    *,
    version: str,
    created: str,
    sha256: str,
    opsets: dict[str, int],
    profile: Profile,
    metrics: Metrics,
    parity: Parity,
    params: dict[str, Any],
    data_rows: int,
    data_sha256: str,
    golden: dict[str, int],
) -> dict[str, Any]:
    """The manifest document, keys in the order the schema lists them."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": recipe.NAME,
        "version": version,
        "description": recipe.DESCRIPTION,
        "created": created,
        "model_file": MODEL_FILE,
        "sha256": sha256,
        "libraries": libraries(),
        "opsets": opsets,
        "features": features(profile),
        "labels": list(recipe.LABELS),
        "outputs": {"label": "label", "probabilities": "probabilities"},
        "metrics": metrics.to_json(),
        "training": {
            "estimator": "GradientBoostingClassifier",
            "params": params,
            "data": (
                f"UCI Bank Marketing bank-full.csv ({data_rows} rows), {recipe.LEAKY} excluded"
            ),
            "data_sha256": data_sha256,
        },
        "parity": parity.to_json(),
        "golden": {"file": GOLDEN_FILE, "cases": golden},
    }


def render(document: dict[str, Any]) -> bytes:
    """Readable, stable JSON: insertion order, two-space indent, trailing newline."""
    return (json.dumps(document, indent=2, allow_nan=False) + "\n").encode()
