"""Every error class of the API: status, code, field, JSON body and, for 405, `Allow`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from support import expect
from support.fastcgi import FastCGIConnection, predict_params
from support.http_client import HttpClient
from support.model_files import ModelFiles
from support.stack import Stack

Body = bytes | Any


def with_raw(example: dict[str, Any], field: str, raw: str | bytes) -> bytes:
    """The example as JSON with `field`'s value replaced by `raw` JSON text, for what
    json.dumps cannot write (NaN, 1e999, duplicates, invalid UTF-8)."""
    text = json.dumps({**example, field: "@RAW@"}).encode()
    return text.replace(b'"@RAW@"', raw if isinstance(raw, bytes) else raw.encode())


def without(example: dict[str, Any], field: str) -> dict[str, Any]:
    return {k: v for k, v in example.items() if k != field}


def batch(example: dict[str, Any], fourth: Body) -> dict[str, Any]:
    """Four instances whose last one, `instances[3]`, is `fourth`."""
    return {"instances": [example, example, example, fourth]}


# (id, body from the example client, code, field); every one is a 400.
BAD_BODIES: list[tuple[str, Callable[[dict[str, Any]], Body], str, str | None]] = [
    ("unterminated", lambda e: json.dumps(e)[:-1], "malformed_json", None),
    ("whitespace only", lambda e: b"  \n ", "malformed_json", None),
    ("trailing garbage", lambda e: json.dumps(e) + " x", "malformed_json", None),
    ("two documents", lambda e: json.dumps(e) * 2, "malformed_json", None),
    ("trailing comma", lambda e: json.dumps(e)[:-1] + ",}", "malformed_json", None),
    ("single quotes", lambda e: b"{'age': 41}", "malformed_json", None),
    ("NaN literal", lambda e: with_raw(e, "age", "NaN"), "malformed_json", None),
    ("Infinity literal", lambda e: with_raw(e, "age", "Infinity"), "malformed_json", None),
    ("leading zero", lambda e: with_raw(e, "age", "041"), "malformed_json", None),
    ("raw newline in a string", lambda e: with_raw(e, "job", '"a\nb"'), "malformed_json", None),
    ("invalid UTF-8", lambda e: with_raw(e, "job", b'"\xff\xfe"'), "malformed_json", None),
    ("an array", lambda e: [e], "invalid_body", None),
    ("a string", lambda e: '"age"', "invalid_body", None),
    ("a number", lambda e: b"41", "invalid_body", None),
    ("null", lambda e: b"null", "invalid_body", None),
    ("instances not an array", lambda e: {"instances": e}, "invalid_body", "instances"),
    ("instances empty", lambda e: {"instances": []}, "invalid_body", "instances"),
    ("instance not an object", lambda e: batch(e, [1]), "invalid_body", "instances[3]"),
    ("missing number", lambda e: without(e, "age"), "missing_field", "age"),
    ("missing category", lambda e: without(e, "job"), "missing_field", "job"),
    ("missing in a batch", lambda e: batch(e, without(e, "age")), "missing_field", "instances[3].age"),
    ("null number", lambda e: {**e, "age": None}, "null_value", "age"),
    ("null category", lambda e: {**e, "job": None}, "null_value", "job"),
    ("string for a number", lambda e: {**e, "age": "41"}, "wrong_type", "age"),
    ("bool for a number", lambda e: {**e, "age": True}, "wrong_type", "age"),
    ("array for a number", lambda e: {**e, "age": [41]}, "wrong_type", "age"),
    ("number for a category", lambda e: {**e, "job": 3}, "wrong_type", "job"),
    ("bool for a category", lambda e: {**e, "job": False}, "wrong_type", "job"),
    ("object for a category", lambda e: {**e, "job": {}}, "wrong_type", "job"),
    ("wrong type in a batch", lambda e: batch(e, {**e, "age": "x"}), "wrong_type", "instances[3].age"),
    ("1e999", lambda e: with_raw(e, "age", "1e999"), "non_finite_number", "age"),
    ("-1e999", lambda e: with_raw(e, "balance", "-1e999"), "non_finite_number", "balance"),
    ("typo", lambda e: {**e, "agee": 41}, "unknown_field", "agee"),
    ("extra field", lambda e: {**e, "customer_id": "c-1"}, "unknown_field", "customer_id"),
    ("typo in a batch", lambda e: batch(e, {**e, "agee": 1}), "unknown_field", "instances[3].agee"),
    ("duplicate", lambda e: with_raw(e, "age", '41, "age": 42'), "duplicate_field", "age"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make_body", "code", "field"),
    [pytest.param(make, code, field, id=name) for name, make, code, field in BAD_BODIES],
)
def test_a_bad_body_is_refused_with_a_json_error(
    client: HttpClient,
    model: ModelFiles,
    example: dict[str, Any],
    make_body: Callable[[dict[str, Any]], Body],
    code: str,
    field: str | None,
) -> None:
    if code == "null_value" and model.feature(field or "").get("nullable"):
        pytest.skip(f"{field} is nullable in model.json")

    reply = client.post_json("/predict", make_body(example))

    expect.error(reply, 400, code, field)


def test_an_empty_object_names_the_first_required_feature(
    client: HttpClient, model: ModelFiles
) -> None:
    first = next(f["name"] for f in model.manifest["features"] if not f.get("nullable"))

    reply = client.post_json("/predict", {})

    expect.error(reply, 400, "missing_field", first)


def test_a_misspelt_feature_is_answered_with_a_suggestion(
    client: HttpClient, example: dict[str, Any]
) -> None:
    body = without(example, "age") | {"agee": example["age"]}

    detail = expect.error(client.post_json("/predict", body), 400, "unknown_field", "agee")

    assert "did you mean 'age'" in detail["message"], detail


@pytest.mark.parametrize("path", ["/nope", "/predict/", "/predictions", "/health/x", "/ui/x"])
def test_an_unknown_route_is_not_found(client: HttpClient, path: str) -> None:
    expect.error(client.get(path), 404, "not_found", None)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/predict", "POST"),
        ("PUT", "/predict", "POST"),
        ("DELETE", "/predict", "POST"),
        ("POST", "/health", "GET, HEAD"),
        ("POST", "/model", "GET, HEAD"),
        ("DELETE", "/model", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_refused_with_allow(
    client: HttpClient, method: str, path: str, allow: str
) -> None:
    body = b"{}" if method in ("POST", "PUT") else None
    headers = {"Content-Type": "application/json"} if body else {}

    reply = client.request(method, path, body, headers)

    expect.error(reply, 405, "method_not_allowed", None)
    assert reply.header("allow") == allow, reply.headers


def test_a_post_with_an_empty_body_needs_a_length(client: HttpClient) -> None:
    expect.error(client.post_json("/predict", b""), 411, "length_required", None)


def test_a_post_without_content_length_needs_a_length(client: HttpClient) -> None:
    request = (
        b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\n\r\n"
    )

    reply = client.raw(request)

    assert reply is not None
    expect.error(reply, 411, "length_required", None)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        None,
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/json",
        "application/jsonl",
    ],
)
def test_a_body_that_is_not_declared_json_is_refused(
    client: HttpClient, example: dict[str, Any], content_type: str | None
) -> None:
    reply = client.post_json("/predict", example, content_type=content_type)

    expect.error(reply, 415, "unsupported_media_type", None)


def test_a_batch_over_the_limit_is_refused(client: HttpClient, example: dict[str, Any]) -> None:
    reply = client.post_json("/predict", {"instances": [example] * 1001})

    expect.error(reply, 413, "batch_too_large", "instances")


def test_nginx_refuses_a_body_over_one_mebibyte_as_json(
    client: HttpClient, example: dict[str, Any]
) -> None:
    body = json.dumps(example).encode().ljust((1 << 20) + 1024)

    reply = client.post_json("/predict", body)

    expect.error(reply, 413, "payload_too_large", None)


def test_nginx_refuses_a_declared_length_over_the_limit_before_the_body(
    client: HttpClient,
) -> None:
    request = (
        b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 5000000\r\nConnection: close\r\n\r\n"
    )

    reply = client.raw(request)

    assert reply is not None
    expect.error(reply, 413, "payload_too_large", None)


def test_the_worker_refuses_a_body_over_its_own_limit(
    small_body_stack: Stack, example: dict[str, Any]
) -> None:
    body = json.dumps(example).encode().ljust(5000)

    reply = small_body_stack.client.post_json("/predict", body)

    expect.error(reply, 413, "payload_too_large", None)


def test_the_worker_accepts_a_body_of_exactly_its_limit(
    small_body_stack: Stack, model: ModelFiles, example: dict[str, Any]
) -> None:
    body = json.dumps(example).encode()
    client = small_body_stack.client

    at_limit = client.post_json("/predict", body.ljust(4096))
    over = client.post_json("/predict", body.ljust(4097))

    assert at_limit.status == 200, at_limit
    expect.prediction(at_limit.json, model.labels)
    expect.error(over, 413, "payload_too_large", None)


def test_a_body_shorter_than_its_content_length_is_invalid(
    stack: Stack, example: dict[str, Any]
) -> None:
    body = json.dumps(example).encode()
    # nginx never forwards a short body, so this speaks FastCGI to the worker directly.
    with FastCGIConnection(stack.socket_path) as connection:
        reply = connection.request(predict_params(len(body) + 100), body)

    expect.error(reply, 400, "invalid_body", None)


def test_the_worker_without_a_content_type_refuses_the_body(
    stack: Stack, example: dict[str, Any]
) -> None:
    body = json.dumps(example).encode()
    params = predict_params(len(body))
    del params["CONTENT_TYPE"]
    with FastCGIConnection(stack.socket_path) as connection:
        reply = connection.request(params, body)

    expect.error(reply, 415, "unsupported_media_type", None)
