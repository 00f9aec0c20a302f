"""The exporter: the document's shape, each date's parts as precise as the
date, BCE years, the words of what TimelineJS cannot show, groups, media,
eras, the locale, and HTML that shows our text as text."""

from __future__ import annotations

import json
import warnings
from typing import Any, ClassVar

import attrs
import pytest
import timeline
from losses import allow_losses
from timeline import Event, ExportWarning, OptionError, Source, Timeline
from timeline.testing import check_exporter, register_plugin, sample_timeline

from timeline_timelinejs import TimelineJSExporter


def export(t: Timeline, **options: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        allow_losses()
        text = timeline.dumps(t, "timelinejs", **options)
    document: dict[str, Any] = json.loads(text)
    return document


def slide(event: Event, **options: Any) -> dict[str, Any]:
    (only,) = export(Timeline(events=[event]), **options)["events"]
    return only


def test_the_contract() -> None:
    check_exporter(TimelineJSExporter())
    check_exporter(TimelineJSExporter(), sample_timeline())


def test_the_text_is_the_json_module_s_own_indented_form() -> None:
    text = timeline.dumps(timeline.example("sco"), "timelinejs")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    empty = Timeline(title="Nothing yet")
    with pytest.warns(ExportWarning, match="no events; TimelineJS shows an error"):
        text = timeline.dumps(empty, "timelinejs")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(text)["events"] == []


def test_a_slide_of_a_day() -> None:
    event = Event(
        id="charter", title="Charter signed", start="2002-06-07", description="In St Petersburg."
    )
    assert slide(event) == {
        "start_date": {"year": "2002", "month": "6", "day": "7"},
        "text": {"headline": "Charter signed", "text": "<p>In St Petersburg.</p>"},
        "group": "Event",
        "autolink": False,
        "unique_id": "charter",
    }


@pytest.mark.parametrize(
    ("start", "parts"),
    [
        ("2009", {"year": "2009"}),
        ("2020-11", {"year": "2020", "month": "11"}),
        ("2016-03-14", {"year": "2016", "month": "3", "day": "14"}),
        ("2018-06-09T10:00", {"year": "2018", "month": "6", "day": "9", "hour": "10",
                              "minute": "0"}),
        ("2018-06-09T00:00:30", {"year": "2018", "month": "6", "day": "9", "hour": "0",
                                 "minute": "0", "second": "30"}),
        ("2018-06-09T10:00:00.25", {"year": "2018", "month": "6", "day": "9", "hour": "10",
                                    "minute": "0", "second": "0", "millisecond": "250"}),
        ("0001", {"year": "1"}),
        ("0000", {"year": "-1"}),
        ("-0476", {"year": "-477"}),
        ("-9999", {"year": "-10000"}),
    ],
)  # fmt: skip
def test_the_parts_are_exactly_as_precise_as_the_date(start: str, parts: dict[str, str]) -> None:
    written = slide(Event(title="T", start=start))
    assert written["start_date"] == parts
    assert "display_date" not in written


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("1996~", None, "c. 1996"),
        ("2002-06?", None, "June 2002?"),
        ("2001%", None, "c. 2001?"),
        ("2018-06-10T12:30Z", None, "10 June 2018, 12:30 UTC"),
        ("2024-07-04T10:00[Asia/Almaty]", "2024-07-04T18:00[Asia/Almaty]",
         "4 July 2024, 10:00-18:00 (Asia/Almaty)"),
        ("2018-06-09T10:00:00.000250", None, "9 June 2018, 10:00:00.000250"),
        ("-0476-02-29", None, "29 February 477 BCE"),
        ("2001", "2003~", "2001 - c. 2003"),
    ],
)  # fmt: skip
def test_what_timelinejs_cannot_show_is_in_words(start: str, end: str | None, shown: str) -> None:
    written = slide(Event(title="T", start=start, end=end))
    assert written["display_date"] == shown


def test_a_zoned_time_gives_its_wall_time() -> None:
    written = slide(Event(title="T", start="2024-07-04T10:00[Asia/Almaty]"))
    assert written["start_date"] == {
        "year": "2024", "month": "7", "day": "4", "hour": "10", "minute": "0"
    }  # fmt: skip
    assert written["display_date"] == "4 July 2024, 10:00 (Asia/Almaty)"


