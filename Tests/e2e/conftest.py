"""Fixtures of the end-to-end suite.

`stack` is one nginx + worker pair for the whole session, started by scripts/stack on a free
port; `make_stack` starts more with special settings and stops them after the test. Every
expectation about predictions comes from models/bank-marketing (model.json, golden.jsonl).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.golden_case import GoldenCase
from support.http_client import HttpClient
from support.model_files import ModelFiles
from support.model_repository import add_key, make_repository
from support.stack import Stack, StackError, StackFactory

REPO = Path(__file__).resolve().parents[2]
MODEL_DIR = REPO / "models" / "bank-marketing"
GOLDEN_SAMPLE_SIZE = 50


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def binary() -> Path:
    """The worker: $PREDICT_BIN, else the release build."""
    path = Path(os.environ.get("PREDICT_BIN") or REPO / ".build/release/predict-fcgi")
    if not os.access(path, os.X_OK):
        pytest.fail(
            f"no worker binary at {path}; build it with "
            "`swift build -c release --product predict-fcgi` or set PREDICT_BIN",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def model() -> ModelFiles:
    try:
        return ModelFiles.load(MODEL_DIR)
    except FileNotFoundError as error:
        pytest.fail(f"the model bundle is incomplete: {error} (run `make model`)", pytrace=False)


@pytest.fixture(scope="session")
def example() -> dict[str, Any]:
    """examples/client.json: one valid client."""
    return json.loads((REPO / "examples" / "client.json").read_text())


@pytest.fixture(scope="session")
def golden_sample(model: ModelFiles) -> list[GoldenCase]:
    return model.sample(GOLDEN_SAMPLE_SIZE)


def _start(binary: Path, settings: dict[str, str]) -> Stack:
    stack = Stack(REPO, binary, MODEL_DIR, settings)
    try:
        stack.start()
    except StackError as error:
        _stop(stack)
        pytest.fail(str(error), pytrace=False)
    return stack


def _stop(stack: Stack) -> None:
    try:
        stack.stop()
    finally:
        stack.remove()


@pytest.fixture(scope="session")
def stack(binary: Path, model: ModelFiles) -> Iterator[Stack]:
    started = _start(binary, {})
    try:
        yield started
    finally:
        _stop(started)


@pytest.fixture(scope="session")
def client(stack: Stack) -> HttpClient:
    return stack.client


@pytest.fixture
def make_stack(binary: Path, model: ModelFiles) -> Iterator[StackFactory]:
    """`make_stack(**settings)`, e.g. `make_stack(PREDICT_THREADS="2")`: a started stack of
    its own, stopped when the test ends."""
    started: list[Stack] = []

    def factory(**settings: str) -> Stack:
        started.append(_start(binary, settings))
        return started[-1]

    try:
        yield factory
    finally:
        for each in started:
            _stop(each)


@pytest.fixture(scope="module")
def small_body_stack(binary: Path, model: ModelFiles) -> Iterator[Stack]:
    """A stack whose worker accepts bodies of at most 4096 bytes."""
    started = _start(binary, {"PREDICT_MAX_BODY_BYTES": "4096"})
    try:
        yield started
    finally:
        _stop(started)


@dataclass
class KeyedStack:
    """A stack serving a repository (`alpha`, the default, and `beta`, both bank-marketing)
    with API keys required: `keys` maps each client name to its key."""

    stack: Stack
    keys: dict[str, str]
    keys_file: Path
    repository: Path

    def auth(self, name: str = "alice") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}


@pytest.fixture(scope="module")
def keyed_stack(binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeyedStack]:
    scratch = tmp_path_factory.mktemp("keyed")
    repository = make_repository(scratch / "models", {"alpha": "1.0.0", "beta": "2.0.0"})
    keys_file = scratch / "api-keys"
    keys = {name: add_key(binary, keys_file, name) for name in ("alice", "bob")}
    started = _start(
        binary,
        {
            "PREDICT_MODELS": str(repository),
            "PREDICT_DEFAULT_MODEL": "alpha",
            "PREDICT_API_KEYS": str(keys_file),
            "PREDICT_LOG_LEVEL": "debug",
        },
    )
    try:
        yield KeyedStack(started, keys, keys_file, repository)
    finally:
        _stop(started)
