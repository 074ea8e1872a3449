"""The production nginx site (nginx/production.conf.j2) as Ansible renders it, run by a real
nginx on loopback: what its own answers carry, without a host or a certificate authority.

Only the listen addresses (80 and 443 become free loopback ports), the log path and the
worker's socket path are changed from the rendered file; everything else is the template.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from support.stack import free_port

DOMAIN = "predict.example"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class Site:
    http_port: int
    https_port: int

    def https(self, path: str) -> tuple[int, dict[str, str], bytes]:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, timeout=5
        )
        try:
            connection.request("GET", path, headers={"Host": DOMAIN})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
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


def render(repo: Path, scratch: Path, http_port: int, https_port: int) -> Path:
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
    template = jinja2.Template(
        (repo / "nginx/production.conf.j2").read_text(), undefined=jinja2.StrictUndefined
    )
    site = template.render(
        nginx_domain=DOMAIN,
        nginx_snippets_dir=repo / "nginx",
        nginx_acme_webroot=scratch / "acme",
        nginx_tls_cert=scratch / "cert.pem",
        nginx_tls_key=scratch / "key.pem",
        nginx_dhparam=scratch / "dh.pem",
        # One request a second and no burst: the second request at once is over the limit.
        nginx_rate=1,
        nginx_burst=1,
        nginx_tls_ready=True,
    )
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", site)
    site = re.sub(r"listen \[::\]:(80|443)[^;]*;", "", site)
    site = site.replace("/var/log/nginx/", f"{scratch}/")
    site = site.replace("/run/predict-fcgi/predict-fcgi.sock", f"{scratch}/no-worker.sock")
    (scratch / "site.conf").write_text(site)
    conf = scratch / "nginx.conf"
    temp = "".join(
        f"    {kind}_temp_path {scratch}/{kind};\n"
        for kind in ("client_body", "fastcgi", "proxy", "uwsgi", "scgi")
    )
    conf.write_text(
        f"pid {scratch}/nginx.pid;\nerror_log {scratch}/error.log;\nevents {{}}\n"
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


@pytest.fixture(scope="module")
def site(repo: Path) -> Iterator[Site]:
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (scripts/install-deps test)", pytrace=False)
    scratch = Path(tempfile.mkdtemp(prefix="predict-site-"))
    scratch.chmod(0o755)
    ports = Site(free_port(), free_port())
    conf = render(repo, scratch, ports.http_port, ports.https_port)
    nginx = subprocess.Popen(
        ["nginx", "-p", scratch, "-c", conf, "-e", scratch / "error.log", "-g", "daemon off;"]
    )
    try:
        wait_for_port(ports.https_port)
        yield ports
    finally:
        nginx.terminate()
        nginx.wait(10)
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_rate_limited_answer_keeps_every_security_header(site: Site) -> None:
    answers = [site.https("/health") for _ in range(6)]
    limited = [(headers, body) for status, headers, body in answers if status == 429]
    assert limited, f"no 429 among {[status for status, _, _ in answers]}"
    for headers, body in limited:
        assert json.loads(body)["error"]["code"] == "too_many_requests"
        assert headers.get("Retry-After") == "1"
        for name, value in SECURITY_HEADERS.items():
            assert headers.get(name) == value, f"429 without {name}: {headers}"


def test_only_a_429_carries_retry_after(site: Site) -> None:
    time.sleep(2.1)  # the rate limit's bucket empties again
    status, headers, body = site.https("/health")
    assert status == 502, body  # no worker behind this nginx
    assert "Retry-After" not in headers
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value


@pytest.mark.parametrize("host", [DOMAIN, "attacker.example", "attacker.example:8443"])
def test_the_redirect_names_the_configured_host_whatever_the_request_says(
    site: Site, host: str
) -> None:
    status, headers = site.plain("/predict?x=1", host)
    assert status == 301
    assert headers["Location"] == f"https://{DOMAIN}/predict?x=1"
