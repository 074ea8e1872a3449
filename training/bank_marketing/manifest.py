"""model.json: the contract predict-fcgi checks the graph against and serves at GET /model."""

import hashlib
import json
import os
import platform
import time
from importlib.metadata import version as installed
from pathlib import Path
from typing import Any

import pandas as pd

from .data import NUMERIC

LIBRARIES = ["scikit-learn", "skl2onnx", "onnx", "onnxruntime", "numpy", "pandas"]


def created() -> str:
    """SOURCE_DATE_EPOCH when set, so that `make model` reproduces the file byte for byte."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def features(
    train: pd.DataFrame, columns: list[str], categories: dict[str, list[str]]
) -> list[dict[str, Any]]:
    described: list[dict[str, Any]] = []
    for column in columns:
        if column in NUMERIC:
            described.append(
                {
                    "name": column,
                    "type": "number",
                    "nullable": False,
                    "min": float(train[column].min()),
                    "max": float(train[column].max()),
                }
            )
        else:
            described.append(
                {
                    "name": column,
                    "type": "category",
                    "nullable": False,
                    "categories": categories[column],
                }
            )
    return described


def build(
    *,
    version: str,
    model_path: Path,
    opsets: dict[str, int],
    features: list[dict[str, Any]],
    metrics: dict[str, Any],
    params: dict[str, Any],
    data_rows: int,
) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "bank-marketing",
        "version": version,
        "description": (
            "Predicts whether a bank client subscribes to a term deposit after a marketing "
            "call (UCI Bank Marketing). The call duration is excluded: it is only known after "
            "the call and leaks the outcome."
        ),
        "created": created(),
        "model_file": model_path.name,
        "sha256": sha256(model_path),
        "libraries": {"python": platform.python_version()}
        | {name: installed(name) for name in LIBRARIES},
        "opsets": opsets,
        "features": features,
        "labels": ["no", "yes"],
        "outputs": {"label": "label", "probabilities": "probabilities"},
        "metrics": metrics,
        "training": {
            "estimator": "GradientBoostingClassifier",
            "params": params,
            "encoding": "one-hot categories (unknown ignored), numbers passed through",
            "data": f"UCI Bank Marketing bank-full.csv ({data_rows} rows), duration excluded",
        },
    }


def write(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
