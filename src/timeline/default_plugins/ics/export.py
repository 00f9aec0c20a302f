"""How a timeline becomes an iCalendar file: the exporter's options, each
event's layout (all-day or timed, in its zone, or left out), its words
(summary, description, categories) in the export's language, the
calendar's VTIMEZONEs, and :class:`CalendarWriter`, which writes a calendar
event by event. The VEVENTs themselves are written by :mod:`.vevent`.
See ``docs/ics.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import os
import re
import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import IO, TYPE_CHECKING, Any, Final, TextIO

import attrs

from ...dates import Date, Precision, get_zone
from ...document import timeline_header
from ...errors import ExportWarning, FileError, OptionError
from ...formats import EventWriter
from ...locales import N_
from ...model import Event, Place, Source, kind_fields
from ...structuring import TextLayout, converter
from ...timelines import Timeline
from ...translations import TextsIn, Translatable
from ...validators import CONTROL_CHARACTERS
from ...words import (
    country_words,
    date_words,
    field_label,
    place_words,
    translate,
    value_words,
)
from .values import is_duration, parse_duration
from .vevent import (
    HEADER_PROPERTY,
    VEvent,
    format_datetime,
    refuse_line_breaks,
    write_vevent,
)

if TYPE_CHECKING:
    from icalendar import Calendar

__all__ = [
    "PRODID",
    "CalendarWriter",
    "Settings",
    "ZoneYears",
    "calendar",
    "calendar_head",
    "make_settings",
    "vevents",
]

PRODID: Final = "-//timeline-events//timeline//EN"
ANNIVERSARY_CATEGORY: Final = "anniversary"
RECURRENCE_YEARS: Final = 100
"""How many years of time zone rules a zoned event that recurs without
``UNTIL`` gets in its VTIMEZONE."""

_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
_ONE_DAY: Final = dt.timedelta(days=1)
_CACHE_SIZE: Final = 1024
"""How many places and sources the exporter remembers the
text of; a bound, so that memory does not grow with the number of events."""
SPOOL_SIZE: Final = 64 * 1024
"""How many characters of VEVENTs :class:`CalendarWriter` gathers in memory
before it opens its temporary file, and how many bytes that file's buffer
holds: what it writes to the disk at a time."""
COPY_SIZE: Final = 16 * 1024
"""How many characters at a time :class:`CalendarWriter` copies from its
temporary file to the output."""


# -- options -----------------------------------------------------------------------------


@attrs.frozen
class Settings:
    """The exporter's options, checked and converted."""

    domain: str
    stamp: dt.datetime
    span: bool
    anniversaries: bool
    lossless: bool
    name: str | None
    description: str | None
    refresh: dt.timedelta | None
    locale: str | None = None
    """The language of the words written for people (a BCP 47 tag), and
    of the LANGUAGE parameter of the texts; ``None``: the library's English,
    without LANGUAGE."""
    name_language: str | None = None
    """The LANGUAGE of the calendar's name: the reader's for a name given as
    an option or translated, the original's for the timeline's own title."""
    description_language: str | None = None
    texts: TextsIn = attrs.field(factory=lambda: TextsIn("en", None), eq=False)
    """The data's texts in that language (a translation, else the original),
    counting those written in the original."""

    @property
    def stamp_text(self) -> str:
        return format_datetime(self.stamp) + "Z"


class _Texts(TextsIn):
    """:class:`~timeline.translations.TextsIn` that counts the texts left in
    the original without remembering every event: each text of an event is
    asked for once, and a place's name once for each place object, which is
    remembered weakly (so that the places a stream lets go of are
    forgotten, and a new place at the same address is counted as new)."""

    def __init__(self, original: str, locale: str | None) -> None:
        super().__init__(original, locale)
        self._counted: weakref.WeakValueDictionary[tuple[int, str], Place] = (
            weakref.WeakValueDictionary()
        )

    def text(self, holder: Translatable, field: str) -> str:
        """``holder``'s ``field`` in the reader's language, else the original."""
        value: str = getattr(holder, field)
        if not self.active or not value:
            return value
        assert self.locale is not None
        found = holder.translations.lookup(self.locale, field) if holder.translations else None
        if found is not None:
            return found
        if isinstance(holder, Place):
            key = (id(holder), field)
            if self._counted.get(key) is holder:
                return value
            self._counted[key] = holder
        self.missing[field] = self.missing.get(field, 0) + 1
        return value


