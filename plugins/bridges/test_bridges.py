"""Moving a timeline between TimelineJS and markwhen with the ``timeline``
command, as README.md shows: both directions, the warnings for what the
other side cannot hold, and what comes back."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.testing import run_command

HERE = Path(__file__).resolve().parent
PLUGINS = "timeline-timelinejs,timeline-markwhen"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("story.mw", "story.timelinejs.json"):
        shutil.copy(HERE / name, tmp_path / name)
    return tmp_path


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_command(*args, plugins=PLUGINS, cwd=folder)


def events(path: Path) -> list[dict[str, Any]]:
    """The events of a file as timeline's JSON has them: every field (the
    warnings of reading it are the command's, checked there)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ImporterWarning)
        read = timeline.load(path)
    found: list[dict[str, Any]] = json.loads(timeline.dumps(read, "json"))["events"]
    return found


FROM_MARKWHEN = (
    "warning: story.mw:9: property 'author' has no place in a timeline (an event has no "
    "attributes); left out\n"
)


def test_markwhen_to_timelinejs_warns_what_timelinejs_cannot_hold(folder: Path) -> None:
    done = run(folder, "export", "story.mw", "-o", "story.timelinejs.json")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == FROM_MARKWHEN + (
        "warning: story.timelinejs.json: 8 events have tags that TimelineJS cannot hold (a "
        "slide has one group; group=tag makes it the first tag): 'Rome', 'Reform', "
        "'Antiquity', 'Church', 'Gregorian' and 3 more; left out\n"
        "warning: story.timelinejs.json: 1 event has a repetition that TimelineJS cannot show "
        "(a slide is one date); written in the slide's text\n"
        "wrote story.timelinejs.json from 8 events, with 2 warnings\n"
    )
    slides = json.loads((folder / "story.timelinejs.json").read_text("utf-8"))["events"]
    assert [(s["unique_id"], s["start_date"], s.get("end_date")) for s in slides] == [
        ("julian", {"year": "-45"}, None),
        ("0325-the-council-of-nicaea-fixes-the-rule-for-easter", {"year": "325"}, None),
        ("gregorian", {"year": "1582", "month": "10", "day": "4"},
         {"year": "1582", "month": "10", "day": "15"}),
        ("1752-09-great-britain-and-its-colonies-change-calendars",
         {"year": "1752", "month": "9"}, None),
        ("1884-10-01-the-international-meridian-conference-in-washington",
         {"year": "1884", "month": "10", "day": "1"}, {"year": "1884", "month": "10", "day": "22"}),
        ("1923-03-01-greece-is-the-last-in-europe-to-change",
         {"year": "1923", "month": "3", "day": "1"}, None),
        ("1972-06-30t23-59-the-first-leap-second",
         {"year": "1972", "month": "6", "day": "30", "hour": "23", "minute": "59"}, None),
        ("2000-02-29-a-leap-day-that-the-gregorian-rule-keeps",
         {"year": "2000", "month": "2", "day": "29"}, None),
    ]  # fmt: skip
    assert {s["group"] for s in slides} == {"Event"}


def test_and_back_to_markwhen_keeps_all_that_timelinejs_held(folder: Path) -> None:
    assert run(folder, "export", "story.mw", "-o", "story.timelinejs.json").returncode == 0
    done = run(folder, "export", "story.timelinejs.json", "-o", "again.mw")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "wrote again.mw from 8 events\n")
    before, after = events(folder / "story.mw"), events(folder / "again.mw")
    assert len(before) == len(after) == 8
    for old, new in zip(before, after, strict=True):
        # the kind is the group, which comes back as a tag: TimelineJS held no other
        assert new.pop("tags") == ["Event"]
        old.pop("tags")
        # the repetition comes back as the text the slide showed
        if old.pop("recurrence", None) == "FREQ=YEARLY;INTERVAL=4":
            assert new.pop("description") == "Repeats: every 4 years"
        assert new == old


def test_with_the_first_tag_as_the_group_the_first_tag_comes_back(folder: Path) -> None:
    done = run(folder, "export", "story.mw", "-o", "story.timelinejs.json", "--option",
               "group=tag")  # fmt: skip
    assert done.returncode == 0
    assert "cannot hold beside the first, which is the group: 'Reform', 'Antiquity'" in done.stderr
    assert run(folder, "export", "story.timelinejs.json", "-o", "again.mw").returncode == 0
    firsts = [e["tags"][0] for e in events(folder / "story.mw")]
    assert [e["tags"] for e in events(folder / "again.mw")] == [[tag] for tag in firsts]
    assert firsts == ["Rome", "Church", "Reform", "Reform", "Time", "Reform", "Time", "Gregorian"]


def test_timelinejs_to_markwhen_warns_what_a_timeline_cannot_hold(folder: Path) -> None:
    done = run(folder, "export", "story.timelinejs.json", "-o", "story.mw")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "warning: story.timelinejs.json: $.title.media: a timeline has no media; left out\n"
        "warning: story.timelinejs.json: $.events[2].media.caption: the media's caption, credit "
        "left out (its url is the event's url)\n"
        "warning: story.timelinejs.json: $.events[2].background: a timeline has no place for a "
        "slide's background; left out\n"
        "warning: story.timelinejs.json: $.events[3].start_date.second: 60 is out of its range "
        "0..59; left out, and every finer part\n"
        "wrote story.mw from 4 events\n"
    )
    text = (folder / "story.mw").read_text("utf-8")
    assert "\n45 BCE: The Julian calendar takes effect #Reform\nid: julian\n" in text
    assert (
        "\n0325-05-20 / 0325-06-19: The Council of Nicaea #Church\n"
        'id: "0325-05-20-the-council-of-nicaea"\n'
        'notes: "TimelineJS shows the date as: Summer of 325"\n'
        "It fixes the rule for Easter. More\n"
        "- [More](https://en.wikipedia.org/wiki/First_Council_of_Nicaea)\n"
    ) in text
    assert "\n1972-06-30 23:59: The first leap second #Time\n" in text


def test_and_back_to_timelinejs_gives_the_slides_again(folder: Path) -> None:
    original = json.loads((folder / "story.timelinejs.json").read_text("utf-8"))
    assert run(folder, "export", "story.timelinejs.json", "-o", "story.mw").returncode == 0
    done = run(folder, "export", "story.mw", "-o", "again.timelinejs.json",
               "--option", "group=tag", "--option", "media=url")  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "wrote again.timelinejs.json from 4 events\n")
    again = json.loads((folder / "again.timelinejs.json").read_text("utf-8"))
    assert again["title"]["text"] == {
        "headline": "Keeping time",
        "text": "<p>How the calendar we use came to be, as a TimelineJS story.</p>",
    }
    kept = [(s["text"]["headline"], s["start_date"], s.get("end_date"), s["group"])
            for s in again["events"]]  # fmt: skip
    assert kept == [
        (s["text"]["headline"], s["start_date"], s.get("end_date"), s["group"])
        for s in original["events"][:3]
    ] + [
        (
            "The first leap second",
            {"year": "1972", "month": "6", "day": "30", "hour": "23", "minute": "59"},
            None,
            "Time",
        )
    ]
    nicaea = again["events"][1]
    assert nicaea["display_date"] == "Summer of 325"
    assert again["events"][2]["media"] == {
        "url": "https://upload.wikimedia.org/wikipedia/commons/3/36/Inter_gravissimas.jpg"
    }
