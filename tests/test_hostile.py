"""Hostile input: every case in tests/hostile/ ends in its documented error or
is accepted and exported; never another exception, a hang, or a changed file.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import signal
import time
import tomllib
import tracemalloc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import timeline
from timeline.testing import synthetic_timeline

CORPUS = Path(__file__).resolve().parent / "hostile"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
CASES = sorted(
    str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS
)


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail a case that hangs instead of hanging the test run."""

    def stop(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def materialise(case: str, tmp_path: Path) -> Path:
    source = CORPUS / case
    if source.suffix != ".gz":
        return source
    target = tmp_path / source.stem
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def test_every_case_has_an_expectation():
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("case", CASES)
def test_case(case, tmp_path):
    expected = EXPECTED[case]
    path = materialise(case, tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with time_limit(60):
        if "error" in expected:
            with pytest.raises(timeline.TimelineError) as info:
                timeline.load(path)
            assert expected["error"] in str(info.value)
            assert str(info.value).startswith(str(path))  # the file is named
        else:
            assert expected == {"ok": True}
            loaded = timeline.load(path)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", timeline.ExportWarning)
                for name, exporter in timeline.exporters().items():
                    sink = io.StringIO()
                    exporter.write(loaded, sink, exporter.resolve_options({}))
                    assert sink.tell() > 0, name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def cost(fn) -> tuple[float, int]:
    """Best time of three, and the peak of memory allocated, of ``fn()``."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return best, peak


@pytest.mark.parametrize("name", ["json"])
def test_loading_grows_linearly(name):
    """Four times the events cost about four times as much, not sixteen.
    (Generous bounds: this guards against quadratic behaviour, it does not
    measure speed; benchmarks/ does that.)"""
    small = timeline.dumps(synthetic_timeline(1000), name)
    large = timeline.dumps(synthetic_timeline(4000), name)
    t_small, m_small = cost(lambda: timeline.loads(small, name))
    t_large, m_large = cost(lambda: timeline.loads(large, name))
    assert t_large / t_small < 9
    assert m_large / m_small < 6


def test_a_long_title_is_refused_in_linear_time():
    def load(size: int) -> None:
        doc = '{"format": "timeline-events", "version": 1, "events": [{"title": "%s", "start": "2001"}]}'
        with pytest.raises(timeline.ValidationError):
            timeline.loads(doc % ("A" * size))

    t_small, _ = cost(lambda: load(1_000_000))
    t_large, _ = cost(lambda: load(4_000_000))
    assert t_large / t_small < 9
