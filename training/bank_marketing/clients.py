"""Random made-up clients drawn around the training split, never copied from it."""

import numpy as np

from bank_marketing import recipe
from bank_marketing.case import Case, Row
from bank_marketing.profile import QUANTILES, NumericProfile, Profile

# How a number is drawn: from the training distribution, uniformly over the observed range,
# or up to `OUTSIDE` of the range beyond either end.
TYPICAL = 0.7
UNIFORM = 0.2
OUTSIDE = 0.1
# Share of numbers that are whole, like the data; the rest get two decimals.
WHOLE = 0.75


def number(rng: np.random.Generator, numeric: NumericProfile) -> float:
    """One value for a numeric feature."""
    span = numeric.maximum - numeric.minimum
    draw = rng.random()
    if draw < TYPICAL:
        value = float(np.interp(rng.random(), QUANTILES, numeric.quantiles))
    elif draw < TYPICAL + UNIFORM:
        value = float(rng.uniform(numeric.minimum, numeric.maximum))
    elif rng.random() < 0.5:
        value = float(rng.uniform(numeric.minimum - OUTSIDE * span, numeric.minimum))
    else:
        value = float(rng.uniform(numeric.maximum, numeric.maximum + OUTSIDE * span))
    return float(round(value)) if rng.random() < WHOLE else round(value, 2)


def client(profile: Profile, rng: np.random.Generator) -> Row:
    """A client with every number drawn by `number` and every category uniformly."""
    row: Row = {}
    for name in recipe.FEATURES:
        if name in recipe.NUMERIC:
            row[name] = number(rng, profile.numeric[name])
        else:
            known = profile.categories[name]
            row[name] = known[int(rng.integers(len(known)))]
    return row


def cases(profile: Profile, rng: np.random.Generator, count: int) -> list[Case]:
    """`count` random clients, `random-0001` onwards."""
    return [Case(f"random-{index:04d}", client(profile, rng)) for index in range(1, count + 1)]
