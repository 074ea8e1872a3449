"""python -m bank_marketing --data bank-full.csv --out ../models/bank-marketing --version 1.0.0"""

import argparse
import time
from pathlib import Path

from . import data, export, golden, manifest, model
from .data import NUMERIC

GOLDEN_SEED = 20261126


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="path to bank-full.csv")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--version", default="1.0.0", help="model version (semantic)")
    arguments = parser.parse_args()
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    split = data.load(arguments.data)
    columns = data.columns_in_file_order(split.train)
    pipeline = model.fit(split)
    metrics = model.metrics(pipeline, split)
    print(f"trained in {time.monotonic() - started:.1f} s; held-out metrics: {metrics}")

    onnx_model = export.export(pipeline, columns, arguments.version)
    model_path = out / "model.onnx"
    model_path.write_bytes(onnx_model.SerializeToString())
    difference = export.verify(model_path, pipeline, split.test, columns)
    print(f"onnxruntime vs scikit-learn on the held-out split: max |Δp| = {difference:.2e}")

    categories = model.categories(pipeline)
    document = manifest.build(
        version=arguments.version,
        model_path=model_path,
        opsets=export.opsets(onnx_model),
        features=manifest.features(split.train, columns, categories),
        metrics=metrics,
        params=model.PARAMS,
        data_rows=split.total_rows,
    )
    manifest.write(out / "model.json", document)

    ranges = {c: (float(split.train[c].min()), float(split.train[c].max())) for c in NUMERIC}
    generator = golden.Generator(columns, ranges, categories, GOLDEN_SEED)
    cases = generator.random_cases() + generator.edge_cases(
        export.numeric_thresholds(onnx_model, columns)
    )
    session = export.session(model_path)
    lines = golden.answer(session, cases, columns, document["labels"])
    golden.write(out / "golden.jsonl", lines)

    if manifest.sha256(model_path) != document["sha256"]:
        raise RuntimeError("model.onnx changed after the manifest was written")
    yes = sum(1 for line in lines if line["expected"]["label"] == "yes")
    print(
        f"wrote {out}: model.onnx ({model_path.stat().st_size} bytes), model.json, "
        f"golden.jsonl ({len(lines)} cases, {yes} 'yes', "
        f"{sum(1 for i, _ in cases if i.startswith('edge-threshold'))} on thresholds)"
    )


if __name__ == "__main__":
    main()
