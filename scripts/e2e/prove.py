#!/usr/bin/env python3
"""`make e2e`: the production path proven on a real systemd host.

Boots a throw-away Debian 12 host (scripts/e2e/host), starts Pebble (scripts/e2e/pebble),
deploys with ansible/deploy.yml without a domain, as a first deploy to a fresh instance does,
a release of two models (bank-marketing and customer-tier, scripts/e2e/second_model.py) with
API keys from an Ansible Vault file, then checks what a client and an operator would: HTTPS
to the bare IP address verified against the ACME CA, each model's version, the JSON 401
without a key, /metrics from the host and the JSON 403 from outside, stub_status and the node
exporter on loopback only, memory, the request id, the smoke test, redirects, headers, the
JSON 429, idempotence, --check, a revoked key refused after a reload without a restart, the
unit's exposure, renewal and its schedule, zero failed requests through a new release, a
refused one, an unhealthy one that is rolled back, a killed and a crash-looping worker and a
reboot, then a switch to a domain and a switch to another ACME server, each re-issuing.
Prints a table of every check with its figure, and destroys everything it made, also when a
step fails.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import second_model
from loadloop import LoadLoop
from probes import Target

REPO = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("E2E_DIR", REPO / ".run/e2e")).resolve()
DOMAIN = "predict.e2e.test"
PYTHON_BIN = Path(sys.executable).parent
HOST = REPO / "scripts/e2e/host"
PEBBLE = REPO / "scripts/e2e/pebble"
RECAP = re.compile(r"^\S+\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
DEFAULT_MODEL = "bank-marketing"
NGINX_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
# Resident memory by command name on the host, in KiB, from /proc (the host has no procps).
RSS_BY_COMMAND = """python3 - <<'PY'
import json, os
totals = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        comm = open(f"/proc/{pid}/comm").read().strip()
        lines = open(f"/proc/{pid}/status").read().splitlines()
    except OSError:
        continue
    rss = [int(line.split()[1]) for line in lines if line.startswith("VmRSS:")]
    totals[comm] = totals.get(comm, 0) + sum(rss)
print(json.dumps(totals))
PY"""


SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Server": "nginx",
}


class CheckFailedError(Exception):
    pass


@dataclass
class Check:
    name: str
    ok: bool
    figure: str


class Proof:
    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.started = time.monotonic()

    def record(self, name: str, ok: bool, figure: str) -> None:
        self.checks.append(Check(name, ok, figure))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}", flush=True)

    def require(self, name: str, ok: bool, figure: str) -> None:
        self.record(name, ok, figure)
        if not ok:
            raise CheckFailedError(name)

    def table(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = [f"{'check':<{width}}  result  figure", f"{'-' * width}  ------  ------"]
        for check in self.checks:
            result = "pass" if check.ok else "FAIL"
            lines.append(f"{check.name:<{width}}  {result:<6}  {check.figure}")
        passed = sum(check.ok for check in self.checks)
        minutes = (time.monotonic() - self.started) / 60
        lines.append(f"{passed}/{len(self.checks)} checks passed in {minutes:.1f} min")
        return "\n".join(lines)


def run(*command: object, check: bool = True, timeout: float = 900) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def on_host(command: str, check: bool = True) -> str:
    return run(HOST, "ssh", command, check=check).strip()


def keep_host_logs() -> None:
    """After an unexpected failure, before the host is destroyed: the worker's journal and
    nginx's error log, into RUN/logs for whoever reads the failure."""
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    for name, command in (
        ("host-worker-journal.log", "journalctl -u predict-fcgi.service -o short-precise"),
        ("host-nginx-error.log", "tail -n 500 /var/log/nginx/error.log"),
    ):
        with contextlib.suppress(Exception):
            (RUN / "logs" / name).write_text(on_host(command, check=False) + "\n")


@dataclass
class PlayResult:
    returncode: int
    changed: int
    failed: int
    seconds: float
    output: str


@dataclass
class Keys:
    """The clients' API keys as an operator keeps them, in Ansible Vault files: one with every
    client, one without `partner`, whose deploy revokes that key."""

    e2e: str
    partner: str
    everyone: Path
    revoked: Path
    password: Path


def make_keys() -> Keys:
    folder = RUN / "keys"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    password = folder / "vault-password"
    password.write_text(secrets.token_urlsafe(24) + "\n")
    e2e, partner = (f"pf_{secrets.token_urlsafe(32)}" for _ in range(2))
    files = {}
    for name, clients in (
        ("everyone", {"e2e": e2e, "partner": partner}),
        ("revoked", {"e2e": e2e}),
    ):
        files[name] = folder / f"{name}.yml"
        files[name].write_text(json.dumps({"app_api_keys": clients}) + "\n")
        run(PYTHON_BIN / "ansible-vault", "encrypt", "--vault-password-file", password, files[name])
    (folder / "e2e.key").write_text(e2e + "\n")
    return Keys(e2e, partner, files["everyone"], files["revoked"], password)


