"""`python -m bank_marketing --data PATH --out DIR --version X.Y.Z`: train, then pack."""

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from predict_pack import PackError, pack
from predict_pack.convert import model_version
from predict_pack.manifest import created

from bank_marketing import data, metrics, model, recipe
from bank_marketing.errors import TrainingError


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed flags; argparse exits with usage on a missing or unknown one."""
    parser = argparse.ArgumentParser(
        prog="python -m bank_marketing",
        description=(
            "Train the bank-marketing classifier and write model.onnx, model.json and "
            "golden.jsonl with predict-pack. model.json's 'created' is SOURCE_DATE_EPOCH when "
            "set."
        ),
    )
    parser.add_argument(
        "--data", type=Path, required=True, help="bank-full.csv from UCI Bank Marketing."
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="The model directory to write, created if need be."
    )
    parser.add_argument(
        "--version", default="1.0.0", help="The model's MAJOR.MINOR.PATCH version (1.0.0)."
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the whole recipe; prints `error: …` and returns 1 on a training or packing error."""
    options = arguments(argv)
    try:
        run(options.data, options.out, options.version)
    except (TrainingError, PackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def run(source: Path, out: Path, version: str) -> None:
    """Trains and evaluates on the held-out split, then has `predict_pack.pack` write the
    bundle: schema and golden cases from the training split, parity on the held-out one."""
    # Bad flags and environment fail before the half-minute of training, not after.
    model_version(version)
    created()
    dataset = data.load(source)
    split = data.split(dataset)
    print(f"data: {len(dataset.features)} rows from {source}, {recipe.LEAKY} excluded")

    started = time.perf_counter()
    pipeline = model.fit(split)
    print(f"training: {time.perf_counter() - started:.1f} s")
    scores = metrics.evaluate(pipeline, split)
    for key, value in scores.to_json().items():
        print(f"  {key}: {value}")

    bundle = pack(
        pipeline,
        split.train_x,
        name=recipe.NAME,
        version=version,
        out=out,
        description=recipe.DESCRIPTION,
        labels=recipe.LABELS,
        metrics_section=scores.to_json(),
        training={
            "data": (
                f"UCI Bank Marketing bank-full.csv ({len(dataset.features)} rows), "
                f"{recipe.LEAKY} excluded"
            ),
            "data_sha256": dataset.sha256,
        },
        parity_rows=split.test_x,
        parity_on="the held-out split",
        seed=recipe.SEED,
    )
    if bundle.parity is not None:
        print(
            f"parity on {bundle.parity.where}: max abs diff {bundle.parity.max_abs_diff:.3g}, "
            f"{bundle.parity.label_mismatches} label mismatches"
        )
    print(f"golden: {bundle.cases} cases {bundle.document['golden']['cases']}")
    print(f"  {bundle.sharp_thresholds} thresholds change the output between at and above")
    if bundle.check is not None:
        print(f"predict-fcgi check: {bundle.check.splitlines()[-1] if bundle.check else 'passed'}")
    print(f"wrote {out}: model.onnx ({len(bundle.model)} bytes), golden.jsonl, model.json")
