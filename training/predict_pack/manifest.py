"""model.json: the manifest predict-fcgi reads next to model.onnx."""

import json
import os
import platform
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from predict_pack.errors import PackError

SCHEMA_VERSION = 1
FILE = "model.json"
MODEL_FILE = "model.onnx"
# Distribution names, in the order the manifest lists them; the optional ones when used.
LIBRARIES = ("scikit-learn", "skl2onnx", "onnx", "onnxruntime", "numpy", "pandas")
OPTIONAL = {"xgboost": "xgboost-cpu", "lightgbm": "lightgbm", "onnxmltools": "onnxmltools"}


def created() -> str:
    """`SOURCE_DATE_EPOCH` as ISO 8601 UTC when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        moment = datetime.now(UTC)
    elif epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), UTC)
    else:
        raise PackError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, found '{epoch}'")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def libraries(extra: Sequence[str] = ()) -> dict[str, str]:
    """The interpreter and library versions that produced the bundle."""
    found = {"python": platform.python_version()}
    found.update({name: metadata.version(name) for name in LIBRARIES})
    for module in extra:
        distribution = OPTIONAL.get(module, module)
        try:
            found[module] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return found


def build(
    *,
    name: str,
    version: str,
    description: str,
    created: str,
    sha256: str,
    libraries: dict[str, str],
    opsets: dict[str, int],
    features: list[dict[str, Any]],
    labels: list[str],
    metrics: dict[str, Any] | None,
    training: dict[str, Any],
    parity: dict[str, Any],
    golden: dict[str, int],
) -> dict[str, Any]:
    """The manifest document, keys in the order the schema lists them."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "version": version,
        "description": description,
        "created": created,
        "model_file": MODEL_FILE,
        "sha256": sha256,
        "libraries": libraries,
        "opsets": opsets,
        "features": features,
        "labels": labels,
        "outputs": {"label": "label", "probabilities": "probabilities"},
    }
    if metrics is not None:
        document["metrics"] = metrics
    document["training"] = training
    document["parity"] = parity
    document["golden"] = {"file": "golden.jsonl", "cases": golden}
    return document


def render(document: dict[str, Any]) -> bytes:
    """Readable, stable JSON: insertion order, two-space indent, trailing newline."""
    try:
        return (json.dumps(document, indent=2, allow_nan=False) + "\n").encode()
    except (TypeError, ValueError) as error:
        raise PackError(f"model.json: cannot write the manifest as JSON: {error}") from error