class Playbooks:
    def __init__(self, inventory: Path, keys: Keys) -> None:
        self.inventory = inventory
        self.keys = keys
        # The vault every run passes, as `make deploy KEYS_VARS=... VAULT_PASSWORD_FILE=...`.
        self.keys_file = keys.everyone
        self.runs = 0

    def run(self, playbook: str, release: Path | None = None, *extra: str) -> PlayResult:
        self.runs += 1
        command = [PYTHON_BIN / "ansible-playbook", "-i", self.inventory, REPO / playbook]
        command += ["-e", f"@{self.keys_file}", "--vault-password-file", self.keys.password]
        if release is not None:
            command += ["-e", f"predict_release_archive={release}"]
        command += list(extra)
        environment = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible/ansible.cfg"))
        environment["PATH"] = f"{PYTHON_BIN}:{environment['PATH']}"
        started = time.monotonic()
        result = subprocess.run(
            [str(part) for part in command],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
            timeout=1200,
        )
        seconds = time.monotonic() - started
        output = result.stdout + result.stderr
        name = f"{self.runs:02d}-{Path(playbook).stem}-{release.name if release else 'none'}"
        (RUN / "logs").mkdir(exist_ok=True)
        (RUN / "logs" / f"{name}.log").write_text(output)
        recap = RECAP.findall(output)
        changed = sum(int(row[1]) for row in recap)
        failed = sum(int(row[3]) + int(row[2]) for row in recap)
        return PlayResult(result.returncode, changed, failed, seconds, output)


def model_copy(tag: str, version: str) -> Path:
    """bank-marketing under another version, in a folder of its own."""
    model = RUN / "models" / tag / DEFAULT_MODEL
    shutil.rmtree(model, ignore_errors=True)
    shutil.copytree(REPO / "models/bank-marketing", model)
    manifest_path = model / "model.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["version"] = version
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return model


def release(*models: Path) -> Path:
    return Path(
        run(
            REPO / "scripts/release", "--out", RUN / "releases", "--default", DEFAULT_MODEL, *models
        ).strip()
    )


