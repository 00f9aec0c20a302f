"""Round trips: csv -> timeline -> csv is identical, and timeline -> csv ->
timeline keeps every event exactly.

The golden file ``golden/sample.csv`` is the sample timeline as CSV; after a
deliberate change of the format, regenerate it with
``TIMELINE_REGENERATE=1 pytest tests/test_csv_roundtrip.py`` and read the diff.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import timeline
from hypothesis import given
from hypothesis import strategies as st
from timeline.testing import sample_timeline, synthetic_timeline

from timeline_csv import COLUMNS
from timeline_csv.cells import read_list, write_list

GOLDEN = Path(__file__).parent / "golden" / "sample.csv"
ToCSV = Callable[..., str]

TIMELINES = {
    "sample": sample_timeline,
    "sco": lambda: timeline.example("sco"),
    "synthetic": lambda: synthetic_timeline(500),
    "empty": timeline.Timeline,
}


def test_golden_sample(to_csv: ToCSV) -> None:
    text = to_csv(sample_timeline())
    if os.environ.get("TIMELINE_REGENERATE"):
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert text == GOLDEN.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", TIMELINES)
def test_timeline_to_csv_to_timeline(name: str, to_csv: ToCSV) -> None:
    original = TIMELINES[name]()
    back = timeline.loads(to_csv(original), "csv")
    assert back.events == original.events
    for event in original:
        assert back[event.id] == event


@pytest.mark.parametrize("name", TIMELINES)
@pytest.mark.parametrize(
    "options", [{}, {"delimiter": ";"}, {"bom": True}, {"delimiter": ";", "bom": True}]
)
def test_csv_to_timeline_to_csv_is_identical(
    name: str, options: dict[str, object], to_csv: ToCSV
) -> None:
    text = to_csv(TIMELINES[name](), **options)
    read_options = {"delimiter": options["delimiter"]} if "delimiter" in options else {}
    again = to_csv(timeline.loads(text, "csv", **read_options), **options)
    assert again == text


def test_header_and_line_endings(to_csv: ToCSV) -> None:
    text = to_csv(sample_timeline())
    header, _, rest = text.partition("\r\n")
    assert header.split(",") == [
        *COLUMNS, "organisation", "members", "member", "status", "format", "host", "participants",
        "title@fa", "title@ru", "place_name@ru", "description@ru", "title@zh-Hans",
        "place_name@zh-Hans",
    ]  # fmt: skip
    assert COLUMNS[:5] == ("kind", "id", "title", "start", "end")
    # CRLF ends each row (RFC 4180); a line break inside a cell stays "\n".
    assert text.count("\r\n") == 1 + len(sample_timeline())
    assert '"The declaration is signed.\nSix states."' in rest


def test_columns_of_the_kinds_present_only(to_csv: ToCSV) -> None:
    events = timeline.Timeline(events=[timeline.Event(title="A", start="2001")])
    assert to_csv(events).split("\r\n")[0].split(",") == list(COLUMNS)
    summits = timeline.example("sco").of_kind("summit")
    assert to_csv(summits).split("\r\n")[0].split(",")[len(COLUMNS) :] == [
        "organisation", "host", "participants", "format", "title@ru", "place_name@ru",
        "title@zh", "place_name@zh",
    ]  # fmt: skip


def test_rows(to_csv: ToCSV) -> None:
    rows = to_csv(sample_timeline()).split("\r\n")
    founding = next(r for r in rows if r.startswith("founding,"))
    assert founding == (
        "founding,founding,Organisation founded,2001-06-15,,"
        "Shanghai,CN,31.2333,121.4667,Asia/Shanghai,"
        "founding; milestone,"
        "https://example.org/sco/history?lang=en&page=1; http://en.special.kremlin.ru/supplement/1672,"
        "SCO history,2026-11-01,Official chronology.,"
        ',"The declaration is signed.\nSix states.",,,'
        "SCO,CN; KZ; KG; RU; TJ; UZ,,,,,,"
        ',Организация основана,Шанхай,"Декларация подписана.\nШесть государств.",'
        "组织成立,上海"
    )
    zoned = next(r for r in rows if r.startswith("event,zoned,"))
    assert zoned.split(",")[3:5] == [
        "2024-07-04T10:00[Asia/Almaty]",
        "2024-07-04T18:00[Asia/Almaty]",
    ]


def test_delimiter_and_bom(to_csv: ToCSV) -> None:
    text = to_csv(sample_timeline(), delimiter=";", bom=True)
    assert text.startswith("\ufeffkind;id;title;start;end;")
    # A list cell holds "; ", so it is quoted when ";" separates the cells.
    assert ';"founding; milestone";' in text
    assert timeline.loads(text, "csv", delimiter=";").events == sample_timeline().events


def test_metadata_left_out_is_a_warning() -> None:
    with pytest.warns(timeline.ExportWarning) as caught:
        timeline.dumps(timeline.example("sco"), "csv")
    assert [str(w.message) for w in caught] == [
        "the timeline's title, description, url and translations are left out; "
        "CSV holds only events"
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        timeline.dumps(timeline.Timeline(events=sample_timeline().events), "csv")


# -- lists in a cell ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "cell"),
    [
        (["CN", "KZ", "RU"], "CN; KZ; RU"),
        (["one"], "one"),
        (["a;b", "c"], '["a;b", "c"]'),
        ([" padded"], '[" padded"]'),
        (["[draft]"], '["[draft]"]'),
        (["", "b"], "; b"),
        ([""], '[""]'),
        ([], "[]"),
        (["line\nbreak", "b"], "line\nbreak; b"),
        (["Astana — Астана", "上海"], "Astana — Астана; 上海"),
    ],
)
def test_write_list(items: list[str], cell: str) -> None:
    assert write_list(items) == cell
    assert read_list(cell) == items


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("CN;KZ", ["CN", "KZ"]),
        ("CN ;  KZ ", ["CN", "KZ"]),
        (' ["a", "b"]', ["a", "b"]),
        ("a; b;", ["a", "b", ""]),
    ],
)
def test_read_list_as_people_write_it(cell: str, items: list[str]) -> None:
    assert read_list(cell) == items


@given(st.lists(st.text()))
def test_lists_round_trip(items: list[str]) -> None:
    assert read_list(write_list(items)) == items
