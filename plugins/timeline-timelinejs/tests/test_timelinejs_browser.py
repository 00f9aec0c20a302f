"""Our JSON in TimelineJS3 itself (the npm package @knight-lab/timelinejs
3.9.11, from tests/js), in headless Chromium: no console error and no
request to the network, the title slide and a slide per event, each slide's
dates as TimelineJS parsed them equal to ours, the dates it shows, and
hostile text shown as text, with no script run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import timeline
from conftest import Shown
from timeline import Event, Timeline
from timeline.testing import sample_timeline

Show = Callable[..., Shown]
CORPUS = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "hostile" / "json"
DEFAULTS = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "millisecond": 0}


def expected_parts(written: dict[str, str]) -> dict[str, int]:
    """What TimelineJS's JavaScript ``Date`` holds for the parts we wrote:
    them, and its defaults for the parts we did not."""
    return {"year": int(written["year"]), **DEFAULTS, **{k: int(v) for k, v in written.items()}}


def check(shown: Shown, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks every document passes in TimelineJS; its slides."""
    assert shown.errors == []
    assert shown.requests == []
    assert shown.dialogs == []
    slides = shown.slides()
    events = document["events"]
    assert len(slides) == len(events) + ("title" in document)
    count = shown.page.evaluate("document.querySelectorAll('.tl-slide').length")
    markers = shown.page.evaluate("document.querySelectorAll('.tl-timemarker').length")
    assert (count, markers) == (len(events) + ("title" in document), len(events))
    ours = {event["unique_id"]: event for event in events}
    if "title" in document:
        assert slides[0]["id"] == document["title"]["unique_id"]
        slides = slides[1:]
    assert sorted(slide["id"] for slide in slides) == sorted(ours)
    for slide in slides:
        event = ours[slide["id"]]
        assert slide["start"] == expected_parts(event["start_date"]), slide["id"]
        if "end_date" in event:
            assert slide["end"] == expected_parts(event["end_date"]), slide["id"]
        else:
            assert slide["end"] is None, slide["id"]
    return slides


def test_the_sco_example(show: Show) -> None:
    sco = timeline.example("sco")
    text = timeline.dumps(sco, "timelinejs")
    document = json.loads(text)
    slides = check(show(text), document)
    assert len(slides) == 33
    by_id = {slide["id"]: slide for slide in slides}
    astana = by_id["sco-summit-2024-astana"]
    assert astana["shown"] == "July 3, 2024 — July 4, 2024"
    assert astana["headline"] == sco["sco-summit-2024-astana"].title
    assert astana["group"] == "Summit"
    assert astana["text"].startswith("Astana, KazakhstanOrganisation: SCOHost: Kazakhstan")
    assert [slide["id"] for slide in slides] == [event.id for event in sco]


def test_every_kind_of_date(show: Show) -> None:
    """BCE, year-only, month-only, approximate, uncertain, floating, UTC and
    zoned times, spans: parsed as we wrote them, whatever the browser's zone."""
    text = timeline.dumps(sample_timeline(), "timelinejs")
    document = json.loads(text)
    for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
        slides = check(show(text, timezone=zone), document)
        shown = {slide["id"]: slide["shown"] for slide in slides}
        assert shown == {
            "bce": "477 BCE",
            "approximate": "c. 1996",
            "founding": "June 15, 2001",
            "uncertain": "June 2002?",
            "anniversary": "June 15, 2002",
            "unicode": "June 15, 2006",
            "year": "2009",
            "accession": "March 14, 2016",
            "floating": "10:00 AM June 9, 2018",
            "utc": "10 June 2018, 12:30 UTC",
            "across-years": "December 31, 2019 — January 2, 2020",
            "summit-virtual": "November 2020",
            "summit-range": "July 3, 2024 — July 4, 2024",
            "zoned": "4 July 2024, 10:00-18:00 (Asia/Almaty)",
            "summit-months": "August 31, 2025 — September 1, 2025",
        }, zone


