"""Numbers in cells are ASCII decimal numbers, as a spreadsheet writes them:
not everything Python's int() and float() read ("1_0", "٣", "nan", "inf")."""

from __future__ import annotations

import pytest
import timeline

from timeline_csv.cells import FLOAT, INT, JSON, CellError

ARABIC_INDIC_FIVE = "\u0665"
FULLWIDTH_SEVEN = "\uff17"


def cell_error(read: object, text: str) -> str:
    with pytest.raises(CellError) as caught:
        read(text)  # type: ignore[operator]
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_0", "expected a number, not '1_0' (no '_' between digits)"),
        (
            f"5{ARABIC_INDIC_FIVE}",
            f"expected a number, not '5{ARABIC_INDIC_FIVE}' (only ASCII digits 0-9 are read, "
            f"not '{ARABIC_INDIC_FIVE}', U+0665 ARABIC-INDIC DIGIT FIVE)",
        ),
        ("nan", "expected a finite number, not 'nan'"),
        ("-inf", "expected a finite number, not '-inf'"),
        ("Infinity", "expected a finite number, not 'Infinity'"),
        ("1e400", "expected a finite number, not '1e400' (too large)"),
        ("0x10", "expected a number, not '0x10'"),
        ("51,1694", "expected a number, not '51,1694' (write the decimal point as '.')"),
        ("1" * 100 + "x", f"expected a number, not '{'1' * 57}...'"),
    ],
)
def test_what_float_reads_but_a_number_cell_does_not(text: str, message: str) -> None:
    assert cell_error(FLOAT.read, text) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [("51.1694", 51.1694), ("-0.5", -0.5), (".5", 0.5), ("5.", 5.0), ("1e-3", 0.001)],
)
def test_numbers(text: str, value: float) -> None:
    assert FLOAT.read(text) == value
    assert FLOAT.read(f" {text} ") == value  # spaces around a number are not part of it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_000", "expected a whole number, not '1_000' (no '_' between digits)"),
        (
            FULLWIDTH_SEVEN,
            f"expected a whole number, not '{FULLWIDTH_SEVEN}' (only ASCII digits 0-9 are read, "
            f"not '{FULLWIDTH_SEVEN}', U+FF17 FULLWIDTH DIGIT SEVEN)",
        ),
        ("1.0", "expected a whole number, not '1.0'"),
        ("9" * 4301, f"expected a whole number, not '{'9' * 57}...' (more than 4300 digits)"),
    ],
)
def test_what_int_reads_but_a_whole_number_cell_does_not(text: str, message: str) -> None:
    assert cell_error(INT.read, text) == message


def test_whole_numbers() -> None:
    assert [INT.read(t) for t in ["7", "-7", "+7", " 7 ", "9" * 4300]] == [
        7,
        -7,
        7,
        7,
        int("9" * 4300),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "not valid JSON: NaN is not a JSON number"),
        ("[-Infinity]", "not valid JSON: -Infinity is not a JSON number"),
        ("[1e400]", "not valid JSON: '1e400' is too large for a number"),
        ("[" + "1" * 5000 + "]", "not valid JSON: a number has more than 4300 digits"),
    ],
)
def test_json_cells_hold_json_numbers(text: str, message: str) -> None:
    assert cell_error(JSON.read, text) == message


def test_place_columns_in_a_file() -> None:
    text = (
        "title,start,place_name,place_latitude,place_longitude\n"
        f"A,2001,Astana,5{ARABIC_INDIC_FIVE}.1,71.4\n"
        "B,2001,Astana,51.1,7_1.4\n"
        "C,2001,Astana,nan,inf\n"
        "D,2001,Astana, 51.1694 , 71.4491 \n"
    )
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads(text, "csv")
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (
            "row 2, column 'place_latitude'",
            f"expected a number, not '5{ARABIC_INDIC_FIVE}.1' (only ASCII digits 0-9 are read, "
            f"not '{ARABIC_INDIC_FIVE}', U+0665 ARABIC-INDIC DIGIT FIVE)",
        ),
        (
            "row 3, column 'place_longitude'",
            "expected a number, not '7_1.4' (no '_' between digits)",
        ),
        ("row 3, column 'place_latitude'", "latitude and longitude come together, or not at all"),
        ("row 4, column 'place_latitude'", "expected a finite number, not 'nan'"),
        ("row 4, column 'place_longitude'", "expected a finite number, not 'inf'"),
    ]


def test_junk_dates_in_our_words() -> None:
    text = "title,start\nA,99999999999999999999 June\nB," + "7" * 150 + "\n"
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads(text, "csv")
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (
            "row 2, column 'start'",
            "cannot read date '99999999999999999999 June': not a date (write it as "
            "2001-06-15, 15 June 2001, June 2001 or 2001)",
        ),
        (
            "row 3, column 'start'",
            f"cannot read date '{'7' * 57}...': too long for a date (150 characters; free "
            "text may have 100)",
        ),
    ]