def make_settings(timeline: Timeline, options: Mapping[str, Any]) -> Settings:
    """The checked ``options`` of an export of ``timeline`` (its header:
    its events are not read); an :class:`~timeline.OptionError` says what
    is wrong."""
    domain = options["domain"]
    if not _DOMAIN.fullmatch(domain) or ".." in domain:
        raise OptionError(f"option 'domain' is a domain name such as 'example.org', not {domain!r}")
    locale = options.get("locale")
    texts = _Texts(timeline.language, locale)
    name, name_language = options["name"], locale
    if name is None:
        name = texts.text(timeline, "title")
        name_language = texts.language_of(timeline, "title") if locale else None
    description, description_language = options["description"], locale
    if description is None:
        description = texts.text(timeline, "description")
        description_language = texts.language_of(timeline, "description") if locale else None
    for option, value in (("name", name), ("description", description)):
        found = None if value is None else CONTROL_CHARACTERS.search(value)
        if found is not None:
            what = "a lone surrogate" if found.group() >= "\ud800" else "a control character"
            raise OptionError(f"option {option!r} contains {what}")
    if name is not None and ("\n" in name or "\r" in name):
        raise OptionError("option 'name' must be one line")
    refresh = options["refresh"]
    return Settings(
        domain=domain,
        stamp=_stamp(options["dtstamp"]),
        span=options["imprecise"] == "span",
        anniversaries=options["anniversaries"],
        lossless=options["lossless"],
        name=name or None,
        description=description or None,
        refresh=None if refresh is None else _duration(refresh),
        locale=locale,
        name_language=name_language,
        description_language=description_language,
        texts=texts,
    )


def _stamp(text: str | None) -> dt.datetime:
    """DTSTAMP: the option, else ``SOURCE_DATE_EPOCH``, else now; in UTC, to the second."""
    if text is not None:
        try:
            when = dt.datetime.fromisoformat(text.strip())
            if when.tzinfo is not None:
                when = when.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise OptionError(
                f"option 'dtstamp' is a date and time in UTC such as "
                f"'2026-01-01T00:00:00Z', not {text!r}"
            ) from None
        if when.tzinfo is None:
            raise OptionError(f"option 'dtstamp' needs a zone: end it with 'Z' for UTC ({text!r})")
    elif os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        epoch = os.environ["SOURCE_DATE_EPOCH"].strip()
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise OptionError(
                f"SOURCE_DATE_EPOCH is a number of seconds since 1970, not {epoch!r}"
            ) from None
    else:
        when = dt.datetime.now(dt.UTC)
    return when.replace(microsecond=0)


def _duration(text: str) -> dt.timedelta:
    """An RFC 5545 duration such as ``P1D``, ``PT12H`` or ``P1W``, positive."""
    value = text.strip().upper()
    if value[:1] in "+-" or not is_duration(value):
        raise OptionError(
            f"option 'refresh' is an ISO 8601 duration such as 'P1D', 'PT12H' or 'P1W', "
            f"not {text!r}"
        )
    try:
        duration = parse_duration(value)
    except ValueError:
        raise OptionError(f"option 'refresh' is too long: {text!r}") from None
    if duration <= dt.timedelta(0):
        raise OptionError(f"option 'refresh' must be longer than nothing, not {text!r}")
    return duration


# -- dates --------------------------------------------------------------------------------


def _words(d: Date) -> str:
    """A date in words, to the day: ``15 June 2001``, ``June 2002?``, ``c. 1996``
    (in English, as warnings say it)."""
    return date_words(d, time=False)


# The words the exporter writes for people, translated once an export with
# timeline.words.translate (N_ marks them for pybabel).
_MESSAGES: Final = (
    N_("{start} to {end}"), N_("known only to the year"), N_("known only to the month"),
    N_("approximate"), N_("uncertain"), N_("{one} and {other}"),
    N_("Date: {dates} (the date is {qualities}; shown as an all-day event on {day})."),
    N_("Date: {dates} (the date is {qualities}; shown as an all-day event from {first} "
       "to {last})."),
    N_("Every year since {date}."), N_("Online, hosted from {place}"), N_(" (accessed {date})"),
    N_("{label}: {value}"), N_("{label}:"), N_("Notes"), N_("Sources"),
)  # fmt: skip


