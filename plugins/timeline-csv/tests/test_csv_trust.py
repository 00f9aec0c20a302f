"""Any timeline survives CSV, and no cell of it runs as a spreadsheet formula.

The timelines come from ``timeline.testing.timelines()``: every kind, every
precision, approximate, uncertain and BCE dates, zones, recurrence, places,
sources and text chosen to break formats. The hostile files for the importer
are in the repository's corpus (``tests/corpus/hostile/csv/``), which the core suite
replays with this plugin registered.
"""

from __future__ import annotations

import csv
import io
import os
import warnings

import pytest
import timeline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline import Event, Place, Source, Timeline
from timeline.testing import timelines

from timeline_csv.format import _NUMBER, _escape_formula, _unescape_formula

STARTS_A_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# As in timeline's own suite: a few dozen examples by default (and in CI),
# thousands with HYPOTHESIS_PROFILE=thorough.
EXAMPLES = 2000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 40
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def dumps(t: Timeline, **options: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        return timeline.dumps(t, "csv", **options)


def cells(text: str, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for cell in row]  # fmt: skip


@PROPERTY
@given(timelines(), st.sampled_from(("escape", "keep")), st.sampled_from((",", ";")))
def test_any_timeline_round_trips_and_runs_no_formula(
    t: Timeline, formulas: str, delimiter: str
) -> None:
    text = dumps(t, formulas=formulas, delimiter=delimiter)
    again = timeline.loads(text, "csv", formulas=formulas, delimiter=delimiter)
    assert again.events == t.events
    assert dumps(again, formulas=formulas, delimiter=delimiter) == text
    if formulas == "escape":
        for cell in cells(text, delimiter):
            assert not cell.startswith(STARTS_A_FORMULA) or _NUMBER.fullmatch(cell), cell


@given(st.text(st.sampled_from("'=+-@\t\r\n 0.1eE5aZ"), max_size=8) | st.text())
def test_the_escape_is_taken_off_exactly(cell: str) -> None:
    escaped = _escape_formula(cell)
    assert _unescape_formula(escaped) == cell
    assert not escaped.startswith(STARTS_A_FORMULA) or _NUMBER.fullmatch(escaped)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+SUM(1+1)", "'+SUM(1+1)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("'=1", "''=1"),
        ("''+1", "'''+1"),
        ("'quoted'", "'quoted'"),
        ("-0476", "-0476"),
        ("-0476~", "'-0476~"),
        ("-33.5", "-33.5"),
        ("+1e5", "+1e5"),
        ("Summit = meeting", "Summit = meeting"),
        ("", ""),
    ],
)
def test_what_is_escaped(cell: str, written: str) -> None:
    assert _escape_formula(cell) == written
    assert _unescape_formula(written) == cell


def hostile() -> Timeline:
    return Timeline(events=[Event(
        id="f", title="=cmd|' /C calc'!A0", start="-0476~", description="+SUM(1+1)",
        place=Place(name="@SUM(1)", latitude=-33.5, longitude=-70.6),
        tags=("-tag", "=HYPERLINK(\"http://evil.example\")"),
        sources=(Source(url="https://example.org/a", title="=1+1", note="-note"),),
    )])  # fmt: skip


def test_the_exporter_escapes_every_column() -> None:
    row = dumps(hostile()).split("\r\n")[1]
    assert row == (
        "event,f,'=cmd|' /C calc'!A0,'-0476~,,'@SUM(1),,-33.5,-70.6,,"
        '"\'-tag; =HYPERLINK(""http://evil.example"")",https://example.org/a,\'=1+1,,\'-note,,'
        "'+SUM(1+1),,"
    )
    assert timeline.loads(dumps(hostile()), "csv").events == hostile().events


def test_keep_writes_and_reads_cells_as_they_are() -> None:
    text = dumps(hostile(), formulas="keep")
    assert text.split("\r\n")[1].startswith("event,f,=cmd|' /C calc'!A0,-0476~,,@SUM(1),")
    assert timeline.loads(text, "csv", formulas="keep").events == hostile().events
    escaped = timeline.loads(dumps(hostile()), "csv", formulas="keep")
    assert escaped.events[0].title == "'=cmd|' /C calc'!A0"


def test_a_spreadsheets_own_quote_is_kept() -> None:
    """A cell that starts with ' but would not run is read as it is."""
    t = timeline.loads("title,start\r\n'Tis the season,2001\r\n", "csv")
    assert t.events[0].title == "'Tis the season"


def test_a_cell_longer_than_the_csv_module_reads_is_warned_about_and_named() -> None:
    """Python's csv module reads cells of up to csv.field_size_limit()
    characters (131072 by default): the exporter warns, by event and column,
    and the importer's error says how to read the file all the same."""
    t = Timeline(events=[Event(id="long", title="Long", start="2001", description="x" * 200_000)])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        text = timeline.dumps(t, "csv")
    assert [str(w.message) for w in record] == [
        "event 'long': the cell in column 'description' is 200000 characters long, more "
        "than the 131072 that Python's csv module reads unless csv.field_size_limit() is raised"
    ]
    with pytest.raises(timeline.ValidationError) as info:
        timeline.loads(text, "csv")
    assert str(info.value) == (
        "<string>: row 2: a cell is longer than 131072 characters, the most Python's csv module "
        "reads; raise the limit with csv.field_size_limit() to read it (line 2 of the file)"
    )
    previous = csv.field_size_limit(300_000)
    try:
        assert timeline.loads(text, "csv").events == t.events
    finally:
        csv.field_size_limit(previous)
