"""Summarise a `make bench` run folder as markdown, with each target and its verdict."""

import statistics
import sys
from collections import defaultdict
from pathlib import Path


def fields(text: str) -> dict[str, float]:
    return {k: float(v) for k, v in (item.split("=") for item in text.split())}


def main(folder: Path) -> None:
    runs: dict[tuple[str, int], list[dict[str, float]]] = defaultdict(list)
    for line in (folder / "load.tsv").read_text().splitlines():
        label, conns, _, result = line.split("\t")
        runs[(label, int(conns))].append(fields(result))
    median = {
        key: {
            name: statistics.median(run[name] for run in values)
            for name in ("rps", "p50_us", "p99_us")
        }
        | {"errors": sum(run["non2xx"] + run["socket_errors"] for run in values)}
        for key, values in runs.items()
    }
    conns = sorted({c for _, c in median})
    print("## POST /predict through nginx (median of runs)\n")
    print("| backend | conns | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    for (label, c), m in sorted(median.items()):
        print(
            f"| {label} | {c} | {m['rps']:,.0f} | {m['p50_us'] / 1000:.3f} | "
            f"{m['p99_us'] / 1000:.3f} | {m['errors']:.0f} |"
        )

    memory = [line.split("\t") for line in (folder / "memory.tsv").read_text().splitlines()]
    rss = {name: int(kb) / 1024 for name, _, kb in memory}
    cold = [int(line.split("\t")[1]) for line in (folder / "cold.tsv").read_text().splitlines()]
    micro = {
        parts[1]: int(parts[2]) / 1000
        for parts in (line.split() for line in (folder / "micro.txt").read_text().splitlines())
        if parts and parts[0] == "MICRO"
    }
    print("\n## Worker\n")
    print("| figure | value |")
    print("|---|---|")
    for name, _, _ in memory:
        print(f"| RSS {name} | {rss[name]:.1f} MiB |")
    print(f"| exec → first /predict (median of {len(cold)}) | {statistics.median(cold)} ms |")
    for name, value in micro.items():
        print(f"| {name} | {value:.2f} µs |")

    checks: list[tuple[str, str, bool]] = []
    for c in conns:
        ours, ceiling = median.get(("predict-fcgi", c)), median.get(("c-ceiling", c))
        fastapi = median.get(("fastapi-sklearn", c))
        if ours and ceiling and c >= 16:
            ratio = ours["rps"] / ceiling["rps"]
            checks.append(
                (f"throughput ≥ 85 % of the C ceiling at {c}", f"{ratio:.0%}", ratio >= 0.85)
            )
        if ours and ceiling and c == 16:
            ratio = ours["p99_us"] / ceiling["p99_us"]
            checks.append(("p99 ≤ 1.5× the C ceiling's at 16", f"{ratio:.2f}×", ratio <= 1.5))
        if ours and fastapi:
            ratio = ours["rps"] / fastapi["rps"]
            checks.append((f"≥ 100× FastAPI + scikit-learn at {c}", f"{ratio:.0f}×", ratio >= 100))
    peak = max(rss.values())
    # The 16 MB is read as 16 MiB; both units are printed.
    checks.append(("worker RSS ≤ 16 MB", f"{peak:.2f} MiB ({peak * 1.048576:.1f} MB)", peak <= 16))
    growth = rss["200k"] - rss["100k"]
    checks.append(("RSS flat from 100k to 200k requests", f"{growth:+.2f} MiB", abs(growth) < 0.5))
    checks.append(
        (
            "exec → first /predict ≤ 50 ms",
            f"{statistics.median(cold)} ms",
            statistics.median(cold) <= 50,
        )
    )
    single = micro.get("model-run-1-row")
    if single is not None:
        checks.append(("single-row model evaluation ≤ 8 µs", f"{single:.2f} µs", single <= 8))
    print("\n## Targets\n")
    print("| target | measured | verdict |")
    print("|---|---|---|")
    for name, value, passed in checks:
        print(f"| {name} | {value} | {'PASS' if passed else 'MISS'} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
