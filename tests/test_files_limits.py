"""Reading is bounded, whatever the input: an importer reads only as much as
it must to refuse it, and the list of problems is capped.

No test here measures a time: each counts what was read (bytes through a
stream object), or what was made (Problem objects, memory)."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

import timeline
from timeline import Problem, Problems, ValidationError
from timeline.files import DEFAULT_MAX_SIZE, InputStream

CHUNK = 64 * 1024  # what the input stream reads at a time
DOC = '{"format": "timeline-events", "version": 1, "events": ['


class Counting(io.RawIOBase):
    """A binary stream of ``start`` and then ``fill`` repeated, ``size`` bytes
    in all (endless when ``None``), that counts the bytes read from it."""

    def __init__(self, start: bytes, fill: bytes = b"", size: int | None = None) -> None:
        self.start, self.fill, self.size = start, fill, size
        self.position = 0
        self.reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.reads += 1
        want = len(buffer)
        if self.size is not None:
            want = min(want, self.size - self.position)
        out = bytearray()
        while len(out) < want:
            at = self.position + len(out)
            if at < len(self.start):
                out += self.start[at : at + want - len(out)]
            elif self.fill:
                offset = (at - len(self.start)) % len(self.fill)
                out += (self.fill[offset:] + self.fill * (want // len(self.fill) + 1))[
                    : want - len(out)
                ]
            else:
                break
        buffer[: len(out)] = out
        self.position += len(out)
        return len(out)


def fails(source: Any, format: str = "json", **options: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        timeline.load(source, format, **options)
    return info.value


# -- the first bytes ------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "ics"])
def test_an_endless_stream_of_nul_bytes_is_refused_at_its_first_chunk(format):
    stream = Counting(b"", b"\0")
    error = fails(stream, format)
    assert [str(p) for p in error.problems] == [
        "line 1, byte offset 0: a NUL byte, which text does not have: this is not a text "
        "file (or it is UTF-16 or UTF-32 without a byte-order mark; save it as UTF-8)"
    ]
    assert stream.position <= CHUNK


def test_dev_zero_is_refused_at_once():
    with open("/dev/zero", "rb") as raw:
        stream = InputStream(raw, "/dev/zero", DEFAULT_MAX_SIZE)
        with pytest.raises(ValidationError, match="a NUL byte"):
            stream.head()
        assert stream.bytes_read <= CHUNK
    error = fails("/dev/zero", "json")
    assert str(error).startswith("/dev/zero: line 1, byte offset 0: a NUL byte")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_utf16_and_utf32_with_a_byte_order_mark(encoding, name):
    text = DOC + "]}"
    data = ("\ufeff" + text if encoding.endswith("-be") else text).encode(encoding)
    stream = Counting(data, b" ")  # endless after the document: never read to the end
    error = fails(stream)
    assert [str(p) for p in error.problems] == [
        f"line 1, byte offset 0: the file is not valid UTF-8: it is {name} text, by its "
        "byte-order mark; save it as UTF-8"
    ]
    assert stream.position <= CHUNK


def test_utf16_without_a_byte_order_mark_has_nul_bytes():
    stream = Counting((DOC + "]}").encode("utf-16-le"), b" \0")
    error = fails(stream)
    assert str(error.problems[0]).startswith("line 1, byte offset 1: a NUL byte")
    assert stream.position <= CHUNK


def test_random_bytes_fail_at_the_first_byte():
    stream = Counting(b"\x8f\x3a\xc1\x07", b"\x91\x22\xfe\x13")
    error = fails(stream)
    assert [str(p) for p in error.problems] == [
        "line 1, byte offset 0: the file is not valid UTF-8"
    ]
    assert stream.position <= CHUNK


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (b"BEGIN:VCALENDAR\r\n", "line 1, column 1: not valid JSON: a timeline document "
                                 "starts with '{', not 'B'"),
        (b"\n\n  [", "line 3, column 3: not valid JSON: a timeline document starts with '{', not '['"),
        (b"\xef\xbb\xbftitle,start\r\n", "line 1, column 1: not valid JSON: a timeline "
                                         "document starts with '{', not 't'"),
    ],
)  # fmt: skip
def test_json_that_cannot_start_a_document_is_refused_at_once(start, problem):
    stream = Counting(start, b"x" * 1000)
    error = fails(stream)
    assert [str(p) for p in error.problems] == [problem]
    assert stream.position <= CHUNK


def test_leading_white_space_of_json_is_not_refused():
    assert len(timeline.loads("\n \t\r\n" + DOC + "]}")) == 0
    assert len(timeline.load(io.BytesIO(b"\n" * 100_000 + (DOC + "]}").encode()))) == 0


def test_an_importer_may_declare_how_its_text_starts():
    class Lines(timeline.Importer):
        name = "lines"
        starts_with = ("BEGIN:",)

        def read(self, stream, options, source):
            return timeline.Timeline(events=[])

    class Plugin:
        @timeline.hookimpl
        def register_importers(self, register):
            register(Lines())

    from timeline.testing import register_plugin

    with register_plugin(Plugin(), name="lines"):
        assert len(timeline.loads("begin:vevent\n", "lines")) == 0  # any case
        assert len(timeline.loads("BEG", "lines")) == 0  # too short to tell: read() decides
        with pytest.raises(ValidationError) as info:
            timeline.load(Counting(b"  BEGUN", b"x"), "lines")
    assert [str(p) for p in info.value.problems] == [
        "line 1, column 3: this is not lines text, which starts with 'BEGIN:'; it starts with "
        "'BEGUNx'"
    ]


def test_csv_takes_any_text():
    importer = timeline.importers()["json"]
    assert importer.check_start("{") is None
    assert timeline.Importer.starts_with == ()


# -- not UTF-8 ----------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [10, 100_000, 1_000_000])
def test_a_bad_byte_is_found_reading_the_file_once_up_to_it(offset):
    body = b'{"title": "x", "start": "2001"},\n' * (offset // 33 + 1)
    start = DOC.encode() + b"\n" + body
    data = start[:offset] + b"\xff" + start[offset:]
    stream = Counting(data, b" " * 100)  # endless after it
    error = fails(stream)
    line = data.count(b"\n", 0, offset) + 1
    assert [str(p) for p in error.problems] == [
        f"line {line}, byte offset {offset}: the file is not valid UTF-8"
    ]
    assert stream.position <= offset + 2 * CHUNK  # once, and no further than a chunk past it


def test_a_bad_byte_after_a_byte_order_mark_counts_the_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + DOC.encode() + b"\xc3(")
    error = fails(path)
    assert (
        str(error.problems[0]) == f"line 1, byte offset {3 + len(DOC)}: the file is not valid UTF-8"
    )


def test_a_character_split_between_two_chunks_is_read():
    text = DOC + '{"title": "x", "start": "2001", "notes": "' + "é" * CHUNK + '"}]}'
    loaded = timeline.load(io.BytesIO(text.encode()))
    assert next(iter(loaded)).notes == "é" * CHUNK


def test_a_text_stream_is_read_as_it_is():
    error = fails(io.StringIO("\0\0\0"))
    assert str(error.problems[0]).startswith("line 1, character 0: a NUL byte")
    assert len(timeline.load(io.StringIO(DOC + "]}"))) == 0


# -- the size limit -------------------------------------------------------------------------


def limit_message(source: str, words: str) -> str:
    return (
        f"{source}: larger than the input size limit of {words}; raise it with --max-size on "
        "the command line, max_size= in Python"
    )


@pytest.mark.parametrize("format", ["json", "ics"])
def test_an_endless_stream_of_text_stops_at_the_limit(format):
    start = b'{"title": "' if format == "json" else b"BEGIN:VCALENDAR\r\nX-A:"
    stream = Counting(start, b"abc ")
    error = fails(stream, format, max_size=1 << 20)
    assert str(error) == limit_message("<stream>", "1,048,576 bytes (1 MiB)")
    assert stream.position == (1 << 20) + 1


def test_the_limit_is_exact(tmp_path):
    text = (DOC + "]}").encode()
    path = tmp_path / "doc.json"
    path.write_bytes(text)
    assert len(timeline.load(path, max_size=len(text))) == 0
    error = fails(path, max_size=len(text) - 1)
    assert str(error) == limit_message(str(path), f"{len(text) - 1:,} bytes")


def test_no_limit():
    stream = Counting(DOC.encode() + b"]}", size=len(DOC) + 2)
    assert len(timeline.load(stream, max_size=None)) == 0


def test_the_default_limit_is_one_gib():
    assert DEFAULT_MAX_SIZE == 1 << 30


def test_loads_counts_utf8_bytes():
    text = DOC + '{"title": "' + "é" * 100 + '", "start": "2001"}]}'
    size = len(text.encode())
    assert len(timeline.loads(text, max_size=size)) == 1
    with pytest.raises(ValidationError) as info:
        timeline.loads(text, max_size=size - 1)
    assert str(info.value) == limit_message("<string>", f"{size - 1:,} bytes")


class CountingBytes(io.BytesIO):
    """A seekable binary stream that counts the bytes read from it."""

    total = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.total += len(data)
        return data


def test_the_bytes_read_again_count_against_the_limit():
    """An importer may read the bytes again (the ICS importer does, when a
    UTF-8 character is split by a line fold): within the same limit."""
    data = b"BEGIN:VCALENDAR\r\nX-A:\xc3\r\n \xa9" + b"abcd" * 100_000
    source = CountingBytes(data)
    stream = InputStream(source, "x.ics", 100_000)
    with pytest.raises(UnicodeDecodeError):
        stream.read()
    assert source.total <= CHUNK
    buffer = stream.buffer
    assert buffer.seekable()
    assert buffer.seek(0) == 0
    with pytest.raises(ValidationError, match="larger than the input size limit of 100,000 bytes"):
        buffer.read()
    assert source.total <= CHUNK + 100_001


def test_a_split_character_of_a_folded_ics_line_is_read(tmp_path):
    path = tmp_path / "folded.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20240703\r\n"
        b"SUMMARY:\xc3\r\n \xa9t\xc3\xa9\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert [event.title for event in timeline.load(path)] == ["été"]


# -- the problem cap ------------------------------------------------------------------------


def nulls(count: int) -> str:
    return DOC + ",".join(["null"] * count) + "]}"


def count_problems(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made = [0]
    init = Problem.__init__

    def counting(self: Problem, *args: Any, **kwargs: Any) -> None:
        made[0] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(Problem, "__init__", counting)
    return made


def test_the_first_thousand_problems_are_kept_and_the_rest_counted(monkeypatch):
    made = count_problems(monkeypatch)
    with pytest.raises(ValidationError) as info:
        timeline.loads(nulls(200_000))
    error = info.value
    assert len(error.problems) == 1000
    assert error.omitted == 199_000
    assert error.count == 200_000
    assert str(error.problems[-1]) == "$.events[999]: expected an object, not null"
    message = str(error).splitlines()
    assert message[0] == "<string>: 200000 problems"
    assert message[1] == "  $.events[0]: expected an object, not null"
    assert message[-1] == "  ... and 199000 more problems"
    assert len(message) == 1002
    assert made[0] <= 1001  # the rest were counted, never made


def test_memory_does_not_grow_with_the_problems():
    text = nulls(300_000)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            timeline.loads(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The parsed list of 300,000 nulls takes 2.4 MB; 300,000 problems and
    # their messages would take well over 100 MB.
    assert peak < 20_000_000


def test_problems_of_bad_events_past_the_cap_are_counted(monkeypatch):
    events = ",".join('{"title": "", "start": "2001-13-01", "colour": 1}' for _ in range(2000))
    made = count_problems(monkeypatch)
    with pytest.raises(ValidationError) as info:
        timeline.loads(DOC + events + "]}")
    assert info.value.count == 6000
    assert len(info.value.problems) == 1000
    assert str(info.value).endswith("\n  ... and 5000 more problems")
    # An event past the cap is still checked, to count its problems; it
    # makes them for itself, and none is kept.
    assert made[0] <= 6000 + 1000


def test_validation_error_caps_what_it_is_given():
    error = ValidationError((Problem(f"row {n}", "bad") for n in range(1, 1502)), "x.csv")
    assert len(error.problems) == 1000
    assert error.omitted == 501
    assert str(error).endswith("  row 1000: bad\n  ... and 501 more problems")
    one_more = ValidationError([Problem("a", "b")] * 1001)
    assert str(one_more).endswith("  ... and 1 more problem")


def test_the_collector_keeps_the_first_in_order_whatever_order_they_come_in():
    problems = Problems(limit=3)
    for row in (9, 2, 7, 5, 1, 8):
        problems.add(f"row {row}", "bad", order=row)
    problems.add("row 5", "again", order=5)
    assert [str(p) for p in problems.kept] == ["row 1: bad", "row 2: bad", "row 5: bad"]
    assert len(problems) == 7
    assert problems.omitted == 4
    assert not problems.wants(order=6)
    assert problems.wants(order=4)
    error = problems.error("x")
    assert error.count == 7
    assert error.omitted == 4


def test_the_collector_adds_a_part_checked_on_its_own():
    problems = Problems()
    problems.add_error(ValidationError([Problem("a", "b")] * 1500))
    assert len(problems) == 1500
    assert problems.omitted == 500


def test_an_empty_collector():
    problems = Problems()
    assert not problems
    assert problems.kept == []


# -- strictness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        ("0", "$.version: expected the integer 1 or 2, not 0"),
        ("-1", "$.version: expected the integer 1 or 2, not -1"),
        ("1.0", "$.version: expected the integer 1 or 2, not 1.0"),
        ("true", "$.version: expected the integer 1 or 2, not true"),
        ('"1"', '$.version: expected the integer 1 or 2, not "1"'),
        ("null", "$.version: expected the integer 1 or 2, not null"),
        ("[1]", "$.version: expected the integer 1 or 2, not [1]"),
        ("3", "$.version: version 3 is newer than this library reads (2); upgrade timeline-events"),
    ],
)
def test_the_version_is_exactly_the_integer_1_or_2(version, problem):
    with pytest.raises(ValidationError) as info:
        timeline.loads(f'{{"format": "timeline-events", "version": {version}, "events": []}}')
    assert [str(p) for p in info.value.problems] == [problem]


def test_a_missing_version():
    with pytest.raises(ValidationError) as info:
        timeline.loads('{"format": "timeline-events", "events": []}')
    assert [str(p) for p in info.value.problems] == [
        '$.version: required field missing; a document has "version": 2'
    ]


@pytest.mark.parametrize("sign", ["", "-"])
def test_a_number_too_long_has_its_place(sign):
    text = (
        DOC + '\n  {"title": "1' + "2" * 5000 + '", "start": "2001", "notes": "x",\n'
        '   "place": {"name": "Far", "latitude": ' + sign + "9" * 5000 + "}}\n]}"
    )
    with pytest.raises(ValidationError) as info:
        timeline.loads(text)
    assert [str(p) for p in info.value.problems] == [
        "line 3, column 41: number too long: 5000 digits, and the most is 4300"
    ]


def test_a_long_number_that_is_not_an_integer_is_read():
    place = (
        '{"name": "a", "latitude": 1.' + "0" * 5000 + ', "longitude": 2' + "0" * 5000 + "e-5000}"
    )
    loaded = timeline.loads(DOC + '{"title": "x", "start": "2001", "place": ' + place + "}]}")
    assert next(iter(loaded)).place.latitude == 1.0


def test_4300_digits_are_read():
    big = "9" * 4300
    with pytest.raises(ValidationError) as info:
        timeline.loads(
            DOC + f'{{"title": "x", "start": "2001", "place": {{"latitude": {big}}}}}]}}'
        )
    assert "number too long" not in str(info.value)


# -- the stream an importer gets ------------------------------------------------------------


def stream_of(data: bytes) -> InputStream:
    return InputStream(io.BytesIO(data), "x", None)


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\r\nc,d\r\n",
        b"a\nb\rc\r\nd",
        b"\r\n\r\n\n\r",
        b"x" * (CHUNK - 1) + b"\r\n" + b"y",  # a CRLF across two chunks
        b"\xef\xbb\xbfa\nb",
        "é\n".encode() * CHUNK,
    ],
)
def test_lines_are_those_of_a_file_opened_with_newline_empty(data):
    expected = list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    assert list(stream_of(data)) == expected
    assert stream_of(data).read() == "".join(expected)


def test_read_in_pieces():
    data = "aé\nb".encode() * 50_000
    stream = stream_of(data)
    pieces: Iterator[str] = iter(lambda: stream.read(7), "")
    assert "".join(pieces) == data.decode()


def test_readline_with_a_size():
    stream = stream_of(b"abcdef\ngh")
    assert stream.readline(4) == "abcd"
    assert stream.readline() == "ef\n"
    assert stream.readline() == "gh"
    assert stream.readline() == ""


@pytest.mark.parametrize("offset", [100, 300_000])
def test_a_bad_byte_in_a_calendar_is_found_reading_the_file_once_up_to_it(offset):
    """The ICS importer reads the bytes again only for a character a line
    fold split (RFC 5545, 3.1); a byte no fold explains fails at once."""
    event = b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240704\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
    body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n" + event * (offset // 70 + 1)
    data = body[:offset] + b"\xff" + body[offset:] + event * 20_000 + b"END:VCALENDAR\r\n"
    source = CountingBytes(data)
    with pytest.raises(timeline.ValidationError) as info:
        timeline.load(source, "ics")
    line = data.count(b"\n", 0, offset) + 1
    assert [str(p) for p in info.value.problems] == [
        f"line {line}, byte offset {offset}: the file is not valid UTF-8"
    ]
    assert source.total <= offset + 2 * CHUNK < len(data)
