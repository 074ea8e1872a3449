"""`python -m onnx_fixtures --out DIR [--only NAME ...]`: fit, export and write every fixture."""

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from onnx_fixtures import cases, convert, expected, jsonfmt, matmul, refusals
from onnx_fixtures.catalog import FAMILIES
from onnx_fixtures.family import Family


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m onnx_fixtures",
        description="Write <family>.onnx and <family>.json for every family, and refusals/.",
    )
    parser.add_argument("--out", type=Path, required=True, help="The fixtures directory.")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="Write only these families (default: all); 'matmul' writes matmul/orders.json.",
    )
    return parser.parse_args(argv)


def write(family: Family, out: Path) -> tuple[int, int]:
    """Writes one family's pair of files; returns its case count and byte size."""
    fitted = family.fit()
    model = convert.export(family, fitted)
    documents = expected.run(model, cases.all_cases(fitted, model))
    content = model.SerializeToString()
    text = jsonfmt.document(expected.header(family.name, model), documents)
    (out / f"{family.name}.onnx").write_bytes(content)
    (out / f"{family.name}.json").write_text(text)
    return len(documents), len(content) + len(text.encode())


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    # Convergence and feature-name warnings from fitting tiny models say nothing useful here.
    warnings.simplefilter("ignore")
    options.out.mkdir(parents=True, exist_ok=True)
    selected = [f for f in FAMILIES if options.only is None or f.name in options.only]
    total_cases = total_bytes = 0
    for family in selected:
        count, size = write(family, options.out)
        total_cases += count
        total_bytes += size
        print(f"{family.name}: {count} cases, {size} bytes")
    if options.only is None:
        written = refusals.write(options.out / "refusals")
        print(f"refusals: {', '.join(written)}")
    if options.only is None or "matmul" in options.only:
        print(f"matmul orders: {matmul.write(options.out / 'matmul')} cases")
    print(f"{len(selected)} families, {total_cases} cases, {total_bytes} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