def test_a_span_has_both_ends_and_an_end_like_the_start_none() -> None:
    written = slide(Event(title="Summit", start="2024-07-03", end="2024-07-04"))
    assert written["start_date"] == {"year": "2024", "month": "7", "day": "3"}
    assert written["end_date"] == {"year": "2024", "month": "7", "day": "4"}
    coarse = slide(Event(title="Talks", start="2001-06-15", end="2001-06"))
    assert coarse["end_date"] == {"year": "2001", "month": "6"}
    same = slide(Event(title="Day", start="2001-06-15", end="2001-06-15"))
    assert "end_date" not in same


def test_the_title_slide_and_its_id() -> None:
    t = Timeline(
        title="SCO <history>",
        description="One line.\n\nAnother, https://sco.org.",
        url="https://eng.sectsco.org/",
        events=[Event(id="title", title="An event called title", start="2001")],
    )
    document = export(t)
    assert document["title"] == {
        "text": {
            "headline": "SCO &lt;history&gt;",
            "text": '<p>One line.</p><p>Another, <a href="https://sco.org" target="_blank" '
            'rel="noopener">https://sco.org</a>.</p><p class="timeline-link"><a '
            'href="https://eng.sectsco.org/" target="_blank" rel="noopener">'
            "https://eng.sectsco.org/</a></p>",
        },
        "autolink": False,
        "unique_id": "title-2",
    }
    assert list(document) == ["title", "events"]
    assert "title" not in export(Timeline(events=[Event(title="A", start="2001")]))


def test_the_text_of_a_slide_in_full() -> None:
    event = sample_timeline()["founding"]
    assert slide(event)["text"]["text"] == (
        "<p>The declaration is signed.</p><p>Six states.</p>"
        "<p>Shanghai, China</p>"
        "<p>Organisation: SCO</p>"
        "<p>Founding members: China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, Uzbekistan</p>"
        '<p class="timeline-label"><strong>Sources</strong></p><ul class="timeline-sources">'
        '<li><a href="https://example.org/sco/history?lang=en&amp;page=1" target="_blank" '
        'rel="noopener">SCO history</a></li>'
        '<li><a href="http://en.special.kremlin.ru/supplement/1672" target="_blank" '
        'rel="noopener">http://en.special.kremlin.ru/supplement/1672</a></li></ul>'
    )
    notes = Event(title="T", start="2001-06-15", notes="Disputed.\nSee https://x.org/a?b=1&c=2.",
                  recurrence="FREQ=YEARLY")  # fmt: skip
    assert slide(notes)["text"]["text"] == (
        "<p>Repeats: every year</p>"
        '<p class="timeline-label"><strong>Notes</strong></p>'
        '<p class="timeline-notes">Disputed.</p><p class="timeline-notes">See <a '
        'href="https://x.org/a?b=1&amp;c=2" target="_blank" rel="noopener">'
        "https://x.org/a?b=1&amp;c=2</a>.</p>"
    )


def test_hostile_text_is_text_and_only_http_urls_are_links() -> None:
    event = Event(
        title='<script>alert(1)</script> "><svg onload=alert(2)>',
        start="2001",
        description="<img src=x onerror=alert(3)> & javascript:alert(4)",
        url="javascript:alert(5)",
        sources=[Source(url="data:text/html,<script>alert(6)</script>", title="<b>x</b>"),
                 Source(url='https://x.org/"onmouseover=alert(7)', title="ok")],
        tags=("<i>tag</i>",),
    )  # fmt: skip
    written = slide(event, group="tag")
    assert written["text"]["headline"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;svg onload=alert(2)&gt;"
    )
    assert written["text"]["text"] == (
        "<p>&lt;img src=x onerror=alert(3)&gt; &amp; javascript:alert(4)</p>"
        '<p class="timeline-link">javascript:alert(5)</p>'
        '<p class="timeline-label"><strong>Sources</strong></p><ul class="timeline-sources">'
        "<li>data:text/html,&lt;script&gt;alert(6)&lt;/script&gt;</li>"
        "<li>https://x.org/&quot;onmouseover=alert(7)</li></ul>"
    )
    assert written["group"] == "&amp;lt;i&amp;gt;tag&amp;lt;/i&amp;gt;"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("kind", ["Founding", "Accession", "Summit", "Event"]),
        ("tag", ["founding", None, None, "antiquity"]),
        ("country", ["China", None, "Kazakhstan", None]),
        ("none", [None, None, None, None]),
        ("organisation", ["SCO", "SCO", "SCO", None]),
        ("host", [None, None, "Kazakhstan", None]),
    ],
)
def test_the_group_of_each_slide(group: str, expected: list[str | None]) -> None:
    sample = sample_timeline()
    events = [sample[i] for i in ("founding", "accession", "summit-range", "bce")]
    written = export(Timeline(events=events), group=group)["events"]
    by_id = {s["unique_id"]: s.get("group") for s in written}
    assert [by_id[e.id] for e in events] == expected


