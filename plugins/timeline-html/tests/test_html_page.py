"""The page itself, read without a browser: valid HTML, escaped, offline,
and the events placed to scale."""

from __future__ import annotations

import base64
import enum
import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import attrs
import pytest
import timeline
from timeline import Date, Event, Place, Source, Summit, Timeline
from timeline.testing import register_plugin, sample_timeline

Parse = Callable[[str], Any]
SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = Event(
    id="hostile",
    title="<script>alert(1)</script>",
    start="2010-01-01",
    description='<img src=x onerror="alert(2)">\n\n</details></li><script>alert(3)</script>',
    url="javascript:alert(4)",
    place=Place(name='"><svg onload=alert(5)>'),
    tags=("<b>bold</b>", "' onmouseover='alert(6)"),
    sources=(
        Source(url="javascript:alert(7)", title="</title><script>alert(8)</script>"),
        Source(url="data:text/html,<script>alert(9)</script>"),
        Source(url="https://example.org/?a=1&b=<2>", note="see javascript:alert(10)"),
    ),
    notes="Read https://example.org/x?q=1&r=2). Or javascript:alert(11).",
)


def page(t: Timeline) -> str:
    return timeline.dumps(t, "html")


def elements(root: Any, tag: str) -> list[Any]:
    return list(root.iter(tag))


def attributes(root: Any) -> Iterator[tuple[str, str, str]]:
    for element in root.iter():
        if isinstance(element.tag, str):
            for name, value in element.attrib.items():
                yield element.tag, name, value


# -- valid, self-contained, safe ----------------------------------------------------------------


@pytest.mark.parametrize(
    "t",
    [
        pytest.param(timeline.example("sco"), id="sco"),
        pytest.param(sample_timeline(), id="sample"),
        pytest.param(Timeline(events=[HOSTILE]), id="hostile"),
        pytest.param(Timeline(), id="empty"),
    ],
)
def test_valid_html_that_loads_nothing(t: Timeline, parse: Parse) -> None:
    root = parse(page(t))
    assert root.get("lang") == "en"
    for tag, name, value in attributes(root):
        assert not name.startswith("on"), f"<{tag} {name}=...>"
        assert name != "style", f"<{tag} style=...>"
        if name == "src" or (tag == "link" and name == "href"):
            assert value.startswith("data:"), f"<{tag} {name}={value!r}> would load"
        if name == "href" and tag == "a":
            assert re.match(r"#e-|#events$|https?://", value), value
    assert len(elements(root, "style")) == 1
    (script,) = elements(root, "script")
    assert script.get("src") is None
    assert not elements(root, "iframe")
    assert not elements(root, "img")