class Words:
    """The words of one export, in its locale (the library's English
    without one): dates in words, the labels of the description, the
    sentences of imprecise dates and anniversaries, country names."""

    __slots__ = ("labels", "locale", "text")

    def __init__(self, locale: str | None) -> None:
        self.locale = locale
        self.text: dict[str, str] = {message: translate(message, locale) for message in _MESSAGES}
        self.labels: dict[type[Event], tuple[tuple[str, str], ...]] = {}

    def date(self, d: Date) -> str:
        """A date in words, to the day: ``15 June 2001``, ``June 2002?``, ``c. 1996``."""
        return date_words(d, time=False, locale=self.locale)

    def day(self, day: dt.date) -> str:
        return date_words(Date(day.year, day.month, day.day), locale=self.locale)

    def range(self, start: Date, end: Date | None) -> str:
        """``1 June 2001 to 15 June 2001``; one date when the ends say the same."""
        first = self.date(start)
        if end is None:
            return first
        last = self.date(end)
        if last == first:
            return first
        return self.text["{start} to {end}"].format(start=first, end=last)

    def fact(self, label: str, value: str) -> str:
        """``Host: Kazakhstan``: a label (translated already) and its value,
        joined as the locale joins them (in Chinese, with a full-width colon)."""
        return self.text["{label}: {value}"].format(label=label, value=value)

    def kind_labels(self, cls: type[Event]) -> tuple[tuple[str, str], ...]:
        """(field name, label) for the fields a kind adds."""
        labels = self.labels.get(cls)
        if labels is None:
            labels = self.labels[cls] = tuple(
                (a.name, field_label(a, locale=self.locale)) for a in kind_fields(cls)
            )
        return labels

    def country(self, code: str) -> str:
        return country_words(code, locale=self.locale)


_ENGLISH: Final = Words(None)


def _day(d: Date) -> dt.date:
    return dt.date(d.year, d.month or 1, d.day or 1)


def _exact(d: Date | None) -> bool:
    """A day or a time of day, neither approximate nor uncertain."""
    return d is None or (d.day is not None and not d.approximate and not d.uncertain)


def _imprecision(event: Event, words: Words | None = None) -> tuple[Date, str]:
    """The first date of the event that iCalendar cannot hold as it is, and
    what it is: ``known only to the year and approximate``; in the language
    of ``words``, in English without (as warnings say it)."""
    say = (words or _ENGLISH).text
    for d in (event.start, event.end):
        if d is None or _exact(d):
            continue
        qualities = []
        if d.precision is Precision.YEAR:
            qualities.append(say["known only to the year"])
        elif d.precision is Precision.MONTH:
            qualities.append(say["known only to the month"])
        if d.approximate:
            qualities.append(say["approximate"])
        if d.uncertain:
            qualities.append(say["uncertain"])
        why = qualities[0]
        for quality in qualities[1:]:
            why = say["{one} and {other}"].format(one=why, other=quality)
        return d, why
    raise AssertionError(f"{event.id}: both dates are exact")  # pragma: no cover


class Layout:
    """When an event is, as iCalendar can say it: ``start`` and ``end`` are
    dates (``end`` the day after the last) for an all-day event, datetimes
    for a timed one. ``imprecise`` says why the date is not exact, when it
    is spread over every day it may cover."""

    __slots__ = ("all_day", "end", "imprecise", "start")

    def __init__(
        self, start: dt.date, end: dt.date | None, all_day: bool, imprecise: str | None = None
    ) -> None:
        self.start = start
        self.end = end
        self.all_day = all_day
        self.imprecise = imprecise


