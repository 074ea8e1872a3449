"""Fixtures of the packer's suite: fitted models of each family packed by `predict-pack`, and
one local nginx + worker stack (scripts/stack) serving all of them.

Run with the training virtualenv: `training/.venv/bin/python -m pytest -q Tests/pack`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "e2e"))  # the e2e suite's stack driver
sys.path.insert(0, str(REPO / "training"))

from families import FAMILIES, Family, Fitted  # noqa: E402
from support.stack import Stack, StackError  # noqa: E402

PACKER = Path(sys.executable).parent / "predict-pack"


@pytest.fixture(scope="session")
def binary() -> Path:
    path = Path(os.environ.get("PREDICT_BIN") or REPO / ".build/release/predict-fcgi")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no worker binary at {path}; run `make build`", pytrace=False)
    return path


def pack(
    model: Path, data: Path, name: str, out: Path, binary: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """`predict-pack` as a user runs it, with the worker's `check` at the end."""
    return subprocess.run(
        [str(PACKER), "--model", str(model), "--data", str(data), "--name", name]
        + ["--out", str(out), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "PREDICT_BIN": str(binary)},
        check=False,
    )


@pytest.fixture(scope="session")
def fitted(tmp_path_factory: pytest.TempPathFactory, binary: Path) -> dict[str, Fitted]:
    """Every family fitted, saved with joblib, and packed into one repository."""
    scratch = tmp_path_factory.mktemp("pack")
    repository = scratch / "models"
    found: dict[str, Fitted] = {}
    for family in FAMILIES:
        each = family.fit(scratch)
        done = pack(
            each.model_file,
            each.data_file,
            family.name,
            repository / family.name,
            binary,
            *(("--target", each.target) if each.target else ()),
        )
        if done.returncode != 0:
            pytest.fail(f"packing {family.name} failed:\n{done.stdout}{done.stderr}", pytrace=False)
        assert "check: PASS" in done.stdout or "PASS" in done.stdout, done.stdout
        found[family.name] = each
    return found


@pytest.fixture(scope="session")
def repository(fitted: dict[str, Fitted]) -> Path:
    return next(iter(fitted.values())).model_file.parent / "models"


@pytest.fixture(scope="session")
def stack(binary: Path, repository: Path, fitted: dict[str, Fitted]) -> Iterator[Stack]:
    started = Stack(
        REPO,
        binary,
        repository / FAMILIES[0].name,
        {"PREDICT_MODELS": str(repository), "PREDICT_DEFAULT_MODEL": FAMILIES[0].name},
    )
    try:
        started.start()
    except StackError as error:
        started.stop()
        started.remove()
        pytest.fail(str(error), pytrace=False)
    try:
        yield started
    finally:
        started.stop()
        started.remove()


__all__ = ["Family"]
