"""What a team would otherwise deploy: FastAPI + uvicorn + a scikit-learn pipeline.

The pipeline has the default model's shape (one-hot categories, numbers passed through,
GradientBoostingClassifier with its hyper-parameters) and is fitted at start-up on the
inputs and labels of models/bank-marketing/golden.jsonl, so the benchmark needs no data
set. Each request becomes a one-row DataFrame, as such services usually do.
"""

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

MODEL_DIR = Path(os.environ.get("BENCH_MODEL_DIR", "models/bank-marketing"))


def fit() -> tuple[Pipeline, list[str]]:
    manifest = json.loads((MODEL_DIR / "model.json").read_text())
    numbers = [f["name"] for f in manifest["features"] if f["type"] == "number"]
    categories = [f["name"] for f in manifest["features"] if f["type"] == "category"]
    cases = [json.loads(line) for line in (MODEL_DIR / "golden.jsonl").read_text().splitlines()]
    frame = pd.DataFrame([case["input"] for case in cases])
    labels = [case["expected"]["label"] for case in cases]
    encode = ColumnTransformer(
        [
            ("categories", OneHotEncoder(handle_unknown="ignore"), categories),
            ("numbers", "passthrough", numbers),
        ]
    )
    params = manifest["training"]["params"]
    pipeline = Pipeline([("encode", encode), ("classify", GradientBoostingClassifier(**params))])
    pipeline.fit(frame, labels)
    return pipeline, [f["name"] for f in manifest["features"]]


PIPELINE, COLUMNS = fit()
app = FastAPI()


@app.post("/predict")
async def predict(client: dict[str, Any]) -> dict[str, Any]:
    frame = pd.DataFrame([client], columns=COLUMNS)
    probabilities = PIPELINE.predict_proba(frame)[0]
    classes = [str(c) for c in PIPELINE.classes_]
    best = int(probabilities.argmax())
    return {
        "label": classes[best],
        "probabilities": dict(zip(classes, map(float, probabilities), strict=True)),
    }
