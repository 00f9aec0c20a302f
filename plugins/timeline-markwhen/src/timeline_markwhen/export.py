"""The markwhen exporter: a timeline as a markwhen document that markwhen's
parser reads back into the same events.

See plugins/timeline-markwhen/README.md, "Writing markwhen".
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Final, TextIO

from timeline import Date, Event, ExportWarning, Precision, Timeline
from timeline.document import events_to_dicts
from timeline.translations import TextsIn

from . import syntax
from .reader import OURS, starts_event

__all__ = ["GROUPS", "date_part", "recurrence_text", "write_markwhen"]

GROUPS: Final = ("none", "kind", "year", "decade", "month")
"""The groupings of the ``group`` option, besides a typed attribute's name."""

_WRITTEN: Final = frozenset({
    "kind", "id", "title", "start", "end", "tags", "description", "sources", "place",
    "recurrence", "translations",
})  # fmt: skip
_DAYS: Final = {
    "MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
    "SA": "saturday", "SU": "sunday",
}  # fmt: skip
_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_UNITS: Final = {
    "YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day",
    "HOURLY": "hour", "MINUTELY": "minute",  # rrule's English has no seconds
}  # fmt: skip


def write_markwhen(tl: Timeline, out: TextIO, options: dict[str, Any]) -> None:
    """Write ``tl`` to ``out`` as markwhen, event by event."""
    locale = options.get("locale")
    texts = TextsIn(tl.language, locale)
    own = texts.text if texts.active else getattr
    _header(tl, out, own, locale)
    group: str = options["group"]
    style: str = options["style"]
    for heading, events in _groups(tl, group):
        if heading is not None:
            out.write(f"# {syntax.escape_title(heading)}\n{OURS}: {syntax.yaml_value(group)}\n")
            if style == "section":
                out.write("style: section\n")
            out.write("\n")
        for event, data in zip(events, events_to_dicts(events), strict=True):
            _event(event, data, out, own, translations=not texts.active)
    missing = texts.warning()
    if missing is not None:
        warnings.warn(missing, ExportWarning, stacklevel=4)


def _header(tl: Timeline, out: TextIO, own: Any, locale: str | None) -> None:
    out.write("---\n")
    title = own(tl, "title")
    if title:
        out.write(f"title: {syntax.yaml_value(title)}\n")
    description = own(tl, "description")
    if description:
        out.write(f"description: {syntax.yaml_value(description)}\n")
    if tl.url is not None:
        out.write(f"url: {syntax.yaml_value(tl.url)}\n")
    language = locale or tl.language
    out.write(f"language: {syntax.yaml_value(language)}\n")
    if tl.translations and locale is None:
        out.write(f"translations: {syntax.yaml_value(_plain(tl.translations))}\n")
    out.write("---\n\n")
    out.write(
        "// Written by timeline. A time with a timezone property is a local time in that\n"
        "// zone (UTC for UTC); dates, and times without one, are the reader's local ones.\n"
        "// The start and end properties hold what a date part cannot say: approximate or\n"
        "// uncertain, a month or day before year 1, seconds.\n\n"
    )


def _plain(translations: Any) -> dict[str, dict[str, str]]:
    return {language: dict(translations[language]) for language in translations}


def _groups(tl: Timeline, group: str) -> Iterable[tuple[str | None, tuple[Event, ...]]]:
    if group == "none" or not tl.events:
        return [(None, tl.events)]
    if group in ("year", "decade", "month", "kind"):
        grouped = tl.group_by(group)  # type: ignore[arg-type]
        return [(str(key), part.events) for key, part in grouped.items()]
    found: dict[str, list[Event]] = {}
    for event in tl.events:
        value = getattr(event, group, None)
        key = f"no {group}" if value in (None, "", ()) else _words(value)
        found.setdefault(key, []).append(event)
    return [(key, tuple(events)) for key, events in found.items()]