def test_a_group_that_is_no_field_is_refused_as_options_are() -> None:
    with pytest.raises(OptionError) as caught:
        timeline.dumps(sample_timeline(), "timelinejs", group="colour")
    assert str(caught.value) == (
        "option 'group': is kind, tag, country, none or the name of a kind's attribute "
        "(organisation, members, member, status, format, host, participants), not 'colour'"
    )
    with pytest.raises(OptionError, match="option 'media': is the field that holds each "):
        timeline.dumps(sample_timeline(), "timelinejs", media="picture")
    with pytest.raises(OptionError, match="format 'timelinejs' has no option 'colour'"):
        timeline.dumps(sample_timeline(), "timelinejs", colour="red")
    with pytest.raises(OptionError, match="unknown locale 'xx-Nope'"):
        timeline.dumps(sample_timeline(), "timelinejs", locale="xx-Nope")


@attrs.frozen(kw_only=True)
class Exhibition(Event):
    """An exhibition, with a picture."""

    kind: ClassVar[str] = "exhibition"
    media: Any = attrs.field(default=None, metadata={"label": "Media"})


class ExhibitionPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Any) -> None:
        register(Exhibition)


def test_media_from_a_kind_s_media_field_or_the_url() -> None:
    with register_plugin(ExhibitionPlugin(), name="exhibitions"):
        shown = Exhibition(
            id="ex", title="Silk Road", start="2010",
            media={"url": "https://img.example/silk.jpg", "caption": "<b>Caravan</b>",
                   "credit": "Museum", "alt": "A caravan"},
        )  # fmt: skip
        assert slide(shown)["media"] == {
            "url": "https://img.example/silk.jpg",
            "caption": "&lt;b&gt;Caravan&lt;/b&gt;",
            "credit": "Museum",
            "alt": "A caravan",
        }
        assert slide(shown)["text"]["text"] == ""  # the media is no attribute shown in the text
        plain = Exhibition(id="p", title="Jade", start="2011", media="https://img.example/j.png")
        assert slide(plain)["media"] == {"url": "https://img.example/j.png"}
        assert (
            slide(plain, media="url")["text"]["text"] == "<p>Media: https://img.example/j.png</p>"
        )
        bad = Exhibition(id="b", title="Bad", start="2012", media="javascript:alert(1)")
        with pytest.warns(ExportWarning, match=r"event 'b': no media: the url of its media, "
                          r"'javascript:alert\(1\)', is not an http\(s\) URL"):  # fmt: skip
            written = timeline.dumps(Timeline(events=[bad]), "timelinejs")
        assert "media" not in json.loads(written)["events"][0]
    linked = Event(title="Astana", start="2024", url="https://img.example/astana.jpg")
    assert slide(linked, media="url")["media"] == {"url": "https://img.example/astana.jpg"}
    assert "media" not in slide(linked)


