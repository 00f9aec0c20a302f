"""The caches of the load path give what the uncached path gives.

``parse_date`` shares one :class:`~timeline.Date` per EDTF/ISO text,
:func:`~timeline.validators.to_party` one string per party, and the
structuring builds each distinct place and source once: each is compared
here with a reference (the date built from its fields, the rule written out)
and with itself read again (Hypothesis' texts are mostly new to the caches).
"""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

import timeline
from timeline import validators as v
from timeline.countries import lookup_country
from timeline.document import timeline_from_dict
from timeline.testing import dates


@given(dates())
def test_a_cached_date_is_the_date_a_fresh_parse_gives(d):
    text = d.isoformat()
    first = timeline.parse_date(text)
    again = timeline.parse_date(text)
    assert again is first  # shared
    assert again == d == timeline.Date.fromisoformat(text)
    assert repr(again) == repr(d)
    assert hash(again) == hash(d)
    assert again.sort_key == d.sort_key
    assert pickle.loads(pickle.dumps(again)) == d


@given(st.text(max_size=12))
def test_text_that_is_not_a_date_is_refused_every_time(text):
    def outcome() -> str:
        try:
            return repr(timeline.parse_date(text, free_text=False))
        except timeline.DateError as exc:
            return f"DateError: {exc}"

    cold = outcome()
    assert outcome() == cold


PARTY_TEXTS = st.one_of(
    st.sampled_from(["KZ", "kz", " cn ", "China", "Kazakhstan", "Atlantis", "SCO", "", " "]),
    st.text(max_size=6),
)


def _party_reference(value: str) -> str:
    stripped = value.strip()
    if len(stripped) == 2 and stripped.isalpha():
        return stripped.upper()
    return lookup_country(stripped) or value


@given(PARTY_TEXTS)
def test_to_party_gives_what_the_uncached_rule_gives(text):
    first = v.to_party(text)
    assert first == _party_reference(text)
    assert v.to_party(text) is first


@given(st.lists(PARTY_TEXTS, max_size=4))
def test_a_party_checked_once_is_checked_the_same_again(texts):
    """The Summit's host and participants, valid or not, the same with the
    set of parties already found valid emptied or full."""
    from timeline import Summit

    def outcome() -> str:
        try:
            s = Summit(title="t", start="2001", organisation="SCO", participants=texts)
        except (timeline.TimelineError, TypeError, ValueError) as exc:
            return f"{type(exc).__name__}: {exc}"
        return repr(s.participants)

    cold = outcome()
    assert outcome() == cold


def test_to_parties_keeps_a_tuple_of_parties_as_it_is():
    given_parties = ("CN", "RU")
    assert v.to_parties(given_parties) is given_parties
    assert v.to_parties(("cn", "RU")) == ("CN", "RU")
    assert v.to_parties(["CN"]) == ("CN",)


@given(st.lists(st.sampled_from([1, True, 1.0, "1", None, 2]), min_size=2, max_size=5))
def test_places_that_differ_only_in_the_type_of_a_value_stay_apart(latitudes):
    """1, 1.0 and True hash alike: what a place reads as does not depend on
    which place of equal value the cache of places saw first."""

    def outcome(latitude: object) -> str:
        doc = {
            "events": [
                {
                    "title": "e",
                    "start": "2001",
                    "place": {"name": "x", "latitude": latitude, "longitude": 0},
                }
            ]
        }
        try:
            place = timeline_from_dict(doc).events[0].place
        except timeline.TimelineError as exc:
            return str(exc)
        assert place is not None
        return f"{place!r} {type(place.latitude).__name__}"

    forwards = [outcome(x) for x in latitudes]
    backwards = [outcome(x) for x in reversed(latitudes)][::-1]
    assert forwards == backwards
    assert outcome(True) != outcome(1)


NAMES = st.one_of(st.text(min_size=1, max_size=5), st.integers(), st.booleans(), st.none())


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["ru", "zh-Hans", "xx"]), NAMES, max_size=2), max_size=4
    )
)
def test_places_with_translations_read_the_same_whatever_came_first(names):
    """A place with translations (a nested object) is built once per value
    too: each reads as it would alone, whatever was read before it."""

    def outcome(by_language: dict[str, object]) -> str:
        translations = {tag: {"name": name} for tag, name in by_language.items()}
        doc = {
            "events": [
                {
                    "title": "e",
                    "start": "2001",
                    "place": {"name": "x", "translations": translations},
                }
            ]
        }
        try:
            return repr(timeline_from_dict(doc).events[0].place)
        except timeline.TimelineError as exc:
            return str(exc)

    forwards = [outcome(x) for x in names]
    backwards = [outcome(x) for x in reversed(names)][::-1]
    assert forwards == backwards


_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, 1, -1, 0.0, 1.0, 2]), st.sampled_from("ab1")
)
_JSON_OBJECTS = st.dictionaries(
    st.sampled_from("abc"),
    st.recursive(
        _JSON_LEAVES,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("ab"), inner),
        max_leaves=4,
    ),
    max_size=3,
)


def _typed(value):
    """A JSON value with the type of every value in it, for comparing."""
    if type(value) is dict:
        return ("object", [(k, _typed(v)) for k, v in value.items()])
    if type(value) is list:
        return ("array", [_typed(v) for v in value])
    return (type(value).__name__, value)


@given(_JSON_OBJECTS, _JSON_OBJECTS)
def test_interning_shares_an_object_only_between_the_same_json_objects(first, second):
    from timeline.structuring import _interned

    cache: dict = {}
    a = _interned(cache, lambda v: object(), first)
    b = _interned(cache, lambda v: object(), second)
    assert (a is b) == (_typed(first) == _typed(second))
    assert _interned(cache, lambda v: object(), dict(first)) is a
