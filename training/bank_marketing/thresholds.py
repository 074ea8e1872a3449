"""Cases whose numbers sit exactly on a tree threshold, and one float32 step either side.

Each threshold is taken from a branch of the exported ensemble. The rest of the case is
steered down that branch's tree to the branch, so "at" and "below" take its true side and
"above" its false side: a runtime that compares with `<` instead of `<=` gets them wrong.
"""

from collections.abc import Sequence

import numpy as np

from bank_marketing import clients, recipe
from bank_marketing.case import Case, Row, replace
from bank_marketing.ensemble import NodeKey, TreeEnsemble
from bank_marketing.errors import TrainingError
from bank_marketing.profile import Profile

INFINITY = np.float32(np.inf)


def cases(
    ensemble: TreeEnsemble, profile: Profile, rng: np.random.Generator, budget: int
) -> list[Case]:
    """Three cases (below, at, above) for up to `budget` thresholds spread over all features."""
    per_feature = {name: ensemble.thresholds(name) for name in recipe.NUMERIC}
    found: list[Case] = []
    for name, count in _allocate({key: len(value) for key, value in per_feature.items()}, budget):
        values = list(per_feature[name])
        for position in _spread(len(values), count):
            threshold = values[position]
            key = per_feature[name][threshold]
            row = _steer(ensemble, key, clients.client(profile, rng), profile)
            spelled = _spell(threshold)
            at = replace(row, **{name: float(threshold)})
            above = replace(row, **{name: float(np.nextafter(threshold, INFINITY))})
            below = replace(row, **{name: float(np.nextafter(threshold, -INFINITY))})
            if not ensemble.reaches(ensemble.branches[key].true_child, at) or not (
                ensemble.reaches(ensemble.branches[key].false_child, above)
            ):
                raise TrainingError(
                    f"expected the threshold cases for {name} = {threshold} to reach both "
                    f"sides of tree {key[0]} node {key[1]}, found they do not"
                )
            found.append(Case(f"edge-threshold-{name}-{spelled}-below", below))
            found.append(Case(f"edge-threshold-{name}-{spelled}-at", at))
            found.append(Case(f"edge-threshold-{name}-{spelled}-above", above))
    return found


def sharp(cases: Sequence[Case], probabilities: np.ndarray) -> tuple[int, int]:
    """How many (at, above) pairs get different probabilities, out of how many pairs."""
    index = {case.id: position for position, case in enumerate(cases)}
    pairs = [
        (position, index[case.id.removesuffix("-at") + "-above"])
        for position, case in enumerate(cases)
        if case.category == "edge-threshold" and case.id.endswith("-at")
    ]
    differ = sum(1 for at, above in pairs if probabilities[at, 1] != probabilities[above, 1])
    return differ, len(pairs)


def _allocate(available: dict[str, int], budget: int) -> list[tuple[str, int]]:
    """Shares `budget` thresholds round-robin over the features that have some left."""
    counts = dict.fromkeys(available, 0)
    while sum(counts.values()) < budget:
        open_features = [name for name in available if counts[name] < available[name]]
        if not open_features:
            break
        for name in open_features:
            if sum(counts.values()) < budget:
                counts[name] += 1
    return [(name, count) for name, count in counts.items() if count > 0]


def _spread(length: int, count: int) -> list[int]:
    """`count` distinct positions spread evenly over `range(length)`, ends included."""
    return sorted({round(float(value)) for value in np.linspace(0, length - 1, count)})


def _spell(threshold: np.float32) -> str:
    text = repr(float(threshold))
    return "minus-" + text[1:] if text.startswith("-") else text


def _steer(ensemble: TreeEnsemble, key: NodeKey, base: Row, profile: Profile) -> Row:
    """`base` changed just enough to pass every branch above `key` the way the path goes."""
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
                raise TrainingError(f"expected a reachable node at {key}, found two categories")
        elif allowed == [0]:
            excluded.setdefault(column.feature, set()).add(column.category)
        elif not allowed:
            raise TrainingError(f"expected a reachable node at {key}, found an empty branch")
    changes: dict[str, float | str] = {}
    for name, (low, high) in bounds.items():
        changes[name] = _inside(low, high, float(base[name]))
    for name in recipe.CATEGORICAL:
        if name in required:
            changes[name] = required[name]
        elif base[name] in excluded.get(name, set()):
            left = [value for value in profile.categories[name] if value not in excluded[name]]
            if not left:
                raise TrainingError(f"expected a category of {name} to reach {key}, found none")
            changes[name] = left[0]
    return replace(base, **changes)


def _inside(low: np.float32, high: np.float32, current: float) -> float:
    """`current` if it lies in (low, high] as a float32, else a plain value that does."""
    if low < np.float32(current) <= high:
        return current
    if np.isfinite(low) and np.isfinite(high):
        candidate = np.float32((float(low) + float(high)) / 2)
    elif np.isfinite(high):
        candidate = np.float32(high - 1)
    else:
        candidate = np.float32(low + 1)
    if not low < candidate <= high:
        candidate = high if np.isfinite(high) else np.nextafter(low, INFINITY)
    return float(candidate)
