"""golden.jsonl: generated inputs with onnxruntime's outputs, replayed by predict-fcgi."""

import json
from collections import Counter
from collections.abc import Sequence

import numpy as np

from predict_pack.cases import Case
from predict_pack.errors import PackError

FILE = "golden.jsonl"
RANDOM_CASES = 200
THRESHOLD_BUDGET = 50


def check_unique(found: Sequence[Case]) -> None:
    """Raises unless every case id is unique."""
    duplicates = [name for name, count in Counter(case.id for case in found).items() if count > 1]
    if duplicates:
        raise PackError(f"expected unique golden ids, found duplicates {duplicates[:10]}")


def families(found: Sequence[Case]) -> dict[str, int]:
    """How many cases each id family holds, in first-seen order."""
    return dict(Counter(case.family for case in found))


def render(
    found: Sequence[Case],
    labels: Sequence[str],
    probabilities: np.ndarray,
    classes: Sequence[str],
) -> bytes:
    """One JSON object per line: id, input (null for a null number), and the expected
    display label and probabilities, onnxruntime's float32 values widened to float."""
    lines = []
    for case, label, row in zip(found, labels, probabilities, strict=True):
        document = {
            "id": case.id,
            "input": case.input,
            "expected": {
                "label": label,
                "probabilities": {
                    name: float(np.float32(value)) for name, value in zip(classes, row, strict=True)
                },
            },
        }
        lines.append(json.dumps(document, allow_nan=False) + "\n")
    return "".join(lines).encode()
