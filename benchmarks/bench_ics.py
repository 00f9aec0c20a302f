"""How fast the ics exporter is, next to building the same calendar with
icalendar, ics-py and ical, in one run; and how much memory it needs.

    python benchmarks/bench_ics.py                 # 100,000 events (minutes: icalendar is slow)
    python benchmarks/bench_ics.py --events 5000   # a quick look

Every library gets the same events with the same properties: the VEVENTs our
exporter writes (UID, DTSTAMP, all-day DTSTART and DTEND, SUMMARY,
DESCRIPTION, LOCATION, GEO, CATEGORIES, URL, TRANSP and the X-TIMELINE-EVENT
data), computed once per run by the exporter's own code and included in every
library's time, because working them out is part of exporting. Each library
builds its calendar and serialises it to text, the plain way its
documentation shows. The times are CPU time (``time.process_time``, so that
other work on a shared machine counts less), the best of ``--repeat`` runs,
with the garbage collector running as usual.

Memory: the peak that tracemalloc sees while our exporter writes to a stream
that throws the text away, for the timeline and for one ten times smaller;
the timeline itself is built before measuring and is not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import os
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import timeline
from timeline.default_plugins.ics import ICSExporter
from timeline.default_plugins.ics import export as ics_export
from timeline.default_plugins.ics.vevent import escape_text
from timeline.registry import get_exporter
from timeline.testing import synthetic_timeline

STAMP = "2026-01-01T00:00:00Z"
HERE = Path(__file__).resolve().parent


def _support() -> Any:
    """``helpers.ics`` of the tests (``tests/helpers/ics.py``), for the icalendar
    reference builder."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    from helpers import ics

    return ics


def _records(t: timeline.Timeline) -> tuple[Any, list[Any]]:
    exporter = ICSExporter()
    settings = ics_export.make_settings(t, exporter.resolve_options({"dtstamp": STAMP}))
    return settings, list(ics_export.vevents(t, settings))


class _Discard(io.TextIOBase):
    """A text stream that counts what it is given and keeps none of it."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


# -- the contenders ---------------------------------------------------------------------------


def ours(t: timeline.Timeline) -> str:
    """timeline's exporter, to a string."""
    exporter = get_exporter("ics")
    out = io.StringIO(newline="")
    exporter.write(t, out, exporter.resolve_options({"dtstamp": STAMP}))
    return out.getvalue()


def with_icalendar(t: timeline.Timeline) -> bytes:
    """icalendar: Calendar, Event.new per event, to_ical()."""
    data: bytes = _support().icalendar_calendar(t, dtstamp=STAMP)
    return data


def with_ics_py(t: timeline.Timeline) -> str:
    """ics-py 0.7: Calendar, Event per event with make_all_day, serialize()."""
    import ics
    from ics.grammar.parse import ContentLine

    settings, vevents = _records(t)
    cal = ics.Calendar(creator=ics_export.PRODID)
    for v in vevents:
        event = ics.Event(
            name=v.summary,
            begin=dt.datetime.combine(v.start, dt.time()),
            uid=v.uid,
            description=v.description or None,
            location=v.location or None,
            url=v.url,
            categories=list(v.categories),
            geo=v.geo,
            transparent=v.transparent,
        )
        event.make_all_day()
        event.end = dt.datetime.combine(v.end, dt.time())
        event.created = settings.stamp
        if v.data is not None:
            escaped = escape_text(v.data)
            event.extra.append(ContentLine(name="X-TIMELINE-EVENT", value=escaped))
        cal.events.add(event)
    text: str = cal.serialize()
    return text


def with_ical(t: timeline.Timeline) -> str:
    """ical 14: Calendar with Event models, IcsCalendarStream.calendar_to_ics()."""
    from ical.calendar import Calendar
    from ical.calendar_stream import IcsCalendarStream
    from ical.event import Event
    from ical.parsing.property import ParsedProperty
    from ical.types.geo import Geo

    settings, vevents = _records(t)
    cal = Calendar(prodid=ics_export.PRODID)
    for v in vevents:
        extras = []
        if v.data is not None:
            escaped = escape_text(v.data)
            extras.append(ParsedProperty(name="x-timeline-event", value=escaped))
        cal.events.append(
            Event(
                uid=v.uid,
                dtstamp=settings.stamp,
                summary=v.summary,
                start=v.start,
                end=v.end,
                description=v.description or None,
                location=v.location or None,
                categories=list(v.categories),
                url=v.url,
                geo=Geo(lat=v.geo[0], lng=v.geo[1]) if v.geo else None,
                transparency="TRANSPARENT" if v.transparent else None,
                extras=extras,
            )
        )
    text: str = IcsCalendarStream.calendar_to_ics(cal)
    return text


CONTENDERS: dict[str, Callable[[timeline.Timeline], object]] = {
    "timeline (ours)": ours,
    "icalendar 7": with_icalendar,
    "ics-py 0.7": with_ics_py,
    "ical 14": with_ical,
}


# -- measuring --------------------------------------------------------------------------------


def best_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def peak_memory(t: timeline.Timeline) -> int:
    """tracemalloc's peak, in bytes, while our exporter writes ``t`` away."""
    exporter = get_exporter("ics")
    options = exporter.resolve_options({"dtstamp": STAMP})
    exporter.write(t.with_events(t.events[:10]), _Discard(), options)  # warm the caches
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        exporter.write(t, _Discard(), options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in the timeline")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; the best counts")
    parser.add_argument(
        "--only", action="append", choices=sorted(CONTENDERS), help="run only these contenders"
    )
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs")
    versions = {name: _version(name) for name in ("icalendar", "ics", "ical", "timeline-events")}
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    t = synthetic_timeline(args.events)
    print(f"{len(t)} events from timeline.testing.synthetic_timeline({args.events})\n")

    times: dict[str, float] = {}
    with quiet():
        for name, fn in CONTENDERS.items():
            if args.only and name not in args.only:
                continue
            seconds, result = best_time(lambda fn=fn: fn(t), args.repeat)
            size = len(result) if isinstance(result, str | bytes) else 0
            times[name] = seconds
            print(
                f"{name:18} {seconds:9.3f} s {seconds / len(t) * 1e6:9.1f} µs/event"
                f" {size / 1e6:8.1f} MB of text"
            )
        small = t.with_events(t.events[: max(1, len(t) // 10)])
        peaks = {len(small): peak_memory(small), len(t): peak_memory(t)}
    print()
    for count, peak in peaks.items():
        print(f"peak memory of our exporter, {count:>7} events: {peak / 1024:8.1f} KiB")

    print("\nClosing note:")
    base = times.get("timeline (ours)")
    if base:
        for name, seconds in times.items():
            if name != "timeline (ours)":
                print(f"  {name} takes {seconds / base:.1f}x as long as our exporter.")
    (few, few_peak), (many, many_peak) = sorted(peaks.items())
    print(
        f"  Peak memory goes from {few_peak / 1024:.0f} KiB for {few} events to "
        f"{many_peak / 1024:.0f} KiB for {many} events ({many_peak / few_peak:.2f}x for "
        f"{many / few:.0f}x the events)."
    )
    return 0


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


if __name__ == "__main__":
    sys.exit(main())
