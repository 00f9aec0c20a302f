"""Hostile input: every case in tests/corpus/hostile/ ends in its documented error or
is accepted, and then every exporter writes it in a form that tools which did
not write it read back as the data; never another exception, a hang, memory
or work that grows faster than the input, or a changed file.

The CSV cases need the repository's CSV plugin, which the core suite does not
load: it is registered from its source for those cases (see README.md there).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import signal
import sys
import tomllib
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
from helpers.checks import (
    check_ics,
    check_ics_round_trip,
    check_json,
    check_markdown,
    check_with_icaljs,
    export_ics,
)
from helpers.data import DataFolder
from helpers.plugins import csv_plugin

import timeline
from timeline.testing import synthetic_timeline

CASES = "*/*"
"""The cases: a file in the folder of its format (the fixture hostile_files is
tests/corpus/hostile/)."""
BIG = 2000
"""Accepted cases with more events than this are written once by every
exporter with its default options, and not read back: the checks read a few
thousand events a second, and those cases are about size, not text."""


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


@contextmanager
def plugins_for(case: str) -> Iterator[None]:
    if case.startswith("csv/"):
        with csv_plugin():
            yield
    else:
        yield


def materialise(source: Path, tmp_path: Path) -> Path:
    if source.suffix != ".gz":
        return source
    target = tmp_path / source.stem
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def load(path: Path) -> tuple[timeline.Timeline, list[str]]:
    """The timeline, and the ImporterWarnings without the file's name."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.load(path)
    prefix = f"{path}: "
    return t, [
        str(w.message).removeprefix(prefix)
        for w in record
        if issubclass(w.category, timeline.ImporterWarning)
    ]


@pytest.fixture(scope="module")
def expectations(hostile_files: DataFolder) -> dict[str, Any]:
    """expected.toml: what each case reads to or the error it raises."""
    return tomllib.loads(hostile_files.read_text("expected.toml"))


def test_every_case_has_an_expectation(hostile_files, expectations):
    assert sorted(expectations) == hostile_files.names(CASES)


def test_every_expectation_is_one_of_the_documented_kinds(expectations):
    for case, expected in expectations.items():
        if "error" in expected:
            assert set(expected) == {"error"}, case
        else:
            assert expected.get("ok") is True, case
            assert set(expected) <= {"ok", "events", "warnings", "titles"}, case


