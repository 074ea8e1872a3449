"""The Swift worker's own gate, `predict-fcgi check --model DIR`, run on the staged bundle."""

import os
import subprocess
from pathlib import Path

from predict_pack.errors import PackError

# training/predict_pack/check.py → the repository root.
REPOSITORY = Path(__file__).resolve().parents[2]
TIMEOUT = 300


def binary() -> Path | None:
    """`PREDICT_BIN`, else `<repository>/.build/release/predict-fcgi`, when it exists."""
    configured = os.environ.get("PREDICT_BIN", "").strip()
    path = Path(configured) if configured else REPOSITORY / ".build" / "release" / "predict-fcgi"
    return path if path.is_file() and os.access(path, os.X_OK) else None


def run(directory: Path) -> str | None:
    """The worker's verdict on `directory`; None when there is no binary to ask.

    Raises `PackError` with the worker's output when the check fails.
    """
    worker = binary()
    if worker is None:
        return None
    try:
        done = subprocess.run(
            [str(worker), "check", "--model", str(directory)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PackError(f"cannot run {worker} check: {error}") from error
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise PackError(
            f"refusing to write the bundle: {worker} check failed (exit {done.returncode}):\n"
            f"{output}"
        )
    return output
