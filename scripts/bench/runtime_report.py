"""The table of `make bench-runtime`: the Swift runtime next to onnxruntime, per model.

    runtime_report.py RESULTS_DIR

Reads <model>.swift.<rep>.json and <model>.ort.<rep>.json (each {"one_row_us", "batch_rows",
"batch_us_per_row"}), takes the median of each figure over the repetitions, and prints
markdown with the two targets marked met or missed:
one row at least 5x faster than onnxruntime, 1,000-row batches no slower per row.
The last column is the spread of the one-row speed-up over the repetitions, each Swift run
paired with the onnxruntime run just before it: how much the machine's load moved it.
Standard library only.
"""

import json
import statistics
import sys
from pathlib import Path

MODELS = ("random_forest_100", "gradient_boosting_200", "logistic")
ONE_ROW_SPEEDUP = 5.0


def repetitions(folder: Path, prefix: str) -> dict[str, dict[str, float]]:
    """Each `<prefix>.<rep>.json` that parses, by repetition."""
    runs = {}
    for path in sorted(folder.glob(f"{prefix}.*.json")):
        try:
            runs[path.name.removeprefix(prefix)] = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
    return runs


def figures(folder: Path, prefix: str) -> dict[str, float] | None:
    """The median of each figure over the `<prefix>.<rep>.json` files; None when none parse."""
    runs = list(repetitions(folder, prefix).values())
    if not runs:
        return None
    keys = ("one_row_us", "batch_us_per_row")
    return {key: statistics.median(run[key] for run in runs) for key in keys} | {"runs": len(runs)}


def cell(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.2f}{unit}"


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "MISSED")


def spread(folder: Path, model: str) -> str:
    """min–max of the one-row speed-up of each repetition's pair of runs."""
    swift = repetitions(folder, f"{model}.swift")
    ort = repetitions(folder, f"{model}.ort")
    pairs = [ort[rep]["one_row_us"] / swift[rep]["one_row_us"] for rep in swift if rep in ort]
    return f"{min(pairs):.1f}–{max(pairs):.1f}x" if pairs else "n/a"


def row(folder: Path, model: str) -> tuple[str, bool | None, bool | None]:
    swift = figures(folder, f"{model}.swift")
    ort = figures(folder, f"{model}.ort")
    speedup = ratio = None
    if swift and ort:
        speedup = ort["one_row_us"] / swift["one_row_us"]
        ratio = swift["batch_us_per_row"] / ort["batch_us_per_row"]
    one_met = None if speedup is None else speedup >= ONE_ROW_SPEEDUP
    batch_met = None if ratio is None else ratio <= 1.0
    cells = [
        model,
        cell(swift and swift["one_row_us"]),
        cell(ort and ort["one_row_us"]),
        cell(speedup, "x"),
        verdict(one_met),
        cell(swift and swift["batch_us_per_row"]),
        cell(ort and ort["batch_us_per_row"]),
        cell(ratio, "x"),
        verdict(batch_met),
        spread(folder, model),
    ]
    return "| " + " | ".join(cells) + " |", one_met, batch_met


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: runtime_report.py RESULTS_DIR", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    print(
        "| model | Swift 1-row µs | ORT 1-row µs | speed-up | ≥ 5× | Swift batch µs/row "
        "| ORT batch µs/row | Swift/ORT | ≤ 1× | 1-row speed-up per repetition |"
    )
    print("|---|--:|--:|--:|---|--:|--:|--:|---|--:|")
    verdicts = []
    for model in MODELS:
        line, one_met, batch_met = row(folder, model)
        print(line)
        verdicts += [one_met, batch_met]
    print()
    print(
        "Targets: one row ≥ 5× faster than onnxruntime's InferenceSession.run (one thread), "
        "1,000-row batches no slower per row. Each figure is the median of the repetitions."
    )
    if None in verdicts:
        print("Some figures are missing (n/a): see the .err files in the results folder.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