def test_the_years_of_the_ends_of_time_and_a_bce_leap_day(show: Show) -> None:
    t = Timeline(title="Ends", events=[
        Event(id="first", title="First", start="-9999"),
        Event(id="leap", title="A BCE leap day", start="-0476-02-29"),
        Event(id="one-bce", title="1 BCE", start="0000"),
        Event(id="one-ce", title="1 CE", start="0001-01-01"),
        Event(id="last", title="Last", start="9999-12-31T23:59:59.999"),
    ])  # fmt: skip
    text = timeline.dumps(t, "timelinejs")
    document = json.loads(text)
    leap = next(e for e in document["events"] if e["unique_id"] == "leap")
    document["events"].remove(leap)  # TimelineJS's year -477 has no 29 February
    shown = show(text)
    assert shown.errors == []
    slides = {slide["id"]: slide for slide in shown.slides()}
    assert slides["leap"]["shown"] == "29 February 477 BCE"
    assert slides["first"]["shown"] == "10000 BCE"
    assert slides["one-bce"]["shown"] == "1 BCE"
    assert slides["one-ce"]["shown"] == "January 1, 1"
    assert slides["last"]["start"] == {"year": 9999, "month": 12, "day": 31, "hour": 23,
                                       "minute": 59, "second": 59, "millisecond": 999}  # fmt: skip


def test_hostile_text_is_shown_as_text_and_runs_nothing(show: Show) -> None:
    hostile = timeline.load(CORPUS / "hostile-titles.json")
    more = Timeline(title='"><svg onload=alert(1)>', events=[
        Event(id="svg", title='"><svg onload=alert(2)>', start="2001",
              description="<iframe src=javascript:alert(3)>",
              tags=("<img src=x onerror=alert(4)>",), url="javascript:alert(5)"),
        Event(id="amp", title="A &amp; B", start="2002", tags=("a &lt; b & c",)),
        Event(id="ran", title="<img src=x onerror=\"window.pwned=1\">", start="2003",
              description="<script>window.pwned=2</script>", notes="<svg onload=window.pwned=3>"),
    ])  # fmt: skip
    for t in (hostile, more):
        text = timeline.dumps(t, "timelinejs", group="tag")
        document = json.loads(text)
        shown = show(text)
        slides = check(shown, document)
        titles = {event.id: event.title for event in t}
        for slide in slides:
            assert slide["headline"] == titles[slide["id"]]
        assert (
            shown.page.evaluate("document.querySelectorAll('script').length") == 3
        )  # the page's own
        assert (
            shown.page.evaluate(
                "document.querySelectorAll('#timeline svg, #timeline img, #timeline iframe').length"
            )
            == 0
        )
        assert shown.page.evaluate("typeof window.pwned") == "undefined"
        hrefs = shown.page.evaluate(
            "[...document.querySelectorAll('#timeline a[href]')].map(a => a.getAttribute('href'))"
        )
        assert all(h.startswith(("https://", "http://", "#")) for h in hrefs), hrefs
    groups = shown.page.evaluate(
        "[...document.querySelectorAll('.tl-timegroup-message')].map(e => e.textContent)"
    )
    assert groups == ["<img src=x onerror=alert(4)>", "a &lt; b & c", ""]


@pytest.mark.parametrize("width", [1280, 400])
def test_a_laptop_and_a_phone(show: Show, width: int) -> None:
    text = timeline.dumps(timeline.example("sco"), "timelinejs", group="host")
    check(show(text, width=width, height=800), json.loads(text))


def test_timelinejs_runs_markup_of_a_group_escaped_once(show: Show) -> None:
    """Why ``group`` is escaped twice: TimelineJS takes its text and puts
    that into the page as HTML, so a group escaped once, as a headline is,
    runs its script. (The check that no script of ours runs can fail.)"""
    once = {
        "events": [{
            "start_date": {"year": "2001"},
            "text": {"headline": "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;"},
            "group": "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;",
        }],
    }  # fmt: skip
    shown = show(json.dumps(once))
    shown.page.wait_for_function("window.pwned !== undefined")  # the image fails, then it runs
    assert shown.page.evaluate("window.pwned") == 2  # the group's, not the headline's
