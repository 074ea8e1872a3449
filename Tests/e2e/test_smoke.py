"""scripts/smoke against the test stack, against nothing, and against an impostor."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from support.model_files import ModelFiles
from support.stack import Stack, free_port


def smoke(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(repo / "scripts" / "smoke"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Impostor(BaseHTTPRequestHandler):
    """Answers like the service, except for a label the model does not have."""

    manifest: ClassVar[dict[str, Any]] = {}

    def do_GET(self) -> None:
        self._json(self.manifest)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._json({"label": "maybe", "probabilities": {"no": 0.5, "yes": 0.5}})

    def _json(self, document: Any) -> None:
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def impostor(model: ModelFiles) -> Iterator[str]:
    handler = type("ImpostorHandler", (Impostor,), {"manifest": model.manifest})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_smoke_passes_against_the_stack(repo: Path, stack: Stack, model: ModelFiles) -> None:
    done = smoke(repo, stack.client.base_url + "/")

    assert done.returncode == 0, done.stdout + done.stderr
    label = re.search(r"^label: (\S+)$", done.stdout, re.MULTILINE)
    assert label, done.stdout
    assert label.group(1) in model.labels, done.stdout
    assert re.search(r"^probabilities: .*=\d\.\d+", done.stdout, re.MULTILINE), done.stdout
    assert f"model: {model.name} {model.version}" in done.stdout, done.stdout


def test_smoke_fails_when_nothing_listens(repo: Path) -> None:
    done = smoke(repo, "--retries", "1", f"http://127.0.0.1:{free_port()}")

    assert done.returncode != 0
    assert "smoke: cannot reach" in done.stderr, done.stderr


def test_smoke_fails_on_a_label_the_model_does_not_have(repo: Path, impostor: str) -> None:
    done = smoke(repo, "--retries", "0", impostor)

    assert done.returncode != 0
    assert "'maybe' is not one of the model's labels" in done.stderr, done.stderr


def test_smoke_fails_on_an_error_answer(repo: Path, stack: Stack) -> None:
    done = smoke(repo, "--retries", "0", stack.client.base_url + "/nowhere")

    assert done.returncode != 0
    assert "HTTP 404" in done.stderr, done.stderr


def test_smoke_without_a_url_prints_its_usage(repo: Path) -> None:
    done = smoke(repo)

    assert done.returncode == 2
    assert "URL" in done.stderr
