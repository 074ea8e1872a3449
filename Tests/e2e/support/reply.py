"""An answer as the tests see it, whichever protocol carried it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    """Status, headers (names lower-cased, repeated ones joined with ", ") and the raw body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @classmethod
    def from_pairs(cls, status: int, pairs: Iterable[tuple[str, str]], body: bytes) -> Reply:
        headers: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return cls(status, headers, body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-cased; empty when there is none."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def json(self) -> Any:
        """The parsed body; an AssertionError that shows the body when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise AssertionError(f"the body is not JSON ({error}): {self}") from None

    def __str__(self) -> str:
        preview = self.body[:400].decode("utf-8", "replace")
        more = "…" if len(self.body) > 400 else ""
        return f"HTTP {self.status} [{self.header('content-type')}] {preview}{more}"
