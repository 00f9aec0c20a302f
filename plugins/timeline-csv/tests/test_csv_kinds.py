"""Kinds that other plugins add get columns too, typed by their annotations."""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import attrs
import pytest
import timeline
from timeline import Date, Place
from timeline.testing import register_plugin

ToCSV = Callable[..., str]


class Level(enum.StrEnum):
    LOW = "low"
    HIGH = "high"


def _date(value: Any) -> Date | None:
    return None if value is None else Date.coerce(value)


@attrs.frozen(kw_only=True)
class Treaty(timeline.Event):
    """Every kind of attribute a plugin's kind might have."""

    kind: ClassVar[str] = "treaty"

    signatories: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    articles: int = 0
    ratified: bool = False
    share: float | None = None
    in_force: Date | None = attrs.field(default=None, converter=_date)
    level: Level = attrs.field(default=Level.LOW, converter=Level)
    depositary: Place | None = None
    host: str | None = None  # a name the summit has too: one column for both
    memo: str | None = None


@attrs.frozen(kw_only=True)
class Clash(timeline.Event):
    kind: ClassVar[str] = "clash"

    place_name: str = ""


class TreatyPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Callable[[type[timeline.Event]], None]) -> None:
        register(Treaty)
        register(Clash)


@pytest.fixture(autouse=True)
def _treaties() -> Iterator[None]:
    with register_plugin(TreatyPlugin(), name="treaties"):
        yield


TREATY = Treaty(
    id="t", title="Treaty", start="1990", signatories=("CN", "a;b"), articles=12, ratified=True,
    share=0.5, in_force="1991-01-01", level="high",
    depositary=Place(name="Moscow", country="RU"), host="RU",
)  # fmt: skip
SUMMIT = timeline.Summit(id="s", title="Summit", start="2001", organisation="SCO", host="CN")


def test_columns_and_cells(to_csv: ToCSV) -> None:
    text = to_csv(timeline.Timeline(events=[TREATY, SUMMIT]))
    header, treaty, summit, end = text.split("\r\n")
    assert header.endswith(
        ",organisation,host,participants,format,"
        "signatories,articles,ratified,share,in_force,level,depositary,memo"
    )
    assert treaty.endswith(
        ',,RU,,,"[""CN"", ""a;b""]",12,true,0.5,1991-01-01,high,'
        '"{""name"": ""Moscow"", ""country"": ""RU""}",'
    )
    assert summit.endswith(",SCO,CN,,,,,,,,,,")
    assert end == ""


def test_round_trips(to_csv: ToCSV) -> None:
    original = timeline.Timeline(events=[TREATY, SUMMIT, Treaty(title="Bare", start="2000")])
    text = to_csv(original)
    back = timeline.loads(text, "csv")
    assert back.events == original.events
    assert to_csv(back) == text


def test_cells_are_read_by_type() -> None:
    text = (
        "kind,title,start,signatories,articles,ratified,share,in_force,level\n"
        "treaty,T,1990,CN; RU,7,TRUE,1,1991,high\n"
    )
    (treaty,) = timeline.loads(text, "csv")
    assert treaty == Treaty(
        title="T", start="1990", signatories=("CN", "RU"), articles=7, ratified=True, share=1.0,
        in_force="1991", level=Level.HIGH,
    )  # fmt: skip


def test_bad_typed_cells() -> None:
    text = 'kind,title,start,articles,ratified,share,depositary\ntreaty,T,1990,seven,yes,"0,5",{\n'
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads(text, "csv")
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column 'articles': expected a whole number, not 'seven'",
        "row 2, column 'ratified': expected true or false, not 'yes'",
        "row 2, column 'share': expected a number, not '0,5' (write the decimal point as '.')",
        "row 2, column 'depositary': not valid JSON: Expecting property name enclosed in double "
        "quotes at character 2",
    ]


def test_an_empty_text_is_a_warning(to_csv: ToCSV) -> None:
    t = timeline.Timeline(events=[Treaty(id="t", title="T", start="1990", memo="")])
    with pytest.warns(timeline.ExportWarning) as caught:
        timeline.dumps(t, "csv")
    assert [str(w.message) for w in caught] == [
        "event 't': an empty text in column 'memo' is written as an empty cell, which "
        "reads back as the field's default"
    ]


def test_an_attribute_named_like_a_column() -> None:
    clash = timeline.Timeline(events=[Clash(title="C", start="2001", place_name="x")])
    with pytest.raises(timeline.TimelineError, match="kind 'clash' has an attribute 'place_name'"):
        timeline.dumps(clash, "csv")
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads("kind,title,start\nclash,C,2001\n", "csv")
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column 'place_name': kind 'clash' cannot be read from CSV: its attribute "
        "'place_name' has the name of a column of every event"
    ]


def test_the_writer_and_the_reader_event_by_event(to_csv: ToCSV) -> None:
    """A plugin's kind goes through the writer's temporary file (a line of
    JSON an event) and the reader's rows as through write() and read()."""
    t = timeline.Timeline(events=[TREATY, SUMMIT])
    out = io.StringIO(newline="")
    exporter = timeline.exporters()["csv"]
    writer = exporter.event_writer(timeline.Timeline(), out, exporter.resolve_options({}))
    assert writer is not None
    for event in t.events:
        writer.write(event)
    writer.close()
    assert out.getvalue() == to_csv(t)
    with timeline.read_events(io.StringIO(out.getvalue()), "csv") as read:
        assert list(read.events) == list(t.events)


def test_an_attribute_named_like_a_column_is_refused_as_its_event_comes() -> None:
    exporter = timeline.exporters()["csv"]
    out = io.StringIO()
    writer = exporter.event_writer(timeline.Timeline(), out, exporter.resolve_options({}))
    assert writer is not None
    writer.write(SUMMIT)
    with pytest.raises(timeline.TimelineError, match="kind 'clash' has an attribute 'place_name'"):
        writer.write(Clash(title="C", start="2001", place_name="x"))
    assert out.getvalue() == ""
