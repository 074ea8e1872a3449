"""onnxruntime's float32 MatMul bits over a grid of shapes, for `SgemmOrderTests`.

`python -m onnx_fixtures.matmul --out DIR` writes DIR/orders.json: the grid (ROWS × DEPTHS ×
COLUMNS) and, per route, the hash of onnxruntime's output bits for each shape in grid order.
A, B and the bias are not stored: both sides derive them from a seeded splitmix64
(`values`, `seeds`).
"""

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from onnx_fixtures import expected

ROWS = (1, 2, 3, 4, 5, 7, 8, 16, 33)
DEPTHS = (1, 3, 16, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 2048, 3000)
COLUMNS = (1, 2, 3, 5, 16, 17, 20)
# How B reaches MatMul: an initializer matrix (onnxruntime prepacks it), a graph input
# (unpacked), a 1-D initializer (never packed), or an initializer followed by an Add of a
# [1, N] initializer bias (onnxruntime fuses the pair into a Gemm); "double" is the
# initializer route in float64, on the values times DOUBLE_SCALE (so products are inexact).
ROUTES = ("initializer", "input", "vector", "bias", "double")
DOUBLE_SCALE = 1.000001
OPSET = 17
MASK = (1 << 64) - 1


def values(seed: int, count: int) -> np.ndarray:
    """`count` float32 values of mixed sign and magnitude (up to ±1024, 24 significant bits),
    from splitmix64 seeded with `seed`: each draw gives a signed 24-bit integer m (bits 40 to
    63) and a scale e (bits 32 to 35), and the value m · 2^(e - 28), exact in float32."""
    # splitmix64's i-th state is seed + i · golden (mod 2^64), so every draw is computed at once.
    steps = np.arange(1, count + 1, dtype=np.uint64)
    z = np.uint64(seed & MASK) + steps * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    mantissa = (z >> np.uint64(40)).astype(np.int64) - (1 << 23)
    scale = ((z >> np.uint64(32)) & np.uint64(15)).astype(np.int64)
    return (mantissa.astype(np.float32) * np.exp2(scale - 28).astype(np.float32)).astype(np.float32)


def seeds(m: int, k: int, n: int) -> tuple[int, int, int]:
    """The seeds of A, B and the bias of one shape."""
    base = (m << 40) | (k << 16) | n
    return base, base ^ 0x5BD1E995, base ^ 0x27D4EB2F


def fnv1a(bits: np.ndarray) -> str:
    """FNV-1a over the output's bit patterns, one word (32 or 64 bits) at a time."""
    digest = 0xCBF29CE484222325
    for word in bits.tolist():
        digest = ((digest ^ word) * 0x100000001B3) & MASK
    # The low 32 bits: a mismatch slips through once in 4 billion, and the file stays small.
    return f"{digest & 0xFFFFFFFF:08x}"


def graph(route: str, k: int, n: int, b: np.ndarray, bias: np.ndarray) -> onnx.ModelProto:
    kind = TensorProto.DOUBLE if route == "double" else TensorProto.FLOAT
    a_info = helper.make_tensor_value_info("A", kind, ["M", k])
    shape = ["M"] if route == "vector" else ["M", n]
    y_info = helper.make_tensor_value_info("Y", kind, shape)
    inputs = [a_info]
    initializers = []
    if route == "input":
        inputs.append(helper.make_tensor_value_info("B", TensorProto.FLOAT, [k, n]))
    else:
        initializers.append(numpy_helper.from_array(b.reshape(-1) if route == "vector" else b, "B"))
    nodes = [helper.make_node("MatMul", ["A", "B"], ["P" if route == "bias" else "Y"])]
    if route == "bias":
        initializers.append(numpy_helper.from_array(bias.reshape(1, n), "C"))
        nodes.append(helper.make_node("Add", ["P", "C"], ["Y"]))
    body = helper.make_graph(nodes, "matmul", inputs, [y_info], initializers)
    model = helper.make_model(body, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model


def hashes(route: str) -> Iterator[str]:
    """onnxruntime's output hash for every shape of the grid, rows outermost, columns innermost."""
    for m in ROWS:
        for k in DEPTHS:
            for n in (1,) if route == "vector" else COLUMNS:
                seed_a, seed_b, seed_c = seeds(m, k, n)
                a = values(seed_a, m * k).reshape(m, k)
                b = values(seed_b, k * n).reshape(k, n)
                bias = values(seed_c, n)
                if route == "double":
                    a, b = a.astype(np.float64) * DOUBLE_SCALE, b.astype(np.float64) * DOUBLE_SCALE
                feeds = {"A": a} | ({"B": b} if route == "input" else {})
                session = expected.session(graph(route, k, n, b, bias))
                (result,) = session.run(["Y"], feeds)
                word = np.uint64 if route == "double" else np.uint32
                bits = np.ascontiguousarray(result).view(word).reshape(-1)
                yield fnv1a(bits)


def write(out: Path) -> int:
    """Writes out/orders.json; returns the number of cases."""
    out.mkdir(parents=True, exist_ok=True)
    found = {route: list(hashes(route)) for route in ROUTES}
    grid = {"rows": ROWS, "depths": DEPTHS, "columns": COLUMNS}
    lines = [f'"{name}":{json.dumps(list(value))}' for name, value in grid.items()]
    for route, values_ in found.items():
        per_row = len(values_) // len(ROWS)
        chunks = [json.dumps(values_[i : i + per_row]) for i in range(0, len(values_), per_row)]
        lines.append(f'"{route}":[\n' + ",\n".join(chunks) + "]")
    (out / "orders.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")
    return sum(len(v) for v in found.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m onnx_fixtures.matmul", description="Write DIR/orders.json."
    )
    parser.add_argument("--out", type=Path, required=True, help="The directory to write.")
    count = write(parser.parse_args(argv).out)
    print(f"matmul orders: {count} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
