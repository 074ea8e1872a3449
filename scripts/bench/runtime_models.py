"""The models and onnxruntime's figures of `make bench-runtime` (scripts/bench/runtime).

    runtime_models.py build --data CSV --out DIR [--rows N]
    runtime_models.py time --out DIR --model NAME [--single-runs N] [--batch-runs N]

`build` fits on bank-full.csv (or seeded synthetic rows of the same columns when the file
is absent) a 100-tree random forest, a 200-tree gradient-boosting pipeline with a scaler and
one-hot front, and a logistic-regression pipeline; writes DIR/<name>.onnx and
DIR/<name>.rows.json, N held-out rows as single-row cases in the parity-fixture format (with
onnxruntime's outputs). `time` prints onnxruntime's figures for one model as one JSON object,
the shape PredictBench prints: {"one_row_us", "batch_rows", "batch_us_per_row"}.

Run with training/ on PYTHONPATH: it reuses bank_marketing's reader and onnx_fixtures' writer.
"""

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pandas as pd
from bank_marketing import data, recipe
from onnx_fixtures import expected, jsonfmt
from onnx_fixtures.cases import Case
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MODELS = ("random_forest_100", "gradient_boosting_200", "logistic")
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
SEED = 42
BATCH_ROWS = 1000


def front(scale: bool) -> ColumnTransformer:
    """One-hot categories (unseen ones as zeros); numbers standardised or passed through."""
    numeric = StandardScaler() if scale else "passthrough"
    return ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), list(recipe.CATEGORICAL)),
            ("num", numeric, list(recipe.NUMERIC)),
        ]
    )


def pipelines() -> dict[str, Callable[[], Pipeline]]:
    forest = RandomForestClassifier(
        n_estimators=100, max_depth=10, min_samples_leaf=5, n_jobs=2, random_state=SEED
    )
    boosting = GradientBoostingClassifier(
        n_estimators=200, max_depth=3, subsample=0.8, random_state=SEED
    )
    logistic = LogisticRegression(max_iter=2000)
    return {
        "random_forest_100": lambda: Pipeline([("front", front(False)), ("model", forest)]),
        "gradient_boosting_200": lambda: Pipeline([("front", front(True)), ("model", boosting)]),
        "logistic": lambda: Pipeline([("front", front(True)), ("model", logistic)]),
    }


def synthetic(rows: int = 20_000) -> tuple[pd.DataFrame, pd.Series]:
    """Seeded rows with bank-full.csv's columns, for when the data set is not there."""
    rng = np.random.default_rng(SEED)
    columns: dict[str, object] = {}
    for name in recipe.NUMERIC:
        columns[name] = rng.normal(0, 100, rows).astype(np.float32)
    for name in recipe.CATEGORICAL:
        columns[name] = rng.choice([f"{name}{k}" for k in range(6)], rows)
    frame = data.typed(pd.DataFrame(columns))
    score = frame["age"] / 100 + (frame["job"] == "job1") - (frame["month"] == "month2")
    target = (score + rng.normal(0, 1, rows) > 0.5).astype(np.int64)
    return frame, pd.Series(target)


def dataset(path: Path) -> data.Split:
    if path.is_file():
        return data.split(data.load(path))
    print(f"runtime_models: {path} not found, using synthetic rows", file=sys.stderr)
    frame, target = synthetic()
    return data.split(data.Dataset(frame, target, path, ""))


def feeds(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """One `[N, 1]` array per column: float32 numbers, string categories."""
    return {
        name: frame[name]
        .to_numpy()
        .astype(np.float32 if name in recipe.NUMERIC else object)
        .reshape(-1, 1)
        for name in recipe.FEATURES
    }


def export(pipeline: Pipeline) -> onnx.ModelProto:
    inputs = [
        (
            name,
            FloatTensorType([None, 1]) if name in recipe.NUMERIC else StringTensorType([None, 1]),
        )
        for name in recipe.FEATURES
    ]
    options = {id(pipeline.steps[-1][1]): {"zipmap": False}}
    return to_onnx(pipeline, initial_types=inputs, options=options, target_opset=TARGET_OPSET)


def build(source: Path, out: Path, rows: int) -> None:
    split = dataset(source)
    out.mkdir(parents=True, exist_ok=True)
    held_out = feeds(split.test_x.iloc[:rows])
    cases = [
        Case(f"row{index}", {name: array[index : index + 1] for name, array in held_out.items()})
        for index in range(rows)
    ]
    for name, make in pipelines().items():
        started = time.perf_counter()
        pipeline = make().fit(split.train_x, split.train_y)
        model = export(pipeline)
        (out / f"{name}.onnx").write_bytes(model.SerializeToString())
        text = jsonfmt.document(expected.header(name, model), expected.run(model, cases))
        (out / f"{name}.rows.json").write_text(text)
        print(
            f"{name}: fitted and exported in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )


def timed(run: Callable[[], object], repeats: int) -> float:
    """The median duration of `run` in microseconds."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter_ns()
        run()
        samples.append(time.perf_counter_ns() - started)
    return statistics.median(samples) / 1000


def measure(out: Path, name: str, single_runs: int, batch_runs: int) -> dict[str, float]:
    """onnxruntime on one thread, as the Swift runtime runs a request: single rows cycling
    through the held-out rows, then whole 1,000-row batches."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(out / f"{name}.onnx"), options, providers=["CPUExecutionProvider"]
    )
    cases = json.loads((out / f"{name}.rows.json").read_text())["cases"]
    types = {value.name: value.type for value in session.get_inputs()}

    def array(name: str, values: list[object]) -> np.ndarray:
        dtype = object if types[name] == "tensor(string)" else np.float32
        return np.array([np.nan if v == "NaN" else v for v in values], dtype=dtype).reshape(-1, 1)

    singles = [
        {key: array(key, value["values"]) for key, value in case["inputs"].items()}
        for case in cases
    ]
    batch = {key: np.concatenate([single[key] for single in singles])[:BATCH_ROWS] for key in types}
    rows = iter(singles * (single_runs // len(singles) + 2))
    for _ in range(200):
        session.run(None, next(rows))
    one_row = timed(lambda: session.run(None, next(rows)), single_runs)
    for _ in range(2):
        session.run(None, batch)
    per_batch = timed(lambda: session.run(None, batch), batch_runs)
    count = len(batch[next(iter(types))])
    return {"one_row_us": one_row, "batch_rows": count, "batch_us_per_row": per_batch / count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="runtime_models.py")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="Fit, export and write rows for every model.")
    make.add_argument("--data", type=Path, required=True, help="bank-full.csv (optional file).")
    make.add_argument("--out", type=Path, required=True, help="The folder to write.")
    make.add_argument("--rows", type=int, default=BATCH_ROWS, help="Held-out rows to write.")
    time_ = commands.add_parser("time", help="onnxruntime's figures for one model, as JSON.")
    time_.add_argument("--out", type=Path, required=True, help="The folder build wrote.")
    time_.add_argument("--model", choices=MODELS, required=True, help="The model to time.")
    time_.add_argument("--single-runs", type=int, default=5000, help="Single-row runs timed.")
    time_.add_argument("--batch-runs", type=int, default=15, help="1,000-row batches timed.")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if options.command == "build":
        build(options.data, options.out, options.rows)
    else:
        figures = measure(options.out, options.model, options.single_runs, options.batch_runs)
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
