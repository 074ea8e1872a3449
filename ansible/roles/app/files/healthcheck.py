#!/usr/bin/python3
"""Check a predict-fcgi release through nginx over HTTPS, as a client would.

    healthcheck NAME RELEASE_DIR CHAIN_PEM [TIMEOUT_SECONDS]

Connects to 127.0.0.1:443 with NAME (a domain or an IP address) as the TLS server name,
verifies the certificate for NAME against the issuer certbot saved (CHAIN_PEM), then requires that GET /health answers 200
with the release's model version and that POST /predict of the release's first golden case
(when it has golden cases) answers 200 with that version and the expected label. Exits 0, or 1 with the reason.
"""

import http.client
import json
import socket
import ssl
import sys
from pathlib import Path

TIMEOUT = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0


def request(
    domain: str, chain: str, method: str, path: str, body: bytes | None = None
) -> tuple[int, dict]:
    context = ssl.create_default_context(cafile=chain)
    # The chain file holds the issuing intermediate, not a root: trust it as the anchor.
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    raw = socket.create_connection(("127.0.0.1", 443), timeout=TIMEOUT)
    connection = http.client.HTTPSConnection(domain, timeout=TIMEOUT)
    connection.sock = context.wrap_socket(raw, server_hostname=domain)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    try:
        document = json.loads(payload)
    except ValueError:
        document = {"unparsed": payload[:200].decode(errors="replace")}
    return response.status, document


def main(domain: str, release: Path, chain: str) -> str | None:
    manifest = json.loads((release / "model" / "model.json").read_text())
    version = manifest["version"]
    status, health = request(domain, chain, "GET", "/health")
    served = health.get("model", {}).get("version")
    if status != 200 or served != version:
        return f"GET /health answered {status} with version {served!r}, expected 200 {version!r}"
    golden = release / "model" / "golden.jsonl"
    if not golden.exists():
        return None
    with golden.open() as cases:
        case = json.loads(cases.readline())
    body = json.dumps(case["input"]).encode()
    status, prediction = request(domain, chain, "POST", "/predict", body)
    served = prediction.get("model", {}).get("version")
    label = prediction.get("label")
    if status != 200 or served != version or label != case["expected"]["label"]:
        return (
            f"POST /predict of golden case {case['id']} answered {status}, version {served!r}, "
            f"label {label!r}; expected 200, {version!r}, {case['expected']['label']!r}"
        )
    return None


if __name__ == "__main__":
    try:
        problem = main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
    except (OSError, ssl.SSLError, http.client.HTTPException) as error:
        problem = f"no answer over HTTPS: {error}"
    if problem:
        print(f"healthcheck: {problem}", file=sys.stderr)
        sys.exit(1)
    print("healthcheck: ok")
