"""HTTP to a stack's nginx with http.client, plus raw sockets for what it cannot send."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Mapping
from typing import Any

from support.reply import Reply

JSON = "application/json"


class HttpClient:
    """Requests to one host and port. Each call opens a connection of its own, so a request
    that makes the server close the connection cannot disturb the next one; `connect` gives a
    keep-alive connection for callers that want one."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    @staticmethod
    def exchange(
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One request on `connection`, which stays open when the server keeps it alive."""
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply.from_pairs(response.status, response.getheaders(), response.read())

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        connection = self.connect()
        try:
            return self.exchange(connection, method, path, body, headers)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def head(self, path: str) -> Reply:
        return self.request("HEAD", path)

    def post_json(
        self, path: str, body: bytes | str | Any, content_type: str | None = JSON
    ) -> Reply:
        """POST `body`: bytes and str are sent as they are, anything else as its JSON."""
        headers = {} if content_type is None else {"Content-Type": content_type}
        return self.request("POST", path, encode(body), headers)

    def raw(self, data: bytes, *, half_close: bool = False) -> Reply | None:
        """Sends `data` as it is (a request that should carry `Connection: close`) and parses
        the answer; None when the server closes the connection without one. `half_close`
        shuts down the sending side, as a client that gives up mid-body does."""
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
            try:
                sock.sendall(data)
                if half_close:
                    sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return read_reply(sock)


def read_reply(sock: socket.socket) -> Reply | None:
    """The answer arriving on `sock`; None when the server closes it without one."""
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        return Reply.from_pairs(response.status, response.getheaders(), response.read())
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None
    finally:
        response.close()


def encode(body: bytes | str | Any) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()