def _layout(event: Event, settings: Settings) -> Layout | str:
    """The layout of the event in the calendar, or why it is left out."""
    start, end = event.start, event.end
    if start.year < 1:
        return f"iCalendar has no dates before the year 1 ({_words(start)})"
    try:
        if _exact(start) and _exact(end):
            if settings.anniversaries:
                first = _day(start)
                return Layout(first, first + _ONE_DAY, True)
            mixed = end is not None and (end.time is None or (start.tz is None) != (end.tz is None))
            if start.time is None or mixed:
                first = _day(start)
                if end is None:
                    return Layout(first, first + _ONE_DAY, True)
                last = _day(end)
                return Layout(first, max(last, first) + _ONE_DAY, True)
            start_dt = start.to_datetime()
            end_dt = None if end is None else end.to_datetime()
            # iCalendar times stop at the second: DTEND must come after
            # DTSTART once the fractions are dropped (RFC 5545, 3.6.1).
            if end_dt is not None and not end_dt.replace(microsecond=0) > start_dt.replace(
                microsecond=0
            ):
                end_dt = None
            return Layout(start_dt, end_dt, False)
        date, why = _imprecision(event)
        if not settings.span:
            return (
                f"its date {date} is {why}, which iCalendar cannot say "
                "(the option imprecise=span writes it as an all-day event over every day "
                "it may cover)"
            )
        first = _day(start.earliest)
        last = _day(start.latest if settings.anniversaries else event.last.latest)
        return Layout(first, max(last, first) + _ONE_DAY, True, why)
    except OverflowError:
        return "iCalendar has no day after 31 December 9999 to end it on"


def _zones(event: Event, layout: Layout) -> Iterator[tuple[str, int, int]]:
    """The IANA zones a timed event uses, with the first and last year it needs them."""
    if layout.all_day:
        return
    years = [event.start.year, event.last.year]
    if event.recurrence is not None:
        until = _recur(event.recurrence).get("UNTIL")
        years.append(until[0].year if until else event.start.year + RECURRENCE_YEARS)
    # icalendar cannot build a VTIMEZONE to the end of 9999; an event in 9999
    # gets the rules of 9998, and never a VTIMEZONE without an observance.
    last = min(max(years), 9998)
    first = min(*years, last)
    for d in (event.start, event.end):
        if d is not None and d.tz is not None and d.tz != "UTC":
            yield d.tz, first, last


@functools.lru_cache(maxsize=64)
def _vtimezone(key: str, first_year: int, last_year: int) -> Any:
    """The VTIMEZONE of a zone, valid from 1 January of ``first_year`` to the
    end of ``last_year``; building one takes milliseconds, so they are kept.

    icalendar builds it, with the zone's name as its TZID, the name the
    events' TZID parameters use (icalendar would call a zone whose offset
    is always 0, such as Africa/Abidjan, ``UTC``). Its observances list their onsets as DTSTART plus
    one RDATE with many values, which is what RFC 5545 allows, but
    Thunderbird's parser (ical.js 2.2) skips DTSTART when there is an RDATE
    and reads only the first value of each RDATE: a summer event in Berlin
    would be an hour off. So every onset, DTSTART's included, is written as
    an RDATE of its own, the form libical's zone files use, which every
    parser reads the same way.
    """
    from icalendar import Timezone

    timezone = Timezone.from_tzinfo(
        get_zone(key),
        tzid=key,  # else a zone always at UTC (Africa/Abidjan) gets TZID:UTC
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year + 1, 1, 1),
    )
    for observance in timezone.subcomponents:
        rdates = observance.pop("RDATE", None)
        if rdates is None:
            continue
        onsets = [observance.DTSTART]
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            onsets.extend(period.dt for period in rdate.dts)
        for onset in onsets:
            observance.add("RDATE", onset)
    return timezone


@functools.lru_cache(maxsize=256)
def _recur(text: str) -> Mapping[str, list[Any]]:
    """An event's recurrence (which the event checked) as icalendar reads it
    (``{"FREQ": ["YEARLY"], "UNTIL": [datetime.date(2030, 6, 15)]}``)."""
    from icalendar import vRecur

    recur: Mapping[str, list[Any]] = vRecur.from_ical(text.removeprefix("RRULE:"))
    return recur


@functools.lru_cache(maxsize=256)
def _rrule(text: str, all_day: bool) -> str:
    """The RRULE value as icalendar writes it; an UNTIL with a time becomes a
    date for an all-day event, as RFC 5545 wants UNTIL to match DTSTART."""
    from icalendar import vRecur

    rule: Any = vRecur(_recur(text))  # a copy: the one _recur keeps is shared
    if all_day and "UNTIL" in rule:
        rule["UNTIL"] = [u.date() if isinstance(u, dt.datetime) else u for u in rule["UNTIL"]]
    value: bytes = rule.to_ical()
    return value.decode("ascii")


def _dated(title: str, when: str) -> str:
    """A title with its date in words: ``India joins (9 June 2017)``; after a
    title that already ends in brackets, ``... (Declaration), 15 June 2001``."""
    return f"{title}, {when}" if title.endswith(")") else f"{title} ({when})"