def make_releases() -> dict[str, Path]:
    """The releases the checks deploy, each bank-marketing (the default model) and
    customer-tier: two good ones with different bank-marketing versions, one whose
    bank-marketing is corrupt, one whose worker passes the check but never answers."""
    shutil.rmtree(RUN / "releases", ignore_errors=True)
    second = second_model.build(RUN / "models" / second_model.NAME)
    releases = {
        "v1": release(REPO / "models" / DEFAULT_MODEL, second),
        "v2": release(model_copy("v2", "1.0.1"), second),
    }
    corrupt = model_copy("corrupt", "1.0.2")
    onnx = corrupt / "model.onnx"
    onnx.write_bytes(onnx.read_bytes()[: onnx.stat().st_size // 2])
    releases["corrupt"] = release(corrupt, second)

    stage = RUN / "stage-unhealthy"
    shutil.rmtree(stage, ignore_errors=True)
    with tarfile.open(release(model_copy("unhealthy", "1.0.3"), second)) as tarball:
        tarball.extractall(stage, filter="tar")
    binary = stage / "bin/predict-fcgi"
    binary.rename(stage / "bin/predict-fcgi.real")
    binary.write_text(
        "#!/bin/sh\n"
        "# e2e: passes the pre-flight check, but its worker never answers a request.\n"
        'if [ "$1" = serve ]; then exec sleep infinity; fi\n'
        'exec "$(dirname "$0")/predict-fcgi.real" "$@"\n'
    )
    binary.chmod(0o755)
    releases["unhealthy"] = RUN / "releases" / "predict-fcgi-1.0.3-unhealthy.tar.gz"
    with tarfile.open(releases["unhealthy"], "w:gz") as tarball:
        for part in ("bin", "models", "release.env"):
            tarball.add(stage / part, part)
    shutil.rmtree(stage)
    return releases


def write_inventory(gateway: str, address: str, directory: str) -> Path:
    """The host with no predict_domain: served as its IP address, like a fresh instance."""
    inventory = RUN / "inventory.yml"
    listener_ca = RUN / "pebble/listener-ca.pem"
    inventory.write_text(f"""predict:
  hosts:
    predict-e2e:
      ansible_host: {address}
      ansible_user: root
      ansible_ssh_private_key_file: {RUN / 'id_ed25519'}
      ansible_ssh_common_args: >-
        -o UserKnownHostsFile={RUN / 'known_hosts'} -o StrictHostKeyChecking=accept-new
  vars:
    tls_acme_directory: {directory}
    tls_acme_ca_pem: "{{{{ lookup('ansible.builtin.file', '{listener_ca}') }}}}"
    tls_email: ops@{DOMAIN}
    # Above the load loop's ~120 requests/s, below what the 429 check sends; the load loop
    # sends them all with one key.
    nginx_rate: 200
    nginx_burst: 100
    nginx_key_rate: 200
    nginx_key_burst: 100
""")
    return inventory


def wait_until(probe, seconds: float) -> float | None:
    """Seconds until probe() is true, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if probe():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - anything short of success means "not yet"
            pass
        time.sleep(0.5)
    return None


def served_version(target: Target) -> str:
    """The default model's version, as GET /models says."""
    status, _, body = target.request("GET", "/models")
    if status != 200:
        return f"HTTP {status}"
    return next(m["version"] for m in json.loads(body)["models"] if m.get("default"))


def prove(proof: Proof) -> None:
    """Every stage in order; a stage's failed `require` ends the proof there."""
    address, gateway, directory = boot_host(proof)
    releases = make_releases()
    keys = make_keys()
    playbooks = Playbooks(write_inventory(gateway, address, directory), keys)
    target = first_deploy(proof, playbooks, releases["v1"], address, keys)
    models_over_https(proof, target)
    keys_required(proof, target, keys)
    metrics_restricted(proof, target)
    host_monitoring(proof, address)
    request_ids(proof, target)
    smoke_test(proof, target, keys)
    tls_and_redirects(proof, target, address)
    security_headers(proof, target)
    proof.record(*rate_limit(target))
    proof.record(*nginx_refusals(target))
    idempotence(proof, playbooks, releases["v1"])
    revocation(proof, playbooks, target, releases["v1"])
    unit_exposure(proof)
    renewal(proof, target, directory)
    releases_under_load(proof, playbooks, target, releases)
    rollback_and_pruning(proof, playbooks, target, releases["v2"])
    killed_worker(proof, target)
    crash_looping_worker(proof, target)
    reboot(proof, target)
    switches(proof, playbooks, releases["v2"], address, gateway)


def boot_host(proof: Proof) -> tuple[str, str, str]:
    """The throw-away host and Pebble: the host's address, its gateway and the ACME
    directory."""
    started = time.monotonic()
    cached = any(Path(os.environ.get("E2E_CACHE", "/var/cache/predict-fcgi-e2e")).glob("*.tar"))
    run(HOST, "create")
    proof.require(
        "host boots (Debian 12, systemd PID 1, SSH)",
        on_host("systemctl is-system-running --wait", check=False) in ("running", "degraded"),
        f"{time.monotonic() - started:.0f} s ({'cached' if cached else 'cold'} rootfs)",
    )
    address = run(HOST, "address").strip()
    gateway = run(HOST, "gateway").strip()
    directory = run(PEBBLE, "start", address, gateway).strip()
    proof.record("Pebble with real HTTP-01 validation", True, directory)
    return address, gateway, directory


def first_deploy(
    proof: Proof, playbooks: Playbooks, release: Path, address: str, keys: Keys
) -> Target:
    """deploy.yml on the bare host, then one prediction over HTTPS to its IP address: the
    client every later check uses."""
    first = playbooks.run("ansible/deploy.yml", release)
    proof.require(
        "deploy.yml on the bare host",
        first.returncode == 0,
        f"{first.seconds:.0f} s, changed={first.changed}, failed={first.failed}",
    )
    target = Target(address, address, run(PEBBLE, "roots"), keys.e2e)
    status, _, body = target.request(
        "POST", "/predict", (REPO / "examples/client.json").read_bytes()
    )
    answer = json.loads(body)
    proof.require(
        f"POST https://{address}/predict with a key, the IP certificate verified against "
        "Pebble's root",
        status == 200 and answer["model"]["version"] == "1.0.0",
        f"{status}, label {answer.get('label')!r}, version {answer['model']['version']}",
    )
    return target


def tls_and_redirects(proof: Proof, target: Target, address: str) -> None:
    """The certificate and the handshake, then plain HTTP: redirected to HTTPS at the
    configured host, except the ACME challenge path."""
    handshake = target.handshake()
    proof.record(
        "certificate for the IP address alone (Pebble 2.6, no profiles offered)",
        handshake["names"] == [address],
        f"names {handshake['names']}, valid {handshake['not_before']} → {handshake['not_after']}",
    )
    proof.record(
        "TLS: protocol, HTTP/2 by ALPN, issuer",
        handshake["version"] == "TLSv1.3" and handshake["alpn"] == "h2",
        f"{handshake['version']}, ALPN {handshake['alpn']}, issuer {handshake['issuer']!r}",
    )
    status, headers = target.plain_http("/predict?x=1")
    proof.record(
        "HTTP redirects to HTTPS",
        status == 301 and headers.get("Location") == f"https://{address}/predict?x=1",
        f"{status} → {headers.get('Location')}",
    )
    status, headers = target.plain_http("/predict", host="attacker.example")
    proof.record(
        "the redirect names the configured host, not the request's Host header",
        status == 301 and headers.get("Location") == f"https://{address}/predict",
        f"Host: attacker.example → {headers.get('Location')}",
    )
    status, headers = target.plain_http("/.well-known/acme-challenge/missing")
    proof.record("ACME challenge path stays on HTTP", status == 404, f"{status}, not redirected")


def security_headers(proof: Proof, target: Target) -> None:
    _, headers, _ = target.request("GET", "/health")
    missing = {
        name: headers.get(name)
        for name, value in SECURITY_HEADERS.items()
        if headers.get(name) != value
    }
    proof.record(
        "security headers, server_tokens off",
        not missing,
        "HSTS, nosniff, DENY, 'Server: nginx'" if not missing else f"wrong: {missing}",
    )


def idempotence(proof: Proof, playbooks: Playbooks, release: Path) -> None:
    """The same release again changes nothing, and neither does --check."""
    second = playbooks.run("ansible/deploy.yml", release)
    proof.record(
        "second deploy of the same release is a no-op",
        second.returncode == 0 and second.changed == 0,
        f"changed={second.changed}, {second.seconds:.0f} s",
    )
    dry = playbooks.run("ansible/deploy.yml", release, "--check")
    proof.record(
        "deploy.yml --check",
        dry.returncode == 0 and dry.changed == 0,
        f"changed={dry.changed}, failed={dry.failed}",
    )


def unit_exposure(proof: Proof) -> None:
    exposure_line = on_host("systemd-analyze security --no-pager predict-fcgi.service | tail -n 1")
    exposure = float(re.search(r"level for \S+: ([\d.]+)", exposure_line).group(1))
    proof.record("systemd-analyze security on the host", exposure <= 2.0, f"exposure {exposure}")


def releases_under_load(
    proof: Proof, playbooks: Playbooks, target: Target, releases: dict[str, Path]
) -> None:
    """Deploys while the load loop runs: v2 switches with no request lost, the corrupt
    release is refused and the unhealthy one rolled back, both with v2 serving on."""
    body = (REPO / "examples/client.json").read_bytes()
    with LoadLoop(target, body) as load:
        time.sleep(2)
        result = playbooks.run("ansible/deploy.yml", releases["v2"])
        time.sleep(2)
    proof.record(
        "deploy v2 under load: no request lost, version switches",
        result.returncode == 0
        and load.report.failed == 0
        and load.report.versions[-1:] == ["1.0.1"],
        f"{load.report.summary()}; deploy {result.seconds:.0f} s",
    )

    with LoadLoop(target, body) as load:
        time.sleep(1)
        result = playbooks.run("ansible/deploy.yml", releases["corrupt"])
        time.sleep(1)
    refused = "Pre-flight check refused release" in result.output
    proof.record(
        "corrupt model refused by the pre-flight gate, old version serves",
        result.returncode != 0
        and refused
        and load.report.failed == 0
        and load.report.versions == ["1.0.1"],
        f"{'refused' if refused else 'NOT refused'}; {load.report.summary()}",
    )

    with LoadLoop(target, body) as during:
        result = playbooks.run("ansible/deploy.yml", releases["unhealthy"])
    rolled_back = "Rolled back to" in result.output
    with LoadLoop(target, body) as after:
        time.sleep(5)
    proof.record(
        "unhealthy release rolled back automatically",
        result.returncode != 0
        and rolled_back
        and after.report.failed == 0
        and after.report.versions == ["1.0.1"],
        f"during the {result.seconds:.0f} s play: {during.report.summary()}; "
        f"after: {after.report.summary()}",
    )


def rollback_and_pruning(proof: Proof, playbooks: Playbooks, target: Target, v2: Path) -> None:
    """rollback.yml back to v1, then v2 again, which prunes the old releases."""
    result = playbooks.run("ansible/rollback.yml")
    version = served_version(target)
    proof.record(
        "rollback.yml returns to the previous release",
        result.returncode == 0 and version == "1.0.0",
        f"serving {version}, {result.seconds:.0f} s",
    )
    # Six older releases left by earlier deploys: the next deploy keeps the newest five.
    on_host(
        "for n in 1 2 3 4 5 6; do d=/opt/predict-fcgi/releases/old-$n; mkdir -p $d; "
        'touch -d "$n days ago" $d; done'
    )
    result = playbooks.run("ansible/deploy.yml", v2)
    proof.require(
        "deploy v2 again after the rollback",
        result.returncode == 0 and served_version(target) == "1.0.1",
        f"serving {served_version(target)}",
    )
    kept = on_host("ls -t /opt/predict-fcgi/releases").split()
    current = Path(on_host("readlink /opt/predict-fcgi/current")).name
    proof.record(
        "old releases pruned to the newest 5",
        len(kept) == 5 and current in kept and "old-6" not in kept,
        f"kept {', '.join(kept)}",
    )


def killed_worker(proof: Proof, target: Target) -> None:
    body = (REPO / "examples/client.json").read_bytes()
    with LoadLoop(target, body) as load:
        time.sleep(1)
        before = main_pid()
        on_host(f"kill -9 {before}")
        back = restarted(30, before)
        time.sleep(3)
    # As in the crash loop below: SIGKILL loses the request the worker is answering at that
    # instant (nginx answers it with the JSON 502); every request queued meanwhile is served.
    proof.record(
        "kill -9 the worker: systemd restarts it, socket keeps connections",
        back is not None and load.report.failed <= 1,
        f"restarted after {back or 0:.1f} s; {load.report.summary()} "
        "(at most the one request in flight lost)",
    )


def crash_looping_worker(proof: Proof, target: Target) -> None:
    body = (REPO / "examples/client.json").read_bytes()
    with LoadLoop(target, body) as load:
        kills, back = crash_loop(8)
        time.sleep(2)
    # SIGKILL loses the one request the worker is answering at that moment (nginx answers it
    # with the JSON 502); everything queued on the socket meanwhile must be answered.
    proof.record(
        "crash loop: 8 kill -9 in a row, systemd keeps bringing the worker back",
        kills == 8 and back is not None and load.report.failed <= kills,
        f"{kills} kills, answering {back or 0:.1f} s after the last; {load.report.summary()} "
        f"(at most one request in flight lost per kill)",
    )


def reboot(proof: Proof, target: Target) -> None:
    on_host("systemctl reboot", check=False)
    started = time.monotonic()
    time.sleep(2)
    run(HOST, "wait", "120")
    answered = wait_until(lambda: served_version(target) == "1.0.1", 60)
    proof.record(
        "reboot: the service comes back by itself with TLS",
        answered is not None,
        f"HTTPS answers {time.monotonic() - started:.0f} s after the reboot command",
    )


def main_pid() -> str:
    return on_host("systemctl show -p MainPID --value predict-fcgi.service")


def golden_case(model: Path) -> dict:
    with (model / "golden.jsonl").open() as cases:
        return json.loads(cases.readline())


def models_over_https(proof: Proof, target: Target) -> None:
    """Both models of the release, each at its version: listed, described by the Open
    Inference Protocol's metadata, and answering its golden case at its own route."""
    status, _, body = target.request("GET", "/models")
    listing = json.loads(body).get("models", []) if status == 200 else []
    served = {m.get("name"): (m.get("version"), m.get("default")) for m in listing}
    second = RUN / "models" / second_model.NAME
    wanted = {
        DEFAULT_MODEL: (
            json.loads((REPO / "models" / DEFAULT_MODEL / "model.json").read_text())["version"],
            True,
        ),
        second_model.NAME: (json.loads((second / "model.json").read_text())["version"], False),
    }
    metadata = {}
    answers = {}
    for name, model in (
        (DEFAULT_MODEL, REPO / "models" / DEFAULT_MODEL),
        (second_model.NAME, second),
    ):
        status, _, body = target.request("GET", f"/v2/models/{name}")
        metadata[name] = json.loads(body).get("versions", []) if status == 200 else f"HTTP {status}"
        case = golden_case(model)
        status, _, body = target.request(
            "POST", f"/models/{name}/predict", json.dumps(case["input"]).encode()
        )
        answer = json.loads(body) if status == 200 else {}
        answers[name] = (
            answer.get("label") == case["expected"]["label"]
            and answer.get("model", {}).get("version") == wanted[name][0]
        )
    proof.require(
        "each model's version over HTTPS: /models, /v2/models/{name}, /models/{name}/predict",
        served == wanted
        and all(wanted[name][0] in versions for name, versions in metadata.items())
        and all(answers.values()),
        ", ".join(
            f"{name} {version}{' (default)' if default else ''}: v2 versions {metadata.get(name)}, "
            f"golden case {'answered' if answers.get(name) else 'WRONG'}"
            for name, (version, default) in served.items()
        )
        or f"GET /models: {listing}",
    )


def keys_required(proof: Proof, target: Target, keys: Keys) -> None:
    """Keys on by default: no key and a wrong key get the JSON 401; the health checks stay
    open; every client's key works."""
    body = (REPO / "examples/client.json").read_bytes()
    refusals = {
        "no key": target.request("POST", "/predict", body, authorized=False),
        "a wrong key": target.request(
            "POST", "/predict", body, key=f"pf_{secrets.token_urlsafe(32)}"
        ),
        "a malformed header": target.request(
            "GET", "/models", authorized=False, headers={"Authorization": f"Basic {keys.e2e}"}
        ),
    }

    def refused(answer: tuple[int, dict[str, str], bytes]) -> bool:
        status, headers, payload = answer
        try:
            error = json.loads(payload)["error"]
        except (ValueError, KeyError, TypeError):
            return False
        return (
            status == 401
            and bool(error)
            and headers.get("WWW-Authenticate", "").startswith("Bearer realm=")
        )

    open_routes = {
        path: target.request("GET", path, authorized=False)[0]
        for path in ("/health", "/v2/health/live", "/v2/health/ready")
    }
    partner = target.request("POST", "/predict", body, key=keys.partner)[0]
    proof.record(
        "API keys on: no key or a wrong one gets a JSON 401 with WWW-Authenticate; health open",
        all(refused(answer) for answer in refusals.values())
        and set(open_routes.values()) == {200}
        and partner == 200,
        "; ".join(f"{what}: {answer[0]}" for what, answer in refusals.items())
        + f"; {', '.join(f'{path} {status}' for path, status in open_routes.items())} without one"
        + f"; partner's key: {partner}; WWW-Authenticate: "
        + repr(refusals["no key"][1].get("WWW-Authenticate")),
    )


def metrics_restricted(proof: Proof, target: Target) -> None:
    """The worker's /metrics through nginx: from the host itself (HTTPS on loopback and the
    loopback-only plain-HTTP server), and a JSON 403 from here, outside the host."""
    scraped = on_host("curl -sk -w '\\n%{http_code}' https://127.0.0.1/metrics", check=False)
    text, _, code = scraped.rpartition("\n")
    local = on_host("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8081/metrics")
    families = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    info = [line for line in text.splitlines() if line.startswith("predict_model_info{")]
    models = sorted(
        m for m in (DEFAULT_MODEL, second_model.NAME) if any(m in line for line in info)
    )
    # promtool as scripts/install-deps unpacks it into the virtualenv (profile e2e).
    checked = subprocess.run(
        [str(REPO / ".venv" / "bin" / "promtool"), "check", "metrics"],
        input=text + "\n",
        capture_output=True,
        text=True,
    )
    problems = (checked.stdout + checked.stderr).strip()
    clean = checked.returncode == 0 and not problems
    lint = "promtool check metrics: clean" if clean else f"promtool: {problems[:160]}"
    proof.record(
        "/metrics from the host itself (https://127.0.0.1 and http://127.0.0.1:8081)",
        code == "200"
        and clean
        and local == "200"
        and len(models) == 2
        and "predict_requests_total" in families,
        f"{code} and {local}, {len(families)} metric families, predict_model_info for "
        f"{', '.join(models) or 'NO MODEL'}; {lint}",
    )
    answers = {
        path: target.request("GET", path, authorized=False)
        for path in ("/metrics", "/metrics/node")
    }

    def forbidden(answer: tuple[int, dict[str, str], bytes]) -> bool:
        status, headers, payload = answer
        try:
            code = json.loads(payload)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return False
        return (
            status == 403
            and code == "forbidden"
            and headers.get("Strict-Transport-Security") is not None
        )

    proof.record(
        "/metrics from outside the host: JSON 403 (nginx_metrics_allow empty)",
        all(forbidden(answer) for answer in answers.values()),
        ", ".join(f"{path} {answer[0]} {answer[2][:60]!r}" for path, answer in answers.items()),
    )


def refused_connection(address: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(3)
        return probe.connect_ex((address, port)) != 0


def host_monitoring(proof: Proof, address: str) -> None:
    """The node exporter and stub_status answer on the host's loopback and nowhere else; and
    what the service's processes take of a 1 GiB host."""
    node = on_host("curl -s http://127.0.0.1:9100/metrics", check=False)
    collectors = sorted(
        re.findall(r'^node_scrape_collector_success\{collector="([^"]+)"\} 1$', node, re.M)
    )
    status_page = on_host("curl -s http://127.0.0.1:8081/nginx_status", check=False)
    closed = {port: refused_connection(address, port) for port in (9100, 8081)}
    proof.record(
        "node exporter and stub_status on the host's loopback only",
        "node_memory_MemAvailable_bytes" in node
        and status_page.startswith("Active connections:")
        and all(closed.values()),
        f"node exporter collectors {', '.join(collectors)}; stub_status "
        f"{status_page.splitlines()[0] if status_page else 'NO ANSWER'!r}; from outside "
        + ", ".join(f"{port} {'refused' if shut else 'OPEN'}" for port, shut in closed.items()),
    )
    rss = json.loads(on_host(RSS_BY_COMMAND))
    exporter = rss.get("prometheus-node", 0)
    parts = {
        "node exporter": exporter,
        "worker (2 models)": rss.get("predict-fcgi", 0),
        "nginx": rss.get("nginx", 0),
    }
    total = sum(rss.values())
    proof.record(
        "memory within a 1 GiB host",
        0 < exporter < 64 * 1024 and total < 512 * 1024,
        ", ".join(f"{what} {kib / 1024:.1f} MiB" for what, kib in parts.items())
        + f"; every process on the host {total / 1024:.0f} MiB",
    )


def request_ids(proof: Proof, target: Target) -> None:
    """A client's X-Request-ID comes back and is in nginx's access log (and, if the worker
    logs the request, in its journal); without one nginx makes one."""
    offered = f"e2e-{secrets.token_hex(8)}"
    status, headers, _ = target.request("GET", "/models", headers={"X-Request-ID": offered})
    _, made, _ = target.request("GET", "/health", authorized=False)
    log = "/var/log/nginx/predict-fcgi.access.log"
    # The line ends with the key's name, from the worker's X-Predict-Client (never the key).
    client = on_host(
        f"grep -o -- 'id={offered} client=[A-Za-z0-9._-]*$' {log} | tail -n 1 | cut -d= -f3"
    ).strip()
    journal = on_host(f"journalctl -u predict-fcgi.service -o cat | grep -c -- '{offered}' || true")
    proof.record(
        "X-Request-ID echoed and in the access log with the key's name; nginx makes one when "
        "the client sends none",
        status == 200
        and headers.get("X-Request-ID") == offered
        and client not in ("", "-")
        and "X-Predict-Client" not in headers
        and bool(NGINX_REQUEST_ID.match(made.get("X-Request-ID", ""))),
        f"{offered}: echoed, in the access log as client={client or 'NONE'}, {journal} worker "
        f"log line(s) (requests are logged at debug); none sent: {made.get('X-Request-ID')}",
    )


def smoke_test(proof: Proof, target: Target, keys: Keys) -> None:
    roots = RUN / "pebble-roots.pem"
    roots.write_text(target.root_pem)
    smoke = subprocess.run(
        [REPO / "scripts/smoke", "--cacert", roots, "--key-file", keys.everyone.parent / "e2e.key"]
        + ["--retries", "1", f"https://{target.domain}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    lines = (smoke.stdout + smoke.stderr).strip().splitlines()
    proof.record(
        "scripts/smoke (make smoke) with a key",
        smoke.returncode == 0,
        "; ".join(line for line in lines if not line.startswith("probabilities")) or "no output",
    )


def revocation(proof: Proof, playbooks: Playbooks, target: Target, release: Path) -> None:
    """partner's key removed from app_api_keys: the next deploy reloads the worker (same
    main PID) and the key is refused from then on; the other client's key still works."""
    before_pid = main_pid()
    before = target.request("GET", "/models", key=playbooks.keys.partner)[0]
    playbooks.keys_file = playbooks.keys.revoked
    result = playbooks.run("ansible/deploy.yml", release)
    refused_after = wait_until(
        lambda: target.request("GET", "/models", key=playbooks.keys.partner)[0] == 401, 15
    )
    still = target.request("GET", "/models")[0]
    after_pid = main_pid()
    keys_file = "/etc/predict-fcgi/api-keys"
    mode = on_host(f"stat -c '%a %U:%G' {keys_file}")
    plain = on_host(f"grep -c -F -- '{playbooks.keys.e2e}' {keys_file} || true")
    names = on_host(
        f"sed -n 's/^\\([A-Za-z0-9._-]*\\) [0-9a-f]\\{{64\\}}$/\\1/p' {keys_file}"
    ).split()
    reloaded = "RUNNING HANDLER [app : Reload the worker's keys]" in result.output
    proof.record(
        "a key removed from app_api_keys is refused after the deploy, by a reload (same MainPID)",
        result.returncode == 0
        and before == 200
        and refused_after is not None
        and still == 200
        and before_pid == after_pid
        and reloaded
        and mode == "640 root:predict-fcgi"
        and plain == "0"
        and names == ["healthcheck", "e2e"],
        f"partner {before} → 401 {refused_after if refused_after is not None else -1:.1f} s after "
        f"the play; e2e {still}; MainPID {before_pid} → {after_pid}; changed={result.changed}; "
        f"api-keys {mode}, names {names}, hashes only (raw keys found: {plain})",
    )


def restarted(seconds: float, old_pid: str) -> float | None:
    """Seconds until the worker runs under a main PID other than old_pid, or None."""
    return wait_until(lambda: main_pid() not in ("0", old_pid), seconds)


def crash_loop(kills: int) -> tuple[int, float | None]:
    """kill -9 the worker as soon as each restart has a new main PID; then seconds until it
    runs again after the last kill (None if systemd gave up)."""
    pid = "0"
    for done in range(kills):
        if restarted(10, pid) is None:
            return done, None
        pid = main_pid()
        on_host(f"kill -9 {pid}", check=False)
    return kills, restarted(15, pid)


def second_pebble(*arguments: str) -> str:
    """scripts/e2e/pebble for the second, independent ACME server."""
    return subprocess.run(
        [str(PEBBLE), *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=dict(os.environ, PEBBLE_INSTANCE="b"),
    ).stdout


def switches(proof: Proof, playbooks: Playbooks, release: Path, address: str, gateway: str):
    """A domain after the bare IP, then another ACME server: each must re-issue at once."""
    target = Target(DOMAIN, address, run(PEBBLE, "roots"), playbooks.keys.e2e)
    result = playbooks.run("ansible/deploy.yml", release, "-e", f"predict_domain={DOMAIN}")
    handshake = target.handshake() if result.returncode == 0 else {"names": []}
    proof.record(
        "switch from the IP address to a domain re-issues the certificate",
        result.returncode == 0 and handshake["names"] == [DOMAIN],
        f"names {handshake['names']}, changed={result.changed}, {result.seconds:.0f} s",
    )
    directory = second_pebble("start", address, gateway).strip()
    roots = second_pebble("roots")
    # The new server, and its listener's CA for certbot to trust.
    switch = json.dumps(
        {
            "predict_domain": DOMAIN,
            "tls_acme_directory": directory,
            "tls_acme_ca_pem": (RUN / "pebble-b/listener-ca.pem").read_text(),
        }
    )
    result = playbooks.run("ansible/deploy.yml", release, "-e", switch)
    other = Target(DOMAIN, address, roots)
    try:
        issuer = other.handshake()["issuer"] if result.returncode == 0 else None
    except ssl.SSLError as error:
        issuer = f"not verified by the new CA: {error}"
    proof.record(
        "switch to another ACME server re-issues from it",
        result.returncode == 0 and issuer is not None and "not verified" not in issuer,
        f"{directory}: issuer {issuer!r}, changed={result.changed}",
    )
    result = playbooks.run("ansible/deploy.yml", release, "-e", switch)
    proof.record(
        "the deploy after a switch is a no-op again",
        result.returncode == 0 and result.changed == 0,
        f"changed={result.changed}",
    )


def rate_limit(target: Target) -> tuple[str, bool, str]:
    """Far more requests than the per-client burst, at once: some must get the JSON 429."""

    def burst(_: int) -> list[tuple[int, dict[str, str], bytes]]:
        connection = target.connect()
        answers = []
        for _ in range(25):
            connection.request("GET", "/health")
            response = connection.getresponse()
            answers.append((response.status, dict(response.getheaders()), response.read()))
        connection.close()
        return answers

    with ThreadPoolExecutor(16) as pool:
        answers = [answer for batch in pool.map(burst, range(16)) for answer in batch]
    limited = [(headers, body) for status, headers, body in answers if status == 429]
    is_json = all(json.loads(body)["error"]["code"] == "too_many_requests" for _, body in limited)
    wanted = dict(SECURITY_HEADERS, **{"Retry-After": "1"})
    headed = all(
        all(headers.get(name) == value for name, value in wanted.items()) for headers, _ in limited
    )
    return (
        "per-client rate limit answers a JSON 429 with Retry-After, HSTS and the rest",
        bool(limited) and is_json and headed,
        f"{len(limited)} of {len(answers)} burst requests got 429 "
        f"{'with the JSON error' if is_json else 'WITHOUT JSON'}, "
        f"{'every header' if headed else 'MISSING HEADERS: ' + str(limited[0][0])}",
    )


def nginx_refusals(target: Target) -> tuple[str, bool, str]:
    """Requests nginx refuses before the worker sees them: the JSON error, not nginx's HTML
    page, with Allow on the 405 and the security headers (Tests/e2e has the whole table)."""
    host = f"Host: {target.domain}\r\n".encode()
    cases = [
        (b"TRACE /predict HTTP/1.1\r\n" + host + b"\r\n", 405, "method_not_allowed"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n" + host + b"\r\n", 414, "uri_too_long"),
        (b"GET /health HTTP/2.0\r\n" + host + b"\r\n", 505, "http_version_not_supported"),
    ]
    found = []
    for request, status, code in cases:
        answer = target.raw(request)
        if answer is None:
            found.append((status, "closed", False))
            continue
        got, headers, body = answer
        try:
            is_json = json.loads(body)["error"]["code"] == code
        except (ValueError, KeyError, TypeError):
            is_json = False
        headed = all(headers.get(name) == value for name, value in SECURITY_HEADERS.items())
        allowed = status != 405 or headers.get("Allow") == "POST"
        found.append((got, "JSON" if is_json else "NOT JSON", got == status and headed and allowed))
    return (
        "nginx's own refusals (405 TRACE, 414, 505) are JSON errors with their headers",
        all(ok for _, _, ok in found),
        ", ".join(f"{got} {shape}" for got, shape, _ in found),
    )


def renewal(proof: Proof, target: Target, directory: str) -> None:
    before = target.handshake()["serial"]
    on_host("certbot renew --force-renewal --no-random-sleep-on-renew --quiet")
    changed = wait_until(lambda: target.handshake()["serial"] != before, 20)
    after = target.handshake()["serial"]
    proof.record(
        "certbot renew --force-renewal: nginx serves the new certificate",
        changed is not None,
        f"serial {before[-8:]} → {after[-8:]} (deploy hook reloaded nginx)",
    )
    dry = subprocess.run(
        [
            str(HOST),
            "ssh",
            f"certbot renew --dry-run --no-random-sleep-on-renew --server {directory}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    proof.record(
        "certbot renew --dry-run against the ACME server",
        dry.returncode == 0,
        "simulated renewal succeeded" if dry.returncode == 0 else dry.stderr[-200:],
    )
    timer = on_host("systemctl is-enabled certbot.timer", check=False)
    # A 160-hour certificate is due at half its life: the timer must come round well inside.
    schedule = on_host("sed -n 's/^OnCalendar=//p' /etc/systemd/system/certbot.timer")
    elapses = re.findall(
        r"(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+)",
        on_host(f"systemd-analyze calendar --iterations=3 '{schedule}'"),
    )
    moments = [time.mktime(time.strptime(moment, "%Y-%m-%d %H:%M:%S")) for moment in elapses]
    hours = [(later - earlier) / 3600 for earlier, later in zip(moments, moments[1:], strict=False)]
    proof.record(
        "certbot.timer renews often enough for a short-lived certificate",
        timer == "enabled" and bool(hours) and max(hours) <= 12,
        f"certbot.timer {timer}, runs {', '.join(f'{h:g}' for h in hours)} h apart "
        "(+ up to 1 h spread); due at 80 h of 160",
    )


def tear_down() -> None:
    for command in ([PEBBLE, "stop"], [HOST, "destroy"]):
        try:
            run(*command, check=False, timeout=120)
        except subprocess.TimeoutExpired:
            print(f"e2e: {command[0]} {command[1]} timed out", file=sys.stderr)
    try:
        second_pebble("stop")
    except (subprocess.SubprocessError, OSError) as error:
        print(f"e2e: stopping the second Pebble: {error}", file=sys.stderr)


def main() -> int:
    if os.geteuid() != 0:
        print(
            "make e2e needs root: it creates a bridge, NAT rules and a container", file=sys.stderr
        )
        return 2
    RUN.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(RUN / "logs", ignore_errors=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    proof = Proof()
    tear_down()  # whatever an interrupted run left behind
    try:
        prove(proof)
    except CheckFailedError:
        pass
    except Exception as error:  # noqa: BLE001 - reported in the table, then cleaned up
        proof.record("the proof ran to the end", False, f"{type(error).__name__}: {error}")
        keep_host_logs()
    finally:
        tear_down()
        left = run("sh", "-c", "ip -br link show pe2e0 2>/dev/null; pgrep -a pebble", check=False)
        proof.record(
            "everything made is destroyed", not left.strip(), left.strip() or "nothing left"
        )
        print()
        print(f"make e2e, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print(proof.table())
    return 0 if all(check.ok for check in proof.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
