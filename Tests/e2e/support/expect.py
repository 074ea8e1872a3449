"""Assertions on the shapes the API promises, shared by the test files."""

from __future__ import annotations

import math
from typing import Any

from support.reply import Reply


def error(reply: Reply, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """`reply` is the JSON error `{"error": {"code", "message", "field"}}` with this status,
    code and field (None: JSON null); returns the error object."""
    assert reply.status == status, f"expected {status} {code}, got {reply}"
    detail = error_document(reply)
    assert detail["code"] == code, f"expected code {code}, got {reply}"
    assert detail["field"] == field, f"expected field {field!r}, got {reply}"
    return detail


def error_document(reply: Reply) -> dict[str, Any]:
    """`reply` has the JSON error shape, whatever its status and code; returns the error
    object."""
    assert reply.media_type == "application/json", f"not JSON: {reply}"
    document = reply.json
    assert isinstance(document, dict) and set(document) == {"error"}, f"not an error: {reply}"
    detail = document["error"]
    assert set(detail) == {"code", "message", "field"}, f"error members: {reply}"
    assert isinstance(detail["code"], str) and detail["code"], f"no code: {reply}"
    assert detail["field"] is None or isinstance(detail["field"], str), f"field: {reply}"
    assert isinstance(detail["message"], str) and detail["message"], f"no message: {reply}"
    return detail


def prediction(answer: Any, labels: list[str]) -> None:
    """One prediction: a label among `labels`, one probability per label summing to 1 whose
    largest is the label's, and a list of warnings."""
    assert isinstance(answer, dict), answer
    assert answer["label"] in labels, answer
    probabilities = answer["probabilities"]
    assert set(probabilities) == set(labels), f"probabilities not keyed by {labels}: {answer}"
    assert all(0.0 <= p <= 1.0 for p in probabilities.values()), answer
    assert math.isclose(sum(probabilities.values()), 1.0, abs_tol=1e-6), answer
    assert probabilities[answer["label"]] == max(probabilities.values()), answer
    assert isinstance(answer["warnings"], list), answer


def warnings_of(answer: dict[str, Any], code: str) -> list[dict[str, Any]]:
    """The warnings with `code`, each checked to have exactly code, field and message."""
    found = [w for w in answer["warnings"] if w.get("code") == code]
    for warning in found:
        assert set(warning) == {"code", "field", "message"}, warning
        assert isinstance(warning["message"], str) and warning["message"], warning
    return found
