"""Peers that speak FastCGI badly, straight to the worker's socket, cost neither the worker
(it never crashes) nor the requests nginx sends meanwhile (every one answered, promptly)."""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from support.fastcgi import BEGIN_REQUEST, PARAMS, RESPONDER, record
from support.golden_case import GoldenCase
from support.stack import Stack, StackFactory

# The worker's preamble deadline (ConnectionGate.preambleTimeout) and some slack.
PREAMBLE_TIMEOUT = 2.0
CLOSE_WITHIN = PREAMBLE_TIMEOUT + 2.0


def begin_request() -> bytes:
    return record(BEGIN_REQUEST, struct.pack(">HB5x", RESPONDER, 0))


def huge_lengths(name_length: int, value_length: int) -> bytes:
    """A PARAMS record declaring one pair of the given lengths (four-byte prefixes)."""
    prefix = struct.pack(">II", name_length | 0x80000000, value_length | 0x80000000)
    return record(PARAMS, prefix)


def connect(stack: Stack) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(stack.socket_path)
    return sock


def closed_by_peer(sock: socket.socket, within: float) -> bool:
    """Whether the worker closes `sock` (EOF or reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


class Load:
    """Normal /predict requests through nginx on a few threads until stopped; every reply
    and its latency is kept."""

    def __init__(self, stack: Stack, cases: list[GoldenCase], threads: int = 4) -> None:
        self.stack = stack
        self.cases = cases
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(threads)
        self.futures = [self.pool.submit(self._run, index) for index in range(threads)]

    def _run(self, index: int) -> list[tuple[int, float, str]]:
        results = []
        number = 0
        while not self.stopping.is_set():
            case = self.cases[(index * 7 + number) % len(self.cases)]
            started = time.monotonic()
            reply = self.stack.client.post_json("/predict", json.dumps(case.input).encode())
            seconds = time.monotonic() - started
            problem = "" if reply.status == 200 else str(reply)
            if not problem:
                problem = case.mismatch(reply.json) or ""
            results.append((reply.status, seconds, problem))
            number += 1
        return results

    def finish(self) -> list[tuple[int, float, str]]:
        self.stopping.set()
        results = [result for future in self.futures for result in future.result()]
        self.pool.shutdown()
        return results


def test_a_params_record_declaring_gigabytes_is_refused_and_nothing_is_lost(
    make_stack: StackFactory, golden_sample: list[GoldenCase]
) -> None:
    stack = make_stack(PREDICT_THREADS="4")
    pid = stack.worker_pid
    load = Load(stack, golden_sample)
    try:
        time.sleep(0.3)
        for _ in range(5):
            with connect(stack) as sock:
                sock.sendall(begin_request() + huge_lengths(0x40000000, 0x40000000))
                assert closed_by_peer(sock, CLOSE_WITHIN), "the worker kept the connection"
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        results = load.finish()

    assert stack.watchers["worker"].wait(timeout=0) is None, stack.diagnostics()
    assert stack.worker_pid == pid
    os.kill(pid, 0)
    assert len(results) > 20, f"only {len(results)} requests ran"
    failed = [r for r in results if r[0] != 200 or r[2]]
    assert not failed, f"{len(failed)} of {len(results)} failed: {failed[:3]}"
    assert "connection refused" in stack.worker_log()


def test_parameters_declaring_more_than_the_total_bound_are_refused(
    make_stack: StackFactory, golden_sample: list[GoldenCase]
) -> None:
    """Four 200 MiB values (each under libfcgi's own limit) once took the worker to 833 MB."""
    stack = make_stack(PREDICT_THREADS="2")
    pid = stack.worker_pid
    pairs = b"".join(struct.pack(">BI", 1, (200 << 20) | 0x80000000) + b"X" for _ in range(4))
    with connect(stack) as sock:
        sock.sendall(begin_request() + record(PARAMS, pairs))
        assert closed_by_peer(sock, CLOSE_WITHIN), "the worker kept the connection"
    # Each pair is also over the one-parameter bound; a total over the bound made of pairs
    # within it is refused too.
    pairs = b"".join(struct.pack(">BI", 1, (60 << 10) | 0x80000000) + b"X" for _ in range(4))
    with connect(stack) as sock:
        sock.sendall(begin_request() + record(PARAMS, pairs))
        assert closed_by_peer(sock, CLOSE_WITHIN), "the worker kept the connection"

    reply = stack.client.post_json("/predict", json.dumps(golden_sample[0].input).encode())
    assert reply.status == 200, reply
    assert stack.worker_pid == pid
    os.kill(pid, 0)


def test_stalled_connections_neither_starve_requests_nor_stay_open(
    make_stack: StackFactory, golden_sample: list[GoldenCase]
) -> None:
    """Sixteen peers that connect and stall (half after a BEGIN_REQUEST, half sending
    nothing) against four worker threads: requests through nginx keep being answered
    at once, and the worker closes every stalled connection after its preamble deadline."""
    stack = make_stack(PREDICT_THREADS="4")
    pid = stack.worker_pid
    stalled = [connect(stack) for _ in range(16)]
    opened = time.monotonic()
    try:
        for sock in stalled[:8]:
            sock.sendall(begin_request())
        load = Load(stack, golden_sample)
        time.sleep(1.5)
        results = load.finish()
        closed = [
            closed_by_peer(sock, max(0.1, opened + CLOSE_WITHIN - time.monotonic()))
            for sock in stalled
        ]
    finally:
        for sock in stalled:
            sock.close()

    assert len(results) > 20, f"only {len(results)} requests ran"
    failed = [r for r in results if r[0] != 200 or r[2]]
    assert not failed, f"{len(failed)} of {len(results)} failed: {failed[:3]}"
    slowest = max(seconds for _, seconds, _ in results)
    assert slowest < 1.0, f"slowest request took {slowest:.2f} s"
    assert all(closed), f"{closed.count(False)} stalled connections still open"
    assert stack.worker_pid == pid
    os.kill(pid, 0)
