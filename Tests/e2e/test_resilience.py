"""A burst of hostile requests leaves the worker alive (same pid) and answering correctly."""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from support import expect
from support.fastcgi import BEGIN_REQUEST, FastCGIConnection, predict_params, record
from support.golden_case import GoldenCase
from support.http_client import HttpClient
from support.model_files import ModelFiles
from support.stack import Stack

NEST = 200_000  # bytes of nesting: far deeper than any parser limit, within nginx's 1 MiB


def hostile_bodies(example: dict[str, Any]) -> list[tuple[str, bytes, int]]:
    """(name, body, expected status) of bodies meant to break a parser or a decoder; status
    0 accepts a 200 or a 400 (JSON allows what the model may still refuse)."""
    valid = json.dumps(example).encode()

    def replacing(field: str, raw: bytes) -> bytes:
        return json.dumps({**example, field: "@"}).encode().replace(b'"@"', raw)

    return [
        ("deep arrays", b"[" * NEST, 400),
        ("deep balanced arrays", b"[" * (NEST // 2) + b"]" * (NEST // 2), 400),
        ("deep objects", b'{"a":' * (NEST // 5), 400),
        ("deep arrays in a feature", replacing("age", b"[" * NEST), 400),
        ("a 300k-digit number", replacing("age", b"1" + b"0" * 300_000), 400),
        ("a 300k-digit decimal", replacing("age", b"41." + b"0" * 300_000), 0),
        ("a huge exponent", replacing("age", b"1e99999999999999999999"), 400),
        ("a 500 KB category", replacing("job", b'"' + b"x" * 500_000 + b'"'), 200),
        ("50k unknown members", b"{" + b",".join(b'"k%d":1' % i for i in range(50_000)) + b"}", 400),
        ("invalid UTF-8 in a key", valid.replace(b'"job"', b'"j\xffb"'), 400),
        ("overlong UTF-8", replacing("job", b'"\xc0\xaf"'), 400),
        ("UTF-8 surrogate", replacing("job", b'"\xed\xa0\x80"'), 400),
        ("truncated UTF-8", replacing("job", b'"\xe2\x82"'), 400),
        ("lone surrogate escape", replacing("job", b'"\\ud800"'), 0),
        ("bad escape", replacing("job", b'"\\x41"'), 400),
        ("NUL bytes", b"\0" * 1000, 400),
        ("binary noise", os.urandom(4096), 400),
        ("truncated JSON", valid[: len(valid) // 2], 400),
        ("a bare minus", replacing("age", b"-"), 400),
        ("wrong types everywhere", json.dumps({k: [k] for k in example}).encode(), 400),
    ]  # fmt: skip


def test_the_worker_survives_a_burst_of_bad_requests(
    stack: Stack,
    client: HttpClient,
    model: ModelFiles,
    example: dict[str, Any],
    golden_sample: list[GoldenCase],
) -> None:
    pid = stack.worker_pid
    failures = []

    for name, body, status in hostile_bodies(example):
        reply = client.post_json("/predict", body)
        allowed = (200, 400) if status == 0 else (status,)
        if reply.status not in allowed:
            failures.append(f"{name}: expected {status or allowed}, got {reply}")
            continue
        try:
            if reply.status == 400:
                expect.error_document(reply)
            else:
                expect.prediction(reply.json, model.labels)
        except AssertionError as error:
            failures.append(f"{name}: {error}")
    _send_truncated_http(client)
    _send_broken_fastcgi(stack.socket_path, json.dumps(example).encode())

    assert not failures, "\n".join(failures)
    assert stack.worker_pid == pid
    os.kill(pid, 0)  # still running
    assert client.get("/health").status == 200
    mismatches = [
        problem
        for case in golden_sample[:10]
        if (problem := case.mismatch(client.post_json("/predict", case.input).json))
    ]
    assert not mismatches, "\n".join(mismatches) + "\n" + stack.diagnostics()


def _send_truncated_http(client: HttpClient) -> None:
    """Clients that declare more than they send and give up: nginx sees them, not the
    worker, and may close without an answer; any answer it gives must not be a 5xx."""
    for declared, sent in ((500, 100), (100_000, 99_999), (10, 0)):
        request = (
            b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % declared
        ) + b"{" * sent
        reply = client.raw(request, half_close=True)
        assert reply is None or reply.status < 500, reply


def _send_broken_fastcgi(socket_path: str, body: bytes) -> None:
    """Peers that break the FastCGI conversation at every step, straight to the worker."""
    # Connect and vanish.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(socket_path)
    # Garbage instead of records.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(socket_path)
        sock.sendall(os.urandom(512))
    # A BEGIN_REQUEST cut short.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(socket_path)
        sock.sendall(record(BEGIN_REQUEST, b"\0\1\0\0\0\0\0\0")[:11])
    # Parameters, then part of the body, then gone.
    with FastCGIConnection(socket_path) as connection:
        connection.begin(predict_params(len(body)))
        connection.send_body(body[:10])
    # Parameters, then the peer stops reading the answer and goes away.
    with FastCGIConnection(socket_path) as connection:
        connection.begin(predict_params(len(body)))
        connection.send_body(body, end=True)
