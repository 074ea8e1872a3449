"""Writing bundle files so a watching server never reads a half-written one."""

import hashlib
import os
from pathlib import Path

from bank_marketing.errors import TrainingError


def sha256(content: bytes) -> str:
    """Lowercase hex SHA-256 of `content`."""
    return hashlib.sha256(content).hexdigest()


def directory(path: Path) -> None:
    """Creates `path` and its parents unless they exist."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TrainingError(f"cannot create the directory {path}: {error.strerror}") from error


def write(path: Path, content: bytes) -> None:
    """Replaces `path` atomically: write a sibling temporary file, then rename it over."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise TrainingError(f"cannot write {path}: {error.strerror}") from error


def read(path: Path) -> bytes:
    """The bytes of `path`, with a message that names it when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise TrainingError(f"cannot read {path}: {error.strerror}") from error
