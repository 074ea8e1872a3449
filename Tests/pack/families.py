"""The model families the packer is tested on: each fits a small pipeline on synthetic data
with numeric, categorical and null-bearing columns, and saves the model and its sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from catboost import CatBoostClassifier
from lightgbm import LGBMClassifier
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from xgboost import XGBClassifier

ROWS = 400
NUMERIC = ("income", "tenure", "visits")
CATEGORICAL = ("plan", "region")


def frame(seed: int, *, nulls: bool) -> pd.DataFrame:
    """Synthetic customers; `churned` is a noisy function of every column."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "income": rng.normal(50_000, 15_000, ROWS).round(2),
            "tenure": rng.integers(0, 120, ROWS).astype(float),
            "visits": rng.poisson(4, ROWS).astype(float),
            "plan": rng.choice(["basic", "plus", "pro"], ROWS),
            "region": rng.choice(["north", "south", "east", "west"], ROWS),
        }
    )
    score = (
        (data["income"] - 50_000) / 15_000
        - data["tenure"] / 60
        + (data["plan"] == "basic") * 1.2
        + (data["region"] == "south") * 0.5
        + rng.normal(0, 0.7, ROWS)
    )
    tiers = np.digitize(score, [-0.8, 0.6])
    data["churned"] = np.where(score > 0, "yes", "no")
    data["tier"] = tiers.astype(np.int64)  # integer labels 0, 1, 2
    if nulls:
        data.loc[rng.random(ROWS) < 0.1, "visits"] = np.nan
    return data


def preprocess(scale: bool) -> ColumnTransformer:
    numeric: list[Any] = [SimpleImputer(strategy="median")]
    if scale:
        numeric.append(StandardScaler())
    return ColumnTransformer(
        [
            ("numbers", make_pipeline(*numeric), list(NUMERIC)),
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
        ]
    )


@dataclass(frozen=True)
class Fitted:
    estimator: Any
    model_file: Path
    data_file: Path
    target: str
    held_out: pd.DataFrame


@dataclass(frozen=True)
class Family:
    name: str
    make: Callable[[], Any]
    target: str = "churned"
    scale: bool = False
    nulls: bool = True
    data_format: str = "csv"

    def fit(self, scratch: Path) -> Fitted:
        data = frame(abs(hash(self.name)) % 1000, nulls=self.nulls)
        inputs = data[list(NUMERIC + CATEGORICAL)]
        pipeline = Pipeline([("prep", preprocess(self.scale)), ("model", self.make())])
        pipeline.fit(inputs[:300], data[self.target][:300])
        model_file = scratch / f"{self.name}.joblib"
        joblib.dump(pipeline, model_file)
        sample = data[:300].drop(columns=[c for c in ("churned", "tier") if c != self.target])
        if self.data_format == "parquet":
            data_file = scratch / f"{self.name}.parquet"
            sample.to_parquet(data_file)
        else:
            data_file = scratch / f"{self.name}.csv"
            sample.to_csv(data_file, index=False, sep=";" if self.name.endswith("tree") else ",")
        return Fitted(pipeline, model_file, data_file, self.target, inputs[300:])


# KNeighbors, GaussianNB and MLP name their classes in no classifier node: skl2onnx looks the
# label up in a constant classes tensor (ArrayFeatureExtractor after an ArgMax).
FAMILIES: tuple[Family, ...] = (
    Family("logistic", lambda: LogisticRegression(max_iter=500), scale=True),
    Family("decision-tree", lambda: DecisionTreeClassifier(max_depth=5, random_state=0)),
    Family("forest", lambda: RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0)),
    Family(
        "boosting-tiers",
        lambda: GradientBoostingClassifier(n_estimators=30, random_state=0),
        target="tier",
    ),
    Family("xgboost", lambda: XGBClassifier(n_estimators=30, max_depth=3), target="tier"),
    Family(
        "lightgbm",
        lambda: LGBMClassifier(n_estimators=30, num_leaves=8, verbose=-1),
        data_format="parquet",
    ),
    Family(
        "catboost-tiers",
        lambda: CatBoostClassifier(
            iterations=30, depth=4, random_seed=0, verbose=False, allow_writing_files=False
        ),
        target="tier",
    ),
    Family(
        "catboost",
        lambda: CatBoostClassifier(
            iterations=30, depth=4, random_seed=0, verbose=False, allow_writing_files=False
        ),
    ),
    Family("svc", lambda: SVC(probability=True, random_state=0), scale=True),
    Family("kneighbors", lambda: KNeighborsClassifier(n_neighbors=7), target="tier", scale=True),
    Family("naive-bayes", GaussianNB, target="tier", scale=True),
    Family(
        "mlp",
        lambda: MLPClassifier(hidden_layer_sizes=(16,), max_iter=800, random_state=0),
        scale=True,
    ),
)
