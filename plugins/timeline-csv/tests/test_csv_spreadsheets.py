"""Reading what spreadsheets write: quoting, BOMs, CRLF, ';', columns in any
order, columns left out, blank rows, TRUE and FALSE."""

from __future__ import annotations

from pathlib import Path

import pytest
import timeline
from timeline import Accession, Event, Place, Source, Status, Summit

EXCEL_SEMICOLON = (
    # What Excel's "CSV UTF-8" writes in a locale whose list separator is ";":
    # a byte-order mark, CRLF, ";" between cells, quotes where a cell needs them.
    "\ufeffkind;id;title;start;end;place_name;place_country;tags;organisation;host;"
    "participants;description\r\n"
    'summit;astana;"Astana summit; the 24th";2024-07-03;2024-07-04;Astana;KZ;'
    '"summit;2024";SCO;KZ;"CN; RU";"Leaders met.\nThe ""Astana declaration"" was signed."\r\n'
    ";;;;;;;;;;;\r\n"
    ";;;;;;;;;;;\r\n"
)


def test_excel_file_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(EXCEL_SEMICOLON.encode("utf-8"))
    (summit,) = timeline.load(path, delimiter=";")
    assert summit == Summit(
        id="astana", title="Astana summit; the 24th", start="2024-07-03", end="2024-07-04",
        place=Place(name="Astana", country="KZ"), tags=("summit", "2024"), organisation="SCO",
        host="KZ", participants=("CN", "RU"),
        description='Leaders met.\nThe "Astana declaration" was signed.',
    )  # fmt: skip


def test_bom_in_a_string() -> None:
    (event,) = timeline.loads("\ufefftitle,start\r\nFounded,2001\r\n", "csv")
    assert event == Event(title="Founded", start="2001")


def test_commas_quotes_and_newlines_in_cells() -> None:
    text = (
        "title,start,notes,tags\n"
        '"Talks, then a treaty",2001-06-15,"He said ""yes"".\r\nThen, ""no"".","a, b; c"\n'
    )
    (event,) = timeline.loads(text, "csv")
    assert event.title == "Talks, then a treaty"
    # The model stores every line break as "\n".
    assert event.notes == 'He said "yes".\nThen, "no".'
    assert event.tags == ("a, b", "c")


def test_columns_in_any_order_and_left_out() -> None:
    text = "start,title,kind,member,organisation,status\n2017-06-09,India joins,accession,IN,SCO,\n"
    (event,) = timeline.loads(text, "csv")
    assert event == Accession(
        title="India joins", start="2017-06-09", member="IN", organisation="SCO",
        status=Status.MEMBER,
    )  # fmt: skip


def test_header_names_may_have_spaces_around() -> None:
    (event,) = timeline.loads(" title , start \nA,2001\n", "csv")
    assert event == Event(title="A", start="2001")


def test_kind_may_be_left_empty() -> None:
    (event,) = timeline.loads("kind,title,start\n,A,2001\n", "csv")
    assert type(event) is Event


def test_dates_as_people_write_them() -> None:
    text = "title,start,end\nSummit,15 June 2001,16 June 2001\nTalks,c. 1996,\n"
    summit, talks = sorted(timeline.loads(text, "csv"), key=lambda e: e.title)
    assert (str(summit.start), str(summit.end)) == ("2001-06-15", "2001-06-16")
    assert str(talks.start) == "1996~"


def test_lists_with_or_without_spaces() -> None:
    text = 'kind,title,start,organisation,members\nfounding,F,2001,SCO,"CN;KZ ;  RU"\n'
    (event,) = timeline.loads(text, "csv")
    assert event.members == ("CN", "KZ", "RU")


def test_sources_with_titles_for_some() -> None:
    text = (
        "title,start,sources,source_titles,source_accessed,source_notes\n"
        'A,2001,"https://a.example/1; https://a.example/2; https://a.example/3",'
        '"; Second",2026-11-01,"[null, ""Two\\nlines""]"\n'
    )
    (event,) = timeline.loads(text, "csv")
    assert event.sources == (
        Source(url="https://a.example/1", accessed="2026-11-01"),
        Source(url="https://a.example/2", title="Second", note="Two\nlines"),
        Source(url="https://a.example/3"),
    )


def test_place_with_coordinates() -> None:
    text = (
        "title,start,place_name,place_country,place_latitude,place_longitude,place_timezone\n"
        "A,2001,Bishkek,KG, 42.87 ,74.59,Asia/Bishkek\n"
    )
    (event,) = timeline.loads(text, "csv")
    assert event.place == Place(name="Bishkek", country="KG", latitude=42.87, longitude=74.59,
                                timezone="Asia/Bishkek")  # fmt: skip


def test_blank_rows_are_skipped() -> None:
    text = "title,start\n\nA,2001\n,\n\nB,2002\n,\n"
    assert [e.title for e in timeline.loads(text, "csv")] == ["A", "B"]


def test_unnamed_empty_columns_are_ignored() -> None:
    # Spreadsheets sometimes save a formatted but empty column.
    text = "title,start,,\nA,2001,,\n"
    assert [e.title for e in timeline.loads(text, "csv")] == ["A"]


def test_header_only() -> None:
    assert len(timeline.loads("kind,id,title,start\r\n", "csv")) == 0


@pytest.mark.parametrize("text", ["TRUE", "true", "False"])
def test_booleans_as_spreadsheets_write_them(text: str) -> None:
    from timeline_csv.cells import BOOL

    assert BOOL.read(text) is (text.lower() == "true")
