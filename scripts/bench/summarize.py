"""Summarise a `make bench` results folder as markdown: figures, ratios and targets.

    summarize.py RESULTS_DIR

Reads what scripts/bench/run wrote there (load.tsv, memory.tsv, cold.tsv, micro.txt,
info.txt, metrics.txt, promtool.txt). Load figures are medians over a figure's runs, leaving
out runs during which the rest of the machine used more than NOISY_PERCENT of a core, as long
as two runs remain. Standard library only.
"""

import csv
import os
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

OURS, CEILING, FASTAPI = "predict-fcgi", "c-ceiling", "fastapi-sklearn"
NOMETRICS = "predict-fcgi-nometrics"
ONE_MODEL = "predict-fcgi-1-model"  # cold starts only
BACKENDS = (OURS, NOMETRICS, CEILING, FASTAPI)
NOISY_PERCENT = 30.0
# Metrics on may cost at most this share of the throughput with metrics off (issue 11, §3).
METRICS_COST = 0.03
HZ = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    backend: str
    conns: int
    rps: float
    requests: int
    p50_ms: float
    p99_ms: float
    errors: int
    # CPU used during the run, in % of one core (the machine has nproc × 100 %).
    server: float
    server_user: float
    nginx: float
    wrk: float
    other: float
    idle: float
    steal: float
    preemptions: int

    @property
    def noisy(self) -> bool:
        return self.other > NOISY_PERCENT


@dataclass
class Figure:
    """The median of one backend's runs at one connection count."""

    runs: list[Run]
    used: list[Run]

    def median(self, field: str) -> float:
        return statistics.median(getattr(run, field) for run in self.used)

    def per_request(self, field: str) -> float:
        """The median over runs of FIELD (a CPU %) as µs of one core per request."""
        return statistics.median(getattr(run, field) / 100 / run.rps * 1e6 for run in self.used)

    @property
    def preemptions_per_request(self) -> float:
        return statistics.median(run.preemptions / max(run.requests, 1) for run in self.used)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def parse_run(row: dict[str, str]) -> Run:
    result = dict(item.split("=", 1) for item in row["result"].split())
    seconds = int(row["elapsed_ms"]) / 1000

    def percent(jiffies: float) -> float:
        return jiffies / HZ / seconds * 100

    user, system = int(row["server_user_j"]), int(row["server_system_j"])
    server, nginx = percent(user + system), percent(int(row["nginx_j"]))
    wrk = int(row["wrk_cpu_ms"]) / 1000 / seconds * 100
    busy = percent(int(row["busy_j"]))
    return Run(
        backend=row["backend"],
        conns=int(row["conns"]),
        rps=float(result["rps"]),
        requests=int(result["requests"]),
        p50_ms=int(result["p50_us"]) / 1000,
        p99_ms=int(result["p99_us"]) / 1000,
        errors=int(result["non2xx"]) + int(result["socket_errors"]),
        server=server,
        server_user=percent(user),
        nginx=nginx,
        wrk=wrk,
        other=max(0.0, busy - server - nginx - wrk),
        idle=percent(int(row["idle_j"])),
        steal=percent(int(row["steal_j"])),
        preemptions=int(row["server_preemptions"]),
    )


def figures(folder: Path) -> dict[tuple[str, int], Figure]:
    grouped: dict[tuple[str, int], list[Run]] = {}
    for row in read_tsv(folder / "load.tsv"):
        run = parse_run(row)
        grouped.setdefault((run.backend, run.conns), []).append(run)
    result = {}
    for key, runs in grouped.items():
        clean = [run for run in runs if not run.noisy]
        result[key] = Figure(runs=runs, used=clean if len(clean) >= 2 else runs)
    return result


