"""Golden cases: random rows drawn from the sample's profile, and hand-picked edge cases."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from predict_pack.schema import Feature, Row, Value

# How a number is drawn: from the sample's distribution, uniformly over the observed range,
# or up to `OUTSIDE` of the range beyond either end.
TYPICAL = 0.7
UNIFORM = 0.2
OUTSIDE = 0.1
# Share of numbers that are whole; the rest get two decimals.
WHOLE = 0.75
# Nullable numbers are null at least this often in random rows (else as often as sampled).
NULL_SHARE = 0.1
UNSEEN = "unknown-value"
NEGATIVES: tuple[tuple[float, str], ...] = ((-1.0, "minus-1"), (-1e6, "minus-1e6"))
HUGE: tuple[tuple[float, str], ...] = (
    (1e9, "1e9"),
    (1e15, "1e15"),
    (1e30, "1e30"),
    (-1e30, "minus-1e30"),
)


@dataclass(frozen=True)
class Case:
    """One generated input; its expected output comes from onnxruntime later."""

    id: str
    input: Row

    @property
    def family(self) -> str:
        """`random`, or the `edge-…` family the id starts with."""
        parts = self.id.split("-")
        return parts[0] if parts[0] == "random" else "-".join(parts[:2])


def replace(base: Row, **changes: Value) -> Row:
    """A copy of `base` with `changes`, keys kept in `base`'s order."""
    return {name: changes.get(name, value) for name, value in base.items()}


def number(rng: np.random.Generator, feature: Feature) -> float:
    """One value for a numeric feature."""
    span = feature.maximum - feature.minimum
    draw = rng.random()
    if draw < TYPICAL:
        value = float(np.interp(rng.random(), np.linspace(0.0, 1.0, 101), feature.quantiles))
    elif draw < TYPICAL + UNIFORM:
        value = float(rng.uniform(feature.minimum, feature.maximum))
    elif rng.random() < 0.5:
        value = float(rng.uniform(feature.minimum - OUTSIDE * span, feature.minimum))
    else:
        value = float(rng.uniform(feature.maximum, feature.maximum + OUTSIDE * span))
    return float(round(value)) if rng.random() < WHOLE else round(value, 2)


def row(features: Sequence[Feature], rng: np.random.Generator) -> Row:
    """A random row: numbers by `number` (or null), categories uniformly."""
    found: Row = {}
    for feature in features:
        if feature.kind == "number":
            null = feature.nullable and rng.random() < max(NULL_SHARE, feature.null_share)
            found[feature.name] = None if null else number(rng, feature)
        else:
            found[feature.name] = feature.categories[int(rng.integers(len(feature.categories)))]
    return found


def random(features: Sequence[Feature], rng: np.random.Generator, count: int) -> list[Case]:
    """`count` random rows, `random-0001` onwards."""
    return [Case(f"random-{index:04d}", row(features, rng)) for index in range(1, count + 1)]


def edges(features: Sequence[Feature], typical: Row) -> list[Case]:
    """Each edge case is `typical` changed in one feature, or in every feature of a kind."""
    categorical = [feature for feature in features if feature.kind == "category"]
    numeric = [feature.name for feature in features if feature.kind == "number"]
    nullable = [feature.name for feature in features if feature.nullable]
    found: list[Case] = []
    if categorical:
        for feature in categorical:
            found.append(
                Case(f"edge-unseen-{feature.name}", replace(typical, **{feature.name: UNSEEN}))
            )
        everything = dict.fromkeys((feature.name for feature in categorical), "astronaut")
        found.append(Case("edge-unseen-all", replace(typical, **everything)))
        for feature in categorical:
            found.extend(_spellings(feature, typical))
        for feature in categorical:
            found.append(Case(f"edge-empty-{feature.name}", replace(typical, **{feature.name: ""})))
        empty = dict.fromkeys((feature.name for feature in categorical), "")
        found.append(Case("edge-empty-all", replace(typical, **empty)))
    found.extend(_numbers("zero", ((0.0, "0"),), numeric, typical))
    found.extend(_numbers("negative", NEGATIVES, numeric, typical))
    found.extend(_numbers("huge", HUGE, numeric, typical))
    if nullable:
        found.extend(
            Case(f"edge-null-{name}", replace(typical, **{name: None})) for name in nullable
        )
        found.append(Case("edge-null-all", replace(typical, **dict.fromkeys(nullable, None))))
    return found


def _spellings(feature: Feature, typical: Row) -> list[Case]:
    """The typical category upper-cased, title-cased and padded, where that is new."""
    value = str(typical[feature.name])
    spelled = [
        (value.upper(), "upper"),
        (value.title(), "title"),
        (" " + value, "leading-space"),
        (value + " ", "trailing-space"),
    ]
    seen = set(feature.categories)
    found: list[Case] = []
    for text, how in spelled:
        if text in seen:
            continue
        seen.add(text)
        found.append(
            Case(f"edge-case-{feature.name}-{how}", replace(typical, **{feature.name: text}))
        )
    return found


def _numbers(
    kind: str, values: tuple[tuple[float, str], ...], numeric: Sequence[str], typical: Row
) -> list[Case]:
    """Each value in each numeric feature alone, then in all numeric features at once."""
    if not numeric:
        return []
    found = [
        Case(f"edge-{kind}-{name}-{spelled}", replace(typical, **{name: value}))
        for value, spelled in values
        for name in numeric
    ]
    found.extend(
        Case(f"edge-{kind}-all-{spelled}", replace(typical, **dict.fromkeys(numeric, value)))
        for value, spelled in values
    )
    return found
