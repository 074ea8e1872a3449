"""A minimal FastCGI responder client for the worker's unix socket.

nginx reads a whole request before it talks to the worker and only ever sends well-formed
records, so what the worker does with a short body, a slow body or a vanished peer can only
be seen by speaking FastCGI to it directly.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from typing import Self

from support.reply import Reply

VERSION = 1
BEGIN_REQUEST = 1
END_REQUEST = 3
PARAMS = 4
STDIN = 5
STDOUT = 6
STDERR = 7
RESPONDER = 1
REQUEST_ID = 1
MAX_CONTENT = 0xFFFF


def record(kind: int, content: bytes = b"") -> bytes:
    padding = -len(content) % 8
    header = struct.pack(">BBHHBx", VERSION, kind, REQUEST_ID, len(content), padding)
    return header + content + b"\0" * padding


def stream(kind: int, data: bytes) -> bytes:
    """`data` as records of at most 64 KiB, without the empty record that ends a stream."""
    return b"".join(
        record(kind, data[start : start + MAX_CONTENT])
        for start in range(0, len(data), MAX_CONTENT)
    )


def name_value(name: str, value: str) -> bytes:
    encoded = b""
    for text in (name.encode(), value.encode()):
        size = len(text)
        encoded += bytes([size]) if size < 128 else struct.pack(">I", size | 0x80000000)
    return encoded + name.encode() + value.encode()


def predict_params(body_length: int, content_type: str = "application/json") -> dict[str, str]:
    """What nginx's fastcgi-params.conf passes for a POST /predict."""
    return {
        "REQUEST_METHOD": "POST",
        "DOCUMENT_URI": "/predict",
        "REQUEST_URI": "/predict",
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(body_length),
        "REQUEST_ID": "e2e-fastcgi",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "GATEWAY_INTERFACE": "CGI/1.1",
    }


class FastCGIConnection:
    """One request on one connection, sent in steps so a test can stop between them."""

    def __init__(self, socket_path: str, timeout: float = 10.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(socket_path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.sock.close()

    def begin(self, params: dict[str, str]) -> None:
        """BEGIN_REQUEST and the whole PARAMS stream: the worker's accept returns after it."""
        pairs = b"".join(name_value(name, value) for name, value in params.items())
        begin = struct.pack(">HB5x", RESPONDER, 0)
        self.sock.sendall(record(BEGIN_REQUEST, begin) + stream(PARAMS, pairs) + record(PARAMS))

    def send_body(self, data: bytes, *, end: bool = False) -> None:
        """STDIN data; `end` adds the empty record that closes the stream."""
        self.sock.sendall(stream(STDIN, data) + (record(STDIN) if end else b""))

    def read_reply(self) -> Reply:
        """STDOUT until END_REQUEST, parsed as a CGI response (`Status:` and headers)."""
        output = b""
        while True:
            version, kind, _, length, padding = struct.unpack(">BBHHBx", self._read(8))
            if version != VERSION:
                raise AssertionError(f"FastCGI record of version {version}")
            content = self._read(length + padding)[:length]
            if kind == STDOUT:
                output += content
            elif kind == END_REQUEST:
                break
        head, separator, body = output.partition(b"\r\n\r\n")
        if not separator:
            raise AssertionError(f"no CGI header block in {output[:200]!r}")
        pairs = [line.split(":", 1) for line in head.decode("latin-1").split("\r\n")]
        headers = [(name.strip(), value.strip()) for name, value in pairs]
        status = next((v for n, v in headers if n.lower() == "status"), "200")
        return Reply.from_pairs(int(status.split()[0]), headers, body)

    def request(self, params: dict[str, str], body: bytes) -> Reply:
        self.begin(params)
        # Answered (and closed) before the body was read: the answer is waiting.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_body(body, end=True)
        return self.read_reply()

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError(f"the worker closed the connection after {data!r}")
            data += chunk
        return data
