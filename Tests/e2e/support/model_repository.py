"""Model repositories for `serve --models DIR`: copies of models/bank-marketing that differ in
their manifest's name and version (and so serve the same predictions under another name)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BANK_MARKETING = REPO / "models" / "bank-marketing"


def add_model(root: Path, name: str, version: str, directory: str | None = None) -> Path:
    """DIR/<directory or name>: bank-marketing's files with this name and version."""
    target = root / (directory or name)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BANK_MARKETING, target)
    manifest_path = target / "model.json"
    manifest = json.loads(manifest_path.read_text())
    manifest.update(name=name, version=version)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def make_repository(root: Path, models: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, version in models.items():
        add_model(root, name, version)
    return root


def break_golden(directory: Path) -> None:
    """Flips the expected label of the first golden case: the reload gate must refuse it."""
    path = directory / "golden.jsonl"
    lines = path.read_text().splitlines()
    case = json.loads(lines[0])
    case["expected"]["label"] = "yes" if case["expected"]["label"] == "no" else "no"
    lines[0] = json.dumps(case)
    path.write_text("\n".join(lines) + "\n")


def add_key(binary: Path, keys_file: Path, name: str) -> str:
    """`predict-fcgi keys add NAME --file FILE`: the new key, printed once."""
    done = subprocess.run(
        [str(binary), "keys", "add", name, "--file", str(keys_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()