def test_content_security_policy(parse: Parse) -> None:
    root = parse(page(timeline.example("sco")))
    (meta,) = [m for m in elements(root, "meta") if m.get("http-equiv")]
    assert meta.get("http-equiv") == "Content-Security-Policy"
    policy = dict(
        [*directive.split(" ", 1), ""][:2] for directive in meta.get("content").split("; ")
    )
    (style,) = elements(root, "style")
    (script,) = elements(root, "script")

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy == {
        "default-src": "'none'",
        "style-src": sha(style.text),
        "script-src": sha(script.text),
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    # The policy comes before the style and script it allows.
    head = [e.tag for e in root.find("head")]
    assert head.index("meta", 1) < head.index("style")


def test_text_from_data_is_escaped(parse: Parse) -> None:
    text = page(Timeline(events=[HOSTILE]))
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    root = parse(text)
    (summary_title,) = [s for s in root.iter("span") if s.get("class") == "title"]
    assert summary_title.text == "<script>alert(1)</script>"
    (svg_title,) = elements(root, f"{SVG}title")
    assert svg_title.text == "<script>alert(1)</script> — 1 January 2010"
    (details,) = elements(root, "details")
    body = "".join(details.itertext())
    assert '<img src=x onerror="alert(2)">' in body
    assert "</details></li><script>alert(3)</script>" in body
    assert "<b>bold</b>" in body


def test_only_http_and_https_are_links(parse: Parse) -> None:
    root = parse(page(Timeline(events=[HOSTILE])))
    links = {a.get("href"): "".join(a.itertext()) for a in root.iter("a") if a.get("href")}
    assert links == {
        "#events": "Skip to the list of events",
        "https://example.org/?a=1&b=<2>": "https://example.org/?a=1&b=<2>",
        "https://example.org/x?q=1&r=2": "https://example.org/x?q=1&r=2",
    }
    (details,) = elements(root, "details")
    shown = "".join(details.itertext())
    # The other URLs are shown, as text.
    for url in ("javascript:alert(4)", "data:text/html,<script>alert(9)</script>",
                "javascript:alert(10)", "javascript:alert(11)"):  # fmt: skip
        assert url in shown
    assert "</title><script>alert(8)</script>" in shown


def test_empty_timeline(parse: Parse) -> None:
    root = parse(page(Timeline(title="Nothing yet")))
    assert root.find("head/title").text == "Nothing yet"
    assert "There are no events in this timeline." in "".join(root.itertext())
    assert not elements(root, f"{SVG}svg")


# -- marks and details ------------------------------------------------------------------------


def marks(root: Any) -> list[Any]:
    return [a for a in root.iter(f"{SVG}a") if "mark" in a.get("class", "").split()]


def test_one_mark_and_one_details_per_event(parse: Parse) -> None:
    sco = timeline.example("sco")
    root = parse(page(sco))
    found = marks(root)
    details = elements(root, "details")
    assert len(found) == len(details) == len(sco) == 33
    # In order, each mark links to its event's details.
    assert [m.get("href") for m in found] == [f"#e-{e.id}" for e in sco]
    assert [d.get("id") for d in details] == [f"e-{e.id}" for e in sco]
    assert [m.get("data-kind") for m in found] == [e.kind for e in sco]


def test_lanes_and_legend(parse: Parse) -> None:
    root = parse(page(timeline.example("sco")))
    (legend,) = [u for u in root.iter("ul") if u.get("class") == "legend"]
    assert [("".join(li.itertext()), li.get("class")) for li in legend] == [
        ("Event 2", "c0"), ("Founding 2", "c1"), ("Accession 4", "c2"), ("Summit 25", "c3"),
    ]  # fmt: skip
    (lanes,) = [u for u in root.iter("ul") if u.get("class") == "lanes"]
    assert lanes.get("aria-hidden") == "true"
    assert [("".join(li.itertext()), li.get("class")) for li in lanes] == [
        ("Event", "lane r1 c0 band"), ("Founding", "lane r1 c1"),
        ("Accession", "lane r2 c2 band"), ("Summit", "lane r1 c3"),
    ]  # fmt: skip
    colours = {m.get("data-kind"): m.get("class").split()[1] for m in marks(root)}
    assert colours == {"event": "c0", "founding": "c1", "accession": "c2", "summit": "c3"}


def geometry(mark: Any) -> dict[str, Any]:
    circles = list(mark.iter(f"{SVG}circle"))
    return {
        "x": [float(c.get("cx").rstrip("%")) for c in circles],
        "y": float(circles[0].get("cy")),
        "line": mark.find(f"{SVG}g/{SVG}line") is not None,
        "classes": mark.get("class").split()[2:],
        "q": "".join(t.text for t in mark.iter(f"{SVG}text")),
    }


def test_placed_to_scale(parse: Parse) -> None:
    t = Timeline(events=[
        Event(id="first", title="First day", start="2000-01-01"),
        Event(id="middle", title="Noon on 1 July", start="2000-07-01T12:00"),
        Event(id="last", title="Last day", start="2000-12-31"),
        Event(id="year", title="Some time in 2000", start="2000"),
        Event(id="range", title="Spring", start="2000-03-01", end="2000-05-31"),
    ])  # fmt: skip
    shapes = {m.get("href")[3:]: geometry(m) for m in marks(parse(page(t)))}
    # 2000 is a leap year; the axis runs from 1 January (its first gridline)
    # to 31 December, with 4% of the width free at each end.
    days = 366

    def x(day: float) -> float:
        return round(4 + day / days * 92, 3)

    assert shapes["first"]["x"] == [x(0.5)]
    assert shapes["middle"]["x"] == [x(182.5)]
    assert shapes["last"]["x"] == [x(365.5)]
    # A date known only to the year covers the year, faded.
    assert shapes["year"]["x"] == [x(0), x(366)]
    assert shapes["year"]["classes"] == ["imprecise"]
    # A range covers its days, the last one included.
    assert shapes["range"]["x"] == [x(60), x(152)]
    assert shapes["range"]["line"]
    assert shapes["range"]["classes"] == []


def test_bce_and_qualified_dates(parse: Parse) -> None:
    t = Timeline(events=[
        Event(id="bce", title="477 BCE", start="-0476"),
        Event(id="about", title="About AD 1", start="0001~"),
        Event(id="maybe", title="Maybe 100", start="0100?"),
        Event(id="both", title="About 50, maybe", start="0050%"),
    ])  # fmt: skip
    root = parse(page(t))
    shapes = {m.get("href")[3:]: geometry(m) for m in marks(root)}
    # The axis starts at its first gridline, 500 BCE, 23 years before the
    # first event, and ends where the last does.
    assert ticks(root)[0] == (4.0, "500 BCE")
    assert shapes["bce"]["x"][0] == pytest.approx(4 + 23 / 600 * 92, abs=0.01)
    assert shapes["bce"]["x"] < shapes["about"]["x"] < shapes["both"]["x"] < shapes["maybe"]["x"]
    assert shapes["maybe"]["x"][1] == 96
    assert [shapes[k]["q"] for k in ("bce", "about", "maybe", "both")] == ["", "~", "?", "~?"]


def test_marks_that_would_overlap_go_in_rows(parse: Parse) -> None:
    t = Timeline(events=[
        Event(id=f"e{i}", title=f"Meeting {i}", start="2001-06-15") for i in range(8)
    ] + [Event(id="later", title="Later", start="2020-01-01")])  # fmt: skip
    rows = [geometry(m)["y"] for m in marks(parse(page(t)))]
    # Six rows, then the marks share the row that is free first.
    assert len(set(rows[:6])) == 6
    assert rows[6] == rows[0]
    assert rows[8] == rows[0]


def ticks(root: Any) -> list[tuple[float, str]]:
    """The plot's gridlines: (x in percent, label)."""
    (plot,) = [s for s in root.iter(f"{SVG}svg") if s.get("class") == "plot"]
    texts = [text for text in plot.iter(f"{SVG}text") if text.get("class") is None]
    return [(float(text.get("x").rstrip("%")), text.text) for text in texts]


def test_axis_labels(parse: Parse) -> None:
    def labels(*starts: str) -> list[str]:
        t = Timeline(events=[Event(title=f"Event {i}", start=s) for i, s in enumerate(starts)])
        if not starts:
            t = timeline.example("sco")
        return [label for _, label in ticks(parse(page(t)))]

    # The first gridline is at or before the first event: the Shanghai Five
    # of 1996 is after 1995, not before the axis begins.
    assert labels() == ["1995", "2000", "2005", "2010", "2015", "2020", "2025"]
    # Years known only as years cover them: 2001 ends where 2002 begins.
    assert labels("1996", "2001") == ["1996", "1997", "1998", "1999", "2000", "2001", "2002"]
    # Round historical years: there is no year 0, so none is labelled.
    assert labels("-1200", "1999") == [
        "1500 BCE", "1000 BCE", "500 BCE", "500", "1000", "1500", "2000",
    ]  # fmt: skip
    assert labels("-0043", "0014") == ["50 BCE", "40 BCE", "30 BCE", "20 BCE", "10 BCE", "10"]
    assert labels("0003", "0040")[:3] == ["5 BCE", "5", "10"]
    assert labels("2024-01-10", "2024-06-20") == [
        "Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024",
    ]  # fmt: skip
    assert labels("2024-02-10", "2025-03-01") == [
        "Jan 2024", "Mar 2024", "May 2024", "Jul 2024", "Sep 2024", "Nov 2024", "Jan 2025",
        "Mar 2025",
    ]  # fmt: skip
    assert labels("2024-07-03", "2024-07-09") == [
        "3 Jul", "4 Jul", "5 Jul", "6 Jul", "7 Jul", "8 Jul", "9 Jul", "10 Jul",
    ]  # fmt: skip
    assert labels("9999-06-01", "9999-12-31") == [
        "Jun 9999", "Jul 9999", "Aug 9999", "Sep 9999", "Oct 9999", "Nov 9999", "Dec 9999",
    ]  # fmt: skip
    # Up to the last year a date can have, and no further.
    assert labels("9990", "9999") == [str(year) for year in range(9990, 10000)]
    assert labels("-9999", "-9990")[0] == "10000 BCE"


def test_a_height_for_every_lane_in_the_css() -> None:
    # The names' column is HTML beside the SVG: timeline.css gives a lane of
    # n rows the height the plot gives it.
    from timeline_html.page import _LANE_GAP, _MAX_ROWS, _ROW, _TOP, style

    css = style().text
    assert f".lanes {{ list-style: none; margin: 0; padding: {_TOP}px 0 0;" in css
    for rows in range(1, _MAX_ROWS + 1):
        assert f".lane.r{rows} {{ height: {rows * _ROW + _LANE_GAP}px; }}" in css


def test_axis_spans_the_events(parse: Parse) -> None:
    root = parse(page(timeline.example("sco")))
    xs = [x for m in marks(root) for x in geometry(m)["x"]]
    first, last = ticks(root)[0][0], ticks(root)[-1][0]
    # The first gridline is the left end of the axis, 4% in, and every mark
    # lies between it and the right end, 4% from the edge.
    assert first == 4.0
    assert first < min(xs)
    assert max(xs) <= 96.0
    assert last <= 96.0


def rows_of(details: Any) -> dict[str, str]:
    """The details' description list: term -> text."""
    pairs = zip(details.iter("dt"), details.iter("dd"), strict=True)
    return {dt.text: "".join(dd.itertext()) for dt, dd in pairs}


def test_details_of_a_summit(parse: Parse) -> None:
    root = parse(page(timeline.example("sco")))
    details = next(d for d in root.iter("details") if d.get("id") == "e-sco-summit-2024-astana")
    summary = details.find("summary")
    assert "".join(summary.itertext()) == (
        "3-4 July 2024 SCO Council of Heads of State summit (Astana 2024) Summit"
    )
    assert rows_of(details) == {
        "When": "3-4 July 2024",
        "Where": "Astana, Kazakhstan (51.1694° N, 71.4491° E)",
        "Organisation": "SCO",
        "Host": "Kazakhstan",
        "Format": "in person",
    }
    times = [(t.get("datetime"), t.text) for t in details.iter("time")]
    assert times == [("2024-07-03", "3"), ("2024-07-04", "4 July 2024")]
    (sources,) = [u for u in details.iter("ul") if u.get("class") == "sources"]
    assert [a.get("href") for a in sources.iter("a")] == [
        "https://en.wikipedia.org/wiki/2024_Astana_SCO_summit"
    ]
    notes = next(d for d in details.iter("div") if d.get("class") == "notes")
    # URLs in the notes are links, without the punctuation that follows them.
    assert [a.get("href") for a in notes.iter("a")] == [
        "https://astanatimes.com/2024/07/sco-summit-kicks-off-in-astana/",
        "https://www.hindustantimes.com/india-news/jaishankar-to-lead-indian-delegation-to-sco-summit-101719894495556.html",
        "http://en.kremlin.ru/events/president/news/74464/print",
    ]


def test_details_of_every_field(parse: Parse) -> None:
    root = parse(page(sample_timeline()))
    by_id = {d.get("id")[2:]: d for d in root.iter("details")}

    def rows(event_id: str) -> dict[str, str]:
        return rows_of(by_id[event_id])

    assert rows("founding") == {
        "When": "15 June 2001",
        "Where": "Shanghai, China (31.2333° N, 121.4667° E)",
        "Organisation": "SCO",
        "Founding members": "China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, Uzbekistan",
        "Tags": "foundingmilestone",
    }
    assert rows("accession")["Status"] == "dialogue partner"
    assert rows("summit-virtual") == {
        "When": "November 2020", "Organisation": "SCO", "Host": "Russia", "Format": "virtual",
    }  # fmt: skip
    assert rows("summit-range")["Participants"] == "China, Russia, Belarus"
    assert rows("summit-range")["Link"] == "https://example.org/summits/2024"
    assert rows("zoned")["When"] == "4 July 2024, 10:00-18:00 (Asia/Almaty)"
    assert rows("anniversary")["Repeats"] == "every year"
    whens = {k: d.find("summary/span").text for k, d in by_id.items()}
    assert whens["anniversary"] == "15 June 2002"
    assert whens["zoned"] == "4 July 2024, 10:00-18:00 (Asia/Almaty)"
    assert whens["across-years"] == "31 December 2019 - 2 January 2020"
    assert rows("bce")["When"] == "477 BCE"
    assert rows("approximate")["When"] == "c. 1996"
    assert rows("uncertain")["When"] == "June 2002?"
    founding = "".join(by_id["founding"].find("div").itertext())
    assert "SCO history, accessed 1 November 2026. Official chronology." in founding
    assert "The declaration is signed.\nSix states." in founding  # <br>\n
    (title,) = [s for s in by_id["unicode"].iter("span") if s.get("class") == "title"]
    assert title.get("dir") == "auto"


def test_list_grouped_by_year(parse: Parse) -> None:
    root = parse(page(sample_timeline()))
    years = [h.text for h in root.iter("h3") if h.get("class") == "year"]
    assert years == ["477 BCE", "1996", "2001", "2002", "2006", "2009", "2016", "2018",
                     "2019", "2020", "2024", "2025"]  # fmt: skip


# -- kinds from other plugins -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Treaty(Event):
    kind: ClassVar[str] = "treaty-signing"

    signatories: tuple[str, ...] = attrs.field(default=(), converter=tuple,
                                           metadata={"label": "Signed by"})  # fmt: skip
    ratified: bool = False
    depositary: Place | None = None


class TreatyPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Callable[[type[Event]], None]) -> None:
        register(Treaty)


