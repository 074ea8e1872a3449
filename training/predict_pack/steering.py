"""Rows steered down a tree to one of its branches, so that a threshold case really tests
that branch: "at" and "below" take its true side and "above" its false side."""

from collections.abc import Sequence

import numpy as np

from predict_pack.cases import replace
from predict_pack.ensemble import NodeKey, TreeEnsemble
from predict_pack.schema import Feature, Row, Value

INFINITY = np.float32(np.inf)


def steer(
    ensemble: TreeEnsemble, key: NodeKey, base: Row, features: Sequence[Feature]
) -> Row | None:
    """`base` changed just enough to pass every branch above `key` the way the path goes;
    None when no row can (the path needs two categories of one input, or an empty range)."""
    bounds: dict[str, tuple[np.float32, np.float32]] = {}
    required: dict[str, str] = {}
    excluded: dict[str, set[str]] = {}
    for step in ensemble.path(key):
        column = ensemble.columns[step.branch.column]
        threshold = step.branch.threshold
        if column.category is None:
            low, high = bounds.get(column.feature, (-INFINITY, INFINITY))
            bounds[column.feature] = (
                (low, min(high, threshold)) if step.taken else (max(low, threshold), high)
            )
            continue
        # A one-hot column is 1 when the input is its category and 0 otherwise.
        allowed = [value for value in (0, 1) if (np.float32(value) <= threshold) == step.taken]
        if allowed == [1]:
            if required.setdefault(column.feature, column.category) != column.category:
                return None
        elif allowed == [0]:
            excluded.setdefault(column.feature, set()).add(column.category)
        elif not allowed:
            return None
    changes: dict[str, Value] = {}
    for name, (low, high) in bounds.items():
        if not low < high:
            return None
        changes[name] = _inside(low, high, base[name])
    for feature in features:
        name = feature.name
        if name in required:
            changes[name] = required[name]
        elif base.get(name) in excluded.get(name, set()):
            left = [value for value in feature.categories if value not in excluded[name]]
            # An unseen value encodes as no known category: it avoids every excluded one.
            changes[name] = left[0] if left else "unknown-value"
    return replace(base, **changes)


def _inside(low: np.float32, high: np.float32, current: Value) -> float:
    """`current` if it lies in (low, high] as a float32, else a plain value that does."""
    if isinstance(current, float | int) and low < np.float32(current) <= high:
        return float(current)
    if np.isfinite(low) and np.isfinite(high):
        candidate = np.float32((float(low) + float(high)) / 2)
    elif np.isfinite(high):
        candidate = np.float32(high - 1)
    else:
        candidate = np.float32(low + 1)
    if not low < candidate <= high:
        candidate = high if np.isfinite(high) else np.nextafter(low, INFINITY)
    return float(candidate)
