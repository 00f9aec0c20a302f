"""The harness of issue 17 (``benchmarks/bench_million.py``) measures what it
says: its data are the data it describes, every row runs and prints, the
counts it checks are checked, and what would not fit is left out. No test
here looks at a time: only at what the harness counts and decides.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import timeline
from timeline.testing import synthetic_timeline

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
PEERS = "icalendar,ical,ics,json"
"""The peers the test extra installs (orjson is only in benchmarks/requirements.txt)."""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_million", BENCHMARKS / "bench_million.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_million"] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["bench_million"]


@pytest.mark.parametrize(("count", "seed"), [(1, 0), (301, 0), (120, 7)])
def test_the_plain_data_are_the_synthetic_timeline(bench, count, seed):
    assert bench.build_timeline(bench.plain_specs(count, seed)) == synthetic_timeline(
        count, seed=seed
    )


def test_the_realistic_data_are_seeded_and_as_described(bench):
    t = bench.build_timeline(bench.realistic_specs(2000))
    assert t == bench.build_timeline(bench.realistic_specs(2000))
    assert t != bench.build_timeline(bench.realistic_specs(2000, seed=1))
    zoned = [e for e in t if e.start.tz not in (None, "UTC")]
    assert 0.17 < len(zoned) / len(t) < 0.23
    assert {e.kind for e in t} == {"summit", "accession", "founding", "event"}
    assert sum(not e.title.isascii() for e in t) > len(t) / 3
    described = [e.description for e in t if e.description]
    for needed in ("https://", ";", "%"):
        assert sum(needed in d for d in described) > len(described) / 4, needed
    assert sum(not d.isascii() for d in described) > len(described) / 4
    assert any(e.place is not None and e.place.translations for e in t)


def test_every_realistic_event_goes_into_a_calendar_and_comes_back(bench):
    """So that counting VEVENTs counts every event: none is left out."""
    t = bench.build_timeline(bench.realistic_specs(300))
    text = timeline.dumps(t, "ics", dtstamp=bench.STAMP)
    assert bench.ics_count(text) == len(t) == 300
    assert timeline.loads(text, "ics") == t
    assert bench.ics_count(bench.icalendar_calendar(t, lossless=False)) == 300
    markdown = timeline.dumps(t, "markdown")
    assert markdown.count(bench.ITEM) == 300
    assert timeline.dumps(t).count(bench.PRETTY.decode()) == 300
    assert timeline.dumps(t, compact=True).count(bench.COMPACT.decode()) == 300


def test_a_marker_is_counted_once_across_the_chunks(bench, tmp_path):
    rng = random.Random(5)
    path = tmp_path / "data"
    for _ in range(200):
        data = bytes(rng.choice(b"ab\r\n") for _ in range(rng.randint(0, 60)))
        path.write_bytes(data)
        for marker in (b"ab", b"\r\nab", b"a"):
            for chunk in (1, 2, 3, 7, 1 << 24):
                assert bench.count_in_file(path, marker, chunk) == data.count(marker)


def test_sizes(bench):
    assert [bench.parse_size(s) for s in ("50", "10k", "100K", "1M", "1_000")] == [
        50,
        10_000,
        100_000,
        1_000_000,
        1000,
    ]
    assert [bench.human(n) for n in (50, 10_000, 1_000_000, 1500)] == ["50", "10k", "1M", "1500"]
    with pytest.raises(SystemExit, match=r"--sizes: 'lots' is not a size \(such as 50, 10k, 1M\)"):
        bench.parse_size("lots")
    with pytest.raises(SystemExit, match="--sizes: '0' is not a positive size"):
        bench.parse_size("0")


def _args(**changes: object) -> argparse.Namespace:
    args = {
        "only": None,
        "peers": ("icalendar", "ical", "ics", "json", "orjson"),
        "max_gb": 20.0,
        "max_minutes": 10.0,
        "force": False,
        "jobs": 1,
        "repeat": 1,
    }
    return argparse.Namespace(**{**args, **changes})


def _contender(bench, name, key):
    return next(c for c in bench.ROWS[name].contenders if c.key == key)


def test_what_would_not_fit_is_left_out_unless_asked(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "available", lambda: 64 * 10**9)
    row, ics_py = bench.ROWS["ics-import-own"], _contender(bench, "ics-import-own", "ics-py")
    harness = bench.Harness(_args(), tmp_path)
    assert harness.gate(row, ics_py, 10_000, "plain") is None
    assert harness.gate(row, ics_py, 1_000_000, "plain") == (
        "needs about 20.15 GB, over --max-gb 20 (ask with --only)"
    )
    assert harness.gate(row, ics_py, 100_000, "plain") is None
    slow = bench.Harness(_args(max_minutes=6.0), tmp_path)
    assert slow.gate(row, ics_py, 100_000, "plain") == (
        "takes about 8 min, over --max-minutes 6 (ask with --only)"
    )
    for only in ({"ics-import-own"}, {"ics-import-own/ics-py"}):
        asked = bench.Harness(_args(only=only), tmp_path)
        assert asked.gate(row, ics_py, 1_000_000, "plain") is None
    monkeypatch.setattr(bench, "available", lambda: 10**9)
    asked = bench.Harness(_args(only={"ics-import-own"}), tmp_path)
    assert asked.gate(row, ics_py, 1_000_000, "plain") == (
        "needs about 20.15 GB and 1.00 GB is free (--force runs it)"
    )
    forced = bench.Harness(_args(only={"ics-import-own"}, force=True), tmp_path)
    assert forced.gate(row, ics_py, 1_000_000, "plain") is None


def test_contenders_of_a_query_that_disagree_stop_the_run(bench, tmp_path):
    row = bench.ROWS["between"]
    measured = {
        c.key: bench.Result(
            "between", c.key, c.label, "plain", 10, 0.1, 0.1, 1, 1, count, 20, 0.1, ""
        )
        for c, count in zip(row.contenders, (3, 3, 4), strict=True)
    }
    harness = bench.Harness(_args(), tmp_path)
    with pytest.raises(
        SystemExit, match="between plain 10: the contenders disagree: ours 3, first 3, scan 4"
    ):
        harness.finish(row, measured, "plain", 10)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_million.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_every_row_runs_and_prints_with_counts_that_agree(bench):
    """Two children at a time, so that the test is quick: the times mean
    nothing here, only that every contender ran and counted what it should."""
    done = _run(
        "--sizes", "40", "--data", "realistic", "--peers", PEERS, "--jobs", "2", "--markdown-table"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    lines = out.splitlines()
    expected = [
        (row.name, c)
        for row in bench.ROWS.values()
        for c in row.contenders
        if c.peer is None or c.peer in PEERS.split(",")
    ]
    assert len(expected) == 38
    for name, c in expected:
        printed = [ln for ln in lines if ln.startswith(f"{name:<19}{c.label[:47]:<48}")]
        assert len(printed) == 1, (name, c.key)
        assert printed[0][67:].split()[:2] == ["realistic", "40"]
        label = c.label.replace("|", "\\|")
        table = f"| {name} | {label} | realistic | 40 | "
        assert sum(ln.startswith(table) for ln in lines) == 1, (name, c.key)
    assert "orjson" not in out.split("\n\n", 1)[1].split("The goals")[0]
    assert "Left out" not in out
    assert "  an event in a Timeline <= 600 bytes (realistic, 40): " in out
    assert "  timeline export big.json -o big.ics -o big.md: peak < 300 MB (realistic, 40): " in out


def test_mistakes_on_the_command_line_are_named():
    done = _run("--peers", "json,nosuch")
    assert done.returncode == 2
    assert (
        "--peers: no peer 'nosuch'; the peers are icalendar, ical, ics, json, orjson" in done.stderr
    )
    done = _run("--only", "json-load/nosuch")
    assert done.returncode == 2
    assert "--only: no row or contender 'json-load/nosuch'; --list lists them" in done.stderr
    done = _run("--data", "odd")
    assert done.returncode == 2
    assert "--data: no data kind 'odd'; the kinds are plain, realistic" in done.stderr
