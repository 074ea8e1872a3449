"""What the suite knows of the served model: its manifest and its golden cases, read from
the model directory at test time so no expected number is written into a test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.golden_case import GoldenCase


@dataclass(frozen=True)
class ModelFiles:
    directory: Path
    manifest: dict[str, Any]
    golden: list[GoldenCase]

    @classmethod
    def load(cls, directory: Path) -> ModelFiles:
        """Raises FileNotFoundError naming the missing file."""
        manifest = json.loads((directory / "model.json").read_text())
        lines = (directory / "golden.jsonl").read_text().splitlines()
        golden = [GoldenCase.from_line(json.loads(line)) for line in lines if line.strip()]
        return cls(directory, manifest, golden)

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def version(self) -> str:
        return self.manifest["version"]

    @property
    def identity(self) -> dict[str, str]:
        """The `model` member of every answer."""
        return {"name": self.name, "version": self.version}

    @property
    def labels(self) -> list[str]:
        return list(self.manifest["labels"])

    def feature(self, name: str) -> dict[str, Any]:
        return next(f for f in self.manifest["features"] if f["name"] == name)

    def features_of(self, kind: str) -> list[dict[str, Any]]:
        """The features of type `number` or `category`, in manifest order."""
        return [f for f in self.manifest["features"] if f["type"] == kind]

    def sample(self, count: int) -> list[GoldenCase]:
        """`count` cases spread evenly over the file, with every label it holds represented."""
        cases = self.golden
        if len(cases) <= count:
            return list(cases)
        chosen = [cases[i * len(cases) // count] for i in range(count)]
        missing = sorted({case.label for case in cases} - {case.label for case in chosen})
        for position, label in enumerate(missing, start=1):
            chosen[-position] = next(case for case in cases if case.label == label)
        return chosen