def test_events_with_the_eras_tag_become_eras() -> None:
    t = Timeline(events=[
        Event(id="five", title="Shanghai Five", start="1996-04-26", end="2001-06-14",
              tags=("era",)),
        Event(id="founded", title="SCO founded", start="2001-06-15"),
        Event(id="open", title="Open-ended", start="2017", tags=("era",)),
    ])  # fmt: skip
    with pytest.warns(ExportWarning, match="event 'open': tagged 'era', but an era needs an end"):
        text = timeline.dumps(t, "timelinejs", eras="era")
    document = json.loads(text)
    assert [s["unique_id"] for s in document["events"]] == ["five", "founded", "open"][1:]
    assert document["eras"] == [{
        "start_date": {"year": "1996", "month": "4", "day": "26"},
        "end_date": {"year": "2001", "month": "6", "day": "14"},
        "text": {"headline": "Shanghai Five"},
        "unique_id": "five",
    }]  # fmt: skip
    assert "eras" not in export(t)


def test_in_the_reader_s_language() -> None:
    sco = timeline.example("sco")
    with pytest.warns(ExportWarning, match=r"^35 texts have no Russian translation and are in "
                      r"English \(description 2, notes 33\)$"):  # fmt: skip
        document = json.loads(timeline.dumps(sco, "timelinejs", locale="ru"))
    assert document["title"]["text"]["headline"] == "Шанхайская организация сотрудничества"
    astana = next(s for s in document["events"] if s["unique_id"] == "sco-summit-2024-astana")
    assert (
        astana["text"]["headline"] == "Заседание Совета глав государств — членов ШОС (Астана, 2024)"
    )
    assert astana["group"] == "Саммит"
    assert astana["text"]["text"].startswith("<p>Астана, Казахстан</p><p>Организация: SCO</p>")
    assert "<strong>Примечания</strong>" in astana["text"]["text"]
    with pytest.warns(ExportWarning, match=r"^1 text has no Russian translation"):
        text = timeline.dumps(Timeline(events=[Event(title="T", start="1996~")]), "timelinejs",
                              locale="ru")  # fmt: skip
    assert json.loads(text)["events"][0]["display_date"] == "ок. 1996"


def _warned(t: Timeline, **options: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        timeline.dumps(t, "timelinejs", **options)
    return [str(w.message) for w in caught if w.category is ExportWarning]


def test_what_timelinejs_cannot_hold_is_warned_once_each() -> None:
    t = Timeline(
        language="en",
        translations={"fr": {"title": "Histoire"}},
        events=[
            Event(title="A", start="2001", tags=("org", "history"),
                  sources=[Source(url="https://a.example/", accessed="2024-01-02")],
                  translations={"ru": {"title": "А"}}),
            Event(title="B", start="2002", tags=("org",),
                  sources=[Source(url="https://b.example/", note="a reprint"),
                           Source(url="https://c.example/")]),
            Event(title="C", start="2003-01-01", recurrence="FREQ=YEARLY"),
        ],
    )  # fmt: skip
    assert _warned(t) == [
        "2 events have tags that TimelineJS cannot hold (a slide has one group; group=tag "
        "makes it the first tag): 'org', 'history'; left out",
        "1 event has a repetition that TimelineJS cannot show (a slide is one date); written "
        "in the slide's text",
        "2 sources have an access date or a note, which TimelineJS cannot hold (a source is a "
        "link); left out",
        "the translations into fr, ru are left out: TimelineJS shows one language (the locale "
        "option chooses it)",
    ]
    by_tag = _warned(t, group="tag", locale="ru")
    assert by_tag[0].startswith("2 texts have no Russian translation")
    assert by_tag[1:] == [
        "1 event has tags that TimelineJS cannot hold beside the first, which is the group: "
        "'history'; left out",
        "1 event has a repetition that TimelineJS cannot show (a slide is one date); written "
        "in the slide's text",
        "2 sources have an access date or a note, which TimelineJS cannot hold (a source is a "
        "link); left out",
        "the translations into fr are left out: TimelineJS shows one language (the locale "
        "option chooses it)",
    ]
    many = Timeline(events=[Event(title="D", start="2004", tags=tuple("abcdefg"))])
    assert _warned(many) == [
        "1 event has tags that TimelineJS cannot hold (a slide has one group; group=tag makes "
        "it the first tag): 'a', 'b', 'c', 'd', 'e' and 2 more; left out"
    ]
    assert _warned(Timeline(events=[Event(title="E", start="2005", tags=("x",))]),
                   group="tag") == []  # fmt: skip
