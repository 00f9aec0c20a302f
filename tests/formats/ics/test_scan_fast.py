"""The quick ways the iCalendar reader reads its lines, each the same as the plain way
it stands for (docs/ics.md, "Why the importer has its own parser"): the pieces of a
stream, unfolding them, splitting a content line, unescaping TEXT, looking properties
up by name."""

from __future__ import annotations

import io
import warnings

from hypothesis import example, given
from hypothesis import strategies as st

import timeline
from timeline.default_plugins.ics.reader import read_calendar, stream_pieces
from timeline.default_plugins.ics.scan import (
    CHILD,
    Component,
    Defect,
    Property,
    content_line,
    content_line_reference,
    logical_lines,
    piece_logical_lines,
    scan_components,
    scan_pieces,
    unescape_text,
    unescape_text_reference,
)

_LINE_TEXT = st.text(alphabet=st.sampled_from(list("\r\n \tA:;é😀")), max_size=60)


def _no_refold(stream: object, error: UnicodeDecodeError) -> str:
    raise error


@given(_LINE_TEXT, st.integers(1, 9))
@example("", 1)
@example("A\r\n \r\nB", 2)
@example("A\n", 1)
@example("A\r", 1)
def test_the_pieces_of_a_stream_are_its_text(text: str, size: int) -> None:
    """Joined, the pieces are the text; each but the last ends a line, the last has none."""
    pieces = list(stream_pieces(io.StringIO(text, newline=""), _no_refold, size))
    assert "".join(pieces) == text
    assert all(piece.endswith("\n") for piece in pieces[:-1])
    assert "\n" not in pieces[-1]


@given(_LINE_TEXT, st.integers(1, 9))
@example("\tA\r\nB\rC\r\n\r\n D\r\n E", 3)
@example("A\r\n B\r\n", 1)
def test_unfolding_pieces_is_unfolding_lines(text: str, size: int) -> None:
    """The logical lines and the defects of the pieces are those of the whole text's
    lines, in the same order (each defect before the line that follows it)."""
    pieces = stream_pieces(io.StringIO(text, newline=""), _no_refold, size)

    def read(lines: object) -> list[object]:
        defects: list[Defect] = []
        found: list[object] = []
        for item in lines(defects):  # type: ignore[operator]
            found += [*defects, item]
            defects.clear()
        return found + defects

    assert read(lambda d: piece_logical_lines(pieces, d)) == read(
        lambda d: logical_lines(text.split("\n"), d)
    )


_CONTENT = st.text(alphabet=st.sampled_from(list('AZ09-az .;:=,"\t\\é')), max_size=30)


@given(_CONTENT)
@example("DTSTART;TZID=Europe/Paris:20240101T100000")
@example('ATTENDEE;CN="A:B":mailto:a@b')
@example("g1.x-test ; A = 1 :v")
@example("BEGIN:VEVENT")
@example(";A=1:v")
@example("A;:v")
@example("A")
def test_a_content_line_is_read_as_the_plain_way_reads_it(line: str) -> None:
    assert content_line(line) == content_line_reference(line)


@given(st.text(alphabet=st.sampled_from(list("\\nN;,xé😀\n")), max_size=40))
@example("\\\\n")
@example("\\\\\\n")
@example("a\\")
@example("\\\\\\")
@example("\\x\\;\\,\\N")
def test_unescaping_is_the_regular_expression(text: str) -> None:
    assert unescape_text(text) == unescape_text_reference(text)


_CALENDAR_LINES = st.lists(
    st.one_of(
        st.sampled_from([
            "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT",
            "BEGIN:VALARM", "END:VALARM", "UID:a@b", "SUMMARY;LANGUAGE=ru:Саммит",
            "DTSTART;VALUE=DATE:20240101", 'X-A;P="x:y",z:v', "g.summary:x", " folded",
            "", "not a line", "A;B:v", "SUMMARY:a\\,b",
        ]),
        _CONTENT,
    ),
    max_size=25,
)  # fmt: skip


@given(_CALENDAR_LINES, st.sampled_from(["\r\n", "\n"]), st.integers(1, 40))
def test_scanning_pieces_is_scanning_lines(lines: list[str], end: str, size: int) -> None:
    """The items of the pieces are those of the whole text's lines; each component's
    properties by name are those that ``every`` finds."""
    text = end.join(lines)
    pieces = stream_pieces(io.StringIO(text, newline=""), _no_refold, size)
    quick = list(scan_pieces(pieces))
    assert quick == list(scan_components(text.split("\n")))
    for _, what in quick:
        if isinstance(what, Component):
            by_name = what.by_name()
            assert list(by_name) == list(dict.fromkeys(p.name for p in what.properties))
            assert all(by_name[name] == what.every(name) for name in by_name)


def test_lines_with_the_same_parameters_share_them() -> None:
    """What a piece of parameters reads is read once; each line's are still its own."""
    text = "\r\n".join([
        "BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;TZID=A:20240101T100000",
        "DTEND;TZID=A:20240101T110000", "UID:x", "SUMMARY:y", "END:VEVENT", "END:VCALENDAR",
    ])  # fmt: skip
    items = list(scan_pieces([text]))
    event = next(what for kind, what in items if kind is CHILD)
    start, end, uid, summary = event.properties
    assert start == Property("DTSTART", {"TZID": "A"}, "20240101T100000", 3)
    assert start.params is end.params
    assert uid.params == summary.params == {}


@given(_CALENDAR_LINES, st.sampled_from(["\r\n", "\n"]))
def test_load_is_read_calendar(lines: list[str], end: str) -> None:
    """load, which reads a stream a piece at a time, gives what read_calendar gives of
    the whole text: the timeline or the error, and the same warnings."""
    text = end.join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""])

    def outcome(read: object) -> tuple[object, ...]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result, error = read(), None  # type: ignore[operator]
            except timeline.ValidationError as exc:
                result, error = None, str(exc)
        return result, error, [str(w.message).split(": ", 1)[1] for w in caught]

    assert outcome(lambda: timeline.loads(text, "ics")) == outcome(
        lambda: read_calendar(text, "<string>")
    )