def _anniversary_rule(day: dt.date) -> str:
    if day.month == 2 and day.day == 29:
        return "FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2"
    return "FREQ=YEARLY"


# -- what an event says ------------------------------------------------------------------


def _source_line(source: Source, words: Words) -> str:
    """``- Title: URL (accessed 2024-07-05). Note``; in a locale, the day it
    was accessed is in words."""
    text = f"- {source.title}: {source.url}" if source.title else f"- {source.url}"
    accessed = source.accessed
    if accessed is not None:
        day = str(accessed) if words.locale is None else date_words(accessed, locale=words.locale)
        text += words.text[" (accessed {date})"].format(date=day)
    if source.note:
        text += f". {source.note}"
    return text


def _description(
    event: Event,
    note: str | None,
    sources: dict[int, tuple[Source, str]],
    words: Words,
    own: Callable[[Any, str], str] = getattr,
    *,
    facts: dict[tuple[str, type, Any], str] | None = None,
) -> str:
    """DESCRIPTION: the event's description, its typed attributes in words,
    its notes and its sources. ``sources`` keeps the line of each source
    already seen, by id: many events cite one report; ``facts`` keeps the
    line of each attribute's label and value that repeat (the same host, the
    same organisation), at most :data:`_CACHE_SIZE` of them."""
    if facts is None:
        facts = {}
    parts: list[str] = []
    if note:
        parts.append(note)
    if event.description:
        parts.append(own(event, "description"))
    lines = []
    locale = words.locale
    for name, label in words.kind_labels(type(event)):
        value = getattr(event, name)
        key = (label, type(value), value) if _repeats(value) else None
        fact = None if key is None else facts.get(key)
        if fact is None:
            worded = value_words(value, locale=locale)
            fact = words.fact(label, worded) if worded else ""
            if key is not None:
                if len(facts) >= _CACHE_SIZE:
                    facts.clear()
                facts[key] = fact
        if fact:
            lines.append(fact)
    if lines:
        parts.append("\n".join(lines))
    say = words.text
    if event.notes:
        parts.append(words.fact(say["Notes"], own(event, "notes")))
    if event.sources:
        listed = [say["{label}:"].format(label=say["Sources"])]
        for source in event.sources:
            known = sources.get(id(source))
            if known is None or known[0] is not source:
                if len(sources) >= _CACHE_SIZE:
                    sources.clear()
                known = sources[id(source)] = (source, _source_line(source, words))
            listed.append(known[1])
        parts.append("\n".join(listed))
    return "\n\n".join(parts)


def _repeats(value: Any) -> bool:
    """Whether the words of an attribute's value may be kept by value: a
    text, a number, a truth value or an enum, or a tuple of texts (by type
    and value, as a text and an enum that are equal have different words)."""
    kind = type(value)
    if kind is tuple:
        return all(type(item) is str for item in value)
    return kind in _BY_VALUE or isinstance(value, enum.Enum)


_BY_VALUE: Final = frozenset({str, int, bool, type(None)})


def _geo(place: Place) -> tuple[float, float] | None:
    if place.latitude is None or place.longitude is None:
        return None
    return (place.latitude, place.longitude)


def _location(place: Place, name: str, words: Words) -> str:
    """LOCATION: the place's name (in the reader's language, if it has one)
    and its country."""
    country = None if place.country is None else words.country(place.country)
    if country and country not in name:
        return place_words(name, country, locale=words.locale)
    return name


def _categories(event: Event, extra: str | None) -> tuple[str, ...]:
    if not event.tags and extra is None:
        return (event.kind,)
    seen = dict.fromkeys((event.kind, *event.tags))
    if extra is not None:
        seen.setdefault(extra)
    return tuple(seen)


def _date_note(event: Event, layout: Layout, words: Words) -> str:
    """``Date: November 2020 (the date is known only to the month; shown as
    an all-day event from 1 November 2020 to 30 November 2020).``"""
    assert layout.end is not None
    last = words.day(layout.end - _ONE_DAY)
    first = words.day(layout.start)
    dates = words.range(event.start, event.end)
    qualities = _imprecision(event, words)[1]
    if first == last:
        sentence = "Date: {dates} (the date is {qualities}; shown as an all-day event on {day})."
        return words.text[sentence].format(dates=dates, qualities=qualities, day=first)
    sentence = (
        "Date: {dates} (the date is {qualities}; shown as an all-day event from {first} to {last})."
    )
    return words.text[sentence].format(dates=dates, qualities=qualities, first=first, last=last)


