"""Reading the data sample: CSV with its separator detected, or Parquet."""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from predict_pack import files
from predict_pack.errors import PackError

SEPARATORS = ",;\t|"
PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class Sample:
    """The rows read, where from, and the file's hash for the manifest."""

    frame: pd.DataFrame
    path: Path
    sha256: str


def read(path: Path) -> Sample:
    """Reads `path` as Parquet (by its magic bytes or suffix) or as CSV."""
    raw = files.read(path)
    try:
        if raw[:4] == PARQUET_MAGIC or path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, sep=separator(raw, path))
    except (ValueError, OSError, ImportError) as error:
        raise PackError(f"cannot read the data file {path}: {error}") from error
    if frame.empty:
        raise PackError(f"{path}: expected rows of data, found none")
    return Sample(frame=frame, path=path, sha256=hashlib.sha256(raw).hexdigest())


def separator(raw: bytes, path: Path) -> str:
    """The field separator of a CSV file, sniffed from its first lines.

    Quoted fields may hold any separator, so the sniffer decides; a header of one column is
    accepted only when none of the candidate separators occurs in it.
    """
    head = raw[:65536].decode("utf-8", errors="replace")
    lines = head.splitlines()
    if len(lines) > 1 and not head.endswith("\n"):
        lines = lines[:-1]
    text = "\n".join(lines[:50])
    try:
        return csv.Sniffer().sniff(text, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {candidate: header.count(candidate) for candidate in SEPARATORS}
        best = max(counts, key=lambda candidate: counts[candidate])
        if counts[best] == 0:
            return ","
        if any(line.count(best) != counts[best] for line in lines[1:]):
            raise PackError(
                f"{path}: expected one of the separators {list(SEPARATORS)} in every line, "
                f"found rows with different field counts"
            ) from None
        return best
