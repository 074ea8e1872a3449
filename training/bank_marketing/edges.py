"""Hand-picked edge cases around a typical client: odd strings and extreme numbers."""

from bank_marketing import recipe
from bank_marketing.case import Case, Row, replace

# Spelled-out names keep the ids readable and free of signs and spaces.
UNSEEN = "unknown-value"
ODD_SPELLINGS: tuple[tuple[str, str, str], ...] = (
    ("job", "Technician", "title"),
    ("job", "TECHNICIAN", "upper"),
    ("marital", "Married", "title"),
    ("housing", "YES", "upper"),
    ("month", "MAY", "upper"),
    ("month", " may", "leading-space"),
    ("month", "may ", "trailing-space"),
    ("poutcome", " success", "leading-space"),
)
NEGATIVES: tuple[tuple[float, str], ...] = ((-1.0, "minus-1"), (-1e6, "minus-1e6"))
HUGE: tuple[tuple[float, str], ...] = (
    (1e9, "1e9"),
    (1e15, "1e15"),
    (1e30, "1e30"),
    (-1e30, "minus-1e30"),
)


def cases(typical: Row) -> list[Case]:
    """Every edge case, each a change to `typical` in one feature or in all of a kind."""
    found: list[Case] = []
    for name in recipe.CATEGORICAL:
        found.append(Case(f"edge-unseen-{name}", replace(typical, **{name: UNSEEN})))
    found.append(Case("edge-unseen-job-astronaut", replace(typical, job="astronaut")))
    found.append(
        Case("edge-unseen-all", replace(typical, **dict.fromkeys(recipe.CATEGORICAL, "astronaut")))
    )
    for name, value, spelling in ODD_SPELLINGS:
        found.append(Case(f"edge-case-{name}-{spelling}", replace(typical, **{name: value})))
    for name in recipe.CATEGORICAL:
        found.append(Case(f"edge-empty-{name}", replace(typical, **{name: ""})))
    found.append(Case("edge-empty-all", replace(typical, **dict.fromkeys(recipe.CATEGORICAL, ""))))
    found.extend(_numbers("zero", ((0.0, "0"),), typical))
    found.extend(_numbers("negative", NEGATIVES, typical))
    found.extend(_numbers("huge", HUGE, typical))
    return found


def _numbers(kind: str, values: tuple[tuple[float, str], ...], typical: Row) -> list[Case]:
    """Each value in each numeric feature alone, then in all numeric features at once."""
    found = [
        Case(f"edge-{kind}-{name}-{spelled}", replace(typical, **{name: value}))
        for value, spelled in values
        for name in recipe.NUMERIC
    ]
    found.extend(
        Case(f"edge-{kind}-all-{spelled}", replace(typical, **dict.fromkeys(recipe.NUMERIC, value)))
        for value, spelled in values
    )
    return found
