"""The training sets: scikit-learn's bundled data sets and seeded synthetic ones.

Each is split once with a fixed seed; the fixtures' base rows come from the held-out part.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.model_selection import train_test_split

SEED = 7


@dataclass(frozen=True)
class Numeric:
    """A float32 feature matrix split into training and held-out rows."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray


@dataclass(frozen=True)
class Mixed:
    """A frame of numeric, integer and string columns, split like `Numeric`."""

    train_x: pd.DataFrame
    train_y: np.ndarray
    test_x: pd.DataFrame
    numeric: tuple[str, ...]
    integer: tuple[str, ...]
    categorical: tuple[str, ...]


def _split(x: np.ndarray, y: np.ndarray) -> Numeric:
    train_x, test_x, train_y, _ = train_test_split(
        x.astype(np.float32), y, test_size=0.25, random_state=SEED, stratify=y
    )
    return Numeric(train_x, train_y, test_x)


@cache
def iris() -> Numeric:
    """Iris: 4 features, 3 classes."""
    x, y = load_iris(return_X_y=True)
    return _split(x, y)


@cache
def breast_cancer() -> Numeric:
    """Breast cancer, first 10 features (the means), 2 classes."""
    x, y = load_breast_cancer(return_X_y=True)
    return _split(x[:, :10], y)


@cache
def wine() -> Numeric:
    """Wine: 13 features, 3 classes."""
    x, y = load_wine(return_X_y=True)
    return _split(x, y)


@cache
def digits() -> Numeric:
    """Digits 0 to 4, the first 300 images: 64 pixel features, 5 classes."""
    x, y = load_digits(n_class=5, return_X_y=True)
    return _split(x[:300], y[:300])


@cache
def synthetic(classes: int = 2) -> Numeric:
    """make_classification: 6 features (4 informative), `classes` classes, seeded."""
    x, y = make_classification(
        n_samples=300,
        n_features=6,
        n_informative=4,
        n_redundant=1,
        n_classes=classes,
        n_clusters_per_class=1,
        random_state=SEED,
    )
    return _split(x, y)


@cache
def with_missing() -> Numeric:
    """`synthetic()` with 10 % of the training values NaN, so trees learn a missing branch."""
    base = synthetic()
    rng = np.random.default_rng(SEED)
    train_x = base.train_x.copy()
    train_x[rng.random(train_x.shape) < 0.1] = np.nan
    return Numeric(train_x, base.train_y, base.test_x)


CITIES = ("paris", "lyon", "nantes", "lille")
PLANS = ("basic", "plus", "pro")


@cache
def mixed(classes: int = 2) -> Mixed:
    """A seeded customer-like frame: 2 float columns, 1 integer, 2 string ones (some blank).

    The label depends on all five, so every branch of the pipelines matters.
    """
    rng = np.random.default_rng(SEED + classes)
    rows = 400
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(10, 0.5, rows).astype(np.float32),
            "ratio": rng.normal(0, 1, rows).astype(np.float32),
            "visits": rng.integers(0, 40, rows).astype(np.int64),
            "city": rng.choice(CITIES, rows),
            "plan": rng.choice(PLANS + ("",), rows, p=[0.35, 0.3, 0.25, 0.1]),
        }
    )
    frame.loc[rng.random(rows) < 0.08, "ratio"] = np.nan
    score = (
        np.log(frame["income"]) / 10
        + np.nan_to_num(frame["ratio"]) * 0.8
        + frame["visits"] / 20
        + frame["city"].map(dict(zip(CITIES, (0.0, 0.7, -0.4, 0.2), strict=True)))
        + frame["plan"].map({"basic": -0.5, "plus": 0.3, "pro": 0.9, "": 0.0})
        + rng.normal(0, 0.5, rows)
    )
    edges = np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1])
    labels = np.digitize(score, edges)
    names = np.array(["no", "yes"] if classes == 2 else ["low", "mid", "high"][:classes])
    train_x, test_x, train_y, _ = train_test_split(
        frame, names[labels], test_size=0.25, random_state=SEED, stratify=labels
    )
    return Mixed(
        train_x.reset_index(drop=True),
        train_y,
        test_x.reset_index(drop=True),
        numeric=("income", "ratio"),
        integer=("visits",),
        categorical=("city", "plan"),
    )
