#!/usr/bin/env python3
"""`make rehearse`: run the two GitHub workflows with act, in the CI image, against fakes.

    run.py [--commit REV] [--output FILE]

The workflows of commit REV (default HEAD) run with act (scripts/rehearse/requirements.txt)
in its host mode, inside a systemd-nspawn container whose rootfs is what the
swift:6.3.1-bookworm image holds (scripts/rehearse/rootfs) with this machine's Swift 6.3.1
laid over /usr read-only. Each workflow runs from a copy with only its `container:` key
removed (the nspawn container is that container); the third-party actions are replaced by
the stand-ins in scripts/rehearse/actions. Four runs:

1. ci.yml on a push of REV to main: its whole job must pass.
2. deploy.yml on the workflow_run event of that CI run: build the release, provision against
   moto (on loopback; its Elastic IP is the throw-away host), deploy to a throw-away systemd
   host (scripts/e2e/host) with Pebble as the ACME CA (scripts/e2e/pebble), smoke-test over
   HTTPS. Must pass.
3. deploy.yml again for a second commit whose model renamed its first input (clients still
   send the old name): the pre-flight golden check and the health check pass, the smoke
   test must fail, and the rollback and the smoke test after it must pass.
4. deploy.yml again for REV's event, as a re-run of run 2 after main has moved on to the
   second commit: it must refuse before building anything.

The seams are repository variables only: RUNNER_IP_URL (the runner's address, served on
loopback instead of checkip.amazonaws.com), ACME_SERVER (Pebble), and the variables a real
repository sets (AWS_REGION, AWS_ROLE_ARN, ACME_EMAIL). Prints a table of every job and
step with its result and time, writes it to FILE (default docs/proof/rehearse.txt), exits
non-zero when a run does not end as it should, and tears everything down, also on failure.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = REPO / "scripts/rehearse"
RUN = Path(os.environ.get("REHEARSE_DIR", REPO / ".run/rehearse")).resolve()
SHARE = RUN / "share"  # bound read-only at /rehearse in every container
HOST_DIR = RUN / "host"
ACT_VENV = RUN / "act-venv"  # kept between rehearsals, like .venv
CGROUP = Path("/sys/fs/cgroup/systemd/predict-rehearse")
REPOSITORY = os.environ.get("REHEARSE_REPOSITORY", "predict-fcgi/predict-fcgi")
# The git repository whose commits are rehearsed (a clone with commits of its own will do).
SOURCE = Path(os.environ.get("REHEARSE_SOURCE", REPO)).resolve()
# The throw-away host: its own name, bridge and network, apart from `make e2e`'s.
HOST_ENV = {
    "E2E_NAME": "predict-rehearse",
    "E2E_BRIDGE": "prh0",
    "E2E_NET": "10.213.9",
    "E2E_DIR": str(HOST_DIR),
    "E2E_CHAIN": "PREDICT-REHEARSE",
    # Pebble's DNS server beside make e2e's (8053).
    "PEBBLE_DNS_PORT": "8153",
}
GATEWAY = HOST_ENV["E2E_NET"] + ".1"
ADDRESS = HOST_ENV["E2E_NET"] + ".2"
# With vars.PREDICT_DOMAIN=sslip.io the deploy names the host after its address on sslip.io.
DOMAIN = ADDRESS.replace(".", "-") + ".sslip.io"
# Where the toolchain is on this machine; the image has it under /usr.
SWIFT_USR = Path(shutil.which("swift") or "/opt/swift/usr/bin/swift").resolve().parents[1]
STANDINS = {
    "actions/checkout": "checkout",
    "actions/cache": "cache",
    "aws-actions/configure-aws-credentials": "configure-aws-credentials",
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+)@([\w.-]+)", re.M)


class RehearsalError(Exception):
    pass


def log(message: str) -> None:
    print(f"rehearse: {message}", flush=True)


def run(*command: object, env: dict | None = None, check: bool = True, **kwargs) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        env=None if env is None else dict(os.environ, **env),
        check=False,
        **kwargs,
    )
    if check and result.returncode != 0:
        raise RehearsalError(
            f"{Path(str(command[0])).name} {command[1] if len(command) > 1 else ''} failed "
            f"({result.returncode}): {(result.stderr or result.stdout)[-2000:]}"
        )
    return result.stdout


def git(*args: object, cwd: Path = REPO, check: bool = True) -> str:
    return run("git", "-C", cwd, *args, check=check).strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- what the runs are given


def without_container(text: str) -> str:
    """The workflow with the `container:` key of its jobs removed (a one-line value or a
    block), and nothing else changed."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    skipping_deeper_than = -1
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if skipping_deeper_than >= 0:
            if not line.strip() or indent > skipping_deeper_than:
                continue
            skipping_deeper_than = -1
        if re.match(r"^\s+container:", line):
            skipping_deeper_than = indent
            continue
        kept.append(line)
    return "".join(kept)