def _compact_json() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``,
    made once: ``dumps`` builds a new encoder on every call, which costs as
    much as the encoding of a small event."""
    from json import encoder

    plain = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - Python without the C accelerator
        return plain.encode
    iterencode = make(
        None, plain.default, encoder.encode_basestring, None, ":", ",", False, False, True
    )
    join = "".join

    def encode(value: Any) -> str:
        return join(iterencode(value, 0))

    return encode


_DENSE: Final = _compact_json()

DENSE_LAYOUT: Final = TextLayout(
    first='{"kind":',
    next=lambda key: "," + encode_basestring(key) + ":",
    end="}",
    string=encode_basestring,
    value=lambda data, depth: _DENSE(data),
    array=lambda texts: "[" + ",".join(texts) + "]",
)
"""An event as ``X-TIMELINE-EVENT`` holds it: ``json.dumps(data,
ensure_ascii=False, separators=(",", ":"))`` of its plain data, written by
:meth:`timeline.structuring.Converter.text_writer` without the dicts."""


class _Mapper:
    """What each event of one export becomes: its VEVENT and layout, or
    nothing (with a warning, when it is left out). It keeps the caches of
    the export (the text of places and sources, by object, each of at most
    :data:`_CACHE_SIZE`), never the events."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.words = _ENGLISH if settings.locale is None else Words(settings.locale)
        self.texts = settings.texts
        self.own: Callable[[Any, str], str] = self.texts.text if self.texts.active else getattr
        self.event_text = converter().text_writer(DENSE_LAYOUT)
        self.domain = "@" + settings.domain
        self.places: dict[int, tuple[Place, str, tuple[float, float] | None]] = {}
        self.sources: dict[int, tuple[Source, str]] = {}
        self.facts: dict[tuple[str, type, Any], str] = {}

    def vevent(self, event: Event) -> tuple[VEvent, Layout] | None:
        """The VEVENT of ``event`` and its layout; ``None`` for an event the
        calendar leaves out (an :class:`~timeline.ExportWarning` says why)
        or does not hold (not an anniversary, in a calendar of them)."""
        settings = self.settings
        anniversaries = settings.anniversaries
        if anniversaries and not event.anniversary:
            return None
        layout = _layout(event, settings)
        if type(layout) is str:
            warnings.warn(
                f"event {event.id!r} is left out of the calendar: {layout}",
                ExportWarning,
                stacklevel=3,
            )
            return None
        assert isinstance(layout, Layout)
        words, own, domain = self.words, self.own, self.domain
        title = own(event, "title")
        summary = title
        note = None
        rrule = None
        extra = None
        if anniversaries:
            uid = f"{event.id}+anniversary{domain}"
            since = words.date(event.start)
            summary = _dated(title, since)
            rrule = _anniversary_rule(layout.start)
            note = words.text["Every year since {date}."].format(date=since)
            if layout.imprecise is not None:
                note = f"{note} {_date_note(event, layout, words)}"
            extra = ANNIVERSARY_CATEGORY
        else:
            uid = event.id + domain
            if layout.imprecise is not None:
                summary = _dated(title, words.range(event.start, event.end))
                note = _date_note(event, layout, words)
            if event.recurrence is not None:
                refuse_line_breaks(uid, "RRULE", event.recurrence)
                rrule = _rrule(event.recurrence, layout.all_day)
            if not layout.all_day:
                _check_subseconds(event)
        place = event.place
        location = ""
        geo = None
        if place is not None:
            places = self.places
            cached = places.get(id(place))
            if cached is None or cached[0] is not place:
                if len(places) >= _CACHE_SIZE:
                    places.clear()
                name = own(place, "name")
                cached = places[id(place)] = (place, _location(place, name, words), _geo(place))
            location, geo = cached[1], cached[2]
            if event.online:
                # The place of a virtual meeting is where it was hosted from,
                # not somewhere to go: no pin on a map.
                online = words.text["Online, hosted from {place}"]
                location, geo = online.format(place=location), None
        url = event.url
        if url is None and event.sources:
            url = event.sources[0].url
        language = settings.locale
        made = VEvent(
            uid=uid,
            summary=summary,
            start=layout.start,
            end=layout.end,
            rrule=rrule,
            categories=_categories(event, extra),
            description=_description(event, note, self.sources, words, own, facts=self.facts),
            geo=geo,
            location=location,
            transparent=layout.all_day,
            url=url,
            data=self.event_text(event) if settings.lossless else None,
            language=language,
            summary_language=self.texts.language_of(event, "title") if language else None,
        )
        return made, layout

    def finish(self) -> None:
        """Warn, once, about the texts left in the original language."""
        missing = self.texts.warning()
        if missing is not None:
            warnings.warn(missing, ExportWarning, stacklevel=3)


