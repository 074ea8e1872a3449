"""Writing the bundle: staged in a sibling directory, then moved in with the manifest last."""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from predict_pack.errors import PackError


def sha256(content: bytes) -> str:
    """Lowercase hex SHA-256 of `content`."""
    return hashlib.sha256(content).hexdigest()


def stage(out: Path, contents: Mapping[str, bytes]) -> Path:
    """A new directory next to `out` holding `contents` (file name → bytes)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.pack-", dir=out.parent))
        for name, content in contents.items():
            with (staging / name).open("wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as error:
        raise PackError(f"cannot write next to {out}: {error}") from error
    return staging


def publish(staging: Path, out: Path, order: tuple[str, ...]) -> None:
    """Moves the staged files into `out` in `order`, each by an atomic rename.

    The manifest comes last: a reader that sees the new one also sees the files it names.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in order:
            (staging / name).replace(out / name)
    except OSError as error:
        raise PackError(f"cannot write {out}: {error}") from error
    finally:
        discard(staging)


def discard(staging: Path) -> None:
    """Removes a staging directory and whatever is left in it."""
    shutil.rmtree(staging, ignore_errors=True)


def read(path: Path) -> bytes:
    """The bytes of `path`, with a message that names it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise PackError(f"cannot read {path}: {error.strerror}") from error
