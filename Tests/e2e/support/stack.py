"""A local nginx + worker stack started by scripts/stack on a port and run directory of its
own, so several can run side by side."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from support.exit_watcher import ExitWatcher, adopting_orphans
from support.http_client import HttpClient


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StackError(Exception):
    pass


# make_stack(**settings) -> Stack, the conftest fixture's signature.
StackFactory = Callable[..., "Stack"]


class Stack:
    """`settings` are scripts/stack's PREDICT_* variables; the port, run directory, binary and
    model are always set here, and other PREDICT_* variables of the caller's environment are
    dropped so they cannot change what the tests expect."""

    def __init__(
        self,
        repo: Path,
        binary: Path,
        model: Path,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.repo = repo
        # Directly under /tmp: nginx's workers run as an unprivileged user when the tests run
        # as root, and must be able to traverse every parent of the socket.
        self.run_dir = Path(tempfile.mkdtemp(prefix="predict-e2e-"))
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PREDICT_")}
        self.env.update(
            PREDICT_RUN_DIR=str(self.run_dir),
            PREDICT_PORT=str(self.port),
            PREDICT_BIN=str(binary),
            PREDICT_MODEL=str(model),
            # The worker itself is the child the tests watch (its exit status, that it never
            # died); test_supervisor.py turns the supervisor on.
            PREDICT_SUPERVISE="off",
        )
        self.env.update(settings or {})
        self.client = HttpClient("127.0.0.1", self.port)
        self.watchers: dict[str, ExitWatcher] = {}

    def start(self) -> None:
        """On Linux the worker and nginx become children of this process (see exit_watcher),
        with an ExitWatcher for each in `watchers`: their exit codes can be checked, and
        they are reaped the moment they exit, so `scripts/stack stop` never waits on a
        zombie for a lazy init to collect it."""
        if not sys.platform.startswith("linux"):
            self._script("start")
            return
        with adopting_orphans():
            self._script("start")
        # Under the supervisor the worker is the supervisor's child, not this process's.
        supervised = self.env["PREDICT_SUPERVISE"] != "off"
        self.watchers = {
            "supervisor" if supervised else "worker": ExitWatcher(
                self._pid("supervisor" if supervised else "worker")
            ),
            "nginx": ExitWatcher(self._pid("nginx")),
        }

    def stop(self) -> None:
        self._script("stop")

    def remove(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)

    @property
    def worker_pid(self) -> int:
        return self._pid("worker")

    @property
    def socket_path(self) -> str:
        return str(self.run_dir / "predict-fcgi.sock")

    def worker_log(self) -> str:
        return self._read("worker.log")

    def diagnostics(self) -> str:
        """The end of the worker's and nginx's logs, for failure messages."""
        parts = []
        for name in ("worker.log", "nginx-error.log"):
            tail = "\n".join(self._read(name).splitlines()[-15:])
            parts.append(f"--- {self.run_dir / name} ---\n{tail}")
        return "\n".join(parts)

    def _pid(self, name: str) -> int:
        return int((self.run_dir / f"{name}.pid").read_text().strip())

    def _read(self, name: str) -> str:
        try:
            return (self.run_dir / name).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _script(self, command: str) -> None:
        script = self.repo / "scripts" / "stack"
        try:
            done = subprocess.run(
                [str(script), command],
                check=False,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as error:
            raise StackError(f"scripts/stack {command} hung\n{self.diagnostics()}") from error
        if done.returncode != 0:
            raise StackError(
                f"scripts/stack {command} exited {done.returncode}\n"
                f"{done.stdout}{done.stderr}\n{self.diagnostics()}"
            )
