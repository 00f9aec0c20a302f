"""The JSON writer's text of an event, written from the event itself
(``Converter.text_writer``), against the text the json module writes for
its plain data (``Converter.unstructure``), which stays the reference; and
the same for the iCalendar writer's ``X-TIMELINE-EVENT`` (``ics``: no spaces)."""

from __future__ import annotations

import enum
import json
import math
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline import Event, Place, Source, Timeline, TimelineError
from timeline.dates import Date
from timeline.default_plugins.ics.export import DENSE_LAYOUT
from timeline.default_plugins.json_format import (
    COMPACT_LAYOUT,
    PRETTY_LAYOUT,
    compact_text,
    pretty,
    pretty_text,
)
from timeline.document import timeline_to_dict
from timeline.model import label
from timeline.structuring import SHARED_TEXTS, TextLayout, converter
from timeline.testing import events, register_plugin, sample_timeline, timelines


def reference(event: Event, compact: bool | str) -> str:
    """The text of ``event``'s plain data, by the json module (or :func:`pretty`,
    which a test of its own compares with it), at the depth of an event."""
    data = converter().unstructure(event)
    if compact == "ics":
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if compact:
        return json.dumps(data, ensure_ascii=False)
    parts: list[str] = []
    pretty(data, 2, parts)
    return "".join(parts)


def reference_document(t: Timeline, compact: bool) -> str:
    """What ``timeline.dumps`` writes, made from the whole document's dicts."""
    doc = timeline_to_dict(t)
    if not compact:
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    header = json.dumps({k: v for k, v in doc.items() if k != "events"}, ensure_ascii=False)
    lines = [json.dumps(e, ensure_ascii=False) for e in doc["events"]]
    body = "\n" + ",\n".join(lines) + "\n" if lines else ""
    return header[:-1] + ', "events": [' + body + "]}\n"


def layout(compact: bool | str) -> TextLayout:
    """The JSON format's compact or indented form, or iCalendar's (``"ics"``)."""
    return DENSE_LAYOUT if compact == "ics" else COMPACT_LAYOUT if compact else PRETTY_LAYOUT


def written(event: Event, compact: bool | str) -> str:
    return converter().text_writer(layout(compact))(event)


compacts = pytest.mark.parametrize(
    "compact", [True, False, "ics"], ids=["compact", "pretty", "ics"]
)


class Colour(enum.Enum):
    RED = "red"
    TWO = 2


@attrs.frozen
class Extra:
    a: int
    b: str = "x"


class Loose(str):
    """A string of a type of its own: the json module writes it as a string."""


@attrs.frozen(kw_only=True)
class Oddity(Event):
    """A plugin's kind with every sort of field that the writer treats apart;
    those without a validator may hold anything."""

    kind: ClassVar[str] = "oddity"
    count: int = attrs.field(default=0, metadata=label("Count"))
    ratio: float = attrs.field(default=0.5, metadata=label("Ratio"))
    flag: bool = attrs.field(default=False, metadata=label("Flag"))
    loose: str = attrs.field(default="", metadata=label("Loose"))
    maybe: str | None = attrs.field(default="given", metadata=label("Maybe"))
    colour: Colour = attrs.field(default=Colour.RED, metadata=label("Colour"))
    numbers: tuple[int, ...] = attrs.field(default=(), metadata=label("Numbers"))
    words: tuple[str, ...] = attrs.field(default=("a",), metadata=label("Words"))
    extra: Extra | None = attrs.field(default=None, metadata=label("Extra"))
    extras: tuple[Extra, ...] = attrs.field(default=(), metadata=label("Extras"))
    when: Date | None = attrs.field(default=None, metadata=label("When"))


class OddPlugin:
    __name__ = "odd-kinds"

    @timeline.hookimpl
    def register_kinds(self, register: Any) -> None:
        register(Oddity)


@pytest.fixture
def odd_kind():
    with register_plugin(OddPlugin(), name="odd-kinds"):
        yield


HARD_TEXT = 'quote " backslash \\ tab \t newline \n bell \u0007 nul \u0000 del \u007f'
NON_ASCII = "上海 — منظمة 🤝 e\u0301 \u2028 \u2029 \ud7ff \u009b"

ODD = [
    {},
    {"count": 10**30, "ratio": 1e16, "flag": True},
    {"count": -1, "ratio": -0.0},
    {"ratio": math.inf},
    {"ratio": -math.inf},
    {"ratio": math.nan},
    {"ratio": 1.5e-7},
    {"loose": 5},
    {"loose": None},
    {"loose": 2.5},
    {"loose": True},
    {"loose": ["a", {"b": [1, {}]}, []]},
    {"loose": {}},
    {"loose": Loose("mine")},
    {"loose": HARD_TEXT},
    {"loose": NON_ASCII},
    {"loose": "x" * 100_000},
    {"maybe": None},
    {"maybe": "other"},
    {"colour": Colour.TWO},
    {"numbers": (1, -2, 10**20)},
    {"words": ()},
    {"words": ("b", NON_ASCII, HARD_TEXT)},
    {"words": ("b", 3, None)},
    {"words": (Loose("mine"),)},
    {"extra": Extra(1)},
    {"extra": Extra(2, NON_ASCII)},
    {"extras": (Extra(1), Extra(2, "y"))},
    {"when": Date.parse("2024-07-03T10:00[Asia/Almaty]")},
    {"when": Date(-476, approximate=True)},
]


