"""Reading bank-full.csv into typed feature frames, and the held-out split."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from bank_marketing import recipe
from bank_marketing.errors import TrainingError


@dataclass(frozen=True)
class Dataset:
    """The feature columns (in `recipe.FEATURES` order) and the 0/1 target of every row."""

    features: pd.DataFrame
    target: pd.Series
    path: Path
    sha256: str


@dataclass(frozen=True)
class Split:
    """A stratified train/test split of a `Dataset`."""

    train_x: pd.DataFrame
    test_x: pd.DataFrame
    train_y: pd.Series
    test_y: pd.Series


def load(path: Path) -> Dataset:
    """Reads the `;`-separated UCI file, checks its columns and values, and types them."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TrainingError(f"cannot read the data file {path}: {error.strerror}") from error
    frame = pd.read_csv(path, sep=";")
    expected = list(recipe.FEATURES)
    found = [column for column in frame.columns if column not in (recipe.LEAKY, recipe.TARGET)]
    if found != expected or recipe.TARGET not in frame.columns:
        raise TrainingError(
            f"{path}: expected the columns {expected} plus '{recipe.TARGET}', "
            f"found {list(frame.columns)}"
        )
    missing = frame.columns[frame.isna().any()].tolist()
    if missing:
        raise TrainingError(f"{path}: expected no missing values, found some in {missing}")
    targets = set(frame[recipe.TARGET].unique())
    if not targets <= set(recipe.LABELS):
        raise TrainingError(
            f"{path}: expected '{recipe.TARGET}' in {list(recipe.LABELS)}, "
            f"found {sorted(targets - set(recipe.LABELS))}"
        )
    non_numeric = [
        name for name in recipe.NUMERIC if not pd.api.types.is_numeric_dtype(frame[name])
    ]
    if non_numeric:
        raise TrainingError(f"{path}: expected numbers in {non_numeric}, found text")
    target = (frame[recipe.TARGET] == recipe.POSITIVE).astype(np.int64)
    return Dataset(
        features=typed(frame[expected]),
        target=target,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as float32 and categories as str, the types the ONNX graph takes.

    Training on float32 puts sklearn's tree thresholds on the same values the graph compares.
    """
    columns: dict[str, pd.Series] = {}
    for name in recipe.FEATURES:
        if name in recipe.NUMERIC:
            columns[name] = frame[name].astype(np.float32)
        else:
            columns[name] = frame[name].astype(str)
    return pd.DataFrame(columns, index=frame.index)


def split(dataset: Dataset) -> Split:
    """Holds out `recipe.TEST_FRACTION` of the rows, stratified on the target, seeded."""
    train_x, test_x, train_y, test_y = train_test_split(
        dataset.features,
        dataset.target,
        test_size=recipe.TEST_FRACTION,
        stratify=dataset.target,
        random_state=recipe.SEED,
    )
    return Split(train_x=train_x, test_x=test_x, train_y=train_y, test_y=test_y)
