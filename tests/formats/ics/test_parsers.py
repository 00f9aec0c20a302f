"""Every kind of file the exporter writes is read by three parsers that did
not write it: Mozilla's ical.js (Thunderbird's parser, run with node),
allenporter's ``ical`` (Home Assistant's) and icalendar. They must agree with
each other and with the timeline on the events, their dates and zones, and
their UIDs; and ical.js, which computes instants from the file's own
VTIMEZONEs, must agree with Python's zoneinfo on every zoned time.

ical.js comes from npm (``tests/helpers/node_packages.py`` installs it). These tests fail,
rather than skip, when node or ical.js is missing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import subprocess
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dateutil import tz
from dateutil.rrule import WEEKLY, rrule
from helpers import node_packages
from helpers.ics import ICALJS as JS
from helpers.ics import export, raw_problems, read_ical, read_icalendar, read_icaljs
from icalendar import Calendar

import timeline
from timeline import Event, Summit
from timeline.testing import sample_timeline, synthetic_timeline


def _zones_timeline() -> timeline.Timeline:
    """Timed events far from 1970-2038, in zones with and without daylight saving time."""
    events = [
        Event(id="berlin-1905", title="Berlin 1905", start="1905-07-01T12:00[Europe/Berlin]"),
        Event(id="berlin-1945", title="Berlin 1945 (double summer time)",
              start="1945-06-01T12:00[Europe/Berlin]", end="1945-06-01T15:30[Europe/Berlin]"),
        Event(id="berlin-2095", title="Berlin 2095, summer",
              start="2095-07-01T12:00[Europe/Berlin]", end="2095-07-02T09:00[Europe/Berlin]"),
        Event(id="berlin-2095-winter", title="Berlin 2095, winter",
              start="2095-12-01T12:00[Europe/Berlin]"),
        Event(id="new-york-1960", title="New York 1960", start="1960-04-24T03:30[America/New_York]",
              end="1960-10-30T00:30[America/New_York]"),
        Event(id="almaty-2024", title="Almaty before the change",
              start="2024-02-29T21:00[Asia/Almaty]", end="2024-03-01T01:00[Asia/Almaty]"),
        Event(id="kolkata", title="Kolkata", start="2001-06-15T09:30[Asia/Kolkata]"),
        Event(id="weekly", title="Weekly in Sydney", start="2030-01-03T18:00[Australia/Sydney]",
              end="2030-01-03T19:00[Australia/Sydney]", recurrence="FREQ=WEEKLY;COUNT=30"),
        Event(id="utc", title="UTC", start="1999-12-31T23:59:59Z"),
        Event(id="floating", title="Floating", start="2010-05-05T05:05"),
        Summit(id="summit", title="Summit; with, punctuation \\ and émoji 🤝",
               start="2024-07-03", end="2024-07-04", organisation="SCO", host="KZ"),
    ]  # fmt: skip
    return timeline.Timeline(title="Zones", events=events)


FILES: dict[str, tuple[Callable[[], timeline.Timeline], dict[str, Any]]] = {
    "sample": (sample_timeline, {}),
    "sample-span": (sample_timeline, {"imprecise": "span", "refresh": "PT12H"}),
    "sco": (lambda: timeline.example("sco"), {}),
    "sco-anniversaries": (lambda: timeline.example("sco"), {"anniversaries": True}),
    "synthetic": (lambda: synthetic_timeline(150), {"lossless": False}),
    "zones": (_zones_timeline, {}),
    # In other languages: the words for people, and LANGUAGE on the texts.
    "sco-ru": (lambda: timeline.example("sco"), {"locale": "ru"}),
    "sco-zh-Hans": (lambda: timeline.example("sco"), {"locale": "zh-Hans"}),
    "sco-anniversaries-ru": (
        lambda: timeline.example("sco"),
        {"anniversaries": True, "locale": "ru"},
    ),
    "sample-span-zh-Hans": (sample_timeline, {"imprecise": "span", "locale": "zh-Hans"}),
    "sample-span-fa": (sample_timeline, {"imprecise": "span", "locale": "fa"}),
}


EXPORTED = {"sample": 10, "sample-span": 14, "sco": 33, "sco-anniversaries": 6, "synthetic": 150,
            "zones": 11, "sco-ru": 33, "sco-zh-Hans": 33, "sco-anniversaries-ru": 6,
            "sample-span-zh-Hans": 14, "sample-span-fa": 14}  # fmt: skip
"""How many events each file holds (the default leaves out 5 imprecise events of the sample;
span leaves out 1, BCE)."""


def _node() -> str:
    return node_packages.installed(JS, "ical.js")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ics")
    paths = {}
    for name, (make, options) in FILES.items():
        path = folder / f"{name}.ics"
        path.write_bytes(export(make(), **options).encode("utf-8"))
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def icaljs(files: dict[str, Path]) -> dict[str, Any]:
    """What ical.js read from each file."""
    result = subprocess.run(
        [_node(), str(JS / "parse.mjs"), *map(str, files.values())],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {Path(r["file"]).stem: r for r in json.loads(result.stdout)}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_file_is_clean(files: dict[str, Path], name: str) -> None:
    assert raw_problems(files[name].read_bytes()) == []


@pytest.mark.parametrize("name", sorted(FILES))
def test_three_parsers_agree(files: dict[str, Path], icaljs: dict[str, Any], name: str) -> None:
    by_icalendar = read_icalendar(files[name])
    by_ical = read_ical(files[name])
    by_icaljs = read_icaljs(icaljs[name])
    assert by_icalendar
    assert by_ical == by_icalendar
    assert by_icaljs == by_icalendar


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_parsers_read_what_the_timeline_holds(
    files: dict[str, Path], icaljs: dict[str, Any], name: str
) -> None:
    """Every exported event, with its UID and dates, as ical.js reads it."""
    t = FILES[name][0]()
    events = {
        e["uid"].split("@")[0].removesuffix("+anniversary"): e for e in icaljs[name]["events"]
    }
    assert list(events) == [e.id for e in t if e.id in events]
    assert len(events) == len(icaljs[name]["events"]) == EXPORTED[name]
    for event in t:
        if event.id not in events:
            continue
        read = events[event.id]
        start = event.start
        if read["isDate"]:
            assert read["start"] == start.earliest.isoformat()
        else:
            assert start.time is not None
            assert read["start"] == f"{start.to_date()}T{start.time.isoformat('seconds')}" + (
                "Z" if start.tz == "UTC" else ""
            )
            assert read["startZone"] == (start.tz or "floating")


@pytest.mark.parametrize("name", sorted(FILES))
def test_icaljs_computes_the_instants_zoneinfo_does(icaljs: dict[str, Any], name: str) -> None:
    """ical.js works out instants from the VTIMEZONEs in the file; they must
    match the IANA rules for every zoned time, before 1970 and after 2038 too."""
    checked = 0
    for event in icaljs[name]["events"]:
        for when, zone, unix in (
            (event["start"], event["startZone"], event["startUnix"]),
            (event["end"], event["endZone"], event["endUnix"]),
        ):
            if unix is None or zone == "UTC":
                continue
            local = dt.datetime.fromisoformat(when)
            expected = local.replace(tzinfo=zoneinfo.ZoneInfo(zone)).timestamp()
            assert unix == expected, f"{event['uid']}: {when} in {zone}"
            checked += 1
    if name == "zones":
        assert checked == 13


def test_icaljs_expands_a_zoned_recurrence_across_a_change_of_offset(
    icaljs: dict[str, Any],
) -> None:
    """A weekly event in Sydney crosses the end of daylight saving time in
    April 2030: its local time stays 18:00, its UTC time moves an hour."""
    (weekly,) = [e for e in icaljs["zones"]["events"] if e["uid"] == "weekly@timeline.invalid"]
    start = dt.datetime(2030, 1, 3, 18, tzinfo=zoneinfo.ZoneInfo("Australia/Sydney"))
    expected = [int(when.timestamp()) for when in rrule(WEEKLY, dtstart=start, count=30)]
    assert weekly["occurrences"] == expected
    offsets = {(b - a) % 86400 for a, b in itertools.pairwise(expected)}
    assert offsets == {0, 3600}


def test_dateutil_reads_the_vtimezones_as_zoneinfo_does() -> None:
    """A fourth reader of VTIMEZONEs: python-dateutil's ``tzical``."""
    text = export(_zones_timeline())
    blocks = re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", text, re.DOTALL)
    zones = tz.tzical(io.StringIO("".join(blocks)))
    checked = 0
    for event in _zones_timeline():
        for d in (event.start, event.end):
            if d is None or d.tz in (None, "UTC"):
                continue
            local = d.to_datetime().replace(tzinfo=None)
            assert local.replace(tzinfo=zones.get(d.tz)).utcoffset() == (
                local.replace(tzinfo=zoneinfo.ZoneInfo(d.tz)).utcoffset()
            ), f"{event.id}: {d}"
            checked += 1
    assert checked == 13


