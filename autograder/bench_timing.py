"""Timing helpers shared by the numeric bench parts (knn, linear, net).

`interleaved(candidate, baseline, repeats)` runs the two callables alternately (after one
untimed warm-up each, when repeats > 1) and returns their median seconds, so that a change in
machine load hits both alike. `seconds(x)` formats a figure for bench.line.
"""
from __future__ import annotations

import statistics
import time
from typing import Callable


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def interleaved(candidate: Callable[[], object], baseline: Callable[[], object],
                repeats: int, warm_up: bool = True) -> tuple[float, float]:
    """(median seconds of candidate, median seconds of baseline) over `repeats` alternations."""
    if warm_up:
        candidate()
        baseline()
    times = {"candidate": [], "baseline": []}
    for _ in range(repeats):
        times["baseline"].append(_timed(baseline))
        times["candidate"].append(_timed(candidate))
    return statistics.median(times["candidate"]), statistics.median(times["baseline"])


def seconds(value: float) -> str:
    """'12.3 ms' below a second, '4.56 s' above."""
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def have(module: str) -> bool:
    """Whether an optional comparison library is importable (never a dependency)."""
    import importlib.util
    return importlib.util.find_spec(module) is not None
