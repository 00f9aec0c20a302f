"""The importer: markwhen's dates, relative dates and recurrences, tags
from groups, properties into typed attributes, warnings by line, strict
mode, and no traceback or hang on any text."""

from __future__ import annotations

import contextlib
import warnings

import pytest
import timeline
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_markwhen import rrule_of


def _read(text: str, **options: object) -> timeline.Timeline:
    return timeline.loads(text, "markwhen", **options)


def test_relative_dates_from_the_event_before_and_by_id() -> None:
    t = _read(
        "01/01/2023 - 2 weeks: Phase 1\nid: p1\n"
        "after !p1 1 month: Phase 3\n"
        "1 week - 3 days: Kickoff\n"
        "2022-12-25: Christmas\nid: xmas\n"
        "before !xmas 2 weeks: Tree\n"
    )
    got = {e.title: (str(e.start), str(e.end)) for e in t}
    assert got == {
        "Phase 1": ("2023-01-01", "2023-01-14"),
        "Phase 3": ("2023-01-15", "2023-02-14"),
        "Kickoff": ("2023-02-22", "2023-02-24"),
        "Christmas": ("2022-12-25", "None"),
        "Tree": ("2022-12-11", "2022-12-24"),
    }


def test_casual_and_slash_dates_at_their_precision() -> None:
    t = _read("July 4, 2024: A\n4 January 1996: B\nMarch 2024: C\n07/04/2024: D\n07/2024: E\n")
    assert [str(e.start) for e in t] == [
        "1996-01-04",
        "2024-03",
        "2024-07",
        "2024-07-04",
        "2024-07-04",
    ]


def test_times_in_the_header_s_zone_and_the_event_s() -> None:
    t = _read(
        "---\ntimezone: Asia/Almaty\n---\n2024-07-04 10:00: A\n"
        "2024-07-04 9am: B\ntimezone: UTC\n2024-07-04 1:30pm: C\ntz: +05:00\n"
    )
    assert {e.title: str(e.start) for e in t} == {
        "A": "2024-07-04T10:00[Asia/Almaty]",
        "B": "2024-07-04T09:00Z",
        "C": "2024-07-04T08:30Z",
    }


def test_recurrences_as_rrules() -> None:
    assert rrule_of("every year") == "FREQ=YEARLY"
    assert rrule_of("every 2 weeks for 5 times") == "FREQ=WEEKLY;INTERVAL=2;COUNT=5"
    assert rrule_of("every weekday") == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert rrule_of("every week on monday, friday") == "FREQ=WEEKLY;BYDAY=MO,FR"
    assert rrule_of("every day until January 1, 2030") == "FREQ=DAILY;UNTIL=20300101"
    assert rrule_of("every other week") is None
    [event] = _read("2024-06-15 every year: Birthday\n")
    assert event.recurrence == "FREQ=YEARLY"


def test_groups_and_sections_become_tags_and_properties_typed_attributes() -> None:
    t = _read(
        "# Summits #sco\n2024-07-03 / 2024-07-04: Astana\nkind: summit\norganisation: SCO\n"
        "host: Kazakhstan\nlocation: Astana\n\n## Online\n2020-11-10: Moscow\nkind: summit\n"
        "organisation: SCO\nhost: RU\nformat: virtual\n"
    )
    astana, moscow = t["2024-07-03-astana"], t["2020-11-10-moscow"]
    assert (astana.kind, astana.host) == ("summit", "KZ")
    assert astana.place is not None
    assert astana.place.name == "Astana"
    assert astana.tags == ("Summits", "sco")
    assert moscow.tags == ("Summits", "sco", "Online")
    assert moscow.format.value == "virtual"


def test_what_a_timeline_cannot_hold_is_warned_with_its_line() -> None:
    text = "title: T\n\n2024: A\nfee: $4\nnow: B\n10:30: C\nMay 4: D\n2024-02-30: E\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = _read(text)
    assert [e.title for e in t] == ["A"]
    messages = [str(w.message) for w in caught if w.category is timeline.ImporterWarning]
    assert (
        messages[0]
        == "<string>:4: property 'fee' has no place in a timeline (an event has no attributes); "
        "left out"
    )
    assert messages[1].startswith("<string>:5: 'now': 'now' is the time the document is read")
    assert messages[2].startswith("<string>:6: '10:30': a time of day without a day")
    assert messages[3].startswith("<string>:7: 'May 4': a day without a year")
    assert (
        messages[4]
        == "<string>:8: '2024-02-30': day 30 is out of range for February 2024; the event is "
        "left out"
    )


