"""Exit statuses of the processes scripts/stack leaves running.

scripts/stack starts the worker in the background and nginx as a daemon, then exits; both
are orphaned and would be reaped by init, hiding how they exited. While `adopting_orphans`
is active this process is a child subreaper (Linux prctl), so orphans that appear then
become its children, and an `ExitWatcher` can wait for them like a parent.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_CHILD_SUBREAPER = 36


@contextmanager
def adopting_orphans() -> Iterator[None]:
    if not sys.platform.startswith("linux"):
        raise OSError("adopting orphaned processes needs Linux's PR_SET_CHILD_SUBREAPER")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


class ExitWatcher:
    """Waits on a thread for one child to exit, reaping it at once (so `kill -0` stops
    seeing it), and keeps its exit code and the monotonic time it was collected."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exit_code: int | None = None
        self.exited_at: float | None = None
        self.failure: OSError | None = None
        self._thread = threading.Thread(target=self._wait, name=f"reap-{pid}", daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        try:
            _, status = os.waitpid(self.pid, 0)
        except OSError as error:
            self.failure = error
            return
        self.exited_at = time.monotonic()
        self.exit_code = os.waitstatus_to_exitcode(status)

    def wait(self, timeout: float) -> int | None:
        """The exit code (negative: killed by that signal); None if still running."""
        self._thread.join(timeout)
        if self.failure is not None:
            raise AssertionError(f"pid {self.pid} is not a child of the tests: {self.failure}")
        return self.exit_code