def defect_commit(bare: Path, commit: str) -> str:
    """A second commit on top of COMMIT, as a data team could push it: model 1.0.1, whose
    export renamed its first input from `age` to `Age`. Its manifest and golden cases agree
    with the graph, so `predict-fcgi check` and the deploy's health check (which replays the
    first golden case) pass; clients, examples/client.json among them, still send `age`."""
    work = RUN / "defect"
    shutil.rmtree(work, ignore_errors=True)
    run("git", "clone", "-q", bare, work)
    git("checkout", "-q", "--detach", commit, cwd=work)
    model = work / "models/bank-marketing"
    onnx = model / "model.onnx"
    graph = onnx.read_bytes()
    # The input's name as a protobuf string field (tag 1, length 3) in the graph's input and
    # in the node that reads it; the same length keeps every enclosing length valid.
    old, new = b"\n\x03age", b"\n\x03Age"
    if graph.count(old) != 2:
        raise RehearsalError(
            f"expected the input name twice in model.onnx, found {graph.count(old)}"
        )
    onnx.write_bytes(graph.replace(old, new))
    digest = run("sha256sum", onnx).split()[0]
    manifest = (model / "model.json").read_text()
    manifest = re.sub(r'"sha256": "[0-9a-f]{64}"', f'"sha256": "{digest}"', manifest, count=1)
    manifest = manifest.replace('"version": "1.0.0"', '"version": "1.0.1"', 1)
    manifest = manifest.replace('"name": "age"', '"name": "Age"', 1)
    (model / "model.json").write_text(manifest)
    golden = model / "golden.jsonl"
    golden.write_text(golden.read_text().replace('{"age": ', '{"Age": '))
    git(
        "-c",
        "user.name=Data Team",
        "-c",
        "user.email=data@predict-fcgi.test",
        "commit",
        "-q",
        "-am",
        "Model 1.0.1: exported from the new feature pipeline",
        cwd=work,
    )
    sha = git("rev-parse", "HEAD", cwd=work)
    git("push", "-q", "origin", "HEAD:refs/heads/main", cwd=work)
    shutil.rmtree(work)
    return sha


def push_event(sha: str) -> dict:
    owner, name = REPOSITORY.split("/")
    return {
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": sha,
        "head_commit": {"id": sha},
        "repository": {
            "full_name": REPOSITORY,
            "name": name,
            "owner": {"login": owner},
            "default_branch": "main",
        },
    }


def workflow_run_event(sha: str) -> dict:
    event = push_event(sha)
    return {
        "action": "completed",
        "repository": event["repository"],
        "workflow": {"name": "CI", "path": ".github/workflows/ci.yml"},
        "workflow_run": {
            "id": 1,
            "name": "CI",
            "event": "push",
            "status": "completed",
            "conclusion": "success",
            "head_branch": "main",
            "head_sha": sha,
            "head_repository": {"full_name": REPOSITORY},
            "repository": {"full_name": REPOSITORY},
        },
    }


def prepare_share(commit: str) -> tuple[str, dict[str, str]]:
    """The git server, the workflow copies, the stand-ins; returns the defect commit and
    act's --local-repository arguments."""
    shutil.rmtree(SHARE, ignore_errors=True)
    bare = SHARE / "git" / f"{REPOSITORY}.git"
    bare.parent.mkdir(parents=True)
    run("git", "clone", "-q", "--bare", "--no-local", SOURCE, bare)
    git("update-ref", "refs/heads/main", commit, cwd=bare)
    defect = defect_commit(bare, commit)
    git("update-ref", "refs/heads/main", commit, cwd=bare)

    (SHARE / "workflows").mkdir()
    local: dict[str, str] = {}
    for workflow in ("ci.yml", "deploy.yml"):
        text = git("show", f"{commit}:.github/workflows/{workflow}", cwd=SOURCE) + "\n"
        (SHARE / "workflows" / workflow).write_text(without_container(text))
        for action, ref in USES.findall(text):
            if action not in STANDINS:
                raise RehearsalError(f"{workflow} uses {action}@{ref}, which has no stand-in")
            local[f"{action}@{ref}"] = f"/rehearse/actions/{STANDINS[action]}"
    shutil.copytree(HERE / "actions", SHARE / "actions")
    (SHARE / "events").mkdir()
    return defect, local