def test_timezones_are_declared_once_each(icaljs: dict[str, Any]) -> None:
    assert sorted(icaljs["zones"]["timezones"]) == [
        "America/New_York", "Asia/Almaty", "Asia/Kolkata", "Australia/Sydney", "Europe/Berlin"
    ]  # fmt: skip
    assert icaljs["sample"]["timezones"] == ["Asia/Almaty"]
    assert icaljs["sco"]["timezones"] == []


def test_icaljs_reads_the_calendar_and_the_text(icaljs: dict[str, Any]) -> None:
    sco = icaljs["sco"]
    assert sco["calendar"] == {
        "prodid": "-//timeline-events//timeline//EN",
        "version": "2.0",
        "name": "Shanghai Cooperation Organisation",
        "languages": {},
    }
    (summit,) = [e for e in icaljs["zones"]["events"] if e["uid"] == "summit@timeline.invalid"]
    assert summit["summary"] == "Summit; with, punctuation \\ and émoji 🤝"
    assert summit["end"] == "2024-07-05"
    assert summit["transp"] == "TRANSPARENT"
    assert summit["categories"] == ["summit"]
    (astana,) = [e for e in sco["events"] if e["uid"].startswith("sco-summit-2024-astana@")]
    assert astana["geo"] == [51.1694, 71.4491]
    assert astana["location"] == "Astana, Kazakhstan"
    assert astana["description"].startswith("Organisation: SCO\nHost: Kazakhstan\n")
    (weekly,) = [e for e in icaljs["zones"]["events"] if e["uid"] == "weekly@timeline.invalid"]
    assert weekly["rrule"] == "FREQ=WEEKLY;COUNT=30"


