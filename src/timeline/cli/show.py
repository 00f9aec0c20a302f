"""The view of ``timeline show``: a heading, then the events by year, one
line each. See ``docs/cli.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from timeline import Timeline
from timeline.words import recurrence_words, when, year_words

from .console import count, printable

__all__ = ["repeats", "show_lines"]

_KIND_WIDTH: Final = 12
_DATE_WIDTH: Final = 40


def show_lines(timeline: Timeline, total: int) -> Iterator[str]:
    """The lines of ``timeline show``: a heading, then the events by year."""
    events = timeline.events
    if timeline.title:
        yield printable(timeline.title)
    shown = count(len(events), "event") if len(events) == total else (
        f"{len(events):,} of {count(total, 'event')}")  # fmt: skip
    if events:
        first, last = year_words(events[0].start.year), year_words(max(e.last.year for e in events))
        span = first if first == last else f"{first} to {last}"
        yield f"{shown}, {span}"
    else:
        yield shown
    labels = [when(e, short=True) for e in events]
    date_width = min(max((len(label) for label in labels), default=0), _DATE_WIDTH)
    kind_width = min(max((len(e.kind) for e in events), default=0), _KIND_WIDTH)
    year: int | None = None
    for event, label in zip(events, labels, strict=True):
        if event.start.year != year:
            year = event.start.year
            yield ""
            yield year_words(year)
        place = ""
        if event.place is not None:
            country = event.place.country_name
            place = f" — {event.place.name}" + (f", {country}" if country else "")
        title = event.title + repeats(event.recurrence)
        yield printable(f"  {label:<{date_width}}  {event.kind:<{kind_width}}  {title}{place}")


def repeats(rule: str | None) -> str:
    """`` (every year)`` for ``FREQ=YEARLY``, `` (every 2 weeks)`` for
    ``FREQ=WEEKLY;INTERVAL=2`` (the short style of :mod:`timeline.words`); any
    other rule as it is written."""
    if rule is None:
        return ""
    words = recurrence_words(rule, short=True)
    return f" ({words})" if words is not None else f" (repeats: {rule})"
