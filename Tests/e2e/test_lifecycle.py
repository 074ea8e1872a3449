"""SIGTERM: the worker stops accepting, lets requests in flight finish, exits 0 promptly, and
nginx then answers 502 in JSON."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from support import expect
from support.fastcgi import FastCGIConnection, predict_params
from support.golden_case import GoldenCase
from support.model_files import ModelFiles
from support.reply import Reply
from support.stack import Stack, StackFactory


def terminate(stack: Stack) -> tuple[int | None, float]:
    """SIGTERM to the worker (spawn-fcgi -n exec'd it, so worker.pid is the worker itself);
    its exit code, None if it is still running after 10 s, and the seconds it took."""
    if "worker" not in stack.watchers:
        pytest.skip("exit codes of the stack's processes are only seen on Linux")
    watcher = stack.watchers["worker"]
    sent = time.monotonic()
    os.kill(stack.worker_pid, signal.SIGTERM)
    code = watcher.wait(timeout=10)
    return code, (watcher.exited_at or time.monotonic()) - sent


def assert_stopped_cleanly(stack: Stack) -> None:
    log = stack.worker_log()
    assert re.search(r"\bstopping\b", log), log
    assert re.search(r"\bstopped\b", log), log
    assert "drain timed out" not in log, log


def assert_nginx_reports_the_worker_gone(stack: Stack, example: dict[str, Any]) -> None:
    for reply in (
        stack.client.get("/health"),
        stack.client.post_json("/predict", example),
    ):
        expect.error(reply, 502, "worker_unavailable", None)


def test_an_idle_worker_exits_zero_within_two_seconds_of_sigterm(
    make_stack: StackFactory, example: dict[str, Any]
) -> None:
    stack = make_stack()
    assert stack.client.get("/health").status == 200

    code, seconds = terminate(stack)

    assert code == 0, f"exit code {code}\n{stack.diagnostics()}"
    assert seconds < 2.0, f"took {seconds:.2f} s to exit"
    assert_stopped_cleanly(stack)
    assert_nginx_reports_the_worker_gone(stack, example)


def test_requests_in_flight_through_nginx_finish_after_sigterm(
    make_stack: StackFactory, model: ModelFiles, golden_sample: list[GoldenCase]
) -> None:
    stack = make_stack(PREDICT_THREADS="2")
    instances = [golden_sample[i % len(golden_sample)].input for i in range(1000)]
    body = json.dumps({"instances": instances}).encode()
    started = time.monotonic()
    warm = stack.client.post_json("/predict", body)
    latency = time.monotonic() - started
    assert warm.status == 200, warm
    expected = warm.json

    def send(_: int) -> Reply:
        return stack.client.post_json("/predict", body)

    with ThreadPoolExecutor(6) as pool:
        replies = pool.map(send, range(6))
        # About three batches' worth of work for two threads: after one batch's time, two
        # are being computed and two wait in the socket's backlog.
        time.sleep(latency)
        code, seconds = terminate(stack)
        replies = list(replies)

    completed = [r for r in replies if r.status == 200]
    assert completed, f"no request finished; latency {latency:.3f} s: {replies}"
    for reply in completed:
        assert reply.json == expected
    for reply in replies:
        if reply.status != 200:  # queued in the socket's backlog, never accepted
            expect.error(reply, 502, "worker_unavailable", None)
    assert code == 0, f"exit code {code}\n{stack.diagnostics()}"
    assert seconds < 5.0, f"took {seconds:.2f} s to exit"
    assert_stopped_cleanly(stack)


def test_a_request_whose_body_is_still_arriving_is_finished_after_sigterm(
    make_stack: StackFactory, golden_sample: list[GoldenCase]
) -> None:
    stack = make_stack(PREDICT_THREADS="2")
    cases = golden_sample[:2]
    bodies = [json.dumps(case.input).encode() for case in cases]
    connections = [FastCGIConnection(stack.socket_path) for _ in cases]
    try:
        for connection, body in zip(connections, bodies, strict=True):
            connection.begin(predict_params(len(body)))
            connection.send_body(body[: len(body) // 2])
        time.sleep(0.2)  # both accepted, both worker threads waiting for the rest

        os.kill(stack.worker_pid, signal.SIGTERM)
        time.sleep(0.3)
        running = stack.watchers["worker"].wait(timeout=0) is None
        for connection, body in zip(connections, bodies, strict=True):
            connection.send_body(body[len(body) // 2 :], end=True)
        replies = [connection.read_reply() for connection in connections]
    finally:
        for connection in connections:
            connection.close()
    code = stack.watchers["worker"].wait(timeout=10)

    assert running, "the worker exited with requests in flight"
    for case, reply in zip(cases, replies, strict=True):
        assert reply.status == 200, f"{reply}\n{stack.diagnostics()}"
        assert case.mismatch(reply.json) is None, case.mismatch(reply.json)
    assert code == 0, f"exit code {code}\n{stack.diagnostics()}"
    assert_stopped_cleanly(stack)


def test_sigterm_while_idle_connections_are_open_still_exits_promptly(
    make_stack: StackFactory,
) -> None:
    """A peer that connected and sent nothing is not a request in flight."""
    stack = make_stack(PREDICT_THREADS="2")
    with FastCGIConnection(stack.socket_path):
        time.sleep(0.1)
        code, seconds = terminate(stack)

    assert code == 0, f"exit code {code}\n{stack.diagnostics()}"
    assert seconds < 2.0, f"took {seconds:.2f} s to exit"
