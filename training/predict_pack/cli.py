"""`predict-pack --model FILE --data CSV_OR_PARQUET --name NAME`: write a served bundle."""

import argparse
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from predict_pack import estimator, files, sample
from predict_pack.errors import PackError
from predict_pack.pack import Bundle, pack, pack_onnx

DESCRIPTION = """\
Convert a fitted scikit-learn classifier or pipeline (XGBoost, LightGBM and CatBoost
sklearn-API estimators included), saved with joblib or pickle, or an already exported .onnx file, into a
model directory predict-fcgi serves: model.onnx, model.json and golden.jsonl.

The data sample gives each input column's type, range or categories and nullability, the
rows onnxruntime must agree on with the original model, and the profile the golden cases are
drawn from. Nothing is written when they disagree. When a predict-fcgi binary is found
(PREDICT_BIN, else <repo>/.build/release/predict-fcgi) its `check` must pass too.

Loading a pickle runs code from the file: only pack models you trust. model.json's
'created' is SOURCE_DATE_EPOCH when set.
"""


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed flags; argparse exits with usage on a missing or unknown one."""
    parser = argparse.ArgumentParser(
        prog="predict-pack",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--model",
        type=Path,
        required=True,
        help="The fitted model: a joblib/pickle file (unpickling runs its code), or .onnx.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        help="A sample of the training data: CSV (separator detected) or Parquet.",
    )
    parser.add_argument("--name", required=True, help="The model's name in URLs and model.json.")
    parser.add_argument(
        "--target", help="The label column, if the sample has one: left out, used for metrics."
    )
    parser.add_argument("--version", default="1.0.0", help="MAJOR.MINOR.PATCH (1.0.0).")
    parser.add_argument("--out", type=Path, help="The model directory to write (models/NAME).")
    parser.add_argument("--description", help="What the model predicts, for model.json.")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Packs; prints `error: …` and returns 1 on any `PackError`."""
    options = arguments(argv)
    try:
        bundle = run(options)
    except PackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report(bundle)
    return 0


def run(options: argparse.Namespace) -> Bundle:
    """Reads the data and the model, then packs into `--out`."""
    data = sample.read(options.data)
    print(f"data: {len(data.frame)} rows, {len(data.frame.columns)} columns from {data.path}")
    if options.model.suffix.lower() == estimator.ONNX_SUFFIX:
        return _packed(pack_onnx, files.read(options.model), data.frame, options)
    training = {"data": f"{data.path.name} ({len(data.frame)} rows)", "data_sha256": data.sha256}
    return _packed(
        partial(pack, training=training), estimator.load(options.model), data.frame, options
    )


def _packed(
    packer: Callable[..., Bundle], model: Any, frame: pd.DataFrame, options: argparse.Namespace
) -> Bundle:
    """`packer` (`pack` or `pack_onnx`) on `model`, with the flags both take."""
    return packer(
        model,
        frame,
        name=options.name,
        version=options.version,
        out=options.out or Path("models") / options.name,
        target=options.target,
        description=options.description,
    )


def report(bundle: Bundle) -> None:
    """What was written and checked."""
    if bundle.parity is None:
        print("parity: not checked (an exported .onnx has no original model to compare with)")
    else:
        print(
            f"parity on {bundle.parity.where}: {bundle.parity.rows} rows, max abs diff "
            f"{bundle.parity.max_abs_diff:.3g}, {bundle.parity.label_mismatches} label mismatches"
        )
    print(f"golden: {bundle.cases} cases {bundle.document['golden']['cases']}")
    if bundle.check is None:
        print(
            "note: no predict-fcgi binary (PREDICT_BIN or .build/release/predict-fcgi): not checked"
        )
    else:
        print(f"predict-fcgi check: {bundle.check.splitlines()[-1] if bundle.check else 'passed'}")
    print(f"wrote {bundle.out}: model.onnx ({len(bundle.model)} bytes), golden.jsonl, model.json")
