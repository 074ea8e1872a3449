"""A bounded client load: a few keep-alive HTTPS connections posting one client each with the
target's API key, paced, counting every request that did not get a 200 and which model
versions answered."""

import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from probes import Target


@dataclass
class LoadReport:
    requests: int = 0
    failed: int = 0
    versions: list[str] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        switches = " → ".join(self.versions) or "none"
        text = f"{self.requests} requests, {self.failed} failed, versions {switches}"
        if self.failures:
            kinds = ", ".join(f"{kind} ×{count}" for kind, count in self.failures.most_common(3))
            text += f" ({kinds})"
        return text


class LoadLoop:
    """`connections` threads, each sending at most `rate` requests per second."""

    def __init__(self, target: Target, body: bytes, connections: int = 8, rate: float = 15.0):
        self.target = target
        self.body = body
        self.connections = connections
        self.interval = 1.0 / rate
        self.lock = threading.Lock()
        self.report = LoadReport()
        self.running = threading.Event()
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> "LoadLoop":
        self.running.set()
        for index in range(self.connections):
            thread = threading.Thread(target=self._client, name=f"load-{index}", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        self.running.clear()
        for thread in self.threads:
            thread.join(timeout=30)

    def _record(self, version: str | None, failure: str | None) -> None:
        with self.lock:
            self.report.requests += 1
            if failure:
                self.report.failed += 1
                self.report.failures[failure] += 1
            elif version and (not self.report.versions or self.report.versions[-1] != version):
                self.report.versions.append(version)

    def _client(self) -> None:
        connection = None
        while self.running.is_set():
            started = time.monotonic()
            version, failure = None, None
            try:
                if connection is None:
                    connection = self.target.connect(timeout=30)
                headers = {"Content-Type": "application/json", **self.target.authorization()}
                connection.request("POST", "/predict", self.body, headers)
                response = connection.getresponse()
                payload = response.read()
                if response.status == 200:
                    version = json.loads(payload)["model"]["version"]
                else:
                    failure = f"HTTP {response.status}"
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException, ValueError) as error:
                failure = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            self._record(version, failure)
            pause = self.interval - (time.monotonic() - started)
            if pause > 0:
                time.sleep(pause)
        if connection is not None:
            connection.close()
