"""The worker binary's other faces: `check`, `score`, and `serve` with a model that cannot
load."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.golden_case import GoldenCase
from support.model_files import ModelFiles


def run(
    binary: Path, *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary), *args],
        check=False,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_bundle(model: ModelFiles, into: Path, onnx: bytes | None = None) -> Path:
    """The model directory copied into `into`; `onnx` replaces the graph, with the manifest's
    sha256 updated to match it so that the graph itself is what fails."""
    shutil.copytree(model.directory, into)
    if onnx is not None:
        manifest = json.loads((into / "model.json").read_text())
        (into / manifest.get("model_file", "model.onnx")).write_bytes(onnx)
        manifest["sha256"] = hashlib.sha256(onnx).hexdigest()
        (into / "model.json").write_text(json.dumps(manifest))
    return into


def graph(model: ModelFiles) -> bytes:
    return (model.directory / model.manifest.get("model_file", "model.onnx")).read_bytes()


def test_check_passes_on_the_shipped_model(binary: Path, model: ModelFiles) -> None:
    done = run(binary, "check", "--model", str(model.directory))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout, done.stdout


def test_check_fails_when_a_golden_case_disagrees(
    binary: Path, model: ModelFiles, tmp_path: Path
) -> None:
    bundle = copy_bundle(model, tmp_path / "bundle")
    lines = (bundle / "golden.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    first["expected"]["probabilities"] = {
        label: 1.0 - p for label, p in first["expected"]["probabilities"].items()
    }
    (bundle / "golden.jsonl").write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")

    done = run(binary, "check", "--model", str(bundle))

    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL" in done.stdout, done.stdout
    assert str(first["id"]) in done.stderr, done.stderr


def test_check_replays_golden_cases_given_for_a_bare_onnx_file(
    binary: Path, model: ModelFiles, tmp_path: Path
) -> None:
    bare = tmp_path / "candidate.onnx"
    bare.write_bytes(graph(model))
    # Without the manifest the classes keep the graph's own labels, "0" and "1", in the
    # manifest's order.
    names = {name: str(index) for index, name in enumerate(model.manifest["labels"])}
    golden = tmp_path / "golden.jsonl"
    with golden.open("w") as out:
        for line in (model.directory / "golden.jsonl").read_text().splitlines():
            case = json.loads(line)
            expected = case["expected"]
            expected["label"] = names[expected["label"]]
            expected["probabilities"] = {
                names[label]: p for label, p in expected["probabilities"].items()
            }
            out.write(json.dumps(case) + "\n")

    without = run(binary, "check", "--model", str(bare))
    given = run(binary, "check", "--model", str(bare), "--golden", str(golden))

    assert without.returncode == 1, without.stdout + without.stderr
    assert "no golden.jsonl" in without.stderr, without.stderr
    assert given.returncode == 0, given.stdout + given.stderr
    assert given.stdout.startswith("PASS candidate"), given.stdout
    assert f"{len(model.golden)}/{len(model.golden)} golden cases match" in given.stdout


def test_score_writes_one_answer_per_input_line(
    binary: Path, model: ModelFiles, tmp_path: Path
) -> None:
    cases = model.sample(20)
    source = tmp_path / "input.jsonl"
    source.write_text("".join(json.dumps(case.input) + "\n" for case in cases))

    done = run(binary, "score", "--model", str(model.directory), "--input", str(source))

    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(cases)
    mismatches = [p for c, a in zip(cases, answers, strict=True) if (p := c.mismatch(a))]
    assert not mismatches, "\n".join(mismatches)


def test_score_answers_a_bad_line_with_an_error_and_exits_1(
    binary: Path, model: ModelFiles, tmp_path: Path
) -> None:
    good: GoldenCase = model.golden[0]
    source = tmp_path / "input.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps(good.input),
                '{"agee": 41}',
                "{not json",
                json.dumps(good.input),
            ]
        )
        + "\n"
    )

    done = run(binary, "score", "--model", str(model.directory), "--input", str(source))

    assert done.returncode == 1, done.stdout + done.stderr
    first, unknown, malformed, last = (json.loads(line) for line in done.stdout.splitlines())
    assert good.mismatch(first) is None and good.mismatch(last) is None
    assert unknown["error"]["code"] == "unknown_field", unknown
    assert malformed["error"]["code"] == "malformed_json", malformed
    assert "line 2" in done.stderr and "line 3" in done.stderr, done.stderr


def test_score_reads_standard_input(binary: Path, model: ModelFiles) -> None:
    case = model.golden[0]

    done = run(binary, "score", "--model", str(model.directory), stdin=json.dumps(case.input))

    assert done.returncode == 0, done.stderr
    assert case.mismatch(json.loads(done.stdout)) is None


@pytest.mark.parametrize(
    "damage",
    ["truncated, stale checksum", "truncated", "empty", "noise", "manifest missing"],
)
def test_serve_with_a_model_that_cannot_load_exits_non_zero_with_the_reason(
    binary: Path, model: ModelFiles, tmp_path: Path, damage: str
) -> None:
    original = graph(model)
    if damage == "truncated, stale checksum":
        bundle = copy_bundle(model, tmp_path / "bundle")
        (bundle / "model.onnx").write_bytes(original[: len(original) // 2])
    else:
        replacement = {
            "truncated": original[: len(original) // 2],
            "empty": b"",
            "noise": os.urandom(len(original)),
            "manifest missing": original,
        }[damage]
        bundle = copy_bundle(model, tmp_path / "bundle", replacement)
        if damage == "manifest missing":
            (bundle / "model.json").unlink()
    socket_path = tmp_path / "worker.sock"

    try:
        done = run(
            binary,
            "serve",
            "--model",
            str(bundle),
            "--socket",
            str(socket_path),
            timeout=15,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker is serving a {damage} model instead of exiting")

    assert done.returncode > 0, f"exit {done.returncode}: {done.stderr}"
    assert str(bundle) in done.stderr, done.stderr
    assert not socket_path.exists(), "the worker listened before its model loaded"
