"""The inputs a bundle declares, inferred from the sample: each column's type, range or
categories, and whether it may be null; plus the typed frames both runtimes are fed."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from predict_pack.errors import PackError

Value = float | str | None
Row = dict[str, Value]
Kind = Literal["number", "category"]
# Percentiles kept per numeric column; random cases draw from their interpolation.
QUANTILES = np.linspace(0.0, 1.0, 101)


@dataclass(frozen=True)
class Feature:
    """One input column as the manifest declares it and as the sample shows it."""

    name: str
    kind: Kind
    nullable: bool
    minimum: float = 0.0
    maximum: float = 0.0
    quantiles: tuple[float, ...] = ()
    null_share: float = 0.0
    categories: tuple[str, ...] = ()
    typical: Value = None

    def to_json(self) -> dict[str, Any]:
        """The manifest's entry: numbers with their observed range, categories with theirs,
        and a typical value (the median, the most frequent category) that a form can start
        from."""
        entry: dict[str, Any] = {"name": self.name, "type": self.kind, "nullable": self.nullable}
        if self.kind == "number":
            entry.update(min=self.minimum, max=self.maximum)
        else:
            entry["categories"] = list(self.categories)
        entry["typical"] = self.typical
        return entry


def input_columns(estimator: Any, frame: pd.DataFrame, target: str | None) -> list[str]:
    """The columns the estimator was fitted on (`feature_names_in_`), else every column but
    the target, in the sample's order."""
    if target is not None and target not in frame.columns:
        raise PackError(f"--target: expected a column '{target}', found {list(frame.columns)}")
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is None:
        return [str(name) for name in frame.columns if name != target]
    names = [str(name) for name in fitted]
    if target in names:
        raise PackError(f"--target '{target}' is one of the columns the estimator was fitted on")
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise PackError(
            f"expected the data to hold every column the estimator was fitted on, "
            f"found {missing} missing"
        )
    return names


def infer(frame: pd.DataFrame, columns: Sequence[str]) -> list[Feature]:
    """A `Feature` per column: numeric dtypes are numbers, everything else categories."""
    return [_feature(frame[name], name) for name in columns]


def _feature(column: pd.Series, name: str) -> Feature:
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        present = column.dropna()
        if len(present) < len(column):
            raise PackError(
                f"column '{name}': expected a value in every row of a category column, found "
                f"{len(column) - len(present)} missing; predict-fcgi accepts null for numbers "
                "only, so fill them (for example with '') before fitting"
            )
        text = present.astype(str)
        counts = text.value_counts()
        typical = str(counts.index[counts == counts.max()].sort_values()[0])
        return Feature(
            name=name,
            kind="category",
            nullable=False,
            categories=tuple(sorted(set(text))),
            typical=typical,
        )
    values = column.astype(np.float32)
    present = values.dropna()
    if present.empty:
        raise PackError(f"column '{name}': expected some numbers, found only missing values")
    if not np.isfinite(present.to_numpy()).all():
        raise PackError(f"column '{name}': expected finite numbers, found infinities")
    return Feature(
        name=name,
        kind="number",
        nullable=bool(len(present) < len(values)),
        minimum=float(present.min()),
        maximum=float(present.max()),
        quantiles=tuple(float(value) for value in np.quantile(present, QUANTILES)),
        null_share=float(1 - len(present) / len(values)),
        typical=float(np.median(present)),
    )


def typical(features: Sequence[Feature]) -> Row:
    """A made-up row of medians and most frequent categories, not a data row."""
    return {feature.name: feature.typical for feature in features}


def typed(frame: pd.DataFrame, features: Sequence[Feature]) -> pd.DataFrame:
    """Numbers as float32 (NaN for null) and categories as str: the values the graph sees."""
    columns: dict[str, pd.Series] = {}
    for feature in features:
        column = frame[feature.name]
        if feature.kind == "number":
            columns[feature.name] = pd.to_numeric(column).astype(np.float32)
        else:
            columns[feature.name] = column.astype(str)
    return pd.DataFrame(columns, index=frame.index)


def frame_of(rows: Iterable[Mapping[str, Value]], features: Sequence[Feature]) -> pd.DataFrame:
    """A typed frame from rows such as golden-case inputs (None is a null number)."""
    names = [feature.name for feature in features]
    records = [[np.nan if row[name] is None else row[name] for name in names] for row in rows]
    return typed(pd.DataFrame.from_records(records, columns=names), features)
