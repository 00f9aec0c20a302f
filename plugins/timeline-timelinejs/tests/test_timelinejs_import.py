"""The importer: every slide an event, its precision from the parts given,
BCE years as TimelineJS counts them, ``display_date`` understood or kept in
the notes, HTML as plain text, groups as tags, the title slide, eras, ids;
what cannot be held left out with a warning naming its JSON path, or, with
``strict``, every problem at once."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
import timeline
from timeline import Date, OptionError, Source, ValidationError


def read(doc: Any, **options: Any) -> tuple[timeline.Timeline, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = timeline.loads(json.dumps(doc), "timelinejs", **options)
    assert all(w.category is timeline.ImporterWarning for w in caught)
    return t, [str(w.message) for w in caught]


def one(slide: dict[str, Any], **options: Any) -> tuple[timeline.Event, list[str]]:
    t, said = read({"events": [slide]}, **options)
    (event,) = t
    return event, said


WHITNEY: dict[str, Any] = {
    "title": {"text": {"headline": "<b>Whitney</b> &amp; co",
                       "text": "<p>A life.</p><p>In <a href='https://x.org/w'>pictures</a>.</p>"}},
    "scale": "human",
    "events": [
        {"start_date": {"year": 1963, "month": 8, "day": 9}, "unique_id": "born", "group": "Life",
         "text": {"headline": "Born",
                  "text": "<p>In <i>Newark</i>.<br>New Jersey</p><script>alert(1)</script>"}},
        {"start_date": {"year": "1985", "month": "13"}, "text": {"headline": "Debut"},
         "media": {"url": "https://img.example/a.jpg", "caption": "Cover"}},
        {"start_date": {"year": "-500"}, "end_date": {"year": "-450"},
         "display_date": "5th century BCE", "text": {"headline": "Classical"}},
        {"start_date": {"month": "5"}, "text": {"headline": "No year"}},
        {"start_date": {"year": "2001", "day": "3"}, "text": {"headline": "Day without month"},
         "unique_id": "not an id!", "background": {"color": "#fff"}},
        {"start_date": {"year": "2001"}, "text": {"headline": "Dup"}, "unique_id": "born"},
        "nonsense",
        {"start_date": {"year": "1996"}, "display_date": "c. 1996", "text": {"headline": "Approx"}},
    ],
    "eras": [{"start_date": {"year": 1980}, "end_date": {"year": 1990},
              "text": {"headline": "The eighties"}}],
}  # fmt: skip
WHITNEY_SAID = [
    "$.events[1].start_date.month: 13 is out of its range 1..12; left out, and every finer part",
    "$.events[1].media.caption: the media's caption left out (its url is the event's url)",
    "$.events[3].start_date.year: is missing; every TimelineJS date has a year; the slide left out",
    "$.events[4].start_date.day: there is no month before it; left out, and every finer part",
    "$.events[4].background: a timeline has no place for a slide's background; left out",
    "$.events[4].unique_id: 'not an id!' is not an id (letters, digits, . _ and -); read as "
    "'not-an-id'",
    "$.events[5].unique_id: 'born' is the id of an earlier slide; read as 'born-2'",
    "$.events[6]: is text, not a slide; left out",
]


def test_a_file_of_someone_else_s_read_leniently() -> None:
    t, said = read(WHITNEY)
    assert said == [f"<string>: {line}" for line in WHITNEY_SAID]
    assert (t.title, t.description, t.url) == ("Whitney & co", "A life.\nIn pictures.",
                                               "https://x.org/w")  # fmt: skip
    rows = [(e.id, str(e.start), str(e.end) if e.end else None, e.tags, e.description, e.notes,
             e.url) for e in t]  # fmt: skip
    assert rows == [
        ("0499-classical", "-0499", "-0449", (), "",
         "TimelineJS shows the date as: 5th century BCE", None),
        ("born", "1963-08-09", None, ("Life",), "In Newark.\nNew Jersey", "", None),
        ("1980-the-eighties", "1980", "1990", ("era",), "", "", None),
        ("1985-debut", "1985", None, (), "", "", "https://img.example/a.jpg"),
        ("1996-approx", "1996~", None, (), "", "", None),
        ("born-2", "2001", None, (), "", "", None),
        ("not-an-id", "2001", None, (), "", "", None),
    ]  # fmt: skip
    assert t.language == "en"


def test_strict_makes_every_warning_a_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        timeline.loads(json.dumps(WHITNEY), "timelinejs", strict=True)
    assert str(caught.value) == "\n".join(
        ["<string>: 8 problems", *(f"  {x}" for x in WHITNEY_SAID)]
    )


@pytest.mark.parametrize(
    ("parts", "date"),
    [
        ({"year": "2001"}, "2001"),
        ({"year": 2001, "month": 6}, "2001-06"),
        ({"year": " 2001 ", "month": "06", "day": "15"}, "2001-06-15"),
        ({"year": 2001, "month": 6, "day": 15, "hour": 10}, "2001-06-15T10:00"),
        ({"year": 2001, "month": 6, "day": 15, "hour": 10, "minute": 5, "second": 7,
          "millisecond": 250}, "2001-06-15T10:05:07.25"),
        ({"year": "2001", "month": "", "day": None}, "2001"),
        ({"year": 2001.0, "month": 6.0}, "2001-06"),
        ({"year": "-477"}, "-0476"),
        ({"year": -1}, "0000"),
        ({"year": "1"}, "0001"),
        ({"year": -10000}, "-9999"),
        ({"year": "2000", "month": 2, "day": 29}, "2000-02-29"),
        ({"year": "-477", "month": 2, "day": 29}, "-0476-02-29"),
        ({"year": "2001", "display_date": "whenever", "format": "yyyy"}, "2001"),
    ],
)  # fmt: skip
def test_the_precision_comes_from_the_parts_given(parts: dict[str, Any], date: str) -> None:
    event, _ = one({"start_date": parts, "text": {"headline": "T"}})
    assert event.start == Date.fromisoformat(date)


@pytest.mark.parametrize(
    ("parts", "date", "said"),
    [
        ({"year": 2001, "month": 2, "day": 29}, "2001-02",
         "$.events[0].start_date.day: 29 is out of its range 1..28 for February; left out, and "
         "every finer part"),
        ({"year": 2001, "month": "June"}, "2001",
         "$.events[0].start_date.month: 'June' is not a whole number; left out, and every finer "
         "part"),
        ({"year": 2001, "month": 6, "hour": 10}, "2001-06",
         "$.events[0].start_date.hour: there is no day before it; left out, and every finer part"),
        ({"year": 2001, "month": 6, "day": 1, "hour": 24}, "2001-06-01",
         "$.events[0].start_date.hour: 24 is out of its range 0..23; left out, and every finer "
         "part"),
        ({"year": 2001, "month": True}, "2001",
         "$.events[0].start_date.month: is true, not a number; left out, and every finer part"),
        ({"year": 0}, "0000",
         "$.events[0].start_date.year: TimelineJS has no year 0 (1 BCE is -1); read as 1 BCE"),
        ({"year": -5, "month": 1, "day": 1, "hour": 1}, "-0004-01-01",
         "$.events[0].start_date.hour: a time of day needs a year from 1 on; left out"),
        ({"year": 2001, "week": 3}, "2001",
         "$.events[0].start_date.week: not a part of a TimelineJS date; left out"),
    ],
)  # fmt: skip
def test_a_part_that_cannot_be_read_is_left_out_with_the_finer_ones(
    parts: dict[str, Any], date: str, said: str
) -> None:
    event, warned = one({"start_date": parts, "text": {"headline": "T"}})
    assert event.start == Date.fromisoformat(date)
    assert warned == [f"<string>: {said}"]


@pytest.mark.parametrize(
    ("slide", "said"),
    [
        ({"text": {"headline": "T"}}, "$.events[0]: no start_date; left out"),
        ({"start_date": {"year": "MMI"}, "text": {"headline": "T"}},
         "$.events[0].start_date.year: 'MMI' is not a whole number; the slide left out"),
        ({"start_date": {"year": 123456}, "text": {"headline": "T"}},
         "$.events[0].start_date.year: 123456 is out of the range of years timeline holds, -10000 "
         "(10000 BCE) to 9999; the slide left out"),
        ({"start_date": [2001], "text": {"headline": "T"}},
         "$.events[0].start_date: is an array, not a date object; the slide left out"),
        ({"start_date": {"year": 2001}},
         "$.events[0].text.headline: missing, and there is no text to make a title of; left out"),
        ({"start_date": {"year": 2001}, "text": {"headline": "x" * 1001}},
         "$.events[0].text.headline: title: is 1001 characters long; the limit is 1000; left out"),
    ],
)  # fmt: skip
def test_a_slide_that_cannot_be_an_event_is_left_out(slide: dict[str, Any], said: str) -> None:
    t, warned = read({"events": [slide]})
    assert len(t) == 0
    assert warned == [f"<string>: {said}"]


def test_the_end() -> None:
    event, said = one({"start_date": {"year": 2001}, "end_date": {"year": 1999},
                       "text": {"headline": "T"}})  # fmt: skip
    assert event.end is None
    assert said == ["<string>: $.events[0].end_date: 1999 is before the start 2001; left out"]
    event, said = one({"start_date": {"year": 2001}, "end_date": {"year": "2001"},
                       "text": {"headline": "T"}})  # fmt: skip
    assert (event.end, said) == (None, [])
    event, said = one({"start_date": {"year": 2001}, "end_date": {"month": 3},
                       "text": {"headline": "T"}})  # fmt: skip
    assert event.end is None
    assert said == ["<string>: $.events[0].end_date.year: is missing; every TimelineJS date has a "
                    "year; the end left out"]  # fmt: skip


def test_display_dates_in_our_words_are_understood_others_kept_in_the_notes() -> None:
    cases = {
        "c. 1996": "1996~",
        "June 2002?": "2002-06?",
        "10 June 2018, 12:30 UTC": "2018-06-10T12:30Z",
        "4 July 2024, 10:00 (Asia/Almaty)": "2024-07-04T10:00[Asia/Almaty]",
    }
    parts = {
        "1996~": {"year": "1996"},
        "2002-06?": {"year": "2002", "month": "6"},
        "2018-06-10T12:30Z": {"year": 2018, "month": 6, "day": 10, "hour": 12, "minute": 30},
        "2024-07-04T10:00[Asia/Almaty]": {"year": 2024, "month": 7, "day": 4, "hour": 10},
    }
    for words, date in cases.items():
        event, said = one({"start_date": parts[date], "display_date": words,
                           "text": {"headline": "T"}})  # fmt: skip
        assert (str(event.start), event.notes, said) == (date, "", [])
    notes = '<p class="timeline-notes">Unsure.</p>'
    event, _ = one({"start_date": {"year": 1996}, "display_date": "<b>The</b> mid-1990s",
                    "text": {"headline": "T", "text": notes}})  # fmt: skip
    assert (str(event.start), event.notes) == ("1996", "Unsure.\nTimelineJS shows the date as: The "
                                               "mid-1990s")  # fmt: skip
    event, _ = one({"start_date": {"year": 1996, "display_date": "spring 1996"},
                    "text": {"headline": "T"}})  # fmt: skip
    assert event.notes == "TimelineJS shows the date as: spring 1996"


def test_html_becomes_plain_text_and_its_links_sources() -> None:
    event, said = one({
        "start_date": {"year": 2001},
        "text": {"headline": " <em>SCO</em>\n founded &amp; <script>x()</script>named ",
                 "text": "<div><h3>Founded</h3><ul><li>in <a href='https://a.org/1'>Shanghai</a></li>"
                         "<li>by <a href=\"mailto:x@y.org\">six</a> &lt;states&gt;</li></ul>"
                         "<p>See https://b.org/2 and <a href='/relative'>this</a>.</p>"
                         "<style>p {}</style></div>"},
    })  # fmt: skip
    assert event.title == "SCO founded & named"
    assert (
        event.description == "Founded\nin Shanghai\nby six <states>\nSee https://b.org/2 and this."
    )
    assert event.sources == (Source(url="https://a.org/1", title="Shanghai"),
                             Source(url="mailto:x@y.org", title="six"))  # fmt: skip
    assert said == ["<string>: $.events[0].text.text: a link to '/relative', which is not an "
                    "absolute URL; left out"]  # fmt: skip


def test_groups_are_tags_and_eras_events_with_a_tag() -> None:
    event, _ = one({"start_date": {"year": 2001}, "text": {"headline": "T"},
                    "group": " <b>Politics</b> &amp;amp; war "})  # fmt: skip
    assert event.tags == ("Politics & war",)
    t, _ = read({"events": [], "eras": [{"start_date": {"year": 1980}, "end_date": {"year": 1990},
                                         "text": {"headline": "Eighties"}, "unique_id": "80s"}]},
                eras="period")  # fmt: skip
    assert [(e.id, e.tags, str(e.start), str(e.end)) for e in t] == [
        ("80s", ("period",), "1980", "1990")
    ]


def test_the_cosmological_scale_has_years_only() -> None:
    slide = {"start_date": {"year": -5000, "month": 3}, "text": {"headline": "T"}}
    t, said = read({"scale": "cosmological", "events": [slide]})
    assert [str(e.start) for e in t] == ["-4999"]
    assert said == ["<string>: $.events[0].start_date.month: TimelineJS's cosmological scale uses "
                    "only the year; left out"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "<string>: line 1, column 1: this is not timelinejs text, which starts with '{'; "
         "it starts with '['"),
        ('{"title": {}}', "<string>: $: no 'events': a TimelineJS document has a list of events"),
        ('{"events": {}}', "<string>: $.events: is an object, not an array of slides"),
        ('{"events": [}', "<string>: line 1, column 13: not valid JSON: Expecting value"),
        ('{"events": [NaN]}', "<string>: $: not valid JSON: NaN is not a JSON number"),
        ('{"events": [' + "9" * 5000 + "]}",
         "<string>: $: not valid JSON: a number of more than 4300 digits"),
        ('{"events": ' + "[" * 100_000 + "]" * 100_000 + "}", "<string>: $: nested too deeply"),
        ("<html>", "<string>: line 1, column 1: this is not timelinejs text, which starts with "
         "'{'; it starts with '<'"),
    ],
)  # fmt: skip
def test_what_is_no_timelinejs_document_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        timeline.loads(text, "timelinejs")
    assert str(caught.value) == message


def test_the_options_are_checked() -> None:
    with pytest.raises(OptionError, match="option 'language': "):
        timeline.loads('{"events": []}', "timelinejs", language="english")
    with pytest.raises(OptionError, match="option 'eras' is a tag, one line of text"):
        timeline.loads('{"events": []}', "timelinejs", eras=" ")
    t = timeline.loads('{"events": []}', "timelinejs", language="RU")
    assert t.language == "ru"


def test_control_characters_are_taken_out_of_the_texts() -> None:
    text = {"headline": "SCO\x80 founded\u2028in\x852001", "text": "<p>Six\x01 states</p>"}
    event, said = one({"start_date": {"year": 2001}, "text": text})
    assert (event.title, event.description) == ("SCO founded in 2001", "Six states")
    assert said == [
        "<string>: $.events[0].text.headline: control characters and line breaks taken out",
        "<string>: $.events[0].text.text: control characters and line breaks taken out",
    ]


def test_media_is_the_url_when_it_can_be() -> None:
    link = '<p class="timeline-link"><a href="https://sco.org/">https://sco.org/</a></p>'
    event, said = one({"start_date": {"year": 2001}, "text": {"headline": "T", "text": link},
                       "media": {"url": "https://img.example/a.jpg"}})  # fmt: skip
    assert event.url == "https://sco.org/"
    assert said == ["<string>: $.events[0].media: the event's url is the link of its text "
                    "already; the media left out"]  # fmt: skip
    event, said = one({"start_date": {"year": 2001}, "text": {"headline": "T"},
                       "media": {"url": "<blockquote>A quote</blockquote>"}})  # fmt: skip
    assert event.url is None
    assert said == ["<string>: $.events[0].media: a timeline has no place for media other than "
                    "an http(s) url as the event's url; left out"]  # fmt: skip
