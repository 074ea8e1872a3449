"""The service a team would otherwise deploy, as `make bench` compares against it.

FastAPI + uvicorn + scikit-learn: a pydantic model validates the client, which becomes a
one-row pandas DataFrame for `Pipeline.predict_proba`. The pipeline has the default model's
shape (one-hot categories, numbers passed through, GradientBoostingClassifier with the
manifest's hyper-parameters) and is fitted at start-up on the inputs and expected labels of
the bundle's golden.jsonl, so the benchmark needs no data set. Its scores are not the
bundle's; only the work per request matters here.

    BENCH_MODEL_DIR=models/bank-marketing uvicorn fastapi_app:app --app-dir scripts/bench
"""

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel, create_model
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder


class Answer(BaseModel):
    label: str
    probabilities: dict[str, float]


def load_manifest(model_dir: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((model_dir / "model.json").read_text())
    return manifest


def client_model(features: list[dict[str, Any]]) -> type[BaseModel]:
    """The request schema a team would write by hand: one typed field per feature."""
    fields: dict[str, Any] = {
        feature["name"]: (float if feature["type"] == "number" else str, ...)
        for feature in features
    }
    return create_model("Client", **fields)


def fit_pipeline(model_dir: Path, manifest: dict[str, Any]) -> Pipeline:
    features = manifest["features"]
    categorical = [f for f in features if f["type"] == "category"]
    numeric = [f["name"] for f in features if f["type"] == "number"]
    encode = ColumnTransformer(
        [
            (
                "categories",
                OneHotEncoder(
                    categories=[f["categories"] for f in categorical], handle_unknown="ignore"
                ),
                [f["name"] for f in categorical],
            ),
            ("numbers", "passthrough", numeric),
        ]
    )
    accepted = GradientBoostingClassifier().get_params()
    trained = manifest.get("training", {}).get("params", {})
    params = {name: value for name, value in trained.items() if name in accepted}
    pipeline = Pipeline([("encode", encode), ("trees", GradientBoostingClassifier(**params))])
    cases = [json.loads(line) for line in (model_dir / "golden.jsonl").read_text().splitlines()]
    rows = pd.DataFrame([case["input"] for case in cases], columns=[f["name"] for f in features])
    pipeline.fit(rows, [case["expected"]["label"] for case in cases])
    return pipeline


MODEL_DIR = Path(os.environ.get("BENCH_MODEL_DIR", "models/bank-marketing"))
MANIFEST = load_manifest(MODEL_DIR)
Client = client_model(MANIFEST["features"])
PIPELINE = fit_pipeline(MODEL_DIR, MANIFEST)
CLASSES = [str(label) for label in PIPELINE.classes_]

app = FastAPI()


@app.post("/predict")
async def predict(client: Client) -> Answer:  # type: ignore[valid-type]
    row = pd.DataFrame([client.model_dump()])
    probabilities = PIPELINE.predict_proba(row)[0]
    return Answer(
        label=CLASSES[int(probabilities.argmax())],
        probabilities=dict(zip(CLASSES, probabilities.tolist(), strict=True)),
    )
