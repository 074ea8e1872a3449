"""Requests that nginx refuses itself, before the worker sees them, and the JSON error each
must get (nginx/json-errors.conf): one table for the local stack and the production site."""

from __future__ import annotations

from dataclasses import dataclass

LONG = b"a" * 9000  # over large_client_header_buffers' 8 KiB, in a URI or a header line


@dataclass(frozen=True)
class Refusal:
    """A raw HTTP/1.1 request, the status and code of its answer, and the Allow header a 405
    must carry (None: no Allow header)."""

    id: str
    request: bytes
    status: int
    code: str
    allow: str | None = None


def request(line: bytes, *headers: bytes) -> bytes:
    return (
        line + b"\r\nHost: predict.example\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"
    )


REFUSALS = [
    Refusal("TRACE", request(b"TRACE / HTTP/1.1"), 405, "method_not_allowed", "GET, HEAD"),
    Refusal(
        "TRACE on /predict", request(b"TRACE /predict HTTP/1.1"), 405, "method_not_allowed", "POST"
    ),
    Refusal(
        "TRACE on a model's predict",
        request(b"TRACE /models/bank-marketing/predict?x=1 HTTP/1.1"),
        405,
        "method_not_allowed",
        "POST",
    ),
    Refusal("CONNECT", request(b"CONNECT predict.example:443 HTTP/1.1"), 400, "bad_request"),
    Refusal("URI over 8 KiB", request(b"GET /" + LONG + b" HTTP/1.1"), 414, "uri_too_long"),
    Refusal(
        "header over 8 KiB",
        request(b"GET /health HTTP/1.1", b"X-Big: " + LONG),
        400,
        "header_too_large",
    ),
    Refusal(
        "HTTP/2.0 request line", request(b"GET /health HTTP/2.0"), 505, "http_version_not_supported"
    ),
    Refusal(
        "Transfer-Encoding gzip, chunked",
        request(b"POST /predict HTTP/1.1", b"Transfer-Encoding: gzip, chunked"),
        501,
        "not_implemented",
    ),
    Refusal("path above the root", request(b"GET /../predict HTTP/1.1"), 400, "bad_request"),
    Refusal("not HTTP", b"garbage\r\n\r\n", 400, "bad_request"),
    Refusal("HTTP/1.1 without Host", b"GET /health HTTP/1.1\r\n\r\n", 400, "bad_request"),
    Refusal(
        "two Content-Lengths",
        request(b"POST /predict HTTP/1.1", b"Content-Length: 2", b"Content-Length: 2"),
        400,
        "bad_request",
    ),
    Refusal(
        "the error pages themselves",
        request(b"GET /.predict-errors/500 HTTP/1.1"),
        404,
        "not_found",
    ),
]