def act_binary() -> Path:
    requirements = HERE / "requirements.txt"
    stamp = ACT_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != requirements.read_text():
        log("installing act into " + str(ACT_VENV.relative_to(REPO)))
        shutil.rmtree(ACT_VENV, ignore_errors=True)
        run(sys.executable, "-m", "venv", ACT_VENV)
        run(
            ACT_VENV / "bin/pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            requirements,
        )
        stamp.write_text(requirements.read_text())
    return ACT_VENV / "bin/act"


# ---------------------------------------------------------------- results


@dataclass
class Step:
    name: str
    result: str = "skipped"
    seconds: float | None = None
    exit_status: int | None = None
    output: list[str] = field(default_factory=list)


@dataclass
class Job:
    name: str
    steps: list[Step]
    result: str = "not run"
    seconds: float | None = None

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        self.steps.append(Step(name))
        return self.steps[-1]


@dataclass
class Run:
    label: str
    workflow: str
    event: str
    sha: str
    jobs: dict[str, Job] = field(default_factory=dict)
    returncode: int | None = None
    seconds: float = 0.0
    note: str = ""


def declared_jobs(workflow: Path) -> dict[str, Job]:
    document = yaml.safe_load(workflow.read_text())
    jobs = {}
    for job_id, job in document["jobs"].items():
        steps = [
            Step(step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0])
            for step in job.get("steps", [])
        ]
        jobs[job_id] = Job(job.get("name", job_id), steps)
    return jobs


def timestamp(entry: dict) -> float:
    return datetime.fromisoformat(entry["time"]).timestamp()


def record(current: Run, entry: dict, started: dict[str, float]) -> None:
    """Fold one line of act's JSON log into the run's jobs."""
    job_id = entry.get("jobID")
    if job_id not in current.jobs:
        return
    job = current.jobs[job_id]
    started.setdefault(job_id, timestamp(entry))
    step_ids = entry.get("stepID") or []
    if entry.get("raw_output") and len(step_ids) >= 1 and entry.get("step"):
        text = ANSI.sub("", entry.get("msg", "")).rstrip()
        job.step(entry["step"]).output.append(text if len(text) < 200 else text[:197] + "...")
    status = re.fullmatch(r"exit status (\d+)", entry.get("msg", "").strip())
    if status and len(step_ids) == 1 and entry.get("step"):
        job.step(entry["step"]).exit_status = int(status.group(1))
    if "stepResult" in entry and len(step_ids) == 1 and entry.get("stage") == "Main":
        step = job.step(entry["step"])
        step.result = entry["stepResult"]
        step.seconds = entry.get("executionTime", 0) / 1e9
        print(f"  {current.label}: {step.result:<8} {step.name} ({step.seconds:.1f} s)", flush=True)
    if "jobResult" in entry:
        job.result = entry["jobResult"]
        job.seconds = timestamp(entry) - started[job_id]
        print(f"  {current.label}: job {job.name}: {job.result}", flush=True)


# ---------------------------------------------------------------- the CI container


