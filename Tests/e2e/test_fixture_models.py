"""Every model in Tests/ONNXRuntimeTests/Fixtures, served by the worker binary as a bare .onnx
file (`predict-fcgi score`, the same bundle and JSON path `serve` uses): each single-row case
answers onnxruntime's label exactly and its probabilities (or decision scores) within 1e-5,
under the name that says which they are. A graph whose scores are raw pairwise SVM values
is refused with the reason. The hand-built TreeEnsemble (opset 5) graphs have
no classifier node to name their classes: bare, they are refused with that reason, and with
a model.json listing the classes they serve."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "ONNXRuntimeTests" / "Fixtures"
FAMILIES = sorted(path.stem for path in FIXTURES.glob("*.onnx"))
# Models without predict_proba: LinearSVC's margins, and an SVC's votes and confidences.
DECISION_SCORES = {"linear_svc_binary", "linear_svc_multiclass", "svc_rbf_no_probability"}
# Raw pairwise SVM decision values for three classes: no class owns one, so no answer.
# skl2onnx's RadiusNeighbors graph marks every training row beyond the radius with index -1,
# which ArrayFeatureExtractor refuses (onnxruntime too): the bare file's probe row (zeros) is
# that far from some training rows, so loading refuses it with the reason.
REFUSED = {
    "svc_pairwise_scores": "one per pair of the 3 classes",
    "radius_neighbors": "a probe row failed: node 'knny_ArrayFeatureExtractor'",
}
# Graphs whose label is an ArgMax: class positions, with no classifier node naming them.
UNLABELLED = {name for name in FAMILIES if name.startswith("tree_ensemble_v5_")}
# Two classes weighted on both columns with int64 labels (CatBoost's binary export): onnxruntime's
# label output is the position 0 or 1, which the service answers as the class at that position.
POSITIONAL = {"catboost_binary"}
ABSOLUTE = 1e-5
RELATIVE = 1e-6


def number(value: Any) -> float | None:
    """A fixture number as JSON can carry it: NaN as null (a missing value)."""
    if value == "NaN":
        return None
    return float(value)


def instance(types: dict[str, str], inputs: dict[str, Any]) -> dict[str, Any] | None:
    """One case's feeds as a request instance, or None when they are not one row or hold an
    infinity, which JSON cannot."""
    body: dict[str, Any] = {}
    for name, feed in inputs.items():
        values = feed["values"]
        if types[name] != "string":
            if any(v in ("Infinity", "-Infinity") for v in values):
                return None
            values = [number(v) for v in values]
        if feed["shape"][0] != 1:
            return None
        body[name] = values[0] if len(values) == 1 else values
    return body


def expected_scores(output: dict[str, Any]) -> list[tuple[str | None, float]]:
    """(class, score) in column order; the class is known only for ZipMap's maps."""
    if output["type"] == "seq_map":
        return [(str(key), float(p)) for key, p in output["values"][0]]
    return [(None, float(v)) for v in output["values"]]


def close(got: float, want: float) -> bool:
    return abs(got - want) <= ABSOLUTE or abs(got - want) <= RELATIVE * abs(want)


def score(binary: Path, model: Path, lines: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary), "score", "--model", str(model)],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def with_manifest(family: str, document: dict[str, Any], into: Path) -> Path:
    """A model directory for `family` whose model.json names the classes by position."""
    into.mkdir()
    shutil.copy(FIXTURES / f"{family}.onnx", into / "model.onnx")
    scores = document["outputs"][1]["name"]
    classes = document["cases"][0]["outputs"][scores]["shape"][-1]
    manifest = {
        "name": family,
        "version": "1.0.0",
        "sha256": hashlib.sha256((into / "model.onnx").read_bytes()).hexdigest(),
        "features": [
            {"name": feed["name"], "type": "number", "nullable": True}
            for feed in document["inputs"]
        ],
        "labels": [str(index) for index in range(classes)],
    }
    (into / "model.json").write_text(json.dumps(manifest))
    return into


@pytest.mark.parametrize("family", FAMILIES)
def test_every_fixture_model_serves_onnxruntimes_answers(
    binary: Path, family: str, tmp_path: Path
) -> None:
    document = json.loads((FIXTURES / f"{family}.json").read_text())
    label_name, scores_name = (output["name"] for output in document["outputs"][:2])
    types = {feed["name"]: feed["type"] for feed in document["inputs"]}
    cases = [
        (case, body) for case in document["cases"] if (body := instance(types, case["inputs"]))
    ]
    assert cases, f"{family}: no single-row case to serve"

    lines = "".join(json.dumps(body) + "\n" for _, body in cases)
    model = FIXTURES / f"{family}.onnx"
    if family in REFUSED:
        refused = score(binary, model, lines)
        assert refused.returncode == 1, refused.stdout
        assert REFUSED[family] in refused.stderr, refused.stderr
        return
    if family in UNLABELLED:
        bare = score(binary, model, lines)
        assert bare.returncode == 1, bare.stdout
        assert "names no class labels" in bare.stderr, bare.stderr
        model = with_manifest(family, document, tmp_path / family)

    done = score(binary, model, lines)

    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(cases)
    member = "scores" if family in DECISION_SCORES else "probabilities"
    problems = []
    for (case, _), answer in zip(cases, answers, strict=True):
        want_label = str(case["outputs"][label_name]["values"][0])
        if family in POSITIONAL:
            want_label = str(expected_scores(case["outputs"][scores_name])[int(want_label)][0])
        if answer.get("label") != want_label:
            problems.append(f"{case['id']}: label {answer.get('label')!r}, want {want_label!r}")
        got = answer.get(member)
        if not isinstance(got, dict):
            problems.append(f"{case['id']}: no {member} in {answer}")
            continue
        want = expected_scores(case["outputs"][scores_name])
        assert len(got) == len(want), f"{case['id']}: {got} against {want}"
        for (key, value), (want_key, want_value) in zip(got.items(), want, strict=True):
            if want_key is not None and key != want_key:
                problems.append(f"{case['id']}: class {key!r} where {want_key!r} was expected")
            elif math.isnan(want_value):
                # The model cannot handle a missing value either under onnxruntime; JSON
                # says NaN as null.
                if value is not None:
                    problems.append(f"{case['id']}: {member}[{key}] = {value}, want NaN (null)")
            elif value is None or not close(value, want_value):
                problems.append(f"{case['id']}: {member}[{key}] = {value}, want {want_value}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])
