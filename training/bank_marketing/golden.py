"""Golden cases: generated inputs (never rows of the data set) with onnxruntime's answers."""

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import pandas as pd

from .data import CATEGORICAL, NUMERIC
from .export import feeds

RANDOM_CASES = 200
# Thresholds per numeric column to probe (evenly spread over the sorted ones), each at, just
# below and just above the threshold.
THRESHOLDS_PER_COLUMN = 16
Case = tuple[str, dict[str, Any]]


def _number(value: float) -> float | int:
    """Integers stay integers in JSON, so the cases look like what clients send."""
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else float(value)


class Generator:
    def __init__(
        self,
        columns: list[str],
        ranges: dict[str, tuple[float, float]],
        categories: dict[str, list[str]],
        seed: int,
    ) -> None:
        self.columns = columns
        self.ranges = ranges
        self.categories = categories
        self.rng = np.random.default_rng(seed)

    def client(self) -> dict[str, Any]:
        """A plausible random client: numbers within (and a little beyond) the training range."""
        row: dict[str, Any] = {}
        for column in self.columns:
            if column in NUMERIC:
                low, high = self.ranges[column]
                span = high - low
                value = self.rng.uniform(low - 0.05 * span, high + 0.05 * span)
                integral = self.rng.random() < 0.7
                row[column] = _number(round(value) if integral else round(value, 3))
            else:
                row[column] = str(self.rng.choice(self.categories[column]))
        if self.rng.random() < 0.6:
            # Most clients were never contacted before: pdays -1, previous 0, as in the data.
            row.update(pdays=-1, previous=0, poutcome="unknown")
        return row

    def random_cases(self) -> list[Case]:
        return [(f"random-{i:04d}", self.client()) for i in range(RANDOM_CASES)]

    def edge_cases(self, thresholds: dict[str, list[float]]) -> list[Case]:
        cases: list[Case] = []
        for column in CATEGORICAL:
            known = self.categories[column][0]
            for name, value in [
                ("astronaut", "astronaut"),
                ("unknown-value", "unknown-value"),
                ("upper", known.upper()),
                ("title", known.title()),
                ("padded", f" {known}"),
            ]:
                if value != known:
                    cases.append((f"edge-unseen-{column}-{name}", {**self.client(), column: value}))
            cases.append((f"edge-empty-{column}", {**self.client(), column: ""}))
        everything_zero = {**self.client(), **{c: 0 for c in NUMERIC}}
        cases.append(("edge-zero-all", everything_zero))
        for column in NUMERIC:
            for name, value in [
                ("zero", 0),
                ("negative-one", -1),
                ("negative-million", -1e6),
                ("huge-1e9", 1e9),
                ("huge-1e15", 1e15),
                ("huge-1e30", 1e30),
                ("huge-negative-1e30", -1e30),
            ]:
                kind = "zero" if value == 0 else "negative" if value < 0 else "huge"
                case_id = f"edge-{kind}-{column}-{name}"
                cases.append((case_id, {**self.client(), column: _number(value)}))
        for column, values in thresholds.items():
            # Thresholds exactly, and the float32 neighbours on either side of them.
            step = max(1, len(values) // THRESHOLDS_PER_COLUMN)
            for index, threshold in enumerate(values[::step][:THRESHOLDS_PER_COLUMN]):
                at = np.float32(threshold)
                for name, value in [
                    ("at", at),
                    ("below", np.nextafter(at, np.float32(-np.inf))),
                    ("above", np.nextafter(at, np.float32(np.inf))),
                ]:
                    case_id = f"edge-threshold-{column}-{index:02d}-{name}"
                    cases.append((case_id, {**self.client(), column: _number(float(value))}))
        return cases


def answer(
    session: ort.InferenceSession, cases: list[Case], columns: list[str], labels: list[str]
) -> list[dict[str, Any]]:
    frame = pd.DataFrame([row for _, row in cases], columns=columns)
    for column in NUMERIC:
        frame[column] = frame[column].astype(np.float64)
    predicted, probabilities = session.run(None, feeds(frame, columns))
    lines = []
    for (case_id, row), label, row_probabilities in zip(
        cases, predicted, probabilities, strict=True
    ):
        lines.append(
            {
                "id": case_id,
                "input": row,
                "expected": {
                    "label": labels[int(label)],
                    "probabilities": {
                        name: float(np.float32(p))
                        for name, p in zip(labels, row_probabilities, strict=True)
                    },
                },
            }
        )
    return lines


def write(path: Path, lines: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as file:
        for line in lines:
            file.write(json.dumps(line, separators=(",", ":")) + "\n")