def test_strict_turns_the_warnings_into_problems() -> None:
    with pytest.raises(timeline.ValidationError) as caught:
        _read("2024: A\nfee: $4\nnow: B\n", strict=True)
    assert [str(p) for p in caught.value.problems] == [
        "line 2: property 'fee' has no place in a timeline (an event has no attributes); left out",
        "line 3: 'now': 'now' is the time the document is read, which no timeline holds; the "
        "event is left out",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_is_read_or_refused_in_words(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        with contextlib.suppress(timeline.TimelineError):
            _read(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "2024",
                "-",
                " ",
                ":",
                "1",
                " day",
                "!a",
                "every",
                "/",
                "#x",
                "\n",
                "BCE",
                "July",
                "4",
                ",",
                "10:00",
                "---",
                "# ",
                "after ",
            ]
        ),
        max_size=80,
    )
)
def test_markwhen_like_text_is_read_or_refused_in_words(parts: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        with contextlib.suppress(timeline.TimelineError):
            _read("".join(parts))


def test_a_long_adversarial_line_costs_few_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The work of finding a date part is bounded by the date part's length
    limit, not by the line's: count the candidate date parts and the points
    tried on lines of 100,000 characters built to make regular expressions
    backtrack."""
    from timeline_markwhen import dates

    calls = {"parts": 0, "points": 0}
    part, point = dates._date_part, dates._casual_point

    def counting_part(*args: object) -> object:
        calls["parts"] += 1
        return part(*args)  # type: ignore[arg-type]

    def counting_point(*args: object) -> object:
        calls["points"] += 1
        return point(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "_date_part", counting_part)
    monkeypatch.setattr(dates, "_casual_point", counting_point)
    for line in (
        "1 1 " * 25_000 + ":",
        ":" * 100_000,
        "1 - " * 25_000 + ":",
        "2024-" * 20_000 + ":",
    ):
        calls.update(parts=0, points=0)
        dates.find_date_part(line)
        assert calls["parts"] <= dates.MAX_DATE_PART + 1
        assert calls["points"] <= (dates.MAX_DATE_PART + 1) ** 2


def test_the_groups_of_older_markwhen_are_tags() -> None:
    t = _read(
        "group The 90s\n1991: Desert Storm\ngroup Inner\n1994: Friends\nendGroup\n"
        "1995: Later\nendGroup\n2000: Out\n"
    )
    assert {e.title: e.tags for e in t} == {
        "Desert Storm": ("The 90s",),
        "Friends": ("The 90s", "Inner"),
        "Later": ("The 90s",),
        "Out": (),
    }


def test_the_european_date_format_of_the_header() -> None:
    t = _read("dateFormat: d/M/y\n\n05/04/2024: A\n13/04/2024 - 14 days: B\n")
    assert {e.title: (str(e.start), str(e.end)) for e in t} == {
        "A": ("2024-04-05", "None"),
        "B": ("2024-04-13", "2024-04-26"),
    }


def test_links_in_a_description_are_its_sources() -> None:
    [event] = _read("2018: Search #web\nRead [Google](https://www.google.com) and #more.\n")
    assert event.description == "Read [Google](https://www.google.com) and."
    assert event.tags == ("web", "more")
    assert [(s.title, s.url) for s in event.sources] == [("Google", "https://www.google.com")]


def test_a_place_property_is_a_name_or_a_mapping() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = _read(
            "2020-05-01: A\nplace: Moscow\n\n"
            '2020-05-02: B\nplace: {"name": "Tashkent", "country": "UZ"}\n\n'
            "2020-05-03: C\nlocation: Beijing\n\n"
            "2020-05-04: D\nplace: [1, 2]\nlocation: Astana\n"
        )
    places = {e.title: e.place and (e.place.name, e.place.country) for e in t}
    assert places == {
        "A": ("Moscow", None),
        "B": ("Tashkent", "UZ"),
        "C": ("Beijing", None),
        "D": ("Astana", None),
    }
    assert [str(w.message) for w in caught] == [
        "<string>:11: property 'place' is neither a name nor a mapping of a place's fields, "
        "not [1, 2]; left out"
    ]


def test_text_in_no_event_and_a_header_that_is_no_mapping_are_warned() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = _read("Hello there\n\n# Group\nJust some text\n2020: A\n"
                  "2021-01-01 - 2021-02-01: B\n")  # fmt: skip
    assert [e.title for e in t] == ["A"]
    assert [str(w.message) for w in caught] == [
        "<string>:1: the header is \"Hello there\", not 'key: value' lines; it is left out",
        '<string>:4: "Just some text": text in no event (no date that markwhen reads starts it, '
        "and no event is before it); left out",
    ]
    # a line after an event is its description, as markwhen reads it
    assert t.events[0].description == "2021-01-01 - 2021-02-01: B"
    with pytest.warns(timeline.ImporterWarning) as caught_range:
        assert len(_read("# G\n2021-01-01 - 2021-02-01: B\n")) == 0
    assert [str(w.message) for w in caught_range] == [
        '<string>:2: "2021-01-01 - 2021-02-01: B": text in no event (no date that markwhen '
        "reads starts it, and no event is before it); markwhen writes a range of two such "
        "dates with '/'; left out"
    ]
