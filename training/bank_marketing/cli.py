"""`python -m bank_marketing --data PATH --out DIR --version X.Y.Z`: train, export, check."""

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bank_marketing import (
    data,
    export,
    files,
    golden,
    layout,
    manifest,
    metrics,
    model,
    parity,
    recipe,
    runtime,
    thresholds,
    verify,
)
from bank_marketing.ensemble import TreeEnsemble
from bank_marketing.errors import TrainingError
from bank_marketing.profile import Profile


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed flags; argparse exits with usage on a missing or unknown one."""
    parser = argparse.ArgumentParser(
        prog="python -m bank_marketing",
        description=(
            "Train the bank-marketing classifier and write model.onnx, model.json and "
            "golden.jsonl. model.json's 'created' is SOURCE_DATE_EPOCH when set."
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
    """Runs the whole recipe; prints `error: …` and returns 1 on any `TrainingError`."""
    options = arguments(argv)
    try:
        run(options.data, options.out, options.version)
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def run(source: Path, out: Path, version: str) -> None:
    """Trains, evaluates, exports, generates golden cases, writes the bundle, checks it."""
    # Bad flags and environment fail before the half-minute of training, not after.
    export.model_version(version)
    created = manifest.created()
    dataset = data.load(source)
    split = data.split(dataset)
    print(f"data: {len(dataset.features)} rows from {source}, {recipe.LEAKY} excluded")

    started = time.perf_counter()
    pipeline = model.fit(split)
    print(f"training: {time.perf_counter() - started:.1f} s")
    scores = metrics.evaluate(pipeline, split)
    for key, value in scores.to_json().items():
        print(f"  {key}: {value}")

    onnx_model = export.export(pipeline, version)
    content = onnx_model.SerializeToString()
    runner = runtime.session(content)
    held_out = parity.compare(pipeline, runner, split.test_x, "held-out split")
    print(
        f"parity on the held-out split: max abs diff {held_out.max_abs_diff:.3g}, "
        f"{held_out.label_mismatches} label mismatches"
    )

    profile = Profile.of(split.train_x, pipeline)
    ensemble = TreeEnsemble(onnx_model)
    layout.check(ensemble.columns, pipeline)
    cases = golden.cases(profile, ensemble)
    labels, probabilities = golden.expected(runner, cases)
    on_cases = parity.compare(
        pipeline, runner, data.frame_of(case.input for case in cases), "golden cases"
    )
    differ, pairs = thresholds.sharp(cases, probabilities)
    families = golden.categories(cases)
    print(f"golden: {len(cases)} cases {families}")
    print(f"  parity with sklearn: max abs diff {on_cases.max_abs_diff:.3g}")
    print(f"  {differ} of {pairs} thresholds change the probability between at and above")

    files.directory(out)
    document = manifest.build(
        version=version,
        created=created,
        sha256=files.sha256(content),
        opsets=export.opsets(onnx_model),
        profile=profile,
        metrics=scores,
        parity=held_out,
        params=pipeline.named_steps["trees"].get_params(deep=False),
        data_rows=len(dataset.features),
        data_sha256=dataset.sha256,
        golden=families,
    )
    # The manifest goes last: a reader that sees the new one also sees the files it names.
    files.write(out / manifest.MODEL_FILE, content)
    files.write(out / manifest.GOLDEN_FILE, golden.render(cases, labels, probabilities))
    files.write(out / "model.json", manifest.render(document))
    print(f"wrote {out}: {manifest.MODEL_FILE} ({len(content)} bytes), golden, model.json")
    print(f"self-check: {verify.bundle(out)} golden cases replay exactly")
