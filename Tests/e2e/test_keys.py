"""API keys end to end: the keys CLI, 401s through nginx, revocation on SIGHUP without a
restart, and the key's name (never the key) in the logs; request ids."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from conftest import KeyedStack
from support import expect
from support.model_repository import add_key


def post(keyed_stack: KeyedStack, example, headers: dict[str, str]):
    return keyed_stack.stack.client.request(
        "POST",
        "/predict",
        json.dumps(example).encode(),
        {"Content-Type": "application/json", **headers},
    )


def test_cli_add_list_revoke(binary: Path, tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    key = add_key(binary, keys_file, "carol")
    assert key.startswith("pf_") and len(key) == 46
    assert key not in keys_file.read_text()
    assert oct(keys_file.stat().st_mode & 0o777) == "0o600"
    listed = subprocess.run(
        [str(binary), "keys", "list", "--file", str(keys_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.startswith("carol\t") and key not in listed.stdout
    again = subprocess.run(
        [str(binary), "keys", "add", "carol", "--file", str(keys_file)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1 and "already" in again.stderr
    subprocess.run([str(binary), "keys", "revoke", "carol", "--file", str(keys_file)], check=True)
    assert "carol" not in keys_file.read_text()


def test_missing_and_wrong_keys_are_401_json(keyed_stack: KeyedStack, example) -> None:
    missing = post(keyed_stack, example, {})
    expect.error(missing, 401, "unauthorized")
    assert missing.header("WWW-Authenticate") == 'Bearer realm="predict-fcgi"'
    wrong = post(keyed_stack, example, {"Authorization": "Bearer pf_guess"})
    expect.error(wrong, 401, "unauthorized")
    assert 'error="invalid_token"' in wrong.header("WWW-Authenticate")
    expect.error(post(keyed_stack, example, {"Authorization": "Basic YTpi"}), 401, "unauthorized")
    assert post(keyed_stack, example, keyed_stack.auth()).status == 200
    # Health checks stay open.
    assert keyed_stack.stack.client.get("/health").status == 200
    assert keyed_stack.stack.client.get("/v2/health/ready").status == 200


def test_revoked_key_stops_on_reload_without_restart(
    keyed_stack: KeyedStack, binary: Path, example
) -> None:
    stack = keyed_stack.stack
    dave = add_key(binary, keyed_stack.keys_file, "dave")
    assert (
        post(keyed_stack, example, {"Authorization": f"Bearer {dave}"}).status == 401
    )  # not loaded yet
    pid = stack.worker_pid
    reload(stack)
    assert post(keyed_stack, example, {"Authorization": f"Bearer {dave}"}).status == 200
    subprocess.run(
        [str(binary), "keys", "revoke", "dave", "--file", str(keyed_stack.keys_file)], check=True
    )
    reload(stack)
    expect.error(
        post(keyed_stack, example, {"Authorization": f"Bearer {dave}"}), 401, "unauthorized"
    )
    assert post(keyed_stack, example, keyed_stack.auth("alice")).status == 200
    assert stack.worker_pid == pid


def test_names_in_the_log_never_keys(keyed_stack: KeyedStack, example) -> None:
    assert (
        post(
            keyed_stack, example, {**keyed_stack.auth("bob"), "X-Request-ID": "trace-bob-1"}
        ).status
        == 200
    )
    deadline = time.monotonic() + 5
    while "trace-bob-1" not in keyed_stack.stack.worker_log():
        assert time.monotonic() < deadline, keyed_stack.stack.diagnostics()
        time.sleep(0.05)
    line = next(
        line for line in keyed_stack.stack.worker_log().splitlines() if "trace-bob-1" in line
    )
    assert "client=bob" in line
    log = keyed_stack.stack.worker_log()
    assert all(key not in log for key in keyed_stack.keys.values())


def test_request_ids(keyed_stack: KeyedStack, example) -> None:
    stack = keyed_stack.stack
    mine = post(keyed_stack, example, {**keyed_stack.auth(), "X-Request-ID": "client-chosen.id_42"})
    assert mine.header("X-Request-ID") == "client-chosen.id_42"
    # An id that is not a plausible one (spaces, too long) is replaced by nginx's own.
    for bad in ("has spaces", "x" * 65, 'quote"d'):
        reply = post(keyed_stack, example, {**keyed_stack.auth(), "X-Request-ID": bad})
        assert reply.header("X-Request-ID") not in (None, bad)
        assert len(reply.header("X-Request-ID")) == 32
    # nginx's own errors carry one too.
    assert stack.client.get("/nowhere").header("X-Request-ID")
    deadline = time.monotonic() + 5
    access = stack.run_dir / "access.log"
    while "id=client-chosen.id_42" not in access.read_text():
        assert time.monotonic() < deadline, "the request id is not in the access log"
        time.sleep(0.05)


def reload(stack, timeout: float = 10.0) -> None:
    before = stack.worker_log().count("reload finished")
    os.kill(stack.worker_pid, signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while stack.worker_log().count("reload finished") <= before:
        assert time.monotonic() < deadline, stack.diagnostics()
        time.sleep(0.05)
