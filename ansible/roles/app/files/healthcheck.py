#!/usr/bin/python3
"""Check a predict-fcgi release through nginx over HTTPS, as a client would.

    healthcheck [--timeout SECONDS] [--key-file FILE] NAME RELEASE_DIR CHAIN_PEM

Connects to 127.0.0.1:443 with NAME (a domain or an IP address) as the TLS server name,
verifies the certificate for NAME against the issuer certbot saved (CHAIN_PEM), and requires,
for the release in RELEASE_DIR (models/<name>/model.json for each model, release.env naming
the default one):

- GET /health answers 200 without a key;
- GET /models without a key is refused with 401 and WWW-Authenticate (keys are on);
- GET /models, with the key in FILE (the host's own health check key), lists exactly the
  release's models with their versions, the default one marked;
- for each model, GET /v2/models/{name} lists its version, and POST /models/{name}/predict
  of its first golden case answers that version and the expected label;
- POST /predict of the default model's first golden case answers the default model.

Exits 0 printing what it saw, or 1 with the first problem.
"""

import argparse
import http.client
import json
import re
import socket
import ssl
import sys
from pathlib import Path


class ProblemError(Exception):
    pass


class Client:
    def __init__(self, domain: str, chain: str, timeout: float, key: str) -> None:
        self.domain = domain
        self.timeout = timeout
        self.key = key
        self.context = ssl.create_default_context(cafile=chain)
        # The chain file holds the issuing intermediate, not a root: trust it as the anchor.
        self.context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN

    def request(
        self, method: str, path: str, body: bytes | None = None, authorized: bool = True
    ) -> tuple[int, dict[str, str], dict]:
        raw = socket.create_connection(("127.0.0.1", 443), timeout=self.timeout)
        connection = http.client.HTTPSConnection(self.domain, timeout=self.timeout)
        connection.sock = self.context.wrap_socket(raw, server_hostname=self.domain)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if authorized:
            headers["Authorization"] = f"Bearer {self.key}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            answer_headers = {name.lower(): value for name, value in response.getheaders()}
        finally:
            connection.close()
        try:
            document = json.loads(payload)
        except ValueError:
            document = {"unparsed": payload[:200].decode(errors="replace")}
        if not isinstance(document, dict):
            document = {"unparsed": str(document)[:200]}
        return response.status, answer_headers, document


def release_models(release: Path) -> tuple[dict[str, dict], str]:
    """The manifests of the release's models by name, and the default model's name."""
    manifests = {}
    for manifest_path in sorted((release / "models").glob("*/model.json")):
        manifest = json.loads(manifest_path.read_text())
        manifests[manifest["name"]] = dict(manifest, directory=manifest_path.parent)
    if not manifests:
        raise ProblemError(f"{release}/models holds no model")
    settings = (release / "release.env").read_text()
    found = re.search(r"^PREDICT_DEFAULT_MODEL=(\S+)$", settings, re.M)
    if found is None or found.group(1) not in manifests:
        raise ProblemError(f"{release}/release.env names no model of the release as the default")
    return manifests, found.group(1)


def first_golden_case(directory: Path) -> dict | None:
    golden = directory / "golden.jsonl"
    if not golden.exists():
        return None
    with golden.open() as cases:
        for line in cases:
            if line.strip():
                return json.loads(line)
    return None


def check_prediction(client: Client, path: str, name: str, manifest: dict) -> str:
    case = first_golden_case(manifest["directory"])
    if case is None:
        return f"{name}: no golden case"
    status, _, answer = client.request("POST", path, json.dumps(case["input"]).encode())
    served = answer.get("model", {})
    want = case["expected"]["label"]
    if (
        status != 200
        or served.get("name") != name
        or served.get("version") != manifest["version"]
        or answer.get("label") != want
    ):
        raise ProblemError(
            f"POST {path} of golden case {case['id']} answered {status}, model {served!r}, "
            f"label {answer.get('label')!r}; expected 200, {name} {manifest['version']}, {want!r}"
        )
    return f"{path} {want}"


def check(client: Client, release: Path) -> str:
    manifests, default = release_models(release)
    status, _, health = client.request("GET", "/health", authorized=False)
    if status != 200:
        raise ProblemError(f"GET /health answered {status}: {health}")

    status, headers, _ = client.request("GET", "/models", authorized=False)
    if status != 401 or not headers.get("www-authenticate", "").startswith("Bearer"):
        raise ProblemError(
            f"GET /models without a key answered {status} "
            f"(WWW-Authenticate {headers.get('www-authenticate')!r}): API keys are not on"
        )

    status, _, listing = client.request("GET", "/models")
    served = {
        entry.get("name"): (entry.get("version"), entry.get("default"))
        for entry in listing.get("models", [])
        if isinstance(entry, dict)
    }
    wanted = {name: (m["version"], name == default) for name, m in manifests.items()}
    if status != 200 or served != wanted:
        raise ProblemError(f"GET /models answered {status} with {served}, expected {wanted}")

    seen = []
    for name, manifest in manifests.items():
        status, _, metadata = client.request("GET", f"/v2/models/{name}")
        versions = metadata.get("versions") or []
        if status != 200 or manifest["version"] not in versions:
            raise ProblemError(
                f"GET /v2/models/{name} answered {status} with versions {versions!r}, "
                f"expected {manifest['version']!r} among them"
            )
        seen.append(check_prediction(client, f"/models/{name}/predict", name, manifest))
    seen.append(check_prediction(client, "/predict", default, manifests[default]))
    models = ", ".join(
        f"{name} {m['version']}{' (default)' if name == default else ''}"
        for name, m in manifests.items()
    )
    return f"{models}; golden answers: {', '.join(seen)}; no key: 401"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("domain", help="the name nginx serves (a domain or an IP address)")
    parser.add_argument("release", type=Path, help="the release folder to expect")
    parser.add_argument("chain", help="PEM of the certificate's issuer")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per request")
    parser.add_argument(
        "--key-file",
        default="/etc/predict-fcgi/healthcheck.key",
        help="a file holding an API key the worker accepts",
    )
    arguments = parser.parse_args()
    try:
        key = Path(arguments.key_file).read_text().strip()
        client = Client(arguments.domain, arguments.chain, arguments.timeout, key)
        print(f"healthcheck: ok: {check(client, arguments.release)}")
        return 0
    except ProblemError as problem:
        print(f"healthcheck: {problem}", file=sys.stderr)
    except (OSError, ssl.SSLError, http.client.HTTPException) as error:
        print(f"healthcheck: no answer over HTTPS: {error}", file=sys.stderr)
    except (ValueError, KeyError) as error:
        print(f"healthcheck: unreadable release or answer: {error!r}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