class Containers:
    """One nspawn container per run, each from a fresh copy of the image's rootfs."""

    def __init__(self, tarball: Path, act: Path, local: dict[str, str]) -> None:
        self.tarball = tarball
        self.act_path = act
        self.local = local
        self.running: dict[str, subprocess.Popen] = {}

    def prepare(self, label: str, ca_pem: str | None) -> Path:
        base = RUN / "containers" / label
        remove_tree(base)
        root = base / "root"
        root.mkdir(parents=True)
        (base / "usr-upper").mkdir()
        run("tar", "-C", root, "-xf", self.tarball)
        root.chmod(0o755)
        # Public DNS would answer <ip-with-dashes>.sslip.io with the host's address; this
        # machine reaches no public DNS, so the container's hosts file does.
        with (root / "etc/hosts").open("a") as hosts:
            hosts.write(f"{ADDRESS} {DOMAIN}\n")
        # Nor does it reach github.com, where SwiftPM clones the two dependencies from: the
        # container starts with this machine's SwiftPM repository cache instead (bare clones
        # of exactly those repositories), so `swift build` fetches them "from cache".
        swiftpm = Path.home() / ".cache/org.swift.swiftpm/repositories"
        if swiftpm.is_dir():
            shutil.copytree(
                swiftpm, root / "root/.cache/org.swift.swiftpm/repositories", symlinks=True
            )
        # This machine reaches PyPI through a TLS-intercepting egress whose CA is in its own
        # store; a GitHub runner needs none. The container trusts the same local anchors, as
        # it uses the same resolver.
        local_anchors = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
        for anchor in local_anchors:
            shutil.copy(anchor, root / "usr/local/share/ca-certificates" / anchor.name)
        if ca_pem:
            # Pebble's root stands for a public CA, which the image's ca-certificates trusts.
            anchor = root / "usr/local/share/ca-certificates/pebble-root.crt"
            anchor.write_text(ca_pem)
        if ca_pem or local_anchors:
            run("chroot", root, "update-ca-certificates")
        return base

    def act(self, current: Run, ca_pem: str | None, arguments: list[str]) -> None:
        base = self.prepare(current.label, ca_pem)
        event_file = SHARE / "events" / f"{current.label}.json"
        payload = (
            push_event(current.sha) if current.event == "push" else workflow_run_event(current.sha)
        )
        event_file.write_text(json.dumps(payload, indent=2))
        current.jobs = declared_jobs(SHARE / "workflows" / current.workflow)
        cgroup = CGROUP / current.label
        cgroup.mkdir(parents=True, exist_ok=True)
        command = [
            "systemd-nspawn", "--quiet", "--register=no", "--keep-unit", "--as-pid2",
            f"--directory={base / 'root'}", f"--machine=predict-rehearse-{current.label}",
            "--resolv-conf=copy-host",
            # The image extracts the toolchain into /usr. Here /usr is an overlay: the
            # rootfs's /usr (Debian's packages) lowest, this machine's toolchain above it,
            # read-only both, and a writable upper layer on top, so that apt-get in a
            # workflow can still install into /usr while the toolchain stays untouched.
            # (A read-only bind of the toolchain's bin/ and lib/ would hide Debian's own
            # files there; copying 3.3 GiB per run is slow.) nspawn puts overlayfs's work
            # directory beside the upper one, on the same file system, as it must be. The
            # two trees share no file, so the stacking order changes nothing today.
            f"--overlay=+/usr:{SWIFT_USR}:{base / 'usr-upper'}:/usr",
            # The runner agent, not part of the image: outside PATH, read-only.
            f"--bind-ro={self.act_path}:/opt/act-runner/act",
            f"--bind-ro={SHARE}:/rehearse",
            "--chdir=/root",
            "--", "/opt/act-runner/act", current.event,
            "--workflows", f"/rehearse/workflows/{current.workflow}",
            "--eventpath", f"/rehearse/events/{current.label}.json",
            "--platform", "ubuntu-24.04=-self-hosted",
            "--json", "--no-cache-server", "--container-daemon-socket", "-",
            "--no-skip-checkout", "--defaultbranch", "main",
            "--env", f"GITHUB_REPOSITORY={REPOSITORY}",
            "--env", "GITHUB_REF=refs/heads/main",
            "--env", f"SHA_REF={current.sha}",
        ]  # fmt: skip
        for action, directory in self.local.items():
            command += ["--local-repository", f"{action}={directory}"]
        command += arguments
        logs = RUN / "logs"
        logs.mkdir(exist_ok=True)
        log(f"run {current.label}: act {current.event} {current.workflow} at {current.sha[:10]}")
        started = time.monotonic()
        job_started: dict[str, float] = {}
        with (
            (logs / f"{current.label}.jsonl").open("w") as raw,
            (logs / f"{current.label}.log").open("w") as readable,
        ):
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
                preexec_fn=lambda: (cgroup / "cgroup.procs").write_text(str(os.getpid())),
            )
            self.running[current.label] = process
            assert process.stdout is not None
            for line in iter(process.stdout.readline, ""):
                raw.write(line)
                try:
                    entry = json.loads(line)
                except ValueError:
                    readable.write(line)
                    continue
                where = entry.get("step") or entry.get("job") or ""
                readable.write(f"[{where}] {entry.get('msg', '')}\n".replace("\n\n", "\n"))
                record(current, entry, job_started)
            current.returncode = process.wait()
        del self.running[current.label]
        current.seconds = time.monotonic() - started
        kill_cgroup(cgroup)
        remove_tree(base)

    def stop(self) -> None:
        for label, process in list(self.running.items()):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            kill_cgroup(CGROUP / label)


