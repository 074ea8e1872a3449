"""The inputs of each fixture: held-out rows, batches and edge cases.

Edge cases: NaN, ±1e9, zeros, values exactly on a tree threshold and one float32 ulp (float64
for a double TreeEnsemble) either side, inputs a Scaler maps exactly onto a threshold,
categories the model never saw.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnx

from onnx_fixtures import graph
from onnx_fixtures.family import Fitted

SINGLE_ROWS = 4
BATCH_ROWS = 4
SPLITS = 6
NAN_COLUMNS = 6
LARGE = 1e9
UNSEEN = ("atlantis", "Paris", " ")


@dataclass(frozen=True)
class Case:
    """One run of the graph: an id and a `[n, width]` array per graph input."""

    id: str
    feeds: dict[str, np.ndarray]


def _rows(fitted: Fitted, start: int, count: int) -> dict[str, np.ndarray]:
    return {name: rows[start : start + count].copy() for name, rows in fitted.rows.items()}


def held_out(fitted: Fitted) -> list[Case]:
    """Single held-out rows, then one batch of the next few."""
    cases = [Case(f"row{index}", _rows(fitted, index, 1)) for index in range(SINGLE_ROWS)]
    cases.append(Case(f"batch{BATCH_ROWS}", _rows(fitted, SINGLE_ROWS, BATCH_ROWS)))
    return cases


def numeric(fitted: Fitted, model: onnx.ModelProto) -> list[Case]:
    """Edge cases for the one `[N, width]` numeric input (named `input` but by CatBoost)."""
    (name,) = fitted.rows
    base = fitted.rows[name][:1]
    width = base.shape[1]

    def row(values: np.ndarray) -> dict[str, np.ndarray]:
        return {name: values.astype(base.dtype).reshape(-1, width)}

    cases = [Case("zeros", row(np.zeros(width)))]
    nan_first = base.copy()
    nan_first[0, 0] = np.nan
    cases.append(Case("nan_first", row(nan_first)))
    cases.append(Case("nan_all", row(np.full(width, np.nan))))
    nan_each = np.repeat(base, min(width, NAN_COLUMNS), axis=0)
    for column in range(len(nan_each)):
        nan_each[column, column] = np.nan
    cases.append(Case("nan_each_batch", row(nan_each)))
    cases.append(Case("large_positive", row(np.full(width, LARGE))))
    cases.append(Case("large_negative", row(np.full(width, -LARGE))))
    cases.append(Case("large_alternating", row(LARGE * (-1.0) ** np.arange(width))))
    return cases + thresholds(base, model, name, row)


Feeds = dict[str, np.ndarray]


def thresholds(
    base: np.ndarray, model: onnx.ModelProto, name: str, row: Callable[[np.ndarray], Feeds]
) -> list[Case]:
    """For a spread of splits: the threshold (or the input a Scaler lands on it) and the
    values one ulp below and above, in the threshold's type."""
    found = graph.splits(model, name)
    # Spread the choice over features and depths: every k-th split, then the ones in between.
    stride = max(1, len(found) // SPLITS)
    order = [split for start in range(stride) for split in found[start::stride]]
    cases = []
    chosen = 0
    for split in order:
        at = graph.landing(split)
        if at is None:
            continue
        kind = "landing" if split.steps else "threshold"
        case = f"{kind}_f{split.feature}_{split.threshold!s}"
        for suffix, value in (
            ("at", at),
            ("below", np.nextafter(at, np.float32(-np.inf))),
            ("above", np.nextafter(at, np.float32(np.inf))),
        ):
            values = base.copy()
            values[0, split.feature] = value
            cases.append(Case(f"{case}_{suffix}", row(values)))
        chosen += 1
        if chosen == SPLITS:
            break
    return cases


def mixed(fitted: Fitted) -> list[Case]:
    """Edge cases for one `[N, 1]` input per column: unseen and blank categories, NaN and
    ±1e9 in numeric columns, large integers."""
    base = _rows(fitted, 0, 1)
    floats = [name for name, rows in base.items() if rows.dtype == np.float32]
    integers = [name for name, rows in base.items() if rows.dtype == np.int64]
    cases = []
    for column in fitted.categories:
        for index, value in enumerate(UNSEEN):
            cases.append(Case(f"unseen_{column}_{index}", _with(base, {column: value})))
        cases.append(Case(f"blank_{column}", _with(base, {column: ""})))
    cases.append(Case("unseen_all", _with(base, dict.fromkeys(fitted.categories, UNSEEN[0]))))
    for column in floats:
        cases.append(Case(f"nan_{column}", _with(base, {column: np.nan})))
    cases.append(Case("nan_all", _with(base, dict.fromkeys(floats, np.nan))))
    for sign, label in ((1, "positive"), (-1, "negative")):
        values = dict.fromkeys(floats, sign * LARGE) | dict.fromkeys(integers, sign * 10**9)
        cases.append(Case(f"large_{label}", _with(base, values)))
    return cases


def _with(base: dict[str, np.ndarray], values: dict[str, object]) -> dict[str, np.ndarray]:
    feeds = {name: rows.copy() for name, rows in base.items()}
    for name, value in values.items():
        feeds[name][0, 0] = value
    return feeds


def all_cases(fitted: Fitted, model: onnx.ModelProto) -> list[Case]:
    """Held-out rows first, then the edge cases that fit the family's inputs (unless the
    family opts out), then the family's own."""
    if not fitted.edge_cases:
        edges = []
    elif fitted.categories:
        edges = mixed(fitted)
    else:
        edges = numeric(fitted, model)
    own = [Case(name, feeds) for name, feeds in fitted.extra.items()]
    return held_out(fitted) + edges + own