def test_a_kind_from_another_plugin(parse: Parse) -> None:
    with register_plugin(TreatyPlugin(), name="treaties"):
        t = Timeline(events=[
            Treaty(id="t", title="Treaty", start="2007-08-16", signatories=("KZ", "ASEAN"),
                   ratified=True, depositary=Place(name="Beijing", country="CN")),
            Summit(id="s", title="Summit", start="2007-08-16", organisation="SCO"),
        ])  # fmt: skip
        root = parse(page(t))
    (lanes,) = [u for u in root.iter("ul") if u.get("class") == "lanes"]
    assert ["".join(li.itertext()) for li in lanes] == ["Summit", "Treaty signing"]
    details = next(d for d in root.iter("details") if d.get("id") == "e-t")
    assert rows_of(details) == {
        "When": "16 August 2007",
        "Signed by": "Kazakhstan, ASEAN",
        "Ratified": "yes",
        "Depositary": "Beijing, China",
    }


class Level(enum.Enum):
    HIGH = "high"


@attrs.frozen(kw_only=True)
class Accord(Event):
    kind: ClassVar[str] = "accord"

    in_force: Date | None = None
    level: Level = Level.HIGH
    UN_registered: int = 0
    witnesses: tuple[str, ...] = ()


class AccordPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Callable[[type[Event]], None]) -> None:
        register(Accord)


def test_a_plugin_kinds_fields_in_the_words_of_every_format(parse: Parse) -> None:
    # The labels and values of timeline.words, as Markdown and iCalendar write them.
    accord = Accord(
        id="a",
        title="Accord",
        start="2007-08-16",
        in_force=Date.parse("2008-01-01T00:00Z"),
        UN_registered=12,
        witnesses=("KZ", "", "UN"),
    )
    with register_plugin(AccordPlugin(), name="accords"):
        root = parse(page(Timeline(events=[accord])))
    details = next(d for d in root.iter("details") if d.get("id") == "e-a")
    assert rows_of(details) == {
        "When": "16 August 2007",
        "In force": "1 January 2008, 00:00 UTC",
        "Level": "high",
        "UN registered": "12",
        "Witnesses": "Kazakhstan, UN",
    }
    times = [t.get("datetime") for t in details.iter("time")]
    assert times == ["2007-08-16", "2008-01-01T00:00Z"]
