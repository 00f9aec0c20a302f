"""Benchmark the core: JSON dump and load, and date parsing, beside the
standard library doing the same work on the same data, in one run.

    python benchmarks/bench_core.py                 # 100,000 events, 5 rounds
    python benchmarks/bench_core.py --events 20000 --rounds 3

Every measurement is the best of its rounds (rounds alternate between the
contenders, so a noisy neighbour hurts both alike). Targets from issue 2:
``timeline.dumps`` within 1.3x of ``json.dumps``, ``timeline.load`` within 3x
of ``json.load`` of the same file, and 500,000 ISO dates parsed per second.

What "the same work" means:

* dump: ``json.dumps(doc, indent=2, ensure_ascii=False)`` of the very dicts
  our document holds (built once, outside the timing) writes byte for byte
  what ``timeline.dumps`` writes; the compact line compares our compact
  option with ``json.dumps(doc, ensure_ascii=False)``, whose C encoder never
  has to look at an event object.
* load: ``json.load`` of the file ``timeline.load`` reads (which includes a
  ``json.load`` with a duplicate-key check, then the strict conversion).
  ``timeline.load`` pauses the cyclic garbage collector while it reads (see
  ``docs/json-format.md``); plain ``json.load`` does not, and the collector
  is most of its time on a big file. So the second line gives the ratio
  against ``json.load`` with the collector paused too: the cost of our
  checks and conversion alone.
* dates: ``timeline.parse_date`` on 100,000 distinct strings, beside
  ``datetime.date.fromisoformat`` (C, days only) on the day strings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import timeline
from timeline.document import timeline_to_dict
from timeline.testing import synthetic_timeline


def best_of(rounds: int, contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def dates(count: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    days, mixed = [], []
    seen: set[str] = set()
    while len(days) < count:
        day = dt.date.fromordinal(
            rng.randint(dt.date(1000, 1, 1).toordinal(), dt.date(2999, 12, 31).toordinal())
        )
        text = day.isoformat()
        if text in seen:
            continue
        seen.add(text)
        days.append(text)
        mixed.append(
            rng.choice(
                [
                    text,
                    text,
                    text[:7],
                    text[:4],
                    text + "T10:30Z",
                    text + "T10:30[Asia/Almaty]",
                    text + "~",
                    "-" + text[:4],
                ]
            )
        )
    return days, mixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    print(
        f"Python {sys.version.split()[0]}, timeline {timeline.__version__}, "
        f"{args.events:,} events, best of {args.rounds}"
    )
    t = synthetic_timeline(args.events)
    doc = timeline_to_dict(t)
    assert timeline.dumps(t) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    # Warm up the converter and plugin registry, outside the timing.
    timeline.dumps(t.with_events(list(t)[:10]))

    result = best_of(
        args.rounds,
        {
            "timeline.dumps": lambda: timeline.dumps(t),
            "json.dumps(indent=2)": lambda: json.dumps(doc, indent=2, ensure_ascii=False),
            "timeline.dumps(compact=True)": lambda: timeline.dumps(t, compact=True),
            "json.dumps": lambda: json.dumps(doc, ensure_ascii=False),
        },
    )
    print("\ndump")
    for name, seconds in result.items():
        print(f"  {name:32} {seconds:8.3f} s  {seconds / args.events * 1e6:7.2f} µs/event")
    pretty = result["timeline.dumps"] / result["json.dumps(indent=2)"]
    compact = result["timeline.dumps(compact=True)"] / result["json.dumps"]
    print(f"  ratio, same bytes (pretty):      {pretty:.2f}x")
    print(f"  ratio, compact vs C encoder:     {compact:.2f}x")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        timeline.dump(t, path)
        size = path.stat().st_size

        def json_load() -> object:
            with path.open(encoding="utf-8") as stream:
                return json.load(stream)

        def json_load_paused() -> object:
            gc.disable()
            try:
                return json_load()
            finally:
                gc.enable()

        result = best_of(
            args.rounds,
            {
                "timeline.load": lambda: timeline.load(path),
                "json.load": json_load,
                "json.load, collector paused": json_load_paused,
            },
        )
        assert timeline.load(path) == t
    print(f"\nload ({size / 1e6:.1f} MB)")
    for name, seconds in result.items():
        print(f"  {name:32} {seconds:8.3f} s  {seconds / args.events * 1e6:7.2f} µs/event")
    ratio = result["timeline.load"] / result["json.load"]
    paused = result["timeline.load"] / result["json.load, collector paused"]
    print(f"  ratio:                           {ratio:.2f}x")
    print(f"  ratio, both collectors paused:   {paused:.2f}x")

    days, mixed = dates(args.events, seed=1)
    parse = timeline.parse_date
    fromiso = dt.date.fromisoformat
    result = best_of(
        args.rounds,
        {
            "parse_date, days": lambda: [parse(s) for s in days],
            "parse_date, mixed precisions": lambda: [parse(s) for s in mixed],
            "date.fromisoformat, days": lambda: [fromiso(s) for s in days],
        },
    )
    print(f"\ndates ({len(days):,} distinct strings)")
    for name, seconds in result.items():
        print(f"  {name:32} {seconds:8.3f} s  {len(days) / seconds:12,.0f} dates/s")


if __name__ == "__main__":
    main()
