"""Golden .ics files: the exporter's output for the SCO example and the sample
timeline, byte for byte.

The files are in ``tests/formats/ics/golden/``. After a deliberate change to the
output, rewrite them and read the diff before committing::

    TIMELINE_REGENERATE=1 pytest tests/formats/ics/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable

import pytest
from helpers.data import DataFolder
from helpers.ics import export, export_streamed, raw_problems

import timeline
from timeline.testing import sample_timeline


def _sco_summits() -> timeline.Timeline:
    return timeline.example("sco").of_kind("summit")


CASES: dict[str, tuple[Callable[[], timeline.Timeline], dict[str, object]]] = {
    "sco.ics": (lambda: timeline.example("sco"), {}),
    "sco-summits.ics": (_sco_summits, {"name": "SCO summits", "refresh": "P1D"}),
    "sco-anniversaries.ics": (lambda: timeline.example("sco"), {"anniversaries": True}),
    "sample-span.ics": (sample_timeline, {"imprecise": "span", "domain": "example.org"}),
    # The words for people in Russian and Chinese, the texts with their LANGUAGE.
    "sco.ru.ics": (lambda: timeline.example("sco"), {"locale": "ru"}),
    "sco.zh-Hans.ics": (lambda: timeline.example("sco"), {"locale": "zh-Hans"}),
    "sco.fa.ics": (lambda: timeline.example("sco"), {"locale": "fa"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, ics_files: DataFolder) -> None:
    make, options = CASES[name]
    text = export(make(), **options)
    golden = ics_files / "golden"
    if os.environ.get("TIMELINE_REGENERATE"):
        golden.write(name, text)
    expected = golden.read_bytes(name).decode("utf-8")
    if text != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"golden/{name}",
            "exported",
        )
        pytest.fail(
            f"{name} differs from the golden file (TIMELINE_REGENERATE=1 rewrites it):\n"
            + "".join(diff)
        )


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_event_by_event(name: str, ics_files: DataFolder) -> None:
    """The exporter's event writer writes the same bytes, one event at a time."""
    make, options = CASES[name]
    assert export_streamed(make(), **options) == ics_files.read_bytes(f"golden/{name}").decode()


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_files_are_clean(name: str, ics_files: DataFolder) -> None:
    assert raw_problems(ics_files.read_bytes(f"golden/{name}")) == []


def test_no_stray_golden_files(ics_files: DataFolder) -> None:
    assert (ics_files / "golden").names("*.ics") == sorted(CASES)
