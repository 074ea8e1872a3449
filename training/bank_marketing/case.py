"""A golden case: an id that names its category, and one input for every feature."""

from dataclasses import dataclass

from bank_marketing import recipe

Row = dict[str, float | str]


@dataclass(frozen=True)
class Case:
    """One generated input; its expected output comes from onnxruntime later."""

    id: str
    input: Row

    @property
    def category(self) -> str:
        """`random`, or the `edge-…` family the id starts with."""
        parts = self.id.split("-")
        return parts[0] if parts[0] == "random" else "-".join(parts[:2])


def replace(base: Row, **changes: float | str) -> Row:
    """A copy of `base` with `changes`, keys kept in `recipe.FEATURES` order."""
    merged = {**base, **changes}
    return {name: merged[name] for name in recipe.FEATURES}
