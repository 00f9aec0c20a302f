"""The page of the repository's hostile titles (``tests/corpus/hostile/json/hostile-titles.json``,
titles built to break Markdown, Mermaid and HTML): valid HTML whose structure
is that of the data, every text shown as text, and only http(s) links."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import timeline

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "hostile"
CASE = CORPUS / "json" / "hostile-titles.json"
SVG = "{http://www.w3.org/2000/svg}"
Parse = Callable[[str], Any]


@pytest.fixture(scope="module")
def hostile() -> timeline.Timeline:
    return timeline.load(CASE)


def test_one_mark_and_one_details_per_event_with_its_title(
    hostile: timeline.Timeline, parse: Parse
) -> None:
    root = parse(timeline.dumps(hostile, "html"))
    marks = [a for a in root.iter(f"{SVG}a") if "mark" in a.get("class", "").split()]
    details = list(root.iter("details"))
    assert [m.get("href") for m in marks] == [f"#e-{e.id}" for e in hostile]
    assert [d.get("id") for d in details] == [f"e-{e.id}" for e in hostile]
    titles = [s.text for s in root.iter("span") if s.get("class") == "title"]
    assert titles == [e.title for e in hostile]
    for d, event in zip(details, hostile, strict=True):
        shown = "".join(d.itertext())
        for line in event.description.split("\n"):
            assert line in shown, event.id


def test_nothing_but_the_page_s_own_markup(hostile: timeline.Timeline, parse: Parse) -> None:
    root = parse(timeline.dumps(hostile, "html"))
    (script,) = root.iter("script")
    assert script.get("src") is None
    assert not list(root.iter("img"))
    assert not list(root.iter("iframe"))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"<{element.tag} {name}=...>"
            if name == "href" and element.tag == "a":
                assert value.startswith(("#", "https://", "http://")), value


@pytest.mark.parametrize(
    "t",
    [
        pytest.param(
            timeline.load(CASE.with_name("zoned-times-at-the-ends-of-time.json")), id="corpus"
        ),
        pytest.param(
            timeline.Timeline(
                events=[
                    timeline.Event(title="First", start="0001"),
                    timeline.Event(title="Last", start="9999"),
                ]
            ),
            id="years-1-to-9999",
        ),
    ],
)
def test_a_timeline_that_ends_in_9999_has_an_axis(t: timeline.Timeline, parse: Parse) -> None:
    """The gridlines stop at 9999 (the fuzzer found year 10000 asked for)."""
    root = parse(timeline.dumps(t, "html"))
    labels = [text.text for text in root.iter(f"{SVG}text") if text.text]
    assert labels
    assert not any("10000" in label for label in labels)
    assert len(list(root.iter("details"))) == len(t)
