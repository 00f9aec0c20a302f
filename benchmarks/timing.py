"""What the benchmark scripts share: the best time of a few runs, and the
CPU and wall time of one.

Run a script as ``python benchmarks/NAME.py``; its folder is then on the path.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of ``repeat`` runs of ``fn``, in seconds, each after a
    collection so that garbage left by the one before is not counted."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def once(fn: Callable[[], T]) -> tuple[float, float, T]:
    """One run of ``fn`` after a collection: its CPU time (``process_time``,
    which other work on a shared machine disturbs less), its wall time, and
    what it returned."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return time.process_time() - cpu, time.perf_counter() - wall, result