def vevents(timeline: Timeline, settings: Settings) -> Iterator[VEvent]:
    """The VEVENTs of the calendar, in the timeline's order. Warns with
    :class:`~timeline.ExportWarning` about each event it leaves out, and
    at the end about the texts left in the original language."""
    mapper = _Mapper(settings)
    for event in timeline.events:
        made = mapper.vevent(event)
        if made is not None:
            yield made[0]
    mapper.finish()


def _check_subseconds(event: Event) -> None:
    for d in (event.start, event.end):
        if d is not None and d.time is not None and d.time.microsecond:
            warnings.warn(
                f"event {event.id!r}: iCalendar times stop at the second; "
                f"{d} is written without its fraction",
                ExportWarning,
                stacklevel=4,
            )
            return


class ZoneYears:
    """The zones that a calendar's timed events use, each with the first
    and last year its VTIMEZONE must cover: one entry a zone, however many
    events use it."""

    __slots__ = ("years",)

    def __init__(self) -> None:
        self.years: dict[str, tuple[int, int]] = {}

    def add(self, event: Event, layout: Layout) -> None:
        """Count the zones of ``event``, laid out as ``layout``."""
        if layout.all_day:
            return
        years = self.years
        for key, first, last in _zones(event, layout):
            old = years.get(key)
            if old is None:
                years[key] = (first, last)
            elif first < old[0] or last > old[1]:
                years[key] = (min(first, old[0]), max(last, old[1]))

    def vtimezones(self) -> Iterator[Any]:
        """The VTIMEZONEs, as icalendar components, in the order of the zones' names."""
        for key, (first, last) in sorted(self.years.items()):
            yield _vtimezone(key, first, last)


def _used_zones(timeline: Timeline, settings: Settings) -> ZoneYears:
    """Every zone the calendar's timed events use, with the years it must cover."""
    zones = ZoneYears()
    if settings.anniversaries:
        return zones
    for event in timeline.events:
        start = event.start
        end = event.end
        if (start.tz is None or start.tz == "UTC") and (end is None or end.tz in (None, "UTC")):
            continue
        layout = _layout(event, settings)
        if isinstance(layout, Layout):  # else left out; vevents says so
            zones.add(event, layout)
    return zones


def calendar_head(header: Timeline, settings: Settings) -> Calendar:
    """The calendar's properties, as an icalendar Calendar without
    components. ``header`` is the timeline (its events are not read)."""
    from icalendar import Calendar, vText
    from icalendar.prop import vDuration

    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # RFC 7986 gives NAME and DESCRIPTION a LANGUAGE (RFC 5545, 3.2.10), the
    # language the text is written in; the X- properties that say the same
    # get it too.
    named = {} if settings.name_language is None else {"LANGUAGE": settings.name_language}
    described = (
        {} if settings.description_language is None
        else {"LANGUAGE": settings.description_language}
    )  # fmt: skip
    if settings.name is not None:
        cal.add("NAME", vText(settings.name), parameters=named)
        cal.add("X-WR-CALNAME", vText(settings.name), parameters=named)
    if settings.description is not None:
        cal.add("DESCRIPTION", vText(settings.description), parameters=described)
        cal.add("X-WR-CALDESC", vText(settings.description), parameters=described)
    if settings.refresh is not None:
        cal.add("REFRESH-INTERVAL", vDuration(settings.refresh), parameters={"VALUE": "DURATION"})
        cal.add("X-PUBLISHED-TTL", vDuration(settings.refresh))
    if settings.lossless:
        header_data = timeline_header(header)
        cal.add(HEADER_PROPERTY, vText(json.dumps(header_data, ensure_ascii=False,
                                                  separators=(",", ":"))))  # fmt: skip
    return cal


