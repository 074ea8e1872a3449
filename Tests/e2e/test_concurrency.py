"""Many keep-alive clients at once: every answer right, none lost."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor, wait

from support.golden_case import GoldenCase
from support.http_client import HttpClient

CLIENTS = 8
REQUESTS_PER_CLIENT = 250
DEADLINE_SECONDS = 45.0


def run_client(
    client: HttpClient, index: int, cases: list[GoldenCase], deadline: float
) -> list[str]:
    """REQUESTS_PER_CLIENT requests on one keep-alive connection, cycling through `cases`
    from an offset of its own; returns what went wrong."""
    problems: list[str] = []
    connection = client.connect()
    headers = {"Content-Type": "application/json"}
    try:
        for number in range(REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                problems.append(f"client {index}: out of time after {number} requests")
                break
            case = cases[(index * 7 + number) % len(cases)]
            body = json.dumps(case.input).encode()
            try:
                reply = client.exchange(connection, "POST", "/predict", body, headers)
            except OSError as error:
                problems.append(f"client {index} request {number}: {error!r}")
                connection.close()
                continue
            if reply.status != 200:
                problems.append(f"client {index} request {number}: {reply}")
            elif problem := case.mismatch(reply.json):
                problems.append(f"client {index} request {number}: {problem}")
    finally:
        connection.close()
    return problems


def test_concurrent_keep_alive_clients_all_get_correct_answers(
    client: HttpClient, golden_sample: list[GoldenCase]
) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [
            pool.submit(run_client, client, index, golden_sample, deadline)
            for index in range(CLIENTS)
        ]
        done, pending = wait(futures, timeout=DEADLINE_SECONDS + 15)

    assert not pending, f"{len(pending)} clients did not finish"
    problems = [problem for future in done for problem in future.result()]
    total = CLIENTS * REQUESTS_PER_CLIENT
    assert not problems, f"{len(problems)} of {total} requests failed:\n" + "\n".join(problems[:20])