def kill_cgroup(cgroup: Path) -> None:
    if not cgroup.is_dir():
        return
    for _ in range(40):
        pids = [
            int(pid) for procs in cgroup.rglob("cgroup.procs") for pid in procs.read_text().split()
        ]
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.25)
    for directory in sorted(cgroup.rglob("*"), reverse=True) + [cgroup]:
        if directory.is_dir():
            with contextlib.suppress(OSError):
                directory.rmdir()


def remove_tree(path: Path) -> None:
    if not path.exists():
        return
    mounts = [
        line.split()[1]
        for line in Path("/proc/mounts").read_text().splitlines()
        if line.split()[1].startswith(str(path) + "/")
    ]
    for mount in sorted(mounts, reverse=True):
        subprocess.run(["umount", "-l", mount], check=False)
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=False)


# ---------------------------------------------------------------- the deploy's world


class World:
    """The throw-away host, Pebble and moto, shared by both deploy runs."""

    def __init__(self) -> None:
        self.moto: subprocess.Popen | None = None
        self.host_created = False
        self.pebble_started = False
        self.key = RUN / "deploy_key"
        self.directory = ""
        self.roots = ""
        self.ip_url = ""

    def host(self, *args: str, **kwargs) -> str:
        environment = dict(HOST_ENV, E2E_ADMIN_KEY=f"{self.key}.pub")
        return run(REPO / "scripts/e2e/host", *args, env=environment, **kwargs)

    def pebble(self, *args: str) -> str:
        return run(REPO / "scripts/e2e/pebble", *args, env=HOST_ENV).strip()

    def start(self, python: Path) -> None:
        self.key.unlink(missing_ok=True)
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy", "-f", self.key)
        log("booting the throw-away host with the admin user")
        self.host_created = True
        self.host("create", timeout=600)
        self.pebble_started = True
        self.directory = self.pebble("start", ADDRESS, GATEWAY)
        self.roots = self.pebble("roots") + "\n"
        (RUN / "pebble-roots.pem").write_text(self.roots)
        # certbot on the host reaches Pebble over HTTPS: its listener CA joins the host's
        # system store, as a public CA's root is in Debian's.
        listener_ca = (HOST_DIR / "pebble/listener-ca.pem").read_text()
        self.host(
            "ssh",
            "cat >/usr/local/share/ca-certificates/pebble-listener.crt && update-ca-certificates",
            input=listener_ca,
        )
        moto_port, ip_port = free_port(), free_port()
        self.moto = subprocess.Popen(
            [python, HERE / "moto_launcher.py", "--moto-port", str(moto_port),
             "--ip-port", str(ip_port), "--elastic-ip", ADDRESS, "--runner-ip", GATEWAY],
            stdout=subprocess.PIPE,
            stderr=(RUN / "logs/moto.log").open("w"),
            text=True,
        )  # fmt: skip
        assert self.moto.stdout is not None
        if self.moto.stdout.readline().strip() != "ready":
            raise RehearsalError("moto did not start; see .run/rehearse/logs/moto.log")
        (SHARE / "moto-endpoint").write_text(f"http://127.0.0.1:{moto_port}\n")
        self.ip_url = f"http://127.0.0.1:{ip_port}/"
        log(
            f"moto on 127.0.0.1:{moto_port}, runner address on {self.ip_url}, ACME {self.directory}"
        )

    def served_version(self) -> str:
        """The model version the host serves over HTTPS, verified against Pebble's root: at
        its address (the deploy's default name, an IP certificate) or its sslip.io name."""
        for url, resolve in ((f"https://{ADDRESS}/health", []), (f"https://{DOMAIN}/health",
                             ["--resolve", f"{DOMAIN}:443:{ADDRESS}"])):  # fmt: skip
            output = run(
                "curl", "-fsS", "--max-time", "10", "--cacert", RUN / "pebble-roots.pem",
                *resolve, url, check=False,
            )  # fmt: skip
            with contextlib.suppress(ValueError, KeyError, TypeError):
                return json.loads(output)["model"]["version"]
        return "nothing"

    def stop(self) -> None:
        if self.moto is not None:
            self.moto.terminate()
            try:
                self.moto.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.moto.kill()
        if self.pebble_started:
            self.pebble("stop")
        if self.host_created:
            self.host("destroy", check=False)


