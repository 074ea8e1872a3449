#!/usr/bin/env python3
"""A second model directory for `make e2e`, so that a release carries a repository of two
unlike models: the parity fixture pipeline_mixed_random_forest (a ColumnTransformer with an
imputer, a min-max scaler and a one-hot encoder in front of a 5-tree random forest, three
string classes) from Tests/ONNXRuntimeTests/Fixtures, with a manifest and golden cases made
from the fixture's own onnxruntime answers. Nothing large is committed: the ONNX file is the
fixture's, copied.

    second_model.py OUT_DIR [VERSION]
"""

import hashlib
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Tests/ONNXRuntimeTests/Fixtures/pipeline_mixed_random_forest"
NAME = "customer-tier"
# In the fixture's probability order: scikit-learn's sorted classes, as the ZipMap variant
# of the same pipeline names them.
LABELS = ["high", "low", "mid"]
FEATURES = [
    {"name": "income", "type": "number", "nullable": True},
    {"name": "ratio", "type": "number", "nullable": True},
    {"name": "visits", "type": "number", "nullable": False},
    {"name": "city", "type": "category", "categories": ["lille", "lyon", "nantes", "paris"]},
    {"name": "plan", "type": "category", "categories": ["basic", "plus", "pro"]},
]


def golden_cases(document: dict) -> list[dict]:
    """Each one-row case as a request body with onnxruntime's answer; blank strings are left
    out (whether a blank category is a value is the service's business, not this model's)."""
    cases = []
    for case in document["cases"]:
        inputs = case["inputs"]
        if any(feed["shape"][0] != 1 for feed in inputs.values()):
            continue
        body = {}
        for name, feed in inputs.items():
            value = feed["values"][0]
            body[name] = None if value == "NaN" else value
        if any(isinstance(value, str) and not value.strip() for value in body.values()):
            continue
        probabilities = case["outputs"]["probabilities"]["values"]
        cases.append(
            {
                "id": case["id"],
                "input": body,
                "expected": {
                    "label": case["outputs"]["label"]["values"][0],
                    "probabilities": dict(zip(LABELS, probabilities, strict=True)),
                },
            }
        )
    return cases


def build(into: Path, version: str = "0.3.0") -> Path:
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    onnx = into / "model.onnx"
    shutil.copyfile(FIXTURE.with_suffix(".onnx"), onnx)
    document = json.loads(FIXTURE.with_suffix(".json").read_text())
    manifest = {
        "schema_version": 1,
        "name": NAME,
        "version": version,
        "description": "Customer tier (high, low, mid) from income, ratio, visits, city and "
        "plan: the pipeline_mixed_random_forest parity fixture, served as a second model.",
        "model_file": "model.onnx",
        "sha256": hashlib.sha256(onnx.read_bytes()).hexdigest(),
        "features": FEATURES,
        "labels": LABELS,
    }
    (into / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    lines = "".join(json.dumps(case) + "\n" for case in golden_cases(document))
    (into / "golden.jsonl").write_text(lines)
    return into


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    print(build(Path(sys.argv[1]), *sys.argv[2:]))
