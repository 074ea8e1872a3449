"""Cold start for `make bench`: exec of a FastCGI worker → its first 200 from /predict.

nginx is already up and points at SOCKET. For each repetition this launches COMMAND (which
binds SOCKET, typically `spawn-fcgi -n -s SOCKET -- worker …`), POSTs the body to URL every
millisecond until one answer is a 200, records the time since the launch, and stops the
worker with SIGTERM. Until the socket exists nginx answers 502 at once; once it exists the
request waits in the listen backlog until the worker accepts it. With BENCH_KEY set in the
environment each POST carries `Authorization: Bearer $BENCH_KEY`, as post.lua's do.
Standard library only.

    coldstart.py --name NAME --url URL --body FILE --socket PATH --reps N \
        [--pid-file FILE] [--log FILE] -- COMMAND...

Prints one `NAME<TAB>REP<TAB>MILLISECONDS` line per repetition.
"""

import argparse
import contextlib
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

DEADLINE_SECONDS = 30.0
POLL_SECONDS = 0.001


def request_headers() -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    key = os.environ.get("BENCH_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def answers_200(url: str, body: bytes) -> bool:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("POST", parts.path, body=body, headers=request_headers())
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


def stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def launch_to_first_200(args: argparse.Namespace, body: bytes, log: int) -> float:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(args.socket)
    start = time.perf_counter()
    worker = subprocess.Popen(args.command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        if args.pid_file:
            Path(args.pid_file).write_text(f"{worker.pid}\n")
        while not answers_200(args.url, body):
            if worker.poll() is not None:
                raise SystemExit(f"coldstart: {args.name} exited with {worker.returncode}")
            if time.perf_counter() - start > DEADLINE_SECONDS:
                raise SystemExit(f"coldstart: {args.name} gave no 200 in {DEADLINE_SECONDS} s")
            time.sleep(POLL_SECONDS)
        return (time.perf_counter() - start) * 1000
    finally:
        stop(worker)
        if args.pid_file:
            Path(args.pid_file).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--body", required=True, type=Path)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--pid-file")
    parser.add_argument("--log", type=Path, default=Path(os.devnull))
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    body = args.body.read_bytes()
    with args.log.open("ab") as log:
        for rep in range(1, args.reps + 1):
            milliseconds = launch_to_first_200(args, body, log.fileno())
            print(f"{args.name}\t{rep}\t{milliseconds:.1f}", flush=True)
            time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