def test_the_parsers_read_the_words_of_a_locale_and_their_language(
    files: dict[str, Path], icaljs: dict[str, Any]
) -> None:
    """Calendars in Russian, Chinese and Persian: ical.js reads the texts
    and the LANGUAGE of each as icalendar does (test_locale.py has the words
    themselves); the English calendar has no LANGUAGE."""
    for name, tag in (("sco-ru", "ru"), ("sco-anniversaries-ru", "ru"),
                      ("sco-zh-Hans", "zh-Hans"), ("sample-span-zh-Hans", "zh-Hans"),
                      ("sample-span-fa", "fa")):  # fmt: skip
        read = icaljs[name]
        by_icalendar = Calendar.from_ical(files[name].read_bytes())
        # Each text has the language it is written in: the reader's, or the
        # data's own where the data has no translation (English), or the tag of
        # the translation found (the example's Chinese is keyed "zh").
        calendar = {n.lower(): by_icalendar[n].params["LANGUAGE"]
                    for n in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC")}  # fmt: skip
        assert read["calendar"]["languages"] == calendar
        assert set(calendar.values()) <= {tag, "zh", "en"}
        for event, theirs in zip(by_icalendar.events, read["events"], strict=True):
            texts = {
                n.lower(): event[n] for n in ("SUMMARY", "DESCRIPTION", "LOCATION") if n in event
            }
            assert theirs["languages"] == {n: v.params["LANGUAGE"] for n, v in texts.items()}
            assert {n: str(v) for n, v in texts.items()} == {n: theirs[n] for n in texts}
            assert {v.params["LANGUAGE"] for v in texts.values()} <= {tag, "zh", "en"}
            if "description" in texts:  # the words of the reader's language
                assert texts["description"].params["LANGUAGE"] == tag
    (astana,) = [e for e in icaljs["sco-ru"]["events"] if "2024-astana@" in e["uid"]]
    assert astana["location"] == "Астана, Казахстан"
    # The titles are the example's Russian ones, for every event.
    sco = timeline.example("sco")
    assert {e["uid"]: e["summary"] for e in icaljs["sco-ru"]["events"]} == {
        e["uid"]: sco[e["uid"].split("@")[0]].translated("title", "ru")
        for e in icaljs["sco"]["events"]
    }
    assert all(e["languages"] == {} for e in icaljs["sco"]["events"])
