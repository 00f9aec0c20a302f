"""The exporter's document: the golden SCO file, dates at their precision,
and the warnings for what markwhen cannot say."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
import timeline
from timeline import Event, Timeline

GOLDEN = Path(__file__).parent / "golden" / "sco.mw"


def test_the_sco_example_is_the_golden_file() -> None:
    text = timeline.dumps(timeline.example("sco"), "markwhen")
    if os.environ.get("TIMELINE_REGENERATE") == "1":
        GOLDEN.write_text(text, encoding="utf-8", newline="")
    assert text == GOLDEN.read_text(encoding="utf-8")


def _line(event: Event) -> str:
    text = timeline.dumps(Timeline(events=[event]), "markwhen")
    return next(line for line in text.split("\n") if line.endswith(event.title))


@pytest.mark.parametrize(
    ("start", "end", "written"),
    [
        ("2024", None, "2024"),
        ("0476", None, "0476"),
        ("2024-07", None, "2024-07"),
        ("2024-07-04", None, "2024-07-04"),
        ("2024-07-03", "2024-07-04", "2024-07-03 / 2024-07-04"),
        ("2024-07-04T10:00", None, "2024-07-04 10:00"),
        ("2024-07-04T10:00:30Z", None, "2024-07-04T10:00:30Z"),
        ("-0299", None, "300 BCE"),
        ("-0299", "-0199", "300 BCE - 199 BCE"),
        ("-0049", "0050", "50 BCE - 51 CE"),
    ],
)
def test_dates_in_markwhen_s_syntax(start: str, end: str | None, written: str) -> None:
    assert _line(Event(title="X", start=start, end=end)) == f"{written}: X"


def test_a_month_before_year_1_is_its_year_with_a_warning() -> None:
    event = Event(title="X", start="-0299-03")
    with pytest.warns(
        timeline.ExportWarning, match=r"event '.*': markwhen reads years only before year 1"
    ):
        text = timeline.dumps(Timeline(events=[event]), "markwhen")
    assert "300 BCE: X\n" in text
    assert 'start: "-0299-03"' in text


def test_a_tag_markwhen_cannot_hold_goes_to_a_property_with_a_warning() -> None:
    event = Event(title="X", start="2001", tags=("ok", "human rights"))
    with pytest.warns(timeline.ExportWarning, match="'human rights' written in the property tags"):
        text = timeline.dumps(Timeline(events=[event]), "markwhen")
    assert "2001: X #ok\n" in text
    assert 'tags: ["ok", "human rights"]\n' in text


def test_approximate_dates_are_kept_in_a_property_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = timeline.dumps(Timeline(events=[Event(title="X", start="1850~")]), "markwhen")
    assert '1850: X\nid: "1850-x"\nstart: "1850~"\n' in text


def test_a_recurrence_without_markwhen_words_is_a_property_with_a_warning() -> None:
    event = Event(title="X", start="2001-06-15", recurrence="FREQ=MONTHLY;BYMONTHDAY=15")
    with pytest.warns(timeline.ExportWarning, match="has no markwhen words"):
        text = timeline.dumps(Timeline(events=[event]), "markwhen")
    assert 'recurrence: "FREQ=MONTHLY;BYMONTHDAY=15"\n' in text


def test_recurrences_in_words() -> None:
    from timeline_markwhen import recurrence_text

    assert recurrence_text("FREQ=YEARLY") == "every year"
    assert recurrence_text("FREQ=WEEKLY;INTERVAL=2;COUNT=5") == "every 2 weeks for 5 times"
    assert recurrence_text("FREQ=WEEKLY;BYDAY=MO,FR") == "every week on monday, friday"
    assert recurrence_text("FREQ=DAILY;UNTIL=20300101") == "every day until January 1, 2030"
    assert recurrence_text("FREQ=MONTHLY;BYSETPOS=1") is None


def test_grouped_by_a_field_under_headings_of_ours() -> None:
    text = timeline.dumps(timeline.example("sco").of_kind("summit"), "markwhen", group="host")
    assert "# CN\ntimeline-group: host\n\n" in text
    assert "# KZ\ntimeline-group: host\n\n" in text


def test_an_unknown_group_is_an_option_error() -> None:
    with pytest.raises(timeline.OptionError, match="option 'group' is one of none, kind"):
        timeline.dumps(timeline.example("sco"), "markwhen", group="no such thing!")


def test_the_texts_in_the_reader_s_language_with_a_warning_for_the_rest() -> None:
    with pytest.warns(
        timeline.ExportWarning, match="have no Russian translation and are in English"
    ):
        text = timeline.dumps(timeline.example("sco"), "markwhen", locale="ru")
    assert 'title: "Шанхайская организация сотрудничества"\n' in text
    assert (
        "2024-07-03 / 2024-07-04: Заседание Совета глав государств — членов ШОС (Астана, 2024)\n"
        in text
    )
    assert 'location: "Астана"\n' in text
