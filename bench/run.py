"""Run the benchmarks, merge their metrics into bench/results.json and print a table.

    python -m bench.run              # every benchmark
    python -m bench.run page save    # some of them, by name
    python -m bench.run save_section # the Save button of a 20-question section
    python -m bench.run scale [--states N] [--reuse]   # the whole mechanism on PostgreSQL,
                                                       # only when named (see bench/README.md)

results.json is one flat JSON object, metric name -> number. Keys written by other benchmarks
are kept; the keys measured in this run replace their previous values.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bench import (
    banks_load,
    bench_consolidation,
    bench_crp,
    bench_load,
    bench_scale,
    page,
    save,
    save_section,
)

RESULTS = Path(__file__).parent / "results.json"
BENCHMARKS: dict[str, Callable[[], dict[str, float]]] = {
    "banks_load": banks_load.run,
    "page": page.run,
    "save": save.run,
    "save_section": save_section.run,
    "consolidation": bench_consolidation.run,
    "crp": bench_crp.run,
    "load": bench_load.run,
    "scale": bench_scale.run,
}
#: Run only when named: the world of every State takes minutes to build (bench/world.py).
ON_REQUEST = ("scale",)
#: Upper bounds (on SQLite); a metric without one is reported without a verdict.
TARGETS: dict[str, float] = {
    "banks_load_ms": 300,
    "page_p50_ms": 5,
    "save_p50_ms": 15,
    "save_section_p50_ms": 12,
    "save_section_queries": 15,
    "page_vs_bare_ratio": 4,
    "consolidation_ms": 200,
    "crp_peak_rss_mb": 250,
    "load_p99_ms": 250,
    "load_errors": 0,
    "load_lost_writes": 0,
    # The scale benchmark's, on PostgreSQL with the world of 197 States.
    "scale_draw_ms": 1000,
    "scale_dashboard_p95_ms": 100,
    "scale_consolidation_ms": 200,
    "scale_crp_s": 30,
    "scale_crp_peak_rss_mb": 400,
    "scale_export_all_s": 60,
    "scale_import_all_s": 60,
}


def merge_results(metrics: dict[str, float], path: Path = RESULTS) -> dict[str, float]:
    """Write `metrics` over the existing file's keys, atomically; returns the merged object."""
    merged: dict[str, float] = {}
    if path.exists():
        existing = json.loads(path.read_text(encoding="utf-8") or "{}")
        if not isinstance(existing, dict):
            raise SystemExit(f"{path} is not a JSON object; not overwriting it")
        merged.update(existing)
    merged.update({name: round(value, 3) for name, value in metrics.items()})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return merged


#: Lower bounds: throughput figures.
MIN_TARGETS: dict[str, float] = {"load_rps": 150, "crp_pages_per_s": 15}


def _verdict(name: str, value: float) -> tuple[str, str]:
    if name in MIN_TARGETS:
        target = MIN_TARGETS[name]
        return f">= {target:g}", "ok" if value >= target else "MISSED"
    if name in TARGETS:
        target = TARGETS[name]
        return f"<= {target:g}", "ok" if value <= target else "MISSED"
    return "", ""


def table(metrics: dict[str, float]) -> str:
    rows = [("metric", "value", "target", "")]
    for name, value in metrics.items():
        rows.append((name, f"{value:.3f}", *_verdict(name, value)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _states_option(argv: list[str]) -> list[str]:
    """Take `--states N` out of the arguments; it sets the scale benchmark's world size."""
    if "--states" not in argv:
        return argv
    at = argv.index("--states")
    if at + 1 >= len(argv) or not argv[at + 1].isdigit():
        raise SystemExit("--states takes a number of States, e.g. --states 50")
    os.environ["BENCH_STATES"] = argv[at + 1]
    return argv[:at] + argv[at + 2 :]


def main(argv: list[str]) -> int:
    argv = _states_option(argv)
    if "--reuse" in argv:  # the scale benchmark measures the world of its previous run
        os.environ["BENCH_SCALE_REUSE"] = "1"
        argv = [arg for arg in argv if arg != "--reuse"]
    names = argv or [name for name in BENCHMARKS if name not in ON_REQUEST]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    metrics: dict[str, float] = {}
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        metrics.update(BENCHMARKS[name]())
    merge_results(metrics)
    print(table(metrics))
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    note = "  (busy: the times are inflated)" if load > 0.5 * cores else ""
    print(f"\nload average {load:.2f} on {cores} cores{note}")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