@pytest.mark.data_files(CASES)
def test_case(hostile_file, hostile_files, expectations, tmp_path):
    case = hostile_files.name(hostile_file)
    expected = expectations[case]
    path = materialise(hostile_file, tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with time_limit(60), plugins_for(case):
        if "error" in expected:
            with pytest.raises(timeline.TimelineError) as info:
                timeline.load(path)
            assert expected["error"] in str(info.value)
            assert str(info.value).startswith(str(path))  # the file is named
        else:
            loaded, notes = load(path)
            assert notes == expected.get("warnings", [])
            if "events" in expected:
                assert len(loaded) == expected["events"]
            if "titles" in expected:
                assert [e.title for e in loaded] == expected["titles"]
            check_exports(loaded)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def check_exports(t: timeline.Timeline) -> None:
    """Every registered exporter writes ``t``; its own independent check reads it."""
    for name, exporter in timeline.exporters().items():
        assert name in EXPORT_CHECKS, f"no check for the {name} exporter"
        if len(t) > BIG:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", timeline.ExportWarning)
                exporter.write(t, _Sink(), exporter.resolve_options({}))
        else:
            EXPORT_CHECKS[name](t)


def _check_json(t: timeline.Timeline) -> None:
    check_json(t, timeline.dumps(t, "json"))


def _check_ics(t: timeline.Timeline) -> None:
    for imprecise in ("skip", "span"):
        text, messages = export_ics(t, imprecise=imprecise)
        check_ics(t, text, messages, span=imprecise == "span")
        check_ics_round_trip(t, text, span=imprecise == "span")


def _check_markdown(t: timeline.Timeline) -> None:
    for style in ("list", "table", "mermaid"):
        check_markdown(t, timeline.dumps(t, "markdown", style=style), style)


def _check_csv(t: timeline.Timeline) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        for formulas in ("escape", "keep"):
            text = timeline.dumps(t, "csv", formulas=formulas)
            assert timeline.loads(text, "csv", formulas=formulas).events == t.events


EXPORT_CHECKS: dict[str, Callable[..., None]] = {
    "json": _check_json,
    "ics": _check_ics,
    "markdown": _check_markdown,
    "csv": _check_csv,
}


def test_icaljs_reads_every_accepted_case(hostile_files, expectations, tmp_path):
    """Mozilla's ical.js (in one run of node) reads the calendar of every
    accepted case as icalendar does."""
    paths = []
    for case in hostile_files.names(CASES):
        if not expectations.get(case, {}).get("ok"):
            continue
        if expectations[case].get("events", 0) > BIG:
            continue
        with plugins_for(case):
            t, _ = load(materialise(hostile_files.path(case), tmp_path))
        for imprecise in ("skip", "span"):
            path = tmp_path / f"{case.replace('/', '-')}-{imprecise}.ics"
            path.write_bytes(export_ics(t, imprecise=imprecise)[0].encode("utf-8"))
            paths.append(path)
    assert len(paths) >= 20
    check_with_icaljs(paths)


def test_the_csv_export_escapes_formulas(hostile_files):
    """A title a spreadsheet would run is written with a ' before it."""
    with csv_plugin():
        t, _ = load(hostile_files.path("csv/formula-injection.csv"))
        text = timeline.dumps(t, "csv")
    assert text.split("\r\n")[1] == (
        "event,f,'=cmd|' /C calc'!A0,2001-06-15,,'@SUM(1+1),,,,,"
        '"\'-2+3; =HYPERLINK(""http://evil.example"")",,,,,,'
        "'+SUM(1+1)*cmd|' /C calc'!A0,,"
    )


# -- growth ---------------------------------------------------------------------------------
#
# Work is counted, not timed: the same count on every run, on any machine, under
# any load (issue 13: no test may assert a time or depend on the machine's speed).


@attrs.frozen
class Cost:
    lines: int
    """Python lines run."""
    calls: int
    """Functions called, Python's and C's (builtins and methods)."""
    peak: int
    """The peak of memory allocated, in bytes."""

    @property
    def steps(self) -> int:
        return self.lines + self.calls


def cost(fn: Callable[[], Any]) -> Cost:
    """What ``fn()`` costs, counted on its second run: the first does the work
    done once (imports, caches, a converter built on first use). The cyclic
    collector is paused while counting, so that no collection (and no
    finaliser it runs) falls into one count and not another."""
    fn()
    counts = {"line": 0, "call": 0, "c_call": 0}

    def trace(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            counts["line"] += 1
        return trace

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            counts[event] += 1

    tracer, profiler = sys.gettrace(), sys.getprofile()  # a coverage tool's, say
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        sys.setprofile(profile)
        sys.settrace(trace)
        try:
            fn()
        finally:
            sys.settrace(tracer)
            sys.setprofile(profiler)
        gc.collect()
        tracemalloc.start()
        try:
            fn()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        if was_on:
            gc.enable()
    return Cost(lines=counts["line"], calls=counts["call"] + counts["c_call"], peak=peak)


SIZES = {"json": 1000, "ics": 200, "markdown": 1000, "csv": 1000}
"""The smaller of the two sizes per format (the larger is four times as many);
ics reads through icalendar, which is the slowest."""


def assert_linear(small: Cost, large: Cost) -> None:
    """Four times the input costs about four times the work, not sixteen: at most
    4.5 times the steps (lines run and functions called) and six times the
    memory. This guards against quadratic behaviour in Python; work done inside
    one C function (``x in a_list``, a regular expression) is not counted, and
    benchmarks/bench_growth.py times it."""
    assert large.steps <= 4.5 * small.steps, f"steps: {small}, then {large}"
    assert large.peak <= 6 * small.peak, f"memory: {small}, then {large}"


@pytest.mark.parametrize("name", ["json", "ics", "csv"])
def test_loading_grows_linearly(name):
    with plugins_for(f"{name}/"), warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)

        def run(size: int) -> Callable[[], Any]:
            text = timeline.dumps(synthetic_timeline(size), name)
            return lambda: timeline.loads(text, name)

        assert_linear(cost(run(SIZES[name])), cost(run(4 * SIZES[name])))


class _Sink(io.TextIOBase):
    """A text stream that keeps nothing: an export's own memory, not its output's."""

    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize("name", ["json", "ics", "markdown", "csv"])
def test_exporting_grows_linearly(name):
    with plugins_for(f"{name}/"), warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        exporter = timeline.exporters()[name]
        options = exporter.resolve_options(
            {"dtstamp": "2026-01-01T00:00:00Z"} if name == "ics" else {}
        )

        def run(size: int) -> Callable[[], Any]:
            t = synthetic_timeline(size)
            return lambda: exporter.write(t, _Sink(), options)

        assert_linear(cost(run(SIZES[name])), cost(run(4 * SIZES[name])))


def test_a_long_title_is_refused_in_linear_time():
    def load(size: int) -> None:
        doc = '{"format": "timeline-events", "version": 1, "events": [{"title": "%s", "start": "2001"}]}'
        with pytest.raises(timeline.ValidationError):
            timeline.loads(doc % ("A" * size))

    assert_linear(cost(lambda: load(1_000_000)), cost(lambda: load(4_000_000)))


def test_a_long_summary_is_cut_in_linear_time():
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n"
    tail = (
        "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20240703\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    def load(size: int) -> Callable[[], Any]:
        text = f"{head}SUMMARY:{'A' * size}\r\n{tail}"

        def run() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", timeline.ImporterWarning)
                assert len(timeline.loads(text, "ics").events[0].title) == 1000

        return run

    assert_linear(cost(load(250_000)), cost(load(1_000_000)))
