"""Cases whose numbers sit exactly on a tree threshold, and one float32 step either side.

Generic over every tree model: the thresholds are read from the graph's TreeEnsemble*
nodes, whatever lies between the inputs and the trees. A (feature, threshold) pair is kept
only when, for some base row, onnxruntime's output changes between the threshold and the
next float32 above it, so the pair really is a split the feature reaches: a runtime that
compares with `<` instead of `<=` gets the "at" case wrong.

When the trees read the raw inputs (numbers passed through, categories one-hot encoded),
each threshold is known with its feature and first branch, and the first base row tried is
one steered down that branch's tree (`steering`): thresholds deep in a tree that random rows
rarely reach are found too.
"""

from collections.abc import Callable, Sequence

import numpy as np
import onnx
from onnx import numpy_helper

from predict_pack import cases as generated
from predict_pack import ensemble as ensembles
from predict_pack.cases import Case, replace
from predict_pack.schema import Feature, Row
from predict_pack.steering import steer

INFINITY = np.float32(np.inf)
TREE_OPS = ("TreeEnsembleClassifier", "TreeEnsembleRegressor", "TreeEnsemble")
BASE_ROWS = 16
# Rows per onnxruntime call while probing.
CHUNK = 20_000
Predict = Callable[[Sequence[Row]], np.ndarray]


def values(model: onnx.ModelProto) -> np.ndarray:
    """Every distinct branch threshold of the graph's tree ensembles, as float32, sorted."""
    found: list[np.ndarray] = []
    for node in model.graph.node:
        if node.op_type not in TREE_OPS:
            continue
        attributes = {item.name: onnx.helper.get_attribute_value(item) for item in node.attribute}
        if "nodes_splits" in attributes:  # ai.onnx.ml opset 5: every node listed is a branch
            found.append(numpy_helper.to_array(attributes["nodes_splits"]).astype(np.float32))
            continue
        thresholds = attributes.get("nodes_values")
        if thresholds is None and "nodes_values_as_tensor" in attributes:
            thresholds = numpy_helper.to_array(attributes["nodes_values_as_tensor"])
        if thresholds is None:
            continue
        modes = [mode.decode() for mode in attributes.get("nodes_modes", [])]
        branch = np.asarray([mode != "LEAF" for mode in modes], dtype=bool)
        array = np.asarray(thresholds, dtype=np.float32)
        found.append(array[branch] if len(branch) == len(array) else array)
    if not found:
        return np.zeros(0, dtype=np.float32)
    merged: np.ndarray = np.unique(np.concatenate(found))
    finite: np.ndarray = merged[np.isfinite(merged)]
    return finite


def cases(
    model: onnx.ModelProto,
    features: Sequence[Feature],
    predict: Predict,
    rng: np.random.Generator,
    typical: Row,
    budget: int,
) -> tuple[list[Case], int]:
    """Three cases (below, at, above) for up to `budget` sharp thresholds spread over the
    numeric features, and how many sharp (feature, threshold) pairs were found in all."""
    thresholds = values(model)
    numeric = [feature for feature in features if feature.kind == "number"]
    if thresholds.size == 0 or not numeric:
        return [], 0
    bases = [typical] + [generated.row(features, rng) for _ in range(BASE_ROWS - 1)]
    ensemble = ensembles.read(model)
    sharp: dict[str, list[tuple[np.float32, Row]]] = {}
    for feature in numeric:
        if ensemble is None:
            span = max(feature.maximum - feature.minimum, 1.0)
            inside = thresholds[
                (thresholds >= feature.minimum - span) & (thresholds <= feature.maximum + span)
            ]
            tried = [bases] * len(inside)
        else:
            branches = ensemble.thresholds(feature.name)
            inside = np.asarray(list(branches), dtype=np.float32)
            tried = []
            for key in branches.values():
                steered = steer(ensemble, key, generated.row(features, rng), features)
                tried.append(bases if steered is None else [steered, *bases])
        found = _sharp(feature.name, inside, tried, predict)
        if found:
            sharp[feature.name] = found
    total = sum(len(found) for found in sharp.values())
    chosen: list[Case] = []
    for name, count in _allocate({key: len(found) for key, found in sharp.items()}, budget):
        for position in _spread(len(sharp[name]), count):
            threshold, base = sharp[name][position]
            spelled = _spell(threshold)
            for side, value in (
                ("below", np.nextafter(threshold, -INFINITY)),
                ("at", threshold),
                ("above", np.nextafter(threshold, INFINITY)),
            ):
                chosen.append(
                    Case(
                        f"edge-threshold-{name}-{spelled}-{side}",
                        replace(base, **{name: float(value)}),
                    )
                )
    return chosen, total


def _sharp(
    name: str, thresholds: np.ndarray, bases: Sequence[Sequence[Row]], predict: Predict
) -> list[tuple[np.float32, Row]]:
    """The thresholds where some row of theirs (`bases[i]` for `thresholds[i]`, in order)
    changes its output from at to just above, with the first such row."""
    rows: list[Row] = []
    for threshold, tried in zip(thresholds, bases, strict=True):
        above = np.nextafter(threshold, INFINITY)
        for base in tried:
            rows.append(replace(base, **{name: float(threshold)}))
            rows.append(replace(base, **{name: float(above)}))
    if not rows:
        return []
    outputs = np.concatenate(
        [predict(rows[start : start + CHUNK]) for start in range(0, len(rows), CHUNK)]
    )
    found: list[tuple[np.float32, Row]] = []
    at = 0
    for threshold, tried in zip(thresholds, bases, strict=True):
        for offset, base in enumerate(tried):
            if not np.array_equal(outputs[at + 2 * offset], outputs[at + 2 * offset + 1]):
                found.append((np.float32(threshold), base))
                break
        at += 2 * len(tried)
    return found


def _allocate(available: dict[str, int], budget: int) -> list[tuple[str, int]]:
    """Shares `budget` thresholds round-robin over the features that have some left."""
    counts = dict.fromkeys(available, 0)
    while sum(counts.values()) < budget:
        open_features = [name for name in available if counts[name] < available[name]]
        if not open_features:
            break
        for name in open_features:
            if sum(counts.values()) < budget:
                counts[name] += 1
    return [(name, count) for name, count in counts.items() if count > 0]


def _spread(length: int, count: int) -> list[int]:
    """`count` distinct positions spread evenly over `range(length)`, ends included."""
    return sorted({round(float(value)) for value in np.linspace(0, length - 1, count)})


def _spell(threshold: np.float32) -> str:
    text = repr(float(threshold))
    return "minus-" + text[1:] if text.startswith("-") else text
