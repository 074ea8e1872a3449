"""A model repository: `serve --models DIR` through nginx, its routes, and SIGHUP reloads
that gate each model on its own."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

from support import expect
from support.model_repository import add_model, break_golden, make_repository
from support.stack import Stack, StackFactory


def start(make_stack: StackFactory, root: Path) -> Stack:
    return make_stack(PREDICT_MODELS=str(root), PREDICT_DEFAULT_MODEL="alpha")


def reload(stack: Stack, timeout: float = 10.0) -> None:
    """SIGHUP, then wait for the worker's "reload finished": the new models serve from then on."""
    before = stack.worker_log().count("reload finished")
    os.kill(stack.worker_pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while stack.worker_log().count("reload finished") <= before:
        assert time.monotonic() < deadline, f"no reload after SIGHUP:\n{stack.diagnostics()}"
        time.sleep(0.05)


def versions(stack: Stack) -> dict[str, Any]:
    reply = stack.client.get("/models")
    assert reply.status == 200, reply
    return {model["name"]: model["version"] for model in reply.json["models"]}


def test_every_model_served_by_name_and_default(
    make_stack: StackFactory, tmp_path: Path, example: dict[str, Any]
) -> None:
    stack = start(
        make_stack, make_repository(tmp_path / "repo", {"alpha": "1.0.0", "beta": "2.0.0"})
    )
    listing = stack.client.get("/models").json
    assert listing["default"] == "alpha"
    assert [m["name"] for m in listing["models"]] == ["alpha", "beta"]
    default = stack.client.post_json("/predict", example).json
    beta = stack.client.post_json("/models/beta/predict", example).json
    assert default["model"] == {"name": "alpha", "version": "1.0.0"}
    assert beta["model"] == {"name": "beta", "version": "2.0.0"}
    assert beta["probabilities"] == default["probabilities"]
    batch = stack.client.post_json("/models/beta/predict", {"instances": [example] * 3}).json
    assert [p["probabilities"] for p in batch["predictions"]] == [default["probabilities"]] * 3
    assert stack.client.get("/models/beta").json["version"] == "2.0.0"
    expect.error(stack.client.post_json("/models/gamma/predict", example), 404, "model_not_found")
    expect.error(stack.client.get("/models/beta/predict"), 405, "method_not_allowed")


def test_reload_gates_each_model_on_its_own(
    make_stack: StackFactory, tmp_path: Path, example: dict[str, Any]
) -> None:
    root = make_repository(tmp_path / "repo", {"alpha": "1.0.0", "beta": "1.0.0", "gone": "1.0.0"})
    stack = start(make_stack, root)
    pid = stack.worker_pid
    add_model(root, "alpha", "1.1.0")
    add_model(root, "beta", "2.0.0")
    break_golden(root / "beta")
    add_model(root, "gamma", "1.0.0")
    shutil.rmtree(root / "gone")
    reload(stack)

    assert versions(stack) == {"alpha": "1.1.0", "beta": "1.0.0", "gamma": "1.0.0"}
    log = stack.worker_log()
    assert "reload refused" in log and "golden cases mismatch" in log
    assert (
        stack.client.post_json("/models/beta/predict", example).json["model"]["version"] == "1.0.0"
    )
    assert stack.client.post_json("/models/gamma/predict", example).status == 200
    expect.error(stack.client.post_json("/models/gone/predict", example), 404, "model_not_found")
    assert stack.worker_pid == pid

    # The fixed model passes the gate at the next reload.
    add_model(root, "beta", "2.0.1")
    reload(stack)
    assert versions(stack)["beta"] == "2.0.1"


def test_default_model_cannot_be_removed(make_stack: StackFactory, tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo", {"alpha": "1.0.0", "beta": "1.0.0"})
    stack = start(make_stack, root)
    shutil.rmtree(root / "alpha")
    reload(stack)
    assert stack.client.get("/health").json["model"] == {"name": "alpha", "version": "1.0.0"}


def test_several_models_need_a_default(binary: Path, tmp_path: Path) -> None:
    import subprocess

    root = make_repository(tmp_path / "repo", {"alpha": "1.0.0", "beta": "1.0.0"})
    done = subprocess.run(
        [str(binary), "serve", "--models", str(root), "--socket", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert "--default-model" in done.stderr


def test_check_gates_every_model(binary: Path, tmp_path: Path) -> None:
    import subprocess

    root = make_repository(tmp_path / "repo", {"alpha": "1.0.0", "beta": "1.0.0"})
    ok = subprocess.run(
        [str(binary), "check", "--models", str(root)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("PASS") == 2
    break_golden(root / "beta")
    bad = subprocess.run(
        [str(binary), "check", "--models", str(root)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "PASS alpha" in bad.stdout and "FAIL beta" in bad.stdout
