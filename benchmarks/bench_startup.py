"""Benchmark the start of the ``timeline`` command: ``timeline --help`` and
``timeline formats``, for this checkout and, side by side in the same run, for
a baseline revision (the argparse command line before issue 14, by default).

    python benchmarks/bench_startup.py                       # 41 runs of each, against 0617719
    python benchmarks/bench_startup.py --runs 81 --baseline main

The baseline is checked out with ``git worktree add`` into a temporary folder
(removed at the end) and run with ``PYTHONPATH`` at its ``src``; this checkout
runs the same way, from its own ``src``. Both run as ``python -m timeline``
with the same interpreter and ``TIMELINE_LOAD_PLUGINS=""`` (no installed
plugin), in alternating runs, so that a noisy neighbour slows both alike.
Each line gives the median and the spread (the middle half of the runs,
from the first to the third quartile); the target of issue 14 is a median
within 10% of the baseline's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["formats"])


def _run(src: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "TIMELINE_LOAD_PLUGINS": ""}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "timeline", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def _line(name: str, times: list[float]) -> str:
    first, median, third = statistics.quantiles(times, n=4)
    spread = f"{first * 1000:6.1f}-{third * 1000:6.1f} ms"
    return f"  {name:<10} median {median * 1000:6.1f} ms   middle half {spread}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=41, help="runs of each command (default 41)")
    parser.add_argument("--baseline", default="0617719", help="the revision to compare with")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "baseline"
        subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-q", str(base),
                        options.baseline], check=True)  # fmt: skip
        try:
            sources = {"baseline": base / "src", "this": HERE / "src"}
            for args in COMMANDS:
                times: dict[str, list[float]] = {name: [] for name in sources}
                for src in sources.values():  # once each, to warm the caches
                    _run(src, args)
                for _ in range(options.runs):
                    for name, src in sources.items():
                        times[name].append(_run(src, args))
                print(f"timeline {' '.join(args)}  ({options.runs} runs each)")
                for name in sources:
                    print(_line(name, times[name]))
                ratio = statistics.median(times["this"]) / statistics.median(times["baseline"])
                print(f"  this / baseline: {ratio:.3f}")
        finally:
            subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force", str(base)],
                           check=False)  # fmt: skip


if __name__ == "__main__":
    main()
