"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def time_ms(call: Callable[[], object]) -> tuple[float, object]:
    """Run `call` once; (elapsed milliseconds, its result)."""
    start = time.perf_counter_ns()
    result = call()
    return (time.perf_counter_ns() - start) / 1e6, result


class Samples:
    """Per-call wall-clock and CPU milliseconds of one process (one thread) doing the work.

    The CPU time leaves out the time the process waited for a core: on a shared machine the
    wall-clock figures grow with the neighbours' load, the CPU ones far less.
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __len__(self) -> int:
        return len(self.wall)

    def time(self, call: Callable[[], object]) -> object:
        cpu = time.process_time_ns()
        wall = time.perf_counter_ns()
        result = call()
        self.wall.append((time.perf_counter_ns() - wall) / 1e6)
        self.cpu.append((time.process_time_ns() - cpu) / 1e6)
        return result