@pytest.mark.usefixtures("odd_kind")
@compacts
@pytest.mark.parametrize("fields", ODD, ids=range(len(ODD)))
def test_a_kind_of_a_plugin(fields, compact):
    event = Oddity(title="Odd", start="2001", **fields)
    assert written(event, compact) == reference(event, compact)


ALL_FIELDS = Event(
    id="all",
    title=NON_ASCII.replace("\u2028", "").replace("\u2029", "").replace("\u009b", ""),
    start="2024-07-03T10:00Z",
    end="2024-07-04",
    description=HARD_TEXT.replace("\u0000", "").replace("\u0007", "").replace("\u007f", ""),
    place=Place(
        name="Астана",
        country="KZ",
        latitude=51.1694,
        longitude=71.4491,
        timezone="Asia/Almaty",
        translations={"en": {"name": "Astana"}},
    ),
    tags=("a", "б", "c d"),
    sources=(
        Source(url="https://example.org/a", title="A «report»", accessed="2024-07-05", note="n"),
        Source(url="https://example.org/b"),
    ),
    url="https://example.org/event?id=1&x=2",
    notes="Notes\nover lines",
    recurrence="FREQ=YEARLY",
    translations={"ru": {"title": "Саммит", "notes": "Заметки"}},
)


@compacts
@pytest.mark.parametrize(
    "event",
    [
        ALL_FIELDS,
        Event(title="Only a title", start="2001"),
        Event(title="Empty tuples", start="2001", tags=(), sources=()),
        Event(title="A place of a name", start="2001", place=Place(name="X")),
        *sample_timeline().events,
    ],
    ids=lambda e: e.id,
)
def test_the_built_in_kinds(event, compact):
    assert written(event, compact) == reference(event, compact)


@compacts
def test_places_and_sources_are_written_once_each_and_rightly_again(compact):
    place, source = ALL_FIELDS.place, ALL_FIELDS.sources[0]
    write = converter().text_writer(layout(compact))
    first = Event(id="a", title="A", start="2001", place=place, sources=(source,))
    # An equal place and source that are other objects, and the same again.
    again = attrs.evolve(first, id="b", place=attrs.evolve(place), sources=(attrs.evolve(source),))
    other = attrs.evolve(first, id="c", place=attrs.evolve(place, name="Other"))
    for event in (first, again, other, first, again):
        assert write(event) == reference(event, compact)


@compacts
def test_a_place_let_go_is_not_taken_for_the_next(compact):
    """Places and sources are kept by identity: one that is let go (whose
    memory the next may take, with the same id) is kept alive while its text is."""
    write = converter().text_writer(layout(compact))
    for i in range(50):
        event = Event(
            id="a",
            title="A",
            start="2001",
            place=Place(name=f"City {i}"),
            sources=(Source(url=f"https://example.org/{i}"),),
        )
        assert write(event) == reference(event, compact)
        del event


@compacts
def test_more_places_than_are_kept(compact):
    write = converter().text_writer(layout(compact))
    places = [Place(name=f"City {i}") for i in range(SHARED_TEXTS + 5)]
    sources = [Source(url=f"https://example.org/{i}") for i in range(SHARED_TEXTS + 5)]
    for i in [*range(len(places)), 0, 1, len(places) - 1]:
        event = Event(id="a", title="A", start="2001", place=places[i], sources=(sources[i],))
        assert write(event) == reference(event, compact)


@compacts
def test_an_unregistered_kind_raises_what_unstructure_raises(compact):
    @attrs.frozen(kw_only=True)
    class Unknown(Event):
        kind: ClassVar[str] = "unknown"

    event = Unknown(id="u", title="U", start="2001")
    with pytest.raises(TimelineError) as expected:
        converter().unstructure(event)
    with pytest.raises(TimelineError) as got:
        written(event, compact)
    assert str(got.value) == str(expected.value)
    with pytest.raises(TimelineError, match="which no plugin has registered"):
        timeline.dumps(Timeline(events=[event]), compact=compact is True)


@compacts
def test_a_value_json_cannot_write_raises_as_json_does(compact):
    with register_plugin(OddPlugin(), name="odd-kinds"):
        event = Oddity(title="Odd", start="2001", loose=b"bytes")
        with pytest.raises(TypeError) as expected:
            reference(event, compact)
        with pytest.raises(TypeError) as got:
            written(event, compact)
    assert str(got.value) == str(expected.value)


@settings(deadline=None)
@given(event=events(), compact=st.sampled_from([True, False, "ics"]))
def test_any_event_is_written_as_its_plain_data(event, compact):
    assert written(event, compact) == reference(event, compact)


@settings(deadline=None)
@given(t=timelines(), compact=st.booleans())
def test_any_timeline_is_dumped_as_its_document(t, compact):
    assert timeline.dumps(t, compact=compact) == reference_document(t, compact)


@pytest.mark.parametrize(
    "value",
    [
        "s",
        HARD_TEXT,
        NON_ASCII,
        "",
        None,
        True,
        False,
        0,
        -(10**30),
        0.1,
        -0.0,
        1e16,
        math.inf,
        -math.inf,
        math.nan,
        Colour.TWO.value,
        Loose("x"),
        [],
        {},
        {"a": [1, "é", None, {"b": 2.5}]},
    ],
)
def test_the_texts_of_values(value):
    assert compact_text(value) == json.dumps(value, ensure_ascii=False)
    assert compact_text(value, 1) == json.dumps(value, ensure_ascii=False)
    parts: list[str] = []
    pretty(value, 3, parts)
    assert pretty_text(value, 3) == "".join(parts)
