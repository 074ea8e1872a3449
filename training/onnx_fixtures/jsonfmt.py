"""A JSON writer that keeps float32 values float32: each is written as its shortest round-trip.

`json.dumps` would widen a float32 to a double first (0.1f becomes 0.10000000149011612), so
number tokens are formatted here and passed through as `Raw` text.
"""

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Raw:
    """A preformatted JSON token."""

    text: str


def _non_finite(value: float) -> Raw | None:
    if math.isnan(value):
        return Raw('"NaN"')
    if math.isinf(value):
        return Raw('"Infinity"' if value > 0 else '"-Infinity"')
    return None


def float32(value: float) -> Raw:
    """The float32 nearest `value`, as its shortest decimal that reads back to the same float32."""
    single = np.float32(value)
    special = _non_finite(float(single))
    return special or Raw(str(single))


def float64(value: float) -> Raw:
    """A double as Python's shortest round-trip `repr`."""
    special = _non_finite(float(value))
    return special or Raw(repr(float(value)))


def render(value: Any) -> str:
    """Compact JSON of dicts, lists, strings, ints, bools, None and `Raw` tokens."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        items = ",".join(f"{json.dumps(str(key))}:{render(item)}" for key, item in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(render(item) for item in value) + "]"
    if isinstance(value, bool | str) or value is None:
        return json.dumps(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    raise TypeError(f"cannot render {type(value).__name__} as JSON; wrap floats in float32/64")


def document(header: dict[str, Any], cases: list[Any]) -> str:
    """The fixture file: header keys one a line, then one case a line, for readable diffs."""
    lines = [f"{json.dumps(key)}:{render(item)}" for key, item in header.items()]
    body = ",\n".join(render(case) for case in cases)
    return "{" + ",\n".join(lines) + ',\n"cases":[\n' + body + "\n]}\n"
