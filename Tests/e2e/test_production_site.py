"""The production nginx site (nginx/production.conf.j2) as Ansible renders it, run by a real
nginx on loopback: what its own answers carry, who may read /metrics, the per-address and
per-key rate limits, and the request id, without a host or a certificate authority.

Only the listen addresses (80 and 443 become free loopback ports), the log path and the
worker's socket path are changed from the rendered file; everything else is the template.
Behind it, a stand-in FastCGI responder answers every request with the parameters nginx
passed it, so that what reaches the worker can be seen. Tests use source addresses of their
own (all of 127.0.0.0/8 is loopback) so that the per-address limit of one test does not
spend another's.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from support import expect
from support.http_client import read_reply
from support.nginx_refusals import REFUSALS, Refusal
from support.reply import Reply
from support.stack import free_port

DOMAIN = "predict.example"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# A scraper the site admits to /metrics besides the host itself (nginx_metrics_allow).
SCRAPER = "127.0.0.3"
# An address on this host that is neither loopback's 127.0.0.1 nor the scraper.
STRANGER = "127.0.0.2"
# The source of the malformed requests, so they spend no other test's rate limit.
MALFORMED = "127.0.0.4"
NGINX_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


class StandInWorker(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """A FastCGI responder that answers 200 with the request's parameters as JSON."""

    daemon_threads = True

    def __init__(self, path: Path) -> None:
        super().__init__(str(path), StandInHandler)
        # nginx's workers run as another user when the suite runs as root.
        path.chmod(0o777)


class StandInHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        params = b""
        request_id = 1
        while True:
            header = self._read(8)
            if header is None:
                return
            _, kind, request_id, length, padding = struct.unpack(">BBHHBx", header)
            content = (self._read(length + padding) or b"")[:length]
            if kind == 4:  # PARAMS
                params += content
            elif kind == 5 and not content:  # the empty STDIN record ends the request
                break
        decoded = decode_params(params)
        answer = json.dumps(decoded).encode()
        # As the worker does for a request with a key: the key's name, for the access log.
        client = b"X-Predict-Client: stand-in\r\n" if decoded.get("HTTP_AUTHORIZATION") else b""
        output = b"Status: 200 OK\r\nContent-Type: application/json\r\n" + client + b"\r\n" + answer
        self.request.sendall(
            fcgi_record(6, request_id, output)
            + fcgi_record(6, request_id)
            + fcgi_record(3, request_id, struct.pack(">IB3x", 0, 0))
        )

    def _read(self, count: int) -> bytes | None:
        data = b""
        while len(data) < count:
            chunk = self.request.recv(count - len(data))
            if not chunk:
                return None
            data += chunk
        return data


def fcgi_record(kind: int, request_id: int, content: bytes = b"") -> bytes:
    padding = -len(content) % 8
    return (
        struct.pack(">BBHHBx", 1, kind, request_id, len(content), padding)
        + content
        + b"\0" * padding
    )


def decode_params(data: bytes) -> dict[str, str]:
    params, position = {}, 0

    def length() -> int:
        nonlocal position
        if data[position] < 128:
            position += 1
            return data[position - 1]
        position += 4
        return struct.unpack(">I", data[position - 4 : position])[0] & 0x7FFFFFFF

    while position < len(data):
        name_length, value_length = length(), length()
        name = data[position : position + name_length].decode("latin-1")
        position += name_length
        params[name] = data[position : position + value_length].decode("latin-1")
        position += value_length
    return params


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Site:
    http_port: int
    https_port: int
    status_port: int
    scratch: Path

    def https(
        self, path: str, source: str = "127.0.0.1", headers: dict[str, str] | None = None
    ) -> Answer:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, timeout=5, source_address=(source, 0)
        )
        try:
            connection.request("GET", path, headers={"Host": DOMAIN, **(headers or {})})
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def plain(self, path: str, host: str) -> tuple[int, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=5)
        try:
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            connection.close()

    def status_server(self, path: str) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.status_port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def raw(self, data: bytes, port: int, *, tls: bool) -> Reply | None:
        """Sends `data` as it is and parses the answer; None when nginx closes without one."""
        with socket.create_connection(("127.0.0.1", port), 5, (MALFORMED, 0)) as plain:
            sock: socket.socket = plain
            if tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                sock = context.wrap_socket(plain, server_hostname=DOMAIN)
            sock.sendall(data)
            return read_reply(sock)

    def access_log(self) -> str:
        return (self.scratch / "predict-fcgi.access.log").read_text()


