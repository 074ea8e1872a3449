"""golden.jsonl: generated inputs with onnxruntime's outputs, replayed by predict-fcgi."""

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import onnxruntime as ort

from bank_marketing import clients, data, edges, recipe, runtime, thresholds
from bank_marketing.case import Case
from bank_marketing.ensemble import TreeEnsemble
from bank_marketing.errors import TrainingError
from bank_marketing.profile import Profile

RANDOM_CASES = 200
THRESHOLD_BUDGET = 50


def cases(profile: Profile, ensemble: TreeEnsemble) -> list[Case]:
    """Random clients, edge cases and threshold cases, from one seeded generator."""
    rng = np.random.default_rng(recipe.SEED)
    found = clients.cases(profile, rng, RANDOM_CASES)
    found.extend(edges.cases(profile.typical))
    found.extend(thresholds.cases(ensemble, profile, rng, THRESHOLD_BUDGET))
    duplicates = [name for name, count in Counter(case.id for case in found).items() if count > 1]
    if duplicates:
        raise TrainingError(f"expected unique golden ids, found duplicates {duplicates}")
    return found


def categories(found: Sequence[Case]) -> dict[str, int]:
    """How many cases each id family holds, in first-seen order."""
    return dict(Counter(case.category for case in found))


def expected(runner: ort.InferenceSession, found: Sequence[Case]) -> tuple[np.ndarray, np.ndarray]:
    """onnxruntime's `label` and `probabilities` for every case, in order."""
    return runtime.predict(runner, data.frame_of(case.input for case in found))


def render(found: Sequence[Case], labels: np.ndarray, probabilities: np.ndarray) -> bytes:
    """One JSON object per line: id, input, and the expected display label and probabilities.

    Probabilities are onnxruntime's float32 values widened to float, so they print in full.
    """
    lines = []
    for case, label, row in zip(found, labels, probabilities, strict=True):
        document = {
            "id": case.id,
            "input": case.input,
            "expected": {
                "label": recipe.LABELS[int(label)],
                "probabilities": {
                    name: float(np.float32(value))
                    for name, value in zip(recipe.LABELS, row, strict=True)
                },
            },
        }
        lines.append(json.dumps(document, allow_nan=False) + "\n")
    return "".join(lines).encode()


def parse(text: bytes) -> list[dict[str, Any]]:
    """The documents of a golden.jsonl file, one per non-empty line."""
    return [json.loads(line) for line in text.decode().splitlines() if line.strip()]
