"""Reading bank-full.csv and splitting it."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

NUMERIC = ["age", "balance", "day", "campaign", "pdays", "previous"]
CATEGORICAL = [
    "job",
    "marital",
    "education",
    "default",
    "housing",
    "loan",
    "contact",
    "month",
    "poutcome",
]
# `duration` is the length of the sales call: it is only known once the call is over, and
# the UCI description says to drop it for a realistic model, since it all but gives the
# answer away.
EXCLUDED = ["duration"]
TARGET = "y"
SEED = 42
TEST_SIZE = 0.2


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    test: pd.DataFrame
    y_train: np.ndarray
    y_test: np.ndarray
    total_rows: int


def columns_in_file_order(frame: pd.DataFrame) -> list[str]:
    """The feature columns in the CSV's order, which is also the graph input order."""
    return [c for c in frame.columns if c in NUMERIC or c in CATEGORICAL]


def load(path: Path) -> Split:
    frame = pd.read_csv(path, sep=";")
    missing = set(NUMERIC + CATEGORICAL + EXCLUDED + [TARGET]) - set(frame.columns)
    if missing:
        raise ValueError(f"{path} lacks columns {sorted(missing)}")
    y = (frame[TARGET] == "yes").astype(np.int64).to_numpy()
    features = frame[columns_in_file_order(frame)].copy()
    # The graph takes float32 numbers; training on float32 keeps the tree thresholds that
    # scikit-learn learns identical to the ones onnxruntime compares against.
    for column in NUMERIC:
        features[column] = features[column].astype(np.float32)
    for column in CATEGORICAL:
        features[column] = features[column].astype(object)
    train, test, y_train, y_test = train_test_split(
        features, y, test_size=TEST_SIZE, random_state=SEED, stratify=y
    )
    return Split(train, test, y_train, y_test, total_rows=len(frame))