def render(
    repo: Path, scratch: Path, site: Site, connections: int = 512, **settings: object
) -> Path:
    """The site as Ansible renders it (`settings` override the role's variables), in an
    nginx.conf of its own with `connections` per worker."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "1", "-subj", f"/CN={DOMAIN}"]
        + ["-keyout", scratch / "key.pem", "-out", scratch / "cert.pem"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048"]
        + ["-out", scratch / "dh.pem"],
        check=True,
        capture_output=True,
    )
    # Ansible's template module renders with trim_blocks.
    template = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True).from_string(
        (repo / "nginx/production.conf.j2").read_text()
    )
    variables: dict[str, object] = dict(
        nginx_domain=DOMAIN,
        nginx_snippets_dir=repo / "nginx",
        nginx_acme_webroot=scratch / "acme",
        nginx_tls_cert=scratch / "cert.pem",
        nginx_tls_key=scratch / "key.pem",
        nginx_dhparam=scratch / "dh.pem",
        # One request a second and no burst: the second request at once is over the limit.
        nginx_rate=1,
        nginx_burst=1,
        nginx_key_rate=1,
        nginx_key_burst=1,
        nginx_metrics_allow=[SCRAPER],
        nginx_status_listen=f"127.0.0.1:{site.status_port}",
        nginx_node_exporter_address=f"127.0.0.1:{free_port()}",
        nginx_tls_ready=True,
    )
    variables.update(settings)
    rendered = template.render(**variables)
    rendered = re.sub(r"listen 80;", f"listen 127.0.0.1:{site.http_port};", rendered)
    rendered = re.sub(
        r"listen 443 ssl http2;", f"listen 127.0.0.1:{site.https_port} ssl http2;", rendered
    )
    rendered = re.sub(r"listen \[::\]:(80|443)[^;]*;", "", rendered)
    rendered = rendered.replace("/var/log/nginx/", f"{scratch}/")
    rendered = rendered.replace("/run/predict-fcgi/predict-fcgi.sock", f"{scratch}/worker.sock")
    (scratch / "site.conf").write_text(rendered)
    conf = scratch / "nginx.conf"
    temp = "".join(
        f"    {kind}_temp_path {scratch}/{kind};\n"
        for kind in ("client_body", "fastcgi", "proxy", "uwsgi", "scgi")
    )
    conf.write_text(
        f"pid {scratch}/nginx.pid;\nerror_log {scratch}/error.log;\n"
        f"worker_processes 1;\nevents {{ worker_connections {connections}; }}\n"
        f"http {{\n{temp}    include {scratch}/site.conf;\n}}\n"
    )
    return conf


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


@contextlib.contextmanager
def serving(repo: Path, connections: int = 512, **settings: object) -> Iterator[Site]:
    """nginx with the rendered site in front of the stand-in worker, until the block ends."""
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (scripts/install-deps test)", pytrace=False)
    scratch = Path(tempfile.mkdtemp(prefix="predict-site-"))
    scratch.chmod(0o755)
    ports = Site(free_port(), free_port(), free_port(), scratch)
    conf = render(repo, scratch, ports, connections, **settings)
    worker = StandInWorker(scratch / "worker.sock")
    threading.Thread(target=worker.serve_forever, daemon=True).start()
    nginx = subprocess.Popen(
        ["nginx", "-p", scratch, "-c", conf, "-e", scratch / "error.log", "-g", "daemon off;"]
    )
    try:
        wait_for_port(ports.https_port)
        yield ports
    finally:
        nginx.terminate()
        nginx.wait(10)
        worker.shutdown()
        worker.server_close()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def site(repo: Path) -> Iterator[Site]:
    with serving(repo) as running:
        yield running


def test_a_rate_limited_answer_keeps_every_security_header(site: Site) -> None:
    answers = [site.https("/health") for _ in range(6)]
    limited = [answer for answer in answers if answer.status == 429]
    assert limited, f"no 429 among {[answer.status for answer in answers]}"
    for answer in limited:
        assert answer.json()["error"]["code"] == "too_many_requests"
        assert answer.headers.get("Retry-After") == "1"
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, f"429 without {name}: {answer.headers}"


def test_only_a_429_carries_retry_after(site: Site) -> None:
    time.sleep(2.1)  # the rate limit's bucket empties again
    answer = site.https("/health")
    assert answer.status == 200, answer.body  # the stand-in worker's answer
    assert "Retry-After" not in answer.headers
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value


@pytest.mark.parametrize("host", [DOMAIN, "attacker.example", "attacker.example:8443"])
def test_the_redirect_names_the_configured_host_whatever_the_request_says(
    site: Site, host: str
) -> None:
    status, headers = site.plain("/predict?x=1", host)
    assert status == 301
    assert headers["Location"] == f"https://{DOMAIN}/predict?x=1"


@pytest.mark.parametrize("source", ["127.0.0.1", SCRAPER])
def test_the_host_and_a_configured_scraper_read_the_metrics(site: Site, source: str) -> None:
    answer = site.https("/metrics", source=source)

    assert answer.status == 200, answer.body
    assert answer.json()["REQUEST_URI"] == "/metrics"


@pytest.mark.parametrize("path", ["/metrics", "/metrics?format=text", "/metrics/", "/metrics/node"])
def test_anyone_else_gets_a_json_403_for_the_metrics(site: Site, path: str) -> None:
    answer = site.https(path, source=STRANGER)

    assert answer.status == 403, answer.body
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["error"]["code"] == "forbidden"
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value
    assert NGINX_REQUEST_ID.match(answer.headers["X-Request-ID"])


def test_the_loopback_server_has_stub_status_and_the_metrics(site: Site) -> None:
    status = site.status_server("/nginx_status")
    metrics = site.status_server("/metrics")
    other = site.status_server("/predict")

    assert status.status == 200
    assert status.body.startswith(b"Active connections:"), status.body
    assert metrics.status == 200 and metrics.json()["REQUEST_URI"] == "/metrics"
    assert other.status == 404 and other.json()["error"]["code"] == "not_found"


def test_the_loopback_server_listens_on_loopback_only_by_default(repo: Path) -> None:
    template = jinja2.Environment(trim_blocks=True).from_string(
        (repo / "nginx/production.conf.j2").read_text()
    )
    rendered = template.render(nginx_snippets_dir="/s", nginx_tls_ready=False)
    listens = re.findall(r"^\s*listen ([^;]+);", rendered, re.M)

    assert "127.0.0.1:8081" in listens
    assert all(re.fullmatch(r"(\[::\]:)?80|127\.0\.0\.1:8081", listen) for listen in listens)


def test_a_clients_request_id_is_echoed_passed_on_and_logged(site: Site) -> None:
    answer = site.https("/health", source="127.0.0.10", headers={"X-Request-ID": "client-42.a_b"})

    assert answer.status == 200, answer.body
    assert answer.headers["X-Request-ID"] == "client-42.a_b"
    assert answer.json()["REQUEST_ID"] == "client-42.a_b"
    assert logged(site, r'"GET /health HTTP/1\.1" 200 .* id=client-42\.a_b client=-$')


# Each case from a source address of its own, its one request within the per-address limit.
@pytest.mark.parametrize(
    ("offered", "source"),
    [
        (None, "127.0.0.11"),
        ("has spaces", "127.0.0.12"),
        ("x" * 65, "127.0.0.13"),
        ("back\\slash", "127.0.0.14"),
        ("ünïcode", "127.0.0.15"),
    ],
)
def test_without_a_plausible_request_id_nginx_makes_one(
    site: Site, offered: str | None, source: str
) -> None:
    headers = {"X-Request-ID": offered} if offered is not None else {}
    answer = site.https("/health", source=source, headers=headers)

    assert answer.status == 200, answer.body
    made = answer.headers["X-Request-ID"]
    assert NGINX_REQUEST_ID.match(made), made
    assert answer.json()["REQUEST_ID"] == made
    assert logged(site, f"id={made} ")


def logged(site: Site, pattern: str, timeout: float = 5.0) -> bool:
    """Whether a line of the access log matches `pattern` within `timeout`: nginx writes the
    line once the answer is sent, so a client can read the answer first."""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, site.access_log(), re.M):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_api_key_reaches_the_worker(site: Site) -> None:
    key = "pf_" + "k" * 43
    answer = site.https("/models", source="127.0.0.20", headers={"Authorization": f"Bearer {key}"})

    assert answer.status == 200, answer.body
    assert answer.json()["HTTP_AUTHORIZATION"] == f"Bearer {key}"
    # The key's name is logged, the key is not, and the worker's header stays with nginx.
    assert "X-Predict-Client" not in answer.headers
    assert logged(site, r'"GET /models HTTP/\S+" 200 .* client=stand-in$')
    assert key not in site.access_log()


def test_one_key_is_limited_across_addresses(site: Site) -> None:
    key = {"Authorization": "Bearer pf_" + "s" * 43}
    # One request from each address: the per-address limit never applies, the per-key one does.
    answers = [site.https("/models", source=f"127.0.0.{30 + n}", headers=key) for n in range(5)]
    statuses = [answer.status for answer in answers]

    assert 429 in statuses, statuses
    assert statuses[0] == 200, statuses
    for answer in answers:
        if answer.status == 429:
            assert answer.json()["error"]["code"] == "too_many_requests"
            assert answer.headers.get("Retry-After") == "1"


def test_different_keys_are_limited_apart(site: Site) -> None:
    answers = [
        site.https(
            "/models",
            source=f"127.0.0.{40 + n}",
            headers={"Authorization": f"Bearer pf_{n:02d}" + "d" * 41},
        )
        for n in range(5)
    ]

    assert [answer.status for answer in answers] == [200] * 5


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.id)
@pytest.mark.parametrize("tls", [True, False], ids=["https", "http"])
def test_nginx_refuses_with_the_json_error_and_the_security_headers(
    site: Site, refusal: Refusal, tls: bool
) -> None:
    reply = site.raw(refusal.request, site.https_port if tls else site.http_port, tls=tls)
    assert reply is not None, f"{refusal.id}: nginx closed the connection without an answer"
    expect.error(reply, refusal.status, refusal.code)
    assert reply.header("allow") == refusal.allow, reply.headers
    assert reply.header("x-request-id"), reply.headers
    if tls:
        for name, value in SECURITY_HEADERS.items():
            assert reply.header(name) == value, reply.headers


def test_plain_http_to_the_tls_port_gets_a_json_400(site: Site) -> None:
    reply = site.raw(
        b"GET /health HTTP/1.1\r\nHost: predict.example\r\n\r\n", site.https_port, tls=False
    )
    assert reply is not None
    detail = expect.error(reply, 400, "bad_request")
    assert "HTTPS" in detail["message"], detail


def test_the_loopback_server_refuses_with_json_too(site: Site) -> None:
    reply = Site.raw(
        site, b"TRACE /metrics HTTP/1.1\r\nHost: x\r\n\r\n", site.status_port, tls=False
    )
    assert reply is not None
    expect.error(reply, 405, "method_not_allowed")


# The slow-client flood, scaled down: nginx with 64 connections, a client address that may
# hold 4 requests in progress, and no request-rate limit in the way.
FLOOD_CONNECTIONS = 64
FLOOD_PER_CLIENT = 4
SLOW_CLIENT = "127.0.0.5"
NORMAL_CLIENT = "127.0.0.6"


def test_a_normal_client_is_answered_during_a_slow_body_flood(repo: Path) -> None:
    """More slow-drip bodies from one address than nginx has connections: beyond the
    per-address limit each gets the JSON 429 at once and its connection back, so another
    client is still answered. (Without limit_conn the flood holds every connection and the
    other client is never answered.)"""
    settings = dict(nginx_rate=10_000, nginx_burst=10_000, nginx_key_rate=10_000)
    settings.update(nginx_key_burst=10_000, nginx_conn_per_client=FLOOD_PER_CLIENT)
    with serving(repo, FLOOD_CONNECTIONS, **settings) as crowded:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        flood: list[ssl.SSLSocket] = []
        try:
            for _ in range(FLOOD_CONNECTIONS + 16):
                try:
                    raw = socket.create_connection(
                        ("127.0.0.1", crowded.https_port), 2, (SLOW_CLIENT, 0)
                    )
                    slow = context.wrap_socket(raw, server_hostname=DOMAIN)
                    slow.sendall(
                        b"POST /predict HTTP/1.1\r\nHost: predict.example\r\n"
                        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                    )
                    flood.append(slow)
                except OSError:
                    break  # nginx has no connection left for the flood itself
            # The refused ones' connections end after lingering_timeout's second of silence.
            time.sleep(1.5)
            started = time.monotonic()
            answer = crowded.https("/health", source=NORMAL_CLIENT)
            waited = time.monotonic() - started
            assert answer.status == 200, answer.body
            assert waited < 2, f"the normal client waited {waited:.1f} s"
            refused = 0
            for slow in flood:
                slow.settimeout(0.2)
                try:
                    head = slow.recv(4096)
                except (TimeoutError, ssl.SSLError, OSError):
                    continue
                if head.startswith(b"HTTP/1.1 429") and b"too_many_requests" in head:
                    refused += 1
            assert refused >= len(flood) - FLOOD_PER_CLIENT, f"{refused} of {len(flood)} got 429"
        finally:
            for slow in flood:
                slow.close()
