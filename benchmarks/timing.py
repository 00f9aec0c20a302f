"""What the benchmark scripts share: the best time of a few runs.

Run a script as ``python benchmarks/NAME.py``; its folder is then on the path.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


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