def _words(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(_words(v) for v in value)
    return str(getattr(value, "value", value))


def _event(
    event: Event, data: dict[str, Any], out: TextIO, own: Any, *, translations: bool
) -> None:
    part, exact = date_part(event)
    recurrence = None
    if event.recurrence is not None:
        recurrence = recurrence_text(event.recurrence)
        if recurrence is not None:
            part += f" {recurrence}"
    tags = [tag for tag in event.tags if syntax.is_tag(tag)]
    other_tags = [tag for tag in event.tags if not syntax.is_tag(tag)]
    if other_tags:
        warnings.warn(
            f"event {event.id!r}: markwhen's tags are letters, digits and _ (not all digits); "
            f"{', '.join(map(repr, other_tags))} written in the property tags, which markwhen "
            "shows as a property, not as tags",
            ExportWarning,
            stacklevel=5,
        )
    first = syntax.escape_title(own(event, "title"))
    line = f"{part}: {first}" + "".join(f" #{tag}" for tag in tags)
    write = out.write
    write(line + "\n")
    write(f"id: {syntax.yaml_value(event.id)}\n")
    if event.kind != "event":
        write(f"kind: {syntax.yaml_value(event.kind)}\n")
    for key, value in exact.items():
        write(f"{key}: {syntax.yaml_value(value)}\n")
    if event.start.precision is Precision.TIME and event.start.tz is not None:
        write(f"timezone: {syntax.yaml_value(event.start.tz)}\n")
    if other_tags:  # all of them, in their order
        write(f"tags: {syntax.yaml_value(list(event.tags))}\n")
    if event.recurrence is not None and recurrence is None:
        warnings.warn(
            f"event {event.id!r}: the recurrence {event.recurrence} has no markwhen words "
            "(every ...); it is kept in the property recurrence, which markwhen does not repeat",
            ExportWarning,
            stacklevel=5,
        )
        write(f"recurrence: {syntax.yaml_value(event.recurrence)}\n")
    place = data.get("place")
    if place is not None:
        name = own(event.place, "name")
        write(f"location: {syntax.yaml_value(name)}\n")
        if set(place) != {"name"}:
            write(f"place: {syntax.yaml_value(place)}\n")
    for key, value in data.items():
        if key in _WRITTEN:
            continue
        shown = own(event, "notes") if key == "notes" else value
        write(f"{key}: {syntax.yaml_value(shown)}\n")
    if translations and "translations" in data:
        write(f"translations: {syntax.yaml_value(data['translations'])}\n")
    sources = data.get("sources", [])
    if any(set(source) - {"url", "title"} for source in sources):
        write(f"sources: {syntax.yaml_value(sources)}\n")
    description = own(event, "description")
    if description:
        lines = description.split("\n")
        filled = [i for i, text in enumerate(lines) if text]
        top, bottom = (filled[0], filled[-1]) if filled else (len(lines), -1)
        for i, text in enumerate(lines):
            if not text and (i < top or i > bottom):
                # an empty line before or after the text, which markwhen drops
                write(syntax.MARK + "\n")
            else:
                write(syntax.escape_description_line(text, starts_event) + "\n")
    for source in sources:
        write(syntax.source_line(source.get("title") or source["url"], source["url"]) + "\n")
    write("\n")


def date_part(event: Event) -> tuple[str, dict[str, str]]:
    """The date part of the event's line, and the properties ``start`` and
    ``end`` where it cannot say the date exactly (EDTF text)."""
    start, end = event.start, event.end
    exact: dict[str, str] = {}
    if _lossy(start):
        exact["start"] = start.isoformat()
    if end is not None and (
        _lossy(end) or (end.precision is Precision.TIME and end.tz != start.tz)
    ):
        exact["end"] = end.isoformat()
    if start.year < 1 or (end is not None and end.year < 1):
        if start.precision is not Precision.YEAR or (
            end is not None and end.precision is not Precision.YEAR
        ):
            warnings.warn(
                f"event {event.id!r}: markwhen reads years only before year 1 (BCE); "
                f"{_span(event)} is written as the years it falls in, the exact dates in the "
                "properties start and end",
                ExportWarning,
                stacklevel=5,
            )
            exact["start"] = start.isoformat()
            if end is not None:
                exact["end"] = end.isoformat()
        return _era(start.year, end.year if end is not None else None), exact
    times = [d for d in (start, end) if d is not None]
    if (
        all(d.precision is Precision.TIME and d.tz is not None for d in times)
        and any(_lossy(d) for d in times)
        and not any(d.approximate or d.uncertain or d.time.microsecond for d in times)  # type: ignore[union-attr]
    ):
        # Seconds: markwhen's ISO form (its Z is overruled by the timezone property).
        exact.clear()
        if end is not None and end.tz != start.tz:
            exact["end"] = end.isoformat()
        return " - ".join(_iso(d) for d in times), exact
    text = _edtf(start)
    if end is not None:
        text += f" / {_edtf(end)}"
    return text, exact


def _iso(date: Date) -> str:
    time = date.time
    assert time is not None
    return (
        f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
        f"T{time.hour:02d}:{time.minute:02d}:{time.second:02d}Z"
    )


def _span(event: Event) -> str:
    return str(event.start) + ("" if event.end is None else f"/{event.end}")


def _era(first: int, last: int | None) -> str:
    """``300 BCE`` or a range of years, as markwhen reads them: its end year
    is the first instant of that year, so the year after the last is written."""
    text = _year_words(first)
    if last is not None:
        text += f" - {_year_words(last + 1)}"
    return text


def _year_words(year: int) -> str:
    return f"{1 - year} BCE" if year < 1 else f"{year} CE"


def _lossy(date: Date) -> bool:
    if date.approximate or date.uncertain:
        return True
    if date.precision is Precision.TIME:
        time = date.time
        assert time is not None
        return bool(time.second or time.microsecond)
    return False


def _edtf(date: Date) -> str:
    year = f"{date.year:04d}"
    if date.precision is Precision.YEAR:
        return year
    if date.precision is Precision.MONTH:
        return f"{year}-{date.month:02d}"
    day = f"{year}-{date.month:02d}-{date.day:02d}"
    if date.precision is Precision.DAY:
        return day
    time = date.time
    assert time is not None
    return f"{day} {time.hour:02d}:{time.minute:02d}"


def recurrence_text(rule: str) -> str | None:
    """markwhen's words (rrule's English) for an RRULE, or ``None`` when
    they cannot say it all."""
    parts = dict(part.split("=", 1) for part in rule.removeprefix("RRULE:").split(";"))
    unit = _UNITS.get(parts.pop("FREQ", ""))
    if unit is None:
        return None
    interval = int(parts.pop("INTERVAL", "1"))
    words = f"every {interval} {unit}s" if interval != 1 else f"every {unit}"
    byday = parts.pop("BYDAY", None)
    if byday is not None:
        days = byday.split(",")
        if unit != "week" or any(day not in _DAYS for day in days):
            return None
        words += " on " + ", ".join(_DAYS[day] for day in days)
    count = parts.pop("COUNT", None)
    if count is not None:
        words += f" for {int(count)} times"
    until = parts.pop("UNTIL", None)
    if until is not None:
        if (
            len(until) < 8
            or not until[:8].isdigit()
            or until[8:] not in ("", "T000000Z", "T000000")
        ):
            return None
        month = _MONTHS[int(until[4:6]) - 1]
        words += f" until {month} {int(until[6:8])}, {int(until[:4])}"
    if parts:
        return None
    return words
