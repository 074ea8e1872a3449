"""Summarise a `make bench` results folder as markdown: figures, ratios and targets.

    summarize.py RESULTS_DIR

Reads what scripts/bench/run wrote there (load.tsv, memory.tsv, cold.tsv, micro.txt,
info.txt). Load figures are medians over a figure's runs, leaving out runs during which the
rest of the machine used more than NOISY_PERCENT of a core, as long as two runs remain.
Standard library only.
"""

import csv
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

OURS, CEILING, FASTAPI = "predict-fcgi", "c-ceiling", "fastapi-sklearn"
NOISY_PERCENT = 30.0
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

    def target(self, figure: str, goal: str, measured: str, passed: bool) -> None:
        self.targets.append((figure, goal, measured, passed))

    def print_load(self) -> None:
        print("## POST /predict through nginx\n")
        print(
            "Medians of the runs (wrk -t1, keep-alive clients, no upstream keep-alive). CPU % is"
            " of one core over the run (the machine has nproc × 100); *other* is everything that"
            " was neither the backend, its nginx nor wrk (colleagues' jobs, kernel threads)."
            " *backend CPU µs/req* is the backend's user + system time per request, user time in"
            " brackets; *preempted/req* counts its involuntary context switches per request.\n"
        )
        print(
            "| backend | conns | req/s | p50 ms | p99 ms | errors | runs |"
            " backend CPU µs/req (user) | preempted/req | CPU % backend | nginx | wrk | other |"
            " idle |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name in (OURS, CEILING, FASTAPI):
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

    def paired(self, name: str, conns: int, field: str) -> list[float]:
        """Per repetition, ours ÷ NAME's: the runs were interleaved, so pairs are fair."""
        ours, other = self.load[(OURS, conns)].runs, self.load[(name, conns)].runs
        return [getattr(a, field) / getattr(b, field) for a, b in zip(ours, other, strict=False)]

    def ratio(self, name: str, conns: int, field: str) -> tuple[float, str] | None:
        if (OURS, conns) not in self.load or (name, conns) not in self.load:
            return None
        value = self.load[(OURS, conns)].median(field) / self.load[(name, conns)].median(field)
        pairs = self.paired(name, conns, field)
        spread = f" ({min(pairs):.3g}–{max(pairs):.3g})" if len(pairs) > 1 else ""
        return value, spread

    def print_ratios(self) -> None:
        print("\n## Ratios within this run\n")
        print("Ratio of the medians; in brackets the range of the per-repetition ratios.\n")
        print("| conns | req/s ÷ C ceiling | p99 ÷ C ceiling | req/s ÷ FastAPI + sklearn |")
        print("|---|---|---|---|")
        for conns in self.conns:
            cells = []
            for name, field, style in (
                (CEILING, "rps", "{:.0%}"),
                (CEILING, "p99_ms", "{:.2f}×"),
                (FASTAPI, "rps", "{:.0f}×"),
            ):
                found = self.ratio(name, conns, field)
                cells.append("–" if found is None else style.format(found[0]) + found[1])
            print(f"| {conns} | " + " | ".join(cells) + " |")
        for conns in (16, 64):
            found = self.ratio(CEILING, conns, "rps")
            if found:
                self.target(
                    f"throughput at {conns} connections",
                    "≥ 85 % of the C ceiling",
                    f"{found[0]:.0%}",
                    found[0] >= 0.85,
                )
        found = self.ratio(CEILING, 16, "p99_ms")
        if found:
            self.target(
                "p99 at 16 connections",
                "≤ 1.5× the C ceiling's",
                f"{found[0]:.2f}×",
                found[0] <= 1.5,
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
        errors = sum(figure.errors for (name, _), figure in self.load.items() if name == OURS)
        self.target("errors under load", "none", str(errors), errors == 0)

    def print_memory(self) -> None:
        print("\n## Memory (from /proc/PID/status, MiB)\n")
        print(
            "RSS splits into anonymous memory (heap, stacks) and file-backed pages (the binary"
            " and shared libraries, shared with any other process mapping them); HWM is the"
            " peak RSS.\n"
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
        peak = max(int(row["hwm_kb"]) for row in ours)
        self.target(
            "worker RSS (peak)",
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
                f"RSS from {int(first['requests']):,} to {int(last['requests']):,} requests",
                "flat (grows ≤ 256 KiB)",
                f"{growth:+d} KiB",
                growth <= 256,
            )

    def print_cold(self) -> None:
        print("\n## exec → first 200 from /predict (nginx already up, warm page cache)\n")
        print("| backend | median ms | min–max | starts |")
        print("|---|---|---|---|")
        for name, values in self.cold.items():
            print(
                f"| {name} | {statistics.median(values):.1f} |"
                f" {min(values):.1f}–{max(values):.1f} | {len(values)} |"
            )
        if OURS in self.cold:
            median = statistics.median(self.cold[OURS])
            self.target(
                f"cold start (median of {len(self.cold[OURS])})",
                "≤ 50 ms",
                f"{median:.1f} ms",
                median <= 50,
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
        single = self.micro.get("model-run-1-row")
        if single:
            micros = int(single["median_ns"]) / 1000
            self.target("single-row model evaluation", "≤ 8 µs", f"{micros:.2f} µs", micros <= 8)

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
    info = (folder / "info.txt").read_text().splitlines()
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
    report.print_memory()
    report.print_cold()
    report.print_micro()
    report.print_targets()


if __name__ == "__main__":
    main()
