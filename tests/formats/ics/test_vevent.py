"""The exporter's fast VEVENT writer against icalendar, the reference.

For the same events, building the calendar with icalendar's API
(``Calendar``, ``Event.new``, ``add``, ``to_ical``: see
:func:`helpers.ics.icalendar_calendar`) must give the same bytes as our
exporter: on the sample timeline, the SCO example and generated timelines
full of text that needs escaping and folding. The three places where
icalendar is wrong (docs/ics.md, Speed) stay out of the generated data and
have tests of their own at the end.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest
from helpers.ics import export, icalendar_calendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Event as IcalEvent

import timeline
from timeline import Accession, Event, Founding, Place, Source, Summit
from timeline.default_plugins.ics import vevent as _ics_writer
from timeline.testing import sample_timeline, synthetic_timeline


@pytest.mark.parametrize(
    ("make", "options"),
    [
        (sample_timeline, {}),
        (sample_timeline, {"imprecise": "span", "refresh": "P1W", "domain": "example.org"}),
        (sample_timeline, {"anniversaries": True, "imprecise": "span"}),
        (lambda: timeline.example("sco"), {}),
        (lambda: timeline.example("sco"), {"anniversaries": True}),
        (lambda: timeline.example("sco").of_kind("summit"), {"lossless": False, "name": "S"}),
        (lambda: synthetic_timeline(500), {}),
        (lambda: timeline.example("sco"), {"locale": "ru"}),
        (sample_timeline, {"anniversaries": True, "imprecise": "span", "locale": "zh-Hans"}),
        (lambda: synthetic_timeline(200), {"locale": "fa", "lossless": False}),
    ],
)
def test_the_same_bytes_as_icalendar(make: Any, options: dict[str, Any]) -> None:
    t = make()
    assert export(t, **options).encode("utf-8") == icalendar_calendar(t, **options)


# -- generated timelines ------------------------------------------------------------------------

# Text from every script, with the characters iCalendar escapes, and no
# control characters (the model refuses them). "\N" (a backslash before N) and a
# value that is only U+FEFF are where icalendar is wrong; each has a test below.
_PIECES = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufeff"),
    st.sampled_from([*",;:\\\"'^ ", "🤝", "👩\u200d💻", "e\u0301", "Қазақстан", "上海", "شنغهاي"]),
)


def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(_PIECES, max_size=max_size).map(lambda p: "".join(p).replace("\\N", "\\n"))


# One line: no line or paragraph separator (U+2028, U+2029), which the model refuses in one.
_LINE = _text(120).map(lambda s: s.replace("\u2028", " ").replace("\u2029", " ")).filter(str.strip)
_TEXT = st.lists(_text(80), max_size=4).map("\n".join)
_COORDINATE = st.integers(-900_000, 900_000).map(lambda n: n / 10_000)
_PLACE = st.builds(
    Place,
    name=_LINE,
    country=st.sampled_from([None, "KZ", "CN", "RU", "IN", "BY"]),
    latitude=_COORDINATE,
    longitude=_COORDINATE.map(lambda x: x * 2),
    timezone=st.sampled_from([None, "Asia/Almaty", "Europe/Berlin"]),
)
_SOURCE = st.builds(
    Source,
    url=st.sampled_from(["https://example.org/a?b=c,d;e", "http://x.y/z\\w", "urn:isbn:123"]),
    title=st.none() | _LINE,
    note=_TEXT,
)
_DAY = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 1))
_ZONES = [None, "UTC", "Asia/Almaty", "Europe/Berlin", "America/New_York", "Australia/Sydney"]


@st.composite
def _dates(draw: st.DrawFn) -> tuple[timeline.Date, timeline.Date | None]:
    """A start and an end: days, timed (floating, UTC or zoned, 1900-2100),
    or imprecise."""
    kind = draw(st.sampled_from(["day", "day", "time", "month", "year", "approximate"]))
    if kind == "time":
        zone = draw(st.sampled_from(_ZONES))
        when = draw(st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)))
        when = when.replace(microsecond=0)
        try:
            start = timeline.Date(when.year, when.month, when.day, time=when.time(), tz=zone)
            length = draw(st.sampled_from([None, 0, 90, 24 * 60, 24 * 60 * 40]))
            if length is None:
                return start, None
            later = when + dt.timedelta(minutes=length)
            end = timeline.Date(later.year, later.month, later.day, time=later.time(), tz=zone)
        except timeline.DateError:  # a local time that a zone skips
            return timeline.Date(when.year, when.month, when.day), None
        return start, end
    day = draw(_DAY)
    start = timeline.Date(day.year, day.month, day.day)
    if kind == "month":
        return timeline.Date(day.year, day.month), None
    if kind == "year":
        return timeline.Date(day.year), None
    if kind == "approximate":
        return timeline.Date(day.year, day.month, day.day, approximate=True), None
    days = draw(st.sampled_from([0, 0, 1, 30]))
    last = day + dt.timedelta(days=days)
    return start, timeline.Date(last.year, last.month, last.day)


@st.composite
def _events(draw: st.DrawFn, number: int) -> Event:
    start, end = draw(_dates())
    common: dict[str, Any] = {
        "id": f"e{number}",
        "title": draw(_LINE),
        "start": start,
        "end": end,
        "description": draw(_TEXT),
        "notes": draw(_TEXT),
        "place": draw(st.none() | _PLACE),
        "tags": tuple(dict.fromkeys(draw(st.lists(_LINE, max_size=3)))),
        "sources": tuple(draw(st.lists(_SOURCE, max_size=2))),
        "url": draw(st.sampled_from([None, "https://example.org/e?x=1,2;3"])),
    }
    if start.precision >= timeline.Precision.DAY and start.year >= 1:
        rules = [None, None, "FREQ=YEARLY", "FREQ=WEEKLY;COUNT=5", "FREQ=MONTHLY;BYMONTHDAY=1,15"]
        common["recurrence"] = draw(st.sampled_from(rules))
    kind = draw(st.sampled_from(["event", "summit", "founding", "accession"]))
    if kind == "summit":
        return Summit(organisation=draw(_LINE), host=draw(st.sampled_from([None, "KZ", "CN"])),
                      participants=("RU", "IN"), format="hybrid", **common)  # fmt: skip
    if kind == "founding":
        return Founding(organisation=draw(_LINE), members=("CN", "KZ"), **common)
    if kind == "accession":
        return Accession(organisation="SCO", member="BY", status="observer", **common)
    return Event(**common)


@st.composite
def _timelines(draw: st.DrawFn) -> timeline.Timeline:
    count = draw(st.integers(1, 6))
    events = [draw(_events(i)) for i in range(count)]
    return timeline.Timeline(title=draw(_LINE), description=draw(_TEXT), events=events)


_OPTIONS = st.fixed_dictionaries({
    "imprecise": st.sampled_from(["skip", "span"]),
    "anniversaries": st.booleans(),
    "lossless": st.booleans(),
    "refresh": st.sampled_from([None, "PT36H"]),
    "locale": st.sampled_from([None, "ru", "zh-Hans", "fa"]),
})  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=_timelines(), options=_OPTIONS)
def test_generated_timelines_give_the_same_bytes_as_icalendar(
    t: timeline.Timeline, options: dict[str, Any]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        ours = export(t, **options).encode("utf-8")
    assert ours == icalendar_calendar(t, **options)


@settings(max_examples=300, deadline=None)
@given(text=_text(400), language=st.sampled_from([None, "ru", "zh-Hans", "sr-Latn-RS"]))
def test_escaping_and_folding_match_icalendar(text: str, language: str | None) -> None:
    event = _ics_writer.VEvent(uid="u@x", summary=text or "x", start=dt.date(2024, 7, 3),
                               description=text, location=text, categories=(text or "x",),
                               data=text or None, language=language)  # fmt: skip
    reference = IcalEvent.new(
        uid="u@x", stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), summary=text or "x",
        start=dt.date(2024, 7, 3), description=text or None, location=text or None,
        categories=[text or "x"],
    )  # fmt: skip
    if text:
        from icalendar import vText

        reference.add("X-TIMELINE-EVENT", vText(text))
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        if language is not None and name in reference:
            reference[name].params["LANGUAGE"] = language
    assert _ics_writer.write_vevent(event, "20260101T000000Z") == reference.to_ical().decode()


def test_a_language_that_is_not_a_tag_is_refused() -> None:
    """The tag is written as it is, unquoted: one that could end the
    parameter (``ru:x``, ``ru;X=1``) would change the line."""
    for tag in ("ru:x", "ru;X=1", 'ru"', "", "ru\r\nX:1"):
        event = _ics_writer.VEvent(uid="u@x", summary="S", start=dt.date(2024, 7, 3),
                                   language=tag)  # fmt: skip
        with pytest.raises(timeline.TimelineError, match="is not a language tag"):
            _ics_writer.write_vevent(event, "20260101T000000Z")


# -- where icalendar is wrong -------------------------------------------------------------------


def test_icalendar_turns_a_backslash_n_into_a_line_break_and_we_do_not() -> None:
    event = _ics_writer.VEvent(uid="u@x", summary="C:\\Names", start=dt.date(2024, 7, 3))
    ours = _ics_writer.write_vevent(event, "20260101T000000Z")
    assert "SUMMARY:C:\\\\Names\r\n" in ours
    reference = IcalEvent.new(uid="u@x", stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                              summary="C:\\Names", start=dt.date(2024, 7, 3))  # fmt: skip
    assert "SUMMARY:C:\\names\r\n" in reference.to_ical().decode()
    # icalendar's own parser reads ours back right.
    from icalendar import Calendar

    text = "BEGIN:VCALENDAR\r\n" + ours + "END:VCALENDAR\r\n"
    assert str(Calendar.from_ical(text).events[0]["SUMMARY"]) == "C:\\Names"


def test_icalendar_loses_a_value_that_is_only_a_byte_order_mark_and_we_do_not() -> None:
    event = _ics_writer.VEvent(uid="u@x", summary="\ufeff", start=dt.date(2024, 7, 3))
    assert "SUMMARY:\ufeff\r\n" in _ics_writer.write_vevent(event, "20260101T000000Z")
    reference = IcalEvent.new(
        uid="u@x",
        stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        summary="\ufeff",
        start=dt.date(2024, 7, 3),
    )
    assert "SUMMARY:\r\n" in reference.to_ical().decode()


def test_icalendar_writes_small_coordinates_with_an_exponent_and_we_do_not() -> None:
    event = _ics_writer.VEvent(uid="u@x", summary="Greenwich", start=dt.date(2024, 7, 3),
                               geo=(51.4779, -0.00005))  # fmt: skip
    assert "GEO:51.4779;-0.00005\r\n" in _ics_writer.write_vevent(event, "20260101T000000Z")
    reference = IcalEvent.new(uid="u@x", stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                              summary="Greenwich", start=dt.date(2024, 7, 3))  # fmt: skip
    reference.add("GEO", (51.4779, -0.00005))
    assert "GEO:51.4779;-5e-05\r\n" in reference.to_ical().decode()


# -- the fast escaping and folding against plain references ---------------------------------------


def _reference_escape(text: str) -> str:
    """RFC 5545's TEXT escaping, one replacement at a time."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _reference_fold(line: str) -> str:
    """icalendar's folding, octet by octet: at most 74 octets a physical line,
    stepping back to the start of a UTF-8 character, then one octet more
    when the last would be a backslash or a caret."""
    data = line.encode("utf-8")
    parts: list[str] = []
    start = 0
    while len(data) - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


