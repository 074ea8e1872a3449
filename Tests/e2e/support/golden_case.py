"""One line of a model's golden.jsonl: an input and the answer the source framework gave."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

TOLERANCE = 1e-5


@dataclass(frozen=True)
class GoldenCase:
    id: str
    input: dict[str, Any]
    label: str
    probabilities: dict[str, float]

    @classmethod
    def from_line(cls, document: dict[str, Any]) -> GoldenCase:
        expected = document["expected"]
        return cls(
            id=str(document["id"]),
            input=document["input"],
            label=expected["label"],
            probabilities={k: float(v) for k, v in expected["probabilities"].items()},
        )

    def mismatch(self, prediction: Any, tolerance: float = TOLERANCE) -> str | None:
        """Why `prediction` (a /predict answer or one batch entry) differs; None if it does
        not."""
        if not isinstance(prediction, dict):
            return f"case {self.id}: expected an object, got {prediction!r}"
        if prediction.get("label") != self.label:
            return f"case {self.id}: label {prediction.get('label')!r}, expected {self.label!r}"
        got = prediction.get("probabilities")
        if not isinstance(got, dict) or set(got) != set(self.probabilities):
            return f"case {self.id}: probabilities {got!r}, expected {self.probabilities!r}"
        for label, expected in self.probabilities.items():
            value = got[label]
            if not isinstance(value, (int, float)) or not math.isclose(
                value, expected, rel_tol=0, abs_tol=tolerance
            ):
                return f"case {self.id}: p({label}) = {value!r}, expected {expected} ± {tolerance}"
        return None
