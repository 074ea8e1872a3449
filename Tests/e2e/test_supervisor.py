"""The local stack's supervisor (scripts/stack, PREDICT_SUPERVISE=on, what `make serve` runs):
a worker that dies is started again, as systemd's Restart=on-failure does in production; a
worker that SIGTERM stopped cleanly is not."""

from __future__ import annotations

import os
import signal
import time

from support.stack import Stack, StackFactory


def wait_for_new_worker(stack: Stack, old: int, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = stack.worker_pid
        if pid != old and stack.client.get("/health").status == 200:
            return pid
        time.sleep(0.05)
    raise AssertionError(f"no new worker answered within {timeout} s\n{stack.diagnostics()}")


def test_a_killed_or_aborted_worker_is_started_again(make_stack: StackFactory) -> None:
    stack = make_stack(PREDICT_SUPERVISE="on")
    first = stack.worker_pid
    os.kill(first, signal.SIGKILL)
    second = wait_for_new_worker(stack, first)
    os.kill(second, signal.SIGABRT)
    third = wait_for_new_worker(stack, second)
    assert stack.client.get("/health").status == 200
    assert "exited with status 137" in stack.worker_log()
    assert "exited with status 134" in stack.worker_log()
    assert stack.watchers["supervisor"].wait(timeout=0) is None, "the supervisor ended"
    os.kill(third, signal.SIGTERM)  # a clean stop is final
    assert stack.watchers["supervisor"].wait(timeout=15) == 0, stack.diagnostics()
    assert stack.client.get("/health").status == 502