def calendar(timeline: Timeline, settings: Settings) -> Calendar:
    """The calendar's properties and VTIMEZONEs, as an icalendar Calendar
    without events, found from the whole timeline (the tests' reference
    for what :class:`CalendarWriter` finds event by event)."""
    cal = calendar_head(timeline, settings)
    for vtimezone in _used_zones(timeline, settings).vtimezones():
        cal.add_component(vtimezone)
    return cal


_END: Final = "END:VCALENDAR\r\n"


def _spool_error(exc: OSError) -> FileError:
    """The error of a temporary file that cannot be written (a full disk),
    named as what it is, not as the output."""
    import tempfile

    return FileError(
        "cannot write the temporary file that holds the calendar's events until its "
        f"time zones are known, in {tempfile.gettempdir()}: {exc.strerror or exc}"
    )


class CalendarWriter(EventWriter):
    """Writes a calendar event by event: what ``ICSExporter.event_writer``
    returns, and what ``ICSExporter.write`` writes with.

    The VTIMEZONEs, which depend on the zones and years of every event,
    come before the VEVENTs, so the VEVENTs are gathered in memory up to
    :data:`SPOOL_SIZE` characters and then spooled to an unnamed temporary
    file, that many bytes at a time, while the zones and their years are
    counted (:class:`ZoneYears`). :meth:`close` writes the calendar's
    properties, the VTIMEZONEs, the VEVENTs copied back from the file (or
    from memory, when they never filled it) and ``END:VCALENDAR``. Making
    the writer writes nothing. It holds the bounded caches of one export,
    one entry a zone and at most :data:`SPOOL_SIZE` characters of text:
    never the events.
    """

    def __init__(self, header: Timeline, out: TextIO, settings: Settings) -> None:
        self._header = header
        self._out = out
        self._settings = settings
        self._mapper = _Mapper(settings)
        self._zones = ZoneYears()
        self._stamp = settings.stamp_text
        self._pending: list[str] = []
        self._size = 0
        self._spool: IO[str] | None = None

    def write(self, event: Event) -> None:
        """Map ``event`` to its VEVENT (or leave it out, with a warning)
        and spool it."""
        made = self._mapper.vevent(event)
        if made is None:
            return
        vevent, layout = made
        if not layout.all_day:
            self._zones.add(event, layout)
        text = write_vevent(vevent, self._stamp)
        spool = self._spool
        if spool is not None:
            try:
                spool.write(text)
            except OSError as exc:
                raise _spool_error(exc) from exc
            return
        self._pending.append(text)
        self._size += len(text)
        if self._size >= SPOOL_SIZE:
            self._spill()

    def _spill(self) -> None:
        """Open the temporary file, buffered :data:`SPOOL_SIZE` bytes at a
        time, and move the VEVENTs gathered so far to it."""
        import tempfile  # only for a calendar of more than a few dozen events

        try:
            spool = self._spool = tempfile.TemporaryFile(  # noqa: SIM115 - closed by close()
                "w+", buffering=SPOOL_SIZE, encoding="utf-8", newline=""
            )
            for text in self._pending:
                spool.write(text)
        except OSError as exc:
            raise _spool_error(exc) from exc
        self._pending.clear()
        self._size = 0

    def close(self) -> None:
        """Write the calendar's properties, its VTIMEZONEs, the VEVENTs and
        the end; warn about texts left in the original language."""
        try:
            out = self._out
            head: bytes = calendar_head(self._header, self._settings).to_ical()
            out.write(head.decode("utf-8").removesuffix(_END))
            for vtimezone in self._zones.vtimezones():
                zone: bytes = vtimezone.to_ical()
                out.write(zone.decode("utf-8"))
            spool = self._spool
            if spool is None:
                for text in self._pending:
                    out.write(text)
            else:
                import shutil

                try:
                    spool.seek(0)  # writes what its buffer holds
                except OSError as exc:
                    raise _spool_error(exc) from exc
                shutil.copyfileobj(spool, out, COPY_SIZE)
            self._mapper.finish()
            out.write(_END)
        finally:
            self.discard()

    def discard(self) -> None:
        """Let go of the VEVENTs spooled so far without writing them (and of
        the temporary file): for an export that failed. :meth:`close` does
        it after writing them."""
        self._pending.clear()
        self._size = 0
        if self._spool is not None:
            self._spool.close()
            self._spool = None