# Characters of one to four octets, the ones escaping and folding look at,
# and line breaks of every sort.
_FOLD_PIECES = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(["\\", "^", ";", ",", "\r\n", "\r", "\n", "a", "é", "上", "🤝", "\\n"]),
)
_FOLD_TEXT = st.lists(_FOLD_PIECES, max_size=300).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=_FOLD_TEXT, prefix=st.integers(0, 80))
def test_fold_and_escape_match_the_references(text: str, prefix: int) -> None:
    """``prefix`` ASCII letters shift the text against the fold boundaries.
    A content line holds no line break (texts are escaped, other values that
    hold one are refused), so the unescaped text is folded without them."""
    escaped = _ics_writer.escape_text(text)
    assert escaped == _reference_escape(text)
    unescaped = text.replace("\r", "").replace("\n", "")
    for line in ("x" * prefix + escaped, "x" * prefix + unescaped, "é" * prefix + escaped):
        assert _ics_writer.fold(line) == _reference_fold(line)


@pytest.mark.parametrize(
    ("line", "folded"),
    [
        ("", ""),
        ("a" * 74, "a" * 74),
        ("a" * 75, "a" * 74 + "\r\n a"),
        ("a" * 73 + "\\n", "a" * 73 + "\r\n \\n"),  # the escape stays whole
        ("a" * 73 + "^b", "a" * 73 + "\r\n ^b"),
        ("a" * 72 + "\\\\" + "b", "a" * 72 + "\\" + "\r\n \\b"),
        ("a" * 73 + "\\", "a" * 73 + "\\"),  # the end fits: no fold
        ("é" * 37, "é" * 37),  # 74 octets
        ("é" * 38, "é" * 37 + "\r\n é"),
        ("a" + "é" * 37, "a" + "é" * 36 + "\r\n é"),  # never half a character
        ("a" * 71 + "🤝" + "b", "a" * 71 + "\r\n 🤝b"),
        ("a" * 70 + "🤝" + "b", "a" * 70 + "🤝" + "\r\n b"),
        ("a" * 70 + "\\🤝" + "b", "a" * 70 + "\r\n \\🤝b"),
        ("上" * 24 + "\\" + "上" * 2, "上" * 24 + "\r\n \\" + "上" * 2),
        ("上" * 24 + "^" + "上" * 2, "上" * 24 + "\r\n ^" + "上" * 2),
        ("上" * 50, "上" * 24 + "\r\n " + "上" * 24 + "\r\n " + "上" * 2),
    ],
)
def test_fold_of_each_case(line: str, folded: str) -> None:
    assert _ics_writer.fold(line) == folded == _reference_fold(line)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("", ""),
        ("plain é 上", "plain é 上"),
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("a\r\nb\nc\rd\r\r\n", "a\\nb\\nc\\nd\\n\\n"),
        ("\\n", "\\\\n"),
    ],
)
def test_escape_of_each_case(text: str, escaped: str) -> None:
    assert _ics_writer.escape_text(text) == escaped == _reference_escape(text)
