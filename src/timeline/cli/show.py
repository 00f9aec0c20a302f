"""The view of ``timeline show``: a heading, then the events by year, one
line each. See ``docs/cli.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from timeline import Timeline
from timeline.locales import CATALOGUE
from timeline.translations import TextsIn
from timeline.words import (
    country_words,
    kind_words,
    number_words,
    place_words,
    recurrence_words,
    translate,
    when,
    year_words,
)

from .console import count, printable

__all__ = ["repeats", "show_lines"]

_KIND_WIDTH: Final = 12
_DATE_WIDTH: Final = 40


def show_lines(timeline: Timeline, total: int, locale: str | None = None) -> Iterator[str]:
    """The lines of ``timeline show``: a heading, then the events by year;
    with a ``locale``, in its language (kinds by their names in it)."""
    events = timeline.events
    # The data's texts in the reader's language, where it has them (show is a
    # view: it does not warn of the texts it shows in the original).
    own = TextsIn(timeline.language, locale).text
    if timeline.title:
        yield printable(own(timeline, "title"))
    if locale is None:
        shown = count(len(events), "event") if len(events) == total else (
            f"{len(events):,} of {count(total, 'event')}")  # fmt: skip
    else:
        ngettext = CATALOGUE.ngettext(locale)
        n = number_words(total, locale=locale)
        if len(events) == total:
            shown = ngettext("{n} event", "{n} events", total).format(n=n)
        else:
            shown = ngettext("{shown} of {n} event", "{shown} of {n} events", total).format(
                shown=number_words(len(events), locale=locale), n=n
            )
    if events:
        first = year_words(events[0].start.year, locale=locale)
        last = year_words(max(e.last.year for e in events), locale=locale)
        span = (
            first
            if first == last
            else translate("{first} to {last}", locale).format(first=first, last=last)
        )
        yield (
            f"{shown}, {span}"
            if locale is None
            else translate("{events}, {years}", locale).format(events=shown, years=span)
        )
    else:
        yield shown
    labels = [when(e, short=True, locale=locale) for e in events]
    kinds = [e.kind if locale is None else kind_words(type(e), locale=locale) for e in events]
    date_width = min(max((_cells(label) for label in labels), default=0), _DATE_WIDTH)
    kind_width = min(max((_cells(kind) for kind in kinds), default=0), _KIND_WIDTH)
    year: int | None = None
    for event, label, kind in zip(events, labels, kinds, strict=True):
        if event.start.year != year:
            year = event.start.year
            yield ""
            yield year_words(year, locale=locale)
        place = ""
        if event.place is not None:
            code = event.place.country
            country = None if code is None else country_words(code, locale=locale)
            place = f" — {place_words(own(event.place, 'name'), country, locale=locale)}"
        title = own(event, "title") + repeats(event.recurrence, locale)
        yield printable(f"  {_pad(label, date_width)}  {_pad(kind, kind_width)}  {title}{place}")


def _cells(text: str) -> int:
    """The columns ``text`` takes on a terminal (two for a Chinese character)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cells(text))


def repeats(rule: str | None, locale: str | None = None) -> str:
    """`` (every year)`` for ``FREQ=YEARLY``, `` (every 2 weeks)`` for
    ``FREQ=WEEKLY;INTERVAL=2`` (the short style of :mod:`timeline.words`); any
    other rule as it is written."""
    if rule is None:
        return ""
    words = recurrence_words(rule, short=True, locale=locale)
    if words is not None:
        return f" ({words})"
    return " (" + translate("repeats: {rule}", locale).format(rule=rule) + ")"
