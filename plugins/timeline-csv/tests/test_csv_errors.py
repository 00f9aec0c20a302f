"""A bad file is a ValidationError that lists every problem, each with the
row (counted as a spreadsheet counts them: the header is row 1) and the column."""

from __future__ import annotations

from pathlib import Path

import pytest
import timeline
from timeline import Problem


def problems(text: str, **options: object) -> list[tuple[str, str]]:
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads(text, "csv", **options)
    assert caught.value.source == "<string>"
    return [(p.path, p.message) for p in caught.value.problems]


HEADER = "kind,id,title,start,end,place_name,place_latitude,place_longitude,sources,source_titles"
HEADER += ",organisation,host,members\n"


def test_every_bad_row_is_reported() -> None:
    text = HEADER + (
        "event,a,Fine,2001,,,,,,,,,\n"
        "summit,b,Bad date,2001-13,,,,,,,SCO,,\n"
        "event,c,,2001,,,,,,,,,\n"
        "event,d,Host on an event,2001,,,,,,,,CN,\n"
        "event,e,Latitude,2001,,Here,north,,,,,,\n"
        'founding,f,Members,2001,,,,,,,SCO,,"[1, ""x"""\n'
        "dragon,g,Kind,2001,,,,,,,,,\n"
        'event,h,Sources,2001,,,,,"nope; https://x.example","A; B; C",,,\n'
        "event,a,Duplicate,2002,,,,,,,,,\n"
        "event,i,Too few cells,2001\n"
        "event,j,Latitude alone,2001,,Here,45.0,,,,,,\n"
        "event,k,Ends before it starts,2001,2000,,,,,,,,\n"
        "accession,l,No member,2001,,,,,,,SCO,,\n"
    )
    assert problems(text) == [
        ("row 3, column 'start'", "cannot read date '2001-13': month 13 is out of range 1..12"),
        ("row 4, column 'title'", "required, but the cell is empty"),
        ("row 5, column 'host'", "an event has no host; leave the cell empty"),
        ("row 6, column 'place_latitude'", "expected a number, not 'north'"),
        ("row 7, column 'members'", "not valid JSON: Expecting ',' delimiter at character 8"),
        (
            "row 8, column 'kind'",
            "unknown kind 'dragon'; the kinds are event, founding, accession, summit "
            "(a plugin may add others)",
        ),
        ("row 9, column 'source_titles'", "has 3 items for 2 sources in column 'sources'"),
        ("row 9, column 'sources'", "source 1: 'nope' is not an absolute URL"),
        ("row 10, column 'id'", "duplicate id 'a' (also row 2)"),
        ("row 11", "has 4 cells, but the header has 13"),
        ("row 12, column 'place_latitude'", "latitude and longitude come together, or not at all"),
        ("row 13, column 'end'", "2000 is before the start 2001"),
        ("row 14, column 'member'", "required, but the cell is empty"),
    ]


def test_a_cell_and_the_row_around_it() -> None:
    # The problems of one row are all reported: the cells that could not be
    # read, and what the model finds in the others.
    text = "kind,title,start,place_name,place_latitude,place_longitude,sources\n"
    text += 'event,A,2001-02-30,Here,north,200,"https://ok.example; ftp:"\n'
    assert problems(text) == [
        ("row 2, column 'place_latitude'", "expected a number, not 'north'"),
        (
            "row 2, column 'start'",
            "cannot read date '2001-02-30': day 30 is out of range for February 2001",
        ),
        ("row 2, column 'place_longitude'", "200.0 is out of range -180..180"),
        ("row 2, column 'sources'", "source 2: 'ftp:' is not an absolute URL"),
    ]


def test_unknown_and_repeated_columns() -> None:
    assert problems("id,titel,start,Start,start,colour\n") == [
        ("row 1, column 'titel'", "unknown column; did you mean 'title'?"),
        ("row 1, column 'Start'", "unknown column; did you mean 'start'?"),
        ("row 1, column 'start'", "appears twice (columns 3 and 5)"),
        (
            "row 1, column 'colour'",
            "unknown column; the attribute of a kind needs the plugin that adds the kind",
        ),
        ("row 1", "there is no column 'title'; every event needs one"),
    ]


def test_required_columns() -> None:
    assert problems("id,end\n") == [
        ("row 1", "there is no column 'title'; every event needs one"),
        ("row 1", "there is no column 'start'; every event needs one"),
    ]


def test_empty_file() -> None:
    assert problems("") == [("row 1", "the file is empty; the first row names the columns")]


def test_the_other_delimiter_is_named() -> None:
    assert problems("kind;id;title;start\nevent;a;A;2001\n") == [(
        "row 1",
        "the header is a single column 'kind;id;title;start'; if the cells are separated "
        "by ';', read the file with delimiter=';'",
    )]  # fmt: skip
    assert problems("title,start\nA,2001\n", delimiter=";") == [(
        "row 1",
        "the header is a single column 'title,start'; if the cells are separated by ',', "
        "read the file with delimiter=','",
    )]  # fmt: skip


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,2001,x", "has 3 cells, but the header has 2"),
        ("A", "has 1 cells, but the header has 2"),
    ],
)
def test_ragged_rows(row: str, message: str) -> None:
    assert problems(f"title,start\nB,2002\n{row}\nC,2003\n") == [("row 3", message)]


def test_unclosed_quote() -> None:
    assert problems('title,start\nA,2001\n"B\nC,2003\n') == [
        ("row 3", "a quoted cell is not closed before the end of the file (line 4 of the file)"),
    ]


def test_quote_inside_a_quoted_cell() -> None:
    assert problems('title,start\n"A "quoted" word",2001\n') == [(
        "row 2",
        "a quote in the middle of a quoted cell (',' expected after '\"'); write a quote "
        'as "" (line 2 of the file)',
    )]  # fmt: skip


def test_rows_count_as_in_a_spreadsheet() -> None:
    # A cell with line breaks is one row, however many lines it takes.
    text = 'title,start,notes\nA,2001,"one\ntwo\nthree"\nB,20xx,\n'
    assert [path for path, _ in problems(text)] == ["row 3, column 'start'"]


def test_value_in_a_column_without_a_name() -> None:
    assert problems("title,start,\nA,2001,x\n") == [
        ("row 2, column 3", "a value in a column with no name"),
    ]


def test_duplicate_derived_ids() -> None:
    assert problems("title,start\nA,2001\nA,2001\n") == [
        ("row 3, column 'id'", "duplicate id '2001-a' (also row 2)"),
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("title,start\nCaf\u00e9,2001\n".encode("latin-1"))
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.load(path)
    assert caught.value.problems == (
        Problem("line 2, byte offset 15", "the file is not valid UTF-8"),
    )


def test_message_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,start\nA,\n", encoding="utf-8")
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.load(path)
    assert str(caught.value) == f"{path}: row 2, column 'start': required, but the cell is empty"
