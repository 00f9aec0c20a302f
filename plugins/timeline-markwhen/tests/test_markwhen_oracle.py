"""markwhen's own parser as the oracle: it reads our export into the same
events (count, date ranges, titles, tags, ids), it and our importer read
documents written as markwhen's docs show them alike, and a document read
by us and written again gives markwhen the same events."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import timeline
from samples import expected_range, instant, sample, visible

from timeline_markwhen import recurrence_text
from timeline_markwhen.syntax import source_line

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "hostile" / "json"
DOCUMENTS = sorted((Path(__file__).parent / "documents").glob("*.mw"))
Parse = Callable[[str], dict[str, Any]]


def _check_export(t: timeline.Timeline, markwhen: Parse) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        text = timeline.dumps(t, "markwhen")
    read = markwhen(text)
    events = read["events"]
    # Under Node, the parser cannot read any recurrence (see parse.mjs); nothing else is wrong.
    recurring = [e["line"] for e in events if e["recurrence"] is not None]
    assert read["messages"] == [
        {"type": "error", "message": "Cannot parse recurrence", "line": line} for line in recurring
    ]
    assert len(events) == len(t)
    for event, got in zip(t, events, strict=True):
        assert got["id"] == event.id
        assert _range(got, event) == _expected(event), event.id
        assert visible(_title(got)) == event.title, event.id
        tags = [tag for tag in event.tags if tag.isascii() and tag.replace("_", "a").isalnum()]
        assert got["tags"] == tags, event.id
        assert got["properties"].get("kind", "event") == event.kind
        if event.recurrence is not None and recurrence_text(event.recurrence) is None:
            assert got["properties"]["recurrence"] == event.recurrence  # kept, not repeated
        elif event.recurrence is not None:
            assert got["recurrence"] is not None
            assert set(got["recurrence"]["rrule"].split(";")) == set(event.recurrence.split(";"))


def _title(got: dict[str, Any]) -> str:
    """The title; markwhen 1.2 keeps the colon of a BCE event's line in it
    (its date part there is the whole line)."""
    if ":" in got["datePart"]:
        return str(got["title"]).removeprefix(": ")
    return str(got["title"])


def _range(got: dict[str, Any], event: timeline.Event) -> tuple[Any, Any]:
    """The parser's range; for dates without a time of day, without the
    offset of the zone markwhen counts them in (a timeline's days are the
    same in every zone)."""
    first, last = instant(got["from"]), instant(got["to"])
    if not _timed(event):
        return first[:6], last[:6]
    return first, last


def _expected(event: timeline.Event) -> tuple[Any, Any]:
    first, last = expected_range(event)
    if not _timed(event):
        return first[:6], last[:6]
    return first, last


def _timed(event: timeline.Event) -> bool:
    return event.start.precision is timeline.Precision.TIME or (
        event.end is not None and event.end.precision is timeline.Precision.TIME
    )


def test_the_sco_example_as_markwhen_reads_it(markwhen: Parse) -> None:
    _check_export(timeline.example("sco"), markwhen)


def test_every_precision_bce_zones_and_spans_as_markwhen_reads_them(markwhen: Parse) -> None:
    _check_export(sample(), markwhen)


def test_grouped_by_kind_each_event_under_its_heading(markwhen: Parse) -> None:
    sco = timeline.example("sco")
    read = markwhen(timeline.dumps(sco, "markwhen", group="kind", style="section"))
    assert len(read["events"]) == len(sco)
    for got in read["events"]:
        [group] = got["groups"]
        assert group["style"] == "section"
        assert group["properties"]["timeline-group"] == "kind"
    titles = {got["groups"][0]["title"] for got in read["events"]}
    assert titles == set(sco.group_by("kind"))


def test_the_hostile_titles_come_back_as_they_were(markwhen: Parse) -> None:
    hostile = timeline.load(CORPUS / "hostile-titles.json")
    read = markwhen(timeline.dumps(hostile, "markwhen"))
    assert read["messages"] == []
    assert len(read["events"]) == len(hostile)
    for event, got in zip(hostile, read["events"], strict=True):
        assert got["id"] == event.id
        assert visible(got["title"]) == event.title
        assert got["tags"] == []
        assert _range(got, event) == _expected(event)
        lines = [block for block in got["description"] if block["type"] != "break"]
        texts = [visible(_block_text(b)) for b in lines]
        links = [visible(source_line(s.title or s.url, s.url)) for s in event.sources]
        assert texts == [line for line in event.description.split("\n") if line] + links, event.id


def _block_text(block: dict[str, Any]) -> str:
    if block["type"] == "listItem":
        return "- " + block["raw"]
    return str(block.get("raw", ""))


@pytest.mark.parametrize(
    "name",
    [
        "bom.json",
        "hostile-titles.json",
        "rrule-forever.json",
        "subsecond-range.json",
        "zoned-times-at-the-ends-of-time.json",
    ],
)
def test_the_hostile_timelines_round_trip_through_our_importer(name: str) -> None:
    hostile = timeline.load(CORPUS / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        text = timeline.dumps(hostile, "markwhen")
    assert timeline.loads(text, "markwhen") == hostile


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_our_importer_and_markwhen_read_the_documents_alike(path: Path, markwhen: Parse) -> None:
    text = path.read_text(encoding="utf-8")
    theirs = [e for e in markwhen(text)["events"] if "skip" not in e["properties"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        ours = timeline.loads(text, "markwhen")
    assert len(ours) == len(theirs), path.name
    by_line = sorted(theirs, key=lambda e: e["line"])
    for event, got in zip(sorted(ours, key=_order(text)), by_line, strict=True):
        assert _range(got, event) == _expected(event), (path.name, got["line"])
        assert event.title == visible(_title(got)).strip(), (path.name, got["line"])
        group_tags = [g["title"] for g in got["groups"]] + [
            t for g in got["groups"] for t in g["tags"]
        ]
        assert set(event.tags) == set(got["tags"]) | set(group_tags), (path.name, got["line"])
        if got["id"] is not None:
            assert event.id == got["id"]
        if got["recurrence"] is not None and got["recurrence"]["rrule"] is not None:
            assert event.recurrence is not None
            assert set(event.recurrence.split(";")) == set(got["recurrence"]["rrule"].split(";"))


def _order(text: str) -> Callable[[timeline.Event], int]:
    lines = text.split("\n")

    def line_of(event: timeline.Event) -> int:
        for i, line in enumerate(lines):
            if ":" in line and event.title in line.replace("\u2060", ""):
                return i
        return len(lines)

    return line_of


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_markwhen_to_timeline_to_markwhen_keeps_the_events(path: Path, markwhen: Parse) -> None:
    text = path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        ours = timeline.loads(text, "markwhen")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)  # group titles are no markwhen tags
        again = markwhen(timeline.dumps(ours, "markwhen"))["events"]
    first = sorted(
        (e for e in markwhen(text)["events"] if "skip" not in e["properties"]),
        key=lambda e: (instant(e["from"])[:6], visible(_title(e))),
    )
    again = sorted(again, key=lambda e: (instant(e["from"])[:6], visible(_title(e))))
    assert len(again) == len(first)
    for a, b in zip(first, again, strict=True):
        assert (instant(a["from"])[:6], instant(a["to"])[:6]) == (
            instant(b["from"])[:6],
            instant(b["to"])[:6],
        )
        assert visible(_title(a)).strip() == visible(_title(b))
        assert set(a["tags"]) <= set(b["tags"]) | set(
            json.loads(json.dumps(b["properties"].get("tags", [])))
        )


def test_the_properties_markwhen_reads_are_the_typed_attributes(markwhen: Parse) -> None:
    path = Path(__file__).parent / "documents" / "summits.mw"
    text = path.read_text(encoding="utf-8")
    theirs = {e["id"] or e["title"]: e for e in markwhen(text)["events"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = timeline.loads(text, "markwhen")
    astana = ours["astana"]
    properties = theirs["astana"]["properties"]
    assert (astana.organisation, astana.host) == (properties["organisation"], properties["host"])
    assert list(astana.participants) == properties["participants"]
    assert astana.place is not None
    assert astana.place.name == properties["location"]
    assert [(s.title, s.url) for s in astana.sources] == [
        ("Astana Times", "https://astanatimes.com/2024/07/sco-summit-kicks-off-in-astana/")
    ]
    belarus = ours["2024-07-03-belarus-joins"]
    assert (belarus.kind, belarus.member, belarus.status.value) == ("accession", "BY", "member")
    moscow = ours["2020-11-10-moscow-summit-held-online"]
    assert moscow.format.value == theirs["Moscow summit, held online"]["properties"]["format"]
    charter = ours["2002-06-07-charter-signed"]
    assert [(s.title, s.url) for s in charter.sources] == [
        ("Charter text", "https://example.org/charter")
    ]
    assert [str(w.message) for w in caught] == [
        "<string>:39: property 'locations' has no place in a timeline (an event has no "
        "attributes); left out"
    ]


@pytest.mark.parametrize(
    "name", ["subsecond-range.json", "zoned-times-at-the-ends-of-time.json", "rrule-forever.json"]
)
def test_the_hostile_timelines_as_markwhen_reads_them(name: str, markwhen: Parse) -> None:
    _check_export(timeline.load(CORPUS / name), markwhen)


def test_where_markwhen_1_2_differs_from_its_documentation(markwhen: Parse) -> None:
    """The README's list, checked: the parser reads slash dates as M/d/y
    whatever the header says, and older markwhen's groups as text; the
    importer follows the documentation."""
    european = "dateFormat: d/M/y\n\n05/04/2024: A\n"
    [theirs] = markwhen(european)["events"]
    assert instant(theirs["from"])[:3] == (2024, 5, 4)
    [ours] = timeline.loads(european, "markwhen")
    assert str(ours.start) == "2024-04-05"

    legacy = "2020: Before\ngroup The 90s\n1991: Desert Storm\nendGroup\n"
    before, storm = markwhen(legacy)["events"]
    assert [b["raw"] for b in before["description"]] == ["group The 90s"]
    assert (storm["groups"], storm["description"]) == (
        [],
        [{"type": "text", "raw": "endGroup", "value": None}],
    )
    t = timeline.loads(legacy, "markwhen")
    assert {e.title: (e.tags, e.description) for e in t} == {
        "Before": ((), ""),
        "Desert Storm": (("The 90s",), ""),
    }

    [ancient] = markwhen("300 BCE: Old\n")["events"]
    assert ancient["title"] == ": Old"
    assert [e.title for e in timeline.loads("300 BCE: Old\n", "markwhen")] == ["Old"]
