"""The generated ``__init__`` of the built-in classes (``timeline.initialisers``)
does what attrs' own does: the same object, or the same error, for any values.

attrs' own ``__init__`` is kept as the reference (``reference_init``); each
field is given values that take each branch of the quick path (the default,
a valid value, text with controls, line breaks and no-break spaces, values
of the wrong type) and values it never sees from JSON (subclasses of str).
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import sys
from functools import partial

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import timeline
from timeline import Accession, Event, Founding, Place, Source, Summit
from timeline import validators as v
from timeline.initialisers import quick_init, reference_init
from timeline.testing import dates, places, sources

CLASSES = (Event, Summit, Accession, Founding, Place, Source)


class Text(str):
    """A str that is not exactly a str."""


ODD_TEXT = st.sampled_from(
    ["", " ", "a\nb", "a\r\nb", "a\x85b", "a\u2028b", "a\x00b", "a\x7fb", "a\x9fb", "\ud800",
     "a\u00a0b", "a\u200cb", "\t", "x" * 1001, "kz", "Kazakhstan", "KZ", "XX", "ZZ", "CN",
     "https://example.org", "not a url", "FREQ=YEARLY", "Asia/Almaty", "Mars/Olympus",
     "event-1", "-bad-id", "2001-06-15", "2001-06-15T10:00[Asia/Almaty]", "2024-03-31T02:30[Europe/Berlin]",
     "virtual", "observer", "IN_PERSON"]
)  # fmt: skip
ANY_TEXT = st.one_of(ODD_TEXT, st.text(max_size=12), st.builds(Text, ODD_TEXT))
VALUES = st.one_of(
    ANY_TEXT,
    st.none(),
    st.integers(-200, 200),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(ANY_TEXT, max_size=4),
    st.lists(ANY_TEXT, max_size=4).map(tuple),
    st.lists(st.one_of(ANY_TEXT, st.integers(), st.none()), max_size=3).map(tuple),
    dates(),
    st.just(dt.date(2001, 6, 15)),
    st.just(dt.datetime(2001, 6, 15, 10, 0, tzinfo=dt.UTC)),
    places(),
    sources(),
    st.lists(sources(), max_size=2).map(tuple),
    st.just({"ru": {"title": "Саммит", "name": "Астана"}}),
    st.just({"ru": {"title": ""}}),
    st.just(timeline.Translations()),
    st.sampled_from(list(timeline.MeetingFormat) + list(timeline.Status)),
)


def outcome(make):
    """What ``make()`` gives: the fields, with their types, or the error."""
    try:
        made = make()
    except Exception as exc:  # any error, which must be the same
        return ("error", type(exc), str(exc), getattr(exc, "field", None))
    values = attrs.astuple(made, recurse=False, filter=lambda a, _: a.eq)  # not caches
    return ("made", type(made), values, tuple(map(type, values)))


def with_reference(cls, kwargs):
    def make():
        made = cls.__new__(cls)
        reference = reference_init(cls)
        assert reference is not None
        reference(made, **kwargs)
        return made

    return make


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_builtin_class_has_a_quick_init_and_its_reference(cls):
    assert reference_init(cls) is not None
    assert cls.__init__ is not reference_init(cls)
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_the_quick_init_gives_what_attrs_init_gives(cls, data):
    fields = attrs.fields(cls)
    # Mostly valid events with one or two odd fields, and sometimes anything.
    base = {"title": "A title", "start": "2001-06-15", "organisation": "SCO", "member": "KZ",
            "name": "Astana", "url": "https://example.org/a"}  # fmt: skip
    kwargs = {a.name: base[a.name] for a in fields if a.name in base}
    names = [a.name for a in fields]
    for name in data.draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
        kwargs[name] = data.draw(VALUES)
    for name in data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
        kwargs.pop(name, None)
    assert outcome(lambda: cls(**kwargs)) == outcome(with_reference(cls, kwargs))


@given(st.integers(0, 3))
def test_unknown_and_missing_arguments_are_the_same_type_error(extra):
    kwargs = {"title": "A", "start": "2001"} | {f"x{i}": 1 for i in range(extra)}
    assert outcome(lambda: Event(**kwargs)) == outcome(with_reference(Event, kwargs))
    assert outcome(lambda: Event(title="A")) == outcome(with_reference(Event, {"title": "A"}))


def test_the_checks_still_run_when_attrs_says_so_and_not_otherwise():
    with pytest.raises(timeline.FieldError, match="title: must be one line"):
        Event(title="a\nb", start="2001")
    attrs.validators.set_disabled(True)
    try:
        assert Event(title="a\nb", start="2001").title == "a\nb"
    finally:
        attrs.validators.set_disabled(False)


def test_a_printable_text_holds_nothing_a_line_or_a_text_refuses():
    # What the quick checks rest on, for every code point.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert v.NOT_IN_A_LINE.search(char) is None, hex(code)
            assert v.CONTROL_CHARACTERS.search(char) is None, hex(code)


def test_a_class_of_a_shape_it_does_not_know_keeps_attrs_init():
    @attrs.frozen
    class Positional:
        a: int

    @attrs.frozen(kw_only=True)
    class Made:
        a: list[int] = attrs.field(factory=list)

    @attrs.frozen(kw_only=True, slots=False)
    class WithDict:
        a: int

    @attrs.frozen(kw_only=True)
    class Early:
        a: int

        def __attrs_pre_init__(self):
            pass

    for cls in (Positional, Made, WithDict, Early):
        init = cls.__init__
        assert quick_init(cls) is cls
        assert cls.__init__ is init
        assert reference_init(cls) is None


def test_a_kind_of_a_plugin_with_checks_of_its_own():
    class Colour(enum.Enum):
        RED = "red"

    def odd(instance, attribute, value):
        if value % 2 == 0:
            raise timeline.FieldError(attribute.name, f"{attribute.name}: {value} is even")

    @quick_init
    @attrs.frozen(kw_only=True)
    class Note(Event):
        kind = "note"
        colour: Colour = attrs.field(default=Colour.RED, validator=v.member_of(Colour))
        count: int = attrs.field(default=1, validator=odd)

    assert Note(title="a", start="2001", count=3).count == 3
    with pytest.raises(timeline.FieldError, match="count: 4 is even"):
        Note(title="a", start="2001", count=4)
    with pytest.raises(timeline.FieldError, match="colour: 'blue' is not one of 'red'"):
        Note(title="a", start="2001", colour="blue")
    assert Note.__init__.__code__.co_filename.startswith("<timeline quick __init__ ")


@given(st.lists(st.one_of(ANY_TEXT, st.integers(), st.none()), max_size=6))
def test_to_parties_gives_what_to_party_of_each_gives(items):
    for value in (items, tuple(items)):
        expected = tuple(v.to_party(item) for item in value)
        got = v.to_parties(value)
        assert got == expected
        assert list(map(type, got)) == list(map(type, expected))
        assert all(map(operator.is_, got, expected))  # the same shared strings
        if all(map(operator.is_, expected, value)) and type(value) is tuple:
            assert got is value


@example("Europe/Berlin", 2024, 3, 31, 2, 30, "")  # the clocks skip it
@example("Europe/Berlin", 2024, 10, 27, 2, 30, "~")  # twice: the earlier
@example("Australia/Lord_Howe", 2023, 10, 1, 2, 15, "")  # a half-hour gap
@example("America/New_York", 2023, 4, 31, 1, 0, "")  # no such day
@given(
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Almaty",
                     "UTC", "Etc/UTC", "Z"]),
    st.integers(2019, 2024),
    st.sampled_from([3, 4, 10, 11]),
    st.integers(1, 31),
    st.integers(0, 4),
    st.sampled_from([0, 15, 30, 45]),
    st.sampled_from(["", "~", "?", "%"]),
)  # fmt: skip
def test_a_time_in_a_zone_reads_as_the_date_its_fields_make(
    zone, year, month, day, hour, minute, q
):
    # The parser makes such dates without Date's checks: the same date, sort
    # key and errors (a day out of range, a time the clocks skip) as Date(...).
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}[{zone}]{q}"
    flags = {"": (False, False), "~": (True, False), "?": (False, True), "%": (True, True)}[q]

    def reference():
        try:
            return timeline.Date(
                year, month, day, time=dt.time(hour, minute), tz=zone,
                approximate=flags[0], uncertain=flags[1],
            )  # fmt: skip
        except timeline.DateError as exc:
            raise timeline.DateError(f"cannot read date {text!r}: {exc}") from None

    parsed, expected = outcome(lambda: timeline.parse_date(text)), outcome(reference)
    assert parsed == expected
    if parsed[0] == "made":
        assert timeline.parse_date(text).sort_key == reference().sort_key


_TAGS = st.sampled_from(["ru", "RU", "zh-hans", "zh-Hans", "en", "english", "x", "", 5, None])
_TEXTS = st.one_of(ANY_TEXT, st.none(), st.integers(0, 2), st.just("a\rb"), st.just("a\r\nb"))
_FIELD_NAMES = st.sampled_from(["title", "description", "notes", "name", "url", "", 3])


@example({"ru": {"title": "Саммит"}, "zh-hans": {"title": "峰会", "notes": "a\r\nb"}})
@example({"ru": {"title": "a\nb"}})  # the title's own check refuses it
@example({"ru": {"url": "https://example.org"}})  # not a translatable field
@example({"ru": {"title": "x"}, "RU": {"title": "y"}})  # the same language twice
@given(
    st.dictionaries(
        _TAGS,
        st.one_of(st.dictionaries(_FIELD_NAMES, _TEXTS, max_size=3), _TEXTS),
        max_size=3,
    )
)
def test_translations_of_a_dict_are_those_of_the_same_mapping_read_in_full(data):
    # A dict of valid tags and texts takes a quick path; a read-only view of
    # the same dict (not a dict) takes the full one, which says what is wrong.
    from types import MappingProxyType

    def read(value):
        try:
            made = timeline.Translations(value)
        except Exception as exc:  # any error, which must be the same
            return ("error", type(exc), str(exc), getattr(exc, "field", None))
        return ("made", made, [(tag, dict(texts)) for tag, texts in made.items()])

    assert read(data) == read(MappingProxyType(data))
    made = read(data)
    for kwargs in _OWNERS:
        cls = kwargs["cls"]
        fields = {k: v for k, v in kwargs.items() if k != "cls"}
        fields["translations"] = data
        assert outcome(partial(cls, **fields)) == outcome(with_reference(cls, fields))
        if made[0] == "made":
            # The check of the texts says what the full list of problems says first.
            expected = timeline.translations.translation_problems(made[1], cls)
            fields["translations"] = made[1]
            got = outcome(partial(cls, **fields))
            assert got[:3:2] == (("error", str(expected[0])) if expected else ("made", got[2]))


_OWNERS = (
    {"cls": Event, "title": "A", "start": "2001"},
    {"cls": Summit, "title": "A", "start": "2001", "organisation": "SCO"},
    {"cls": Place, "name": "Astana"},
)


def test_a_converter_and_a_check_of_other_classes_each_keep_their_own():
    """A field whose converter and validator each say the class they accept
    (``enum``): each test of the generated __init__ asks about its own."""

    class Colour(enum.Enum):
        RED = "red"

    class Shade(enum.Enum):
        RED = "red"

    def to_colour(value):
        return Colour(value.value if isinstance(value, Shade) else value)

    def anything(instance, attribute, value):
        pass

    to_colour.enum = Colour  # type: ignore[attr-defined]
    anything.enum = Shade  # type: ignore[attr-defined]

    @quick_init
    @attrs.frozen(kw_only=True)
    class Paint(Event):
        kind = "paint"
        colour: Colour = attrs.field(default=Colour.RED, converter=to_colour, validator=anything)

    assert Paint(title="a", start="2001", colour=Shade.RED).colour is Colour.RED
    assert Paint(title="a", start="2001", colour="red").colour is Colour.RED
    assert Paint.__init__.__module__ == Paint.__module__