def number(value: float) -> str:
    """Three significant digits, thousands separated: 0.412, 12.3, 1,234."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "**MISS**"


class Report:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.load = figures(folder)
        self.conns = sorted({conns for _, conns in self.load})
        self.memory = read_tsv(folder / "memory.tsv")
        self.cold: dict[str, list[float]] = {}
        for row in read_tsv(folder / "cold.tsv"):
            self.cold.setdefault(row["backend"], []).append(float(row["ms"]))
        self.micro: dict[str, dict[str, str]] = {}
        for line in (folder / "micro.txt").read_text().splitlines():
            if line.startswith("MICRO "):
                fields = dict(item.split("=", 1) for item in line.split()[1:])
                self.micro[fields["name"]] = fields
        self.targets: list[tuple[str, str, str, bool]] = []
        self.info = (folder / "info.txt").read_text().splitlines()
        # "predict-fcgi: models=a@1.0.0 b@2.0.0 … default=a …", written by scripts/bench/run.
        self.models: list[str] = []
        for line in self.info:
            found = re.match(r"predict-fcgi: models=(.*?) default=(\S+)", line)
            if found:
                default = found.group(2)
                self.models = sorted(
                    found.group(1).split(), key=lambda model: not model.startswith(default + "@")
                )

    @property
    def models_label(self) -> str:
        count = len(self.models)
        return f"{count} model{'s' if count != 1 else ''}" if count else "the model"

    def target(self, figure: str, goal: str, measured: str, passed: bool) -> None:
        self.targets.append((figure, goal, measured, passed))

    def print_load(self) -> None:
        print("## POST /predict through nginx\n")
        print(
            "Medians of the runs (wrk -t1, keep-alive clients, no upstream keep-alive). CPU % is"
            " of one core over the run (the machine has nproc × 100); *other* is everything that"
            " was neither the backend, its nginx nor wrk (colleagues' jobs, kernel threads)."
            " *backend CPU µs/req* is the backend's user + system time per request, user time in"
            " brackets; *preempted/req* counts its involuntary context switches per request."
            f" predict-fcgi serves {self.models_label} ({', '.join(self.models) or '?'}), the"
            " first the default behind `POST /predict`, with API keys required (every request"
            " sends `Authorization: Bearer`, the anchors ignore it) and metrics on;"
            " predict-fcgi-nometrics is the same worker started with `--no-metrics`.\n"
        )
        print(
            "| backend | conns | req/s | p50 ms | p99 ms | errors | runs |"
            " backend CPU µs/req (user) | preempted/req | CPU % backend | nginx | wrk | other |"
            " idle |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name in BACKENDS:
            for conns in self.conns:
                figure = self.load.get((name, conns))
                if figure is None:
                    continue
                runs = f"{len(figure.used)}/{len(figure.runs)}"
                cost = (
                    f"{number(figure.per_request('server'))}"
                    f" ({number(figure.per_request('server_user'))})"
                )
                cpu = " | ".join(
                    f"{figure.median(field):.0f}"
                    for field in ("server", "nginx", "wrk", "other", "idle")
                )
                print(
                    f"| {name} | {conns} | {number(figure.median('rps'))} |"
                    f" {number(figure.median('p50_ms'))} | {number(figure.median('p99_ms'))} |"
                    f" {figure.errors} | {runs} | {cost} | {figure.preemptions_per_request:.2f} |"
                    f" {cpu} |"
                )
        runs = [run for figure in self.load.values() for run in figure.runs]
        noisy = sum(run.noisy for run in runs)
        if noisy:
            print(
                f"\n{noisy} of {len(runs)} runs shared the machine with more than"
                f" {NOISY_PERCENT:.0f} % of a core of other work; a figure leaves them out only"
                " when two clean runs remain (*runs* = used/all). Absolute numbers from such a"
                " run are low; the ratios below compare backends that ran side by side."
            )

    def paired(self, name: str, conns: int, field: str, ours: str = OURS) -> list[float]:
        """Per repetition, OURS ÷ NAME's: the runs were interleaved, so pairs are fair."""
        mine, other = self.load[(ours, conns)].runs, self.load[(name, conns)].runs
        return [getattr(a, field) / getattr(b, field) for a, b in zip(mine, other, strict=False)]

    def ratio(
        self, name: str, conns: int, field: str, ours: str = OURS
    ) -> tuple[float, str] | None:
        """OURS's median ÷ NAME's, and the range of the per-repetition ratios."""
        if (ours, conns) not in self.load or (name, conns) not in self.load:
            return None
        value = self.load[(ours, conns)].median(field) / self.load[(name, conns)].median(field)
        pairs = self.paired(name, conns, field, ours)
        spread = f" ({min(pairs):.3g}–{max(pairs):.3g})" if len(pairs) > 1 else ""
        return value, spread

    def print_ratios(self) -> None:
        print("\n## Ratios within this run\n")
        print("Ratio of the medians; in brackets the range of the per-repetition ratios.\n")
        print(
            "| conns | req/s ÷ C ceiling | metrics off: req/s ÷ C ceiling | p99 ÷ C ceiling |"
            " metrics off: p99 ÷ C ceiling | req/s ÷ FastAPI + sklearn |"
        )
        print("|---|---|---|---|---|---|")
        for conns in self.conns:
            cells = []
            for ours, name, field, style in (
                (OURS, CEILING, "rps", "{:.0%}"),
                (NOMETRICS, CEILING, "rps", "{:.0%}"),
                (OURS, CEILING, "p99_ms", "{:.2f}×"),
                (NOMETRICS, CEILING, "p99_ms", "{:.2f}×"),
                (OURS, FASTAPI, "rps", "{:.0f}×"),
            ):
                found = self.ratio(name, conns, field, ours)
                cells.append("–" if found is None else style.format(found[0]) + found[1])
            print(f"| {conns} | " + " | ".join(cells) + " |")
        for conns in (16, 64):
            found = self.ratio(CEILING, conns, "rps")
            if found:
                self.target(
                    f"throughput at {conns} connections",
                    "≥ 95 % of the C ceiling",
                    f"{found[0]:.0%}",
                    found[0] >= 0.95,
                )
        found = self.ratio(CEILING, 16, "p99_ms")
        if found:
            self.target(
                "p99 at 16 connections",
                "≤ the C ceiling's",
                f"{found[0]:.2f}×",
                found[0] <= 1.0,
            )
        for conns in (16, 64):
            found = self.ratio(FASTAPI, conns, "rps")
            if found:
                self.target(
                    f"throughput at {conns} connections",
                    "≥ 100× FastAPI + scikit-learn",
                    f"{found[0]:.0f}×",
                    found[0] >= 100,
                )
        errors = sum(
            figure.errors for (name, _), figure in self.load.items() if name in (OURS, NOMETRICS)
        )
        self.target("errors under load (both predict-fcgi)", "none", str(errors), errors == 0)

    def print_metrics_cost(self) -> None:
        if not any(name == NOMETRICS for name, _ in self.load):
            return
        print("\n## The cost of metrics (predict-fcgi, metrics on ÷ metrics off, same run)\n")
        print(
            "Medians of the same run; the two stacks' runs were next to each other in every"
            " repetition. In brackets the range of the per-repetition ratios. The target: metrics"
            f" on loses at most {METRICS_COST * 100:.0f} % of the throughput with metrics off."
            " At 1"
            " connection the figure is wake-up latency and varies by up to 2× from run to run.\n"
        )
        print("| conns | req/s on | req/s off | on ÷ off | p99 ms on | p99 ms off | on ÷ off |")
        print("|---|---|---|---|---|---|---|")
        for conns in self.conns:
            on, off = self.load.get((OURS, conns)), self.load.get((NOMETRICS, conns))
            if on is None or off is None:
                continue
            rps = self.ratio(NOMETRICS, conns, "rps")
            p99 = self.ratio(NOMETRICS, conns, "p99_ms")
            assert rps is not None and p99 is not None
            print(
                f"| {conns} | {number(on.median('rps'))} | {number(off.median('rps'))} |"
                f" {rps[0]:.1%}{rps[1]} | {number(on.median('p99_ms'))} |"
                f" {number(off.median('p99_ms'))} | {p99[0]:.2f}×{p99[1]} |"
            )
            cost = 1 - rps[0]
            self.target(
                f"metrics cost at {conns} connection{'s' if conns != 1 else ''}",
                f"throughput with metrics on within {METRICS_COST * 100:.0f} % of metrics off",
                f"on ÷ off {rps[0] * 100:.1f} %"
                + (f" (costs {cost * 100:.1f} %)" if cost > 0 else " (no cost)"),
                cost <= METRICS_COST,
            )

    def print_memory(self) -> None:
        print(f"\n## Memory with {self.models_label} loaded (from /proc/PID/status, MiB)\n")
        print(
            "RSS splits into anonymous memory (heap, stacks) and file-backed pages (the binary"
            " and shared libraries, shared with any other process mapping them); HWM is the"
            f" peak RSS. Both predict-fcgi workers hold {self.models_label}; *start* is right"
            " after start (models loaded and gated, one `GET /health` served), *idle* after the"
            " first `POST /predict`, *after-N* once N requests were served, *after-load* at the"
            " end of all the load.\n"
        )
        print("| backend | when | requests served | RSS | HWM | anonymous | file-backed |")
        print("|---|---|---|---|---|---|---|")
        for row in self.memory:
            served = f"{int(row['requests']):,}" if row["requests"].isdigit() else "–"
            sizes = " | ".join(
                f"{int(row[column]) / 1024:.2f}"
                for column in ("rss_kb", "hwm_kb", "anon_kb", "file_kb")
            )
            print(f"| {row['backend']} | {row['point']} | {served} | {sizes} |")
        ours = [row for row in self.memory if row["backend"] == OURS]
        start = next((row for row in ours if row["point"] == "start"), None)
        if start:
            print(
                f"\npredict-fcgi right after start with {self.models_label}:"
                f" RSS {int(start['rss_kb']) / 1024:.2f} MiB"
                f" ({int(start['anon_kb']) / 1024:.2f} anonymous)."
            )
        peak = max(int(row["hwm_kb"]) for row in ours)
        self.target(
            f"worker RSS (peak), {self.models_label}",
            "≤ 16 MB (read as MiB)",
            f"{peak / 1024:.2f} MiB = {peak * 1024 / 1e6:.1f} MB",
            peak <= 16 * 1024,
        )
        marks = [
            row for row in ours if row["point"].startswith("after-") and row["requests"] != "-"
        ]
        if len(marks) >= 2:
            first, last = marks[0], marks[-1]
            growth = int(last["rss_kb"]) - int(first["rss_kb"])
            self.target(
                f"RSS from {int(first['requests']):,} to {int(last['requests']):,} requests,"
                f" {self.models_label}",
                "flat (grows ≤ 256 KiB)",
                f"{growth:+d} KiB",
                growth <= 256,
            )

    def requests_sent(self) -> int:
        """/predict answers wrk (and the run's one check) got from predict-fcgi: the load runs,
        the warm-up and the memory marks."""
        sent = 1  # the check before the load
        for (name, _), figure in self.load.items():
            if name == OURS:
                sent += sum(run.requests for run in figure.runs)
        warmup = self.folder / "wrk" / f"{OURS}.warmup.txt"
        if warmup.exists():
            found = re.search(r"^BENCH .*\brequests=(\d+)", warmup.read_text(), re.M)
            sent += int(found.group(1)) if found else 0
        marks = [row for row in self.memory if row["backend"] == OURS]
        marks = [row for row in marks if row["point"].startswith("after-")]
        marks = [row for row in marks if row["requests"].isdigit()]
        if marks:
            sent += int(marks[-1]["requests"])
        return sent

    def print_metrics(self) -> None:
        verdict_file = self.folder / "promtool.txt"
        text_file = self.folder / "metrics.txt"
        if not verdict_file.exists() or not text_file.exists():
            return
        print("\n## GET /metrics from predict-fcgi after the load\n")
        text = text_file.read_text()
        samples = [line for line in text.splitlines() if line and not line.startswith("#")]
        families = sum(line.startswith("# TYPE ") for line in text.splitlines())
        output = verdict_file.read_text().strip().splitlines()
        status = next((line for line in output if line.startswith("exit status: ")), None)
        ran = status is not None
        passed = status == "exit status: 0"
        findings = [line for line in output if not line.startswith("exit status: ")]
        print(
            f"{len(text):,} bytes, {families} metric families, {len(samples)} samples"
            " (`metrics.txt`). `promtool check metrics`: "
            + ("OK" if passed else "not run" if not ran else f"FAILED ({status})")
            + (", no findings." if passed and not findings else ".")
        )
        if findings:
            print("\n```\n" + "\n".join(findings) + "\n```")
        counted = 0
        pattern = re.compile(r"^predict_requests_total\{([^}]*)\} (\S+)$")
        for line in samples:
            found = pattern.match(line)
            if found and 'route="/predict"' in found.group(1) and 'status="200"' in found.group(1):
                counted += int(float(found.group(2)))
        if counted:
            print(
                f"\n`predict_requests_total` counted {counted:,} answers 200 to `POST /predict`;"
                f" wrk and the checks received {self.requests_sent():,} (wrk does not count the"
                " answers in flight when a run ends)."
            )
        self.target(
            "GET /metrics after the load",
            "passes `promtool check metrics`",
            "OK" if passed else "not run" if not ran else "failed",
            passed,
        )

    def print_cold(self) -> None:
        print("\n## exec → first 200 from /predict (nginx already up, warm page cache)\n")
        print(
            f"predict-fcgi starts as it serves the load: {self.models_label}, each gated (loaded"
            f" and its golden cases replayed), API keys, metrics on; {ONE_MODEL} is the same"
            " binary with `--model` (bank-marketing alone, no keys), as the worker started"
            " before the model repository.\n"
        )
        print("| backend | median ms | min–max | starts |")
        print("|---|---|---|---|")
        for name, values in self.cold.items():
            print(
                f"| {name} | {statistics.median(values):.1f} |"
                f" {min(values):.1f}–{max(values):.1f} | {len(values)} |"
            )
        for name, label in ((OURS, self.models_label), (ONE_MODEL, "1 model")):
            if name in self.cold:
                median = statistics.median(self.cold[name])
                self.target(
                    f"cold start (median of {len(self.cold[name])}), {label}",
                    "≤ 20 ms",
                    f"{median:.1f} ms",
                    median <= 20,
                )

    def print_micro(self) -> None:
        print("\n## Model path in process (PredictBench; median of batches)\n")
        print("| figure | median µs | min–max µs |")
        print("|---|---|---|")
        for name, fields in self.micro.items():
            print(
                f"| {name} | {int(fields['median_ns']) / 1000:.2f} |"
                f" {int(fields['min_ns']) / 1000:.2f}–{int(fields['max_ns']) / 1000:.2f} |"
            )
        # The default model's requests are evaluated by its row plan; the graph run is the
        # general path's figure.
        for name, goal in (("row-plan-1-row", 3), ("model-run-1-row", 8)):
            single = self.micro.get(name)
            if single:
                micros = int(single["median_ns"]) / 1000
                self.target(
                    f"single-row evaluation ({name})",
                    f"≤ {goal} µs",
                    f"{micros:.2f} µs",
                    micros <= goal,
                )

    def print_targets(self) -> None:
        print("\n## Targets\n")
        print("| figure | target | measured | verdict |")
        print("|---|---|---|---|")
        for figure, goal, measured, passed in self.targets:
            print(f"| {figure} | {goal} | {measured} | {verdict(passed)} |")
        misses = sum(not passed for *_, passed in self.targets)
        print(f"\n{len(self.targets) - misses} of {len(self.targets)} targets met.")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: summarize.py RESULTS_DIR")
    folder = Path(sys.argv[1])
    report = Report(folder)
    print("# make bench\n")
    info = report.info
    for line in info:
        if not line.startswith("python packages"):
            print(f"    {line}")
    print()
    if any(line.startswith("settings:") and "quick=1" in line for line in info):
        print(
            "**Quick run**: one short run per figure, so a single hiccup of the machine decides"
            " a verdict. Take the figures as a smoke check, not as a measurement.\n"
        )
    report.print_load()
    report.print_ratios()
    report.print_metrics_cost()
    report.print_memory()
    report.print_metrics()
    report.print_cold()
    report.print_micro()
    report.print_targets()


if __name__ == "__main__":
    main()