# ---------------------------------------------------------------- the table


@dataclass
class Expectation:
    what: str
    ok: bool


def table(runs: list[Run], expectations: list[Expectation], minutes: float, commit: str) -> str:
    rows = [("run", "job / step", "result", "time")]
    for current in runs:
        for job in current.jobs.values():
            seconds = f"{job.seconds:.0f} s" if job.seconds is not None else ""
            label = f"{current.label} ({current.event}, {current.sha[:10]})"
            rows.append((label, f"job: {job.name}", job.result, seconds))
            for step in job.steps:
                seconds = f"{step.seconds:.1f} s" if step.seconds is not None else ""
                result = step.result
                if step.exit_status is not None:
                    result += f" (exit {step.exit_status})"
                rows.append(("", f"  {step.name}", result, seconds))
        if current.note:
            rows.append(("", f"  ({current.note})", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"make rehearse: the workflows of {commit[:10]} under act, in the swift:6.3.1-bookworm "
        f"rootfs ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
    ]
    for index, row in enumerate(rows):
        lines.append(
            f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}".rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths) + "  ----")
    failed = [
        (current, step)
        for current in runs
        for job in current.jobs.values()
        for step in job.steps
        if step.result == "failure"
    ]
    for current, step in failed:
        lines += ["", f"{current.label}: the failed step '{step.name}' said:"]
        lines += [f"  | {line}" for line in excerpt(step.output)]
    lines += ["", "expectation                                                    result"]
    for expectation in expectations:
        lines.append(f"{expectation.what:<62} {'pass' if expectation.ok else 'FAIL'}")
    met = sum(expectation.ok for expectation in expectations)
    lines.append(f"{met}/{len(expectations)} expectations met in {minutes:.1f} min")
    lines.append(f"rehearse: {met} passed, {len(expectations) - met} failed")
    return "\n".join(lines) + "\n"


ERROR_LINE = re.compile(r"fatal:|\bERROR\b|\berror\b|::error::|^smoke: |not found|FAIL", re.I)


def excerpt(output: list[str]) -> list[str]:
    """What says why a step failed: its first few error-looking lines, then its last lines."""
    errors = [line for line in output if ERROR_LINE.search(line)][:6]
    tail = [line for line in output[-4:] if line not in errors]
    return errors + (["..."] if errors and tail else []) + tail


def step_result(current: Run, name: str) -> str:
    for job in current.jobs.values():
        for step in job.steps:
            if step.name == name:
                return step.result
    return "absent"


def only_job(current: Run) -> Job:
    (job,) = current.jobs.values()
    return job


# ---------------------------------------------------------------- main


def rehearse_deploy(
    containers: Containers, world: World, commit: str, defect: str, python: Path
) -> tuple[list[Run], list[Expectation]]:
    world.start(python)
    # The clients' API keys as the repository's secret holds them; `smoke` is the smoke test's.
    api_keys = json.dumps({"smoke": "pf_" + secrets.token_urlsafe(32)})
    deploy_args = [
        "--secret", f"DEPLOY_SSH_PRIVATE_KEY={world.key.read_text()}",
        "--secret", f"PREDICT_API_KEYS={api_keys}",
        "--var", "AWS_REGION=us-east-1",
        "--var", "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/predict-fcgi-deploy",
        "--var", "ACME_EMAIL=ops@predict-fcgi.test",
        "--var", f"ACME_SERVER={world.directory}",
        "--var", f"RUNNER_IP_URL={world.ip_url}",
    ]  # fmt: skip
    good = Run("deploy", "deploy.yml", "workflow_run", commit)
    containers.act(good, world.roots, deploy_args)
    good_ok = only_job(good).result == "success"
    expectations = [Expectation("deploy.yml: deploys the tested commit", good_ok)]

    bad = Run("rollback", "deploy.yml", "workflow_run", defect)
    if good_ok:
        # The defective commit is pushed to main: the deploy refuses commits behind its tip.
        git("update-ref", "refs/heads/main", defect, cwd=SHARE / "git" / f"{REPOSITORY}.git")
        containers.act(bad, world.roots, deploy_args)
    else:
        bad.jobs = declared_jobs(SHARE / "workflows/deploy.yml")
        bad.note = "not run: the first deploy failed, so there is nothing to roll back to"
    expectations += [
        Expectation(
            "rollback run: the smoke test of the defective release fails",
            step_result(bad, "Smoke-test the public API") == "failure",
        ),
        Expectation(
            "rollback run: make rollback succeeds",
            step_result(bad, "Roll back after a failed smoke test") == "success",
        ),
        Expectation(
            "rollback run: the smoke test after the rollback passes",
            step_result(bad, "Smoke-test the release rolled back to") == "success",
        ),
        Expectation("rollback run: its job fails", only_job(bad).result == "failure"),
    ]
    # Re-running the first deploy after main moved on must not put the older commit back.
    stale = Run("stale-rerun", "deploy.yml", "workflow_run", commit)
    if good_ok:
        containers.act(stale, world.roots, deploy_args)
    else:
        stale.jobs = declared_jobs(SHARE / "workflows/deploy.yml")
        stale.note = "not run: the first deploy failed"
    expectations.append(
        Expectation(
            "re-run of the first deploy after main moved on: refused",
            step_result(stale, "Refuse a commit that is no longer the tip of main") == "failure"
            and step_result(stale, "Build the release") != "success",
        )
    )
    if good_ok:
        served = world.served_version()
        expectations.append(
            Expectation(
                f"the host serves model 1.0.0 at the end (serves {served})", served == "1.0.0"
            )
        )
    return [good, bad, stale], expectations


def main() -> int:
    parser = argparse.ArgumentParser(description="Rehearse the GitHub workflows with act.")
    parser.add_argument("--commit", default="HEAD", help="the commit whose workflows run")
    parser.add_argument("--output", type=Path, default=REPO / "docs/proof/rehearse.txt")
    parser.add_argument(
        "--only", choices=["ci", "deploy"], help="ci.yml alone, or deploy.yml's two runs alone"
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("rehearse: run as root (systemd-nspawn, a bridge, iptables)")
    # A SIGTERM (a CI time-out, say) unwinds through the teardown below, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    commit = git("rev-parse", "--verify", f"{args.commit}^{{commit}}", cwd=SOURCE)

    RUN.mkdir(parents=True, exist_ok=True)
    remove_tree(RUN / "containers")
    (RUN / "logs").mkdir(exist_ok=True)
    world = World()
    world.host("destroy", check=False)  # whatever an interrupted rehearsal left
    containers: Containers | None = None
    runs: list[Run] = []
    expectations: list[Expectation] = []
    try:
        defect, local = prepare_share(commit)
        tarball = Path(run(HERE / "rootfs").strip())
        containers = Containers(tarball, act_binary(), local)
        if args.only != "deploy":
            ci = Run("ci", "ci.yml", "push", commit)
            runs.append(ci)
            containers.act(ci, None, [])
            ci_ok = only_job(ci).result == "success"
            expectations.append(Expectation("ci.yml: its job succeeds", ci_ok))
        if args.only != "ci":
            deploy_runs, deploy_expectations = rehearse_deploy(
                containers, world, commit, defect, Path(sys.executable)
            )
            runs += deploy_runs
            expectations += deploy_expectations
    except RehearsalError as error:
        log(f"stopped: {error}")
        expectations.append(Expectation(f"the rehearsal itself: {str(error)[:40]}", False))
    finally:
        if containers is not None:
            containers.stop()
        world.stop()
        remove_tree(RUN / "containers")
        kill_cgroup(CGROUP)
    report = table(runs, expectations, (time.monotonic() - started) / 60, commit)
    print()
    print(report, end="")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)
    return 0 if all(expectation.ok for expectation in expectations) else 1


if __name__ == "__main__":
    sys.exit(main())
