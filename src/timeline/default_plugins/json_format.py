"""The JSON format: the canonical, lossless file format of timeline; the
document itself is :mod:`timeline.document`'s. See ``docs/json-format.md``
and the JSON Schema that ships as ``timeline/timeline.schema.json``.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import Any, Final, TextIO

from ..document import (
    HEADER_KEYS,
    DocumentReader,
    timeline_from_dict,
    timeline_header,
)
from ..errors import Problem, ValidationError
from ..files import collector_paused
from ..formats import (
    EventSource,
    EventWriter,
    Exporter,
    Importer,
    Option,
    ReadWhole,
    text_position,
)
from ..hookspecs import hookimpl
from ..model import Event
from ..structuring import TextLayout, converter
from ..timelines import Timeline

_MAX_DEPTH = 64
CHUNK_SIZE: Final = 64 * 1024
"""How many characters :meth:`JSONImporter.read_events` reads at a time."""


class JSONExporter(Exporter):
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    description = "The canonical format: lossless, with a JSON Schema."
    options = (
        Option(
            "compact", bool, default=False, help="one event per line instead of one field per line"
        ),
    )

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        """Write the same text as ``json.dumps(document, indent=2,
        ensure_ascii=False)`` (or the compact form), one event at a time:
        what :class:`JSONEventWriter` writes."""
        writer = JSONEventWriter(timeline, out, compact=options["compact"])
        for event in timeline.events:
            writer.write(event)
        writer.close()

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> JSONEventWriter:
        """The writer that :meth:`write` writes through, with every option."""
        return JSONEventWriter(header, out, compact=options["compact"])


class JSONEventWriter(EventWriter):
    """Writes a document event by event, the text that
    :meth:`JSONExporter.write` writes (it writes through one): the header of
    ``header`` (its events left out) with the first event, or with
    :meth:`close` when there is none; nothing when it is made.
    ``compact``: one event a line, else one field a line."""

    def __init__(self, header: Timeline, out: TextIO, *, compact: bool = False) -> None:
        self._header: dict[str, Any] | None = timeline_header(header)
        self._out, self._compact = out, compact
        # Each event's text is written from the event itself, as the json
        # module would write its dict (see docs/json-format.md, "Writing").
        self._text = converter().text_writer(COMPACT_LAYOUT if compact else PRETTY_LAYOUT)
        self._written = 0

    def _start(self) -> str:
        """The text of the header, up to the first event; the header let go."""
        header, self._header = self._header, None
        if self._compact:
            return json.dumps(header, ensure_ascii=False)[:-1] + ', "events": ['
        return json.dumps(header, indent=2, ensure_ascii=False)[:-2] + ',\n  "events": ['

    def write(self, event: Event) -> None:
        text = self._text(event)
        out = self._out
        if self._header is not None:
            out.write(self._start())
            out.write("\n" if self._compact else "\n    ")
        else:
            out.write(",\n" if self._compact else ",\n    ")
        out.write(text)
        self._written += 1

    def close(self) -> None:
        out = self._out
        if self._header is not None:
            out.write(self._start() + ("]}\n" if self._compact else "]\n}\n"))
        elif self._compact:
            out.write("\n]}\n")
        else:
            out.write("\n  ]\n}\n")


_INDENTS = ["\n" + "  " * level for level in range(_MAX_DEPTH + 2)]
_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def pretty(value: Any, level: int, parts: list[str]) -> None:
    """Append to ``parts`` the text that ``json.dumps(value, indent=2,
    ensure_ascii=False)`` writes for ``value`` at nesting ``level``: what the
    exporter writes for each event. The json module's pretty printer is pure
    Python and the slowest part of a dump; this is about twice as fast. A test
    compares the two on every kind of value.

    >>> parts = []
    >>> pretty({"a": [1, "b"]}, 0, parts)
    >>> print("".join(parts))
    {
      "a": [
        1,
        "b"
      ]
    }
    """
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = _INDENTS[level + 1]
        sep = "{" + inner
        for key, item in value.items():
            parts.append(sep)
            parts.append(encode_basestring(key))
            parts.append(": ")
            pretty(item, level + 1, parts)
            sep = "," + inner
        parts.append(_INDENTS[level] + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = _INDENTS[level + 1]
        sep = "[" + inner
        for item in value:
            parts.append(sep)
            pretty(item, level + 1, parts)
            sep = "," + inner
        parts.append(_INDENTS[level] + "]")
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float:
        finite = math.isfinite(value)
        parts.append(float.__repr__(value) if finite else _FLOATS.get(value, "NaN"))
    else:
        # Anything else (a plugin's unusual type) goes through the json module.
        parts.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", _INDENTS[level]))


_ENCODE: Final = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
"""``json.dumps(value, ensure_ascii=False)``, with one encoder for every value
(the plain data of events cannot hold cycles)."""


def compact_text(value: Any, depth: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False)``, quicker for a string, a
    number, true, false and null; the same text at any ``depth``.

    >>> compact_text({"a": [1, "é"]})
    '{"a": [1, "é"]}'
    """
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return _ENCODE(value)


def pretty_text(value: Any, level: int) -> str:
    """The text that :func:`pretty` appends for ``value`` at nesting ``level``."""
    if type(value) is str:
        return encode_basestring(value)
    parts: list[str] = []
    pretty(value, level, parts)
    return "".join(parts)


_EVENT_LEVEL: Final = 2
"""How deep the pretty document holds its events: in ``"events"``, in the document."""
_FIELD_INDENT: Final = _INDENTS[_EVENT_LEVEL + 1]
_ITEM_INDENT: Final = _INDENTS[_EVENT_LEVEL + 2]

COMPACT_LAYOUT: Final = TextLayout(
    first='{"kind": ',
    next=lambda key: ", " + encode_basestring(key) + ": ",
    end="}",
    string=encode_basestring,
    value=compact_text,
    array=lambda texts: "[" + ", ".join(texts) + "]",
)
"""An event as ``json.dumps(data, ensure_ascii=False)`` writes its plain data."""

PRETTY_LAYOUT: Final = TextLayout(
    first="{" + _FIELD_INDENT + '"kind": ',
    next=lambda key: "," + _FIELD_INDENT + encode_basestring(key) + ": ",
    end=_INDENTS[_EVENT_LEVEL] + "}",
    string=encode_basestring,
    value=lambda data, depth: pretty_text(data, _EVENT_LEVEL + 1 + depth),
    array=lambda texts: (
        "[" + _ITEM_INDENT + ("," + _ITEM_INDENT).join(texts) + _FIELD_INDENT + "]"
        if texts
        else "[]"
    ),
)
"""An event as :func:`pretty` writes its plain data in a document (at level 2)."""


class JSONImporter(Importer):
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    description = "The canonical format, checked strictly: every problem with its path."
    starts_with = ("{",)

    def check_start(self, head: str) -> tuple[str, str] | None:
        problem = super().check_start(head)
        if problem is None:
            return None
        rest = head.lstrip(" \t\r\n")
        where = text_position(head, len(head) - len(rest))
        return where, f"not valid JSON: a timeline document starts with '{{', not {rest[:1]!r}"

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        text = stream.read()
        with collector_paused():
            return self._read(text, source)

    def _read(self, text: str, source: str) -> Timeline:
        try:
            doc = json.loads(
                text,
                object_pairs_hook=_no_duplicates,
                parse_constant=_no_constants,
                parse_int=_parse_int,
            )
        except json.JSONDecodeError as exc:
            raise ValidationError(
                [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
                source,
            ) from None
        except (_DuplicateKey, _NotJSON) as exc:
            raise ValidationError([Problem("$", str(exc))], source) from None
        except _NumberTooLong as exc:
            index = _long_number(text)
            where = "$" if index is None else text_position(text, index)
            raise ValidationError([Problem(where, str(exc))], source) from None
        except RecursionError:
            raise ValidationError([Problem("$", "nested too deeply")], source) from None
        del text
        return timeline_from_dict(doc, source)

    def read_events(
        self,
        stream: TextIO,
        options: Mapping[str, Any],
        source: str,
        *,
        chunk_size: int = CHUNK_SIZE,
    ) -> EventSource:
        """The header, then the events one at a time, read from ``stream``
        ``chunk_size`` characters at a time, each event decoded by the json
        module and checked as :meth:`read` checks it; every problem is
        raised at the end, as :meth:`read` lists them. See
        ``docs/json-format.md``, "Streaming"."""
        scan = _Scanner(stream, chunk_size, source)
        if scan.first() != "{":  # empty, or only white space: as read() says
            return _whole(self._read(scan.rest(), source))
        scan.pos += 1
        fields: dict[str, Any] = {}
        twice: list[str] = []
        char = scan.space()
        while char != "}":
            key = scan.key(char)
            char = scan.space()
            if key in fields:
                twice.append(key)
            if key == "events" and char == "[":
                fields.pop("events", None)  # given twice, and refused at the end
                break
            fields[key] = scan.value()
            char = scan.after(scan.space())
        else:  # no array of events
            scan.pos += 1
            scan.end()
            if twice:
                raise _twice(twice[0], source)
            reader = DocumentReader({k: v for k, v in fields.items() if k != "events"})
            if "events" in fields:
                reader.not_an_array(fields["events"])
            header = reader.header()
            if header is None:
                raise reader.error(source)
            return EventSource(header=header, events=iter(()))
        scan.pos += 1
        missing = [key for key in ("format", "version") if key not in fields]
        buffer = getattr(stream, "buffer", None)
        if missing and buffer is not None and buffer.seekable():
            # The header comes after the events (as jq -S sorts the keys): read it whole.
            buffer.seek(0)
            data = buffer.read()
            text = (data[3:] if data.startswith(codecs.BOM_UTF8) else data).decode("utf-8")
            del data
            with collector_paused():
                return _whole(self._read(text, source))
        from ..streaming import SeenIds

        reader = DocumentReader(fields, ids=SeenIds(indexed=True).first)
        header = reader.header()
        again = buffer is not None and buffer.seekable()
        events = _events(scan, reader, fields, twice, give=header is not None, again=again)
        if header is None:
            for _ in events:
                pass  # reads on to the end, to list every problem, and raises
        assert header is not None, "the events of a bad header raise"
        return EventSource(header=header, events=events, unique=True)


class _DuplicateKey(ValueError):
    pass


class _NotJSON(ValueError):
    pass


class _NumberTooLong(ValueError):
    pass


MAX_DIGITS: Final = 4300
"""The most digits an integer in a file may have (Python's own default
limit of ``int()``, whatever the interpreter is set to: converting a longer
number takes time that grows with the square of its length)."""


def _parse_int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        raise _NumberTooLong(f"number too long: {digits} digits, and the most is {MAX_DIGITS}")
    return int(text)


_TOKEN: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?([0-9]+)(\.[0-9]+)?([eE][-+]?[0-9]+)?')


def _long_number(text: str, start: int = 0) -> int | None:
    """The index of the first number too long in ``text`` from ``start``
    (the json module does not say where the number it gives ``parse_int``
    is), ``None`` for none."""
    for match in _TOKEN.finditer(text, start):
        digits, fraction, exponent = match.groups()
        if digits is not None and len(digits) > MAX_DIGITS and not fraction and not exponent:
            return match.start()
    return None  # pragma: no cover - the json module found one


def _no_constants(name: str) -> Any:
    """Python's json reads NaN and Infinity; JSON has no such numbers."""
    raise _NotJSON(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


_SPACE: Final = re.compile(r"[ \t\n\r]*")
_TRAILING_COMMA: Final = (
    {"]": "Illegal trailing comma before end of array",
     "}": "Illegal trailing comma before end of object"}
    if sys.version_info >= (3, 13) else {}
)  # fmt: skip
"""The json module's words for a comma before the end, from Python 3.13
(before, the value or key it expects is missing)."""
_NEAR_END: Final = 8
"""A syntax error this close to the end of the text read so far may be
the end of the chunk, not of the file: more is read, and the value again."""


class _Scanner:
    """The JSON text of ``stream``, read ``chunk`` characters at a time and
    let go of as it is decoded, one value at a time by the json module's
    scanner. A place in it (``pos``, in ``buf``) is told as the json module
    tells a place in the whole text."""

    def __init__(self, stream: TextIO, chunk: int, source: str) -> None:
        self._stream, self._chunk, self.source = stream, max(1, chunk), source
        self.buf, self.pos, self.eof = "", 0, False
        self._base = 0  # the index of buf[0] in the whole text
        self._lines = 0  # the line breaks before it
        self._line_start = 0  # the index of the start of its line
        self._decode = _DECODER.raw_decode

    def _fill(self, at_least: int = 0) -> bool:
        """Let go of the text before ``pos`` and read more; False at the end."""
        if self.eof:
            return False
        data = self._stream.read(max(self._chunk, at_least))
        if not data:
            self.eof = True
            return False
        buf, pos = self.buf, self.pos
        if pos:
            breaks = buf.count("\n", 0, pos)
            if breaks:
                self._lines += breaks
                self._line_start = self._base + buf.rfind("\n", 0, pos) + 1
            self._base += pos
            buf = buf[pos:]
            self.pos = 0
        self.buf = buf + data
        return True

    def first(self) -> str:
        """The first character that is not white space, '' for none; nothing let go."""
        while not self.buf.strip(" \t\n\r"):
            data = self._stream.read(self._chunk)
            if not data:
                self.eof = True
                return ""
            self.buf += data
        self.pos = _SPACE.match(self.buf).end()  # type: ignore[union-attr]
        return self.buf[self.pos]

    def rest(self) -> str:
        """The whole text (when nothing was let go), read to the end."""
        return self.buf + self._stream.read()

    def space(self) -> str:
        """Skip white space: the next character, '' at the end."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def value(self) -> Any:
        """The value at ``pos``, decoded; ``pos`` after it."""
        while True:
            buf, pos = self.buf, self.pos
            try:
                value, end = self._decode(buf, pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(buf) - _NEAR_END or exc.msg.startswith("Unterminated")
                if cut and self._fill(2 * (len(buf) - pos)):
                    continue
                raise self.syntax(exc.msg, exc.pos) from None
            except (_DuplicateKey, _NotJSON) as exc:
                raise ValidationError([Problem("$", str(exc))], self.source) from None
            except _NumberTooLong as exc:
                index = _long_number(buf, pos)
                where = "$" if index is None else self.where(index)
                raise ValidationError([Problem(where, str(exc))], self.source) from None
            except RecursionError:
                raise ValidationError([Problem("$", "nested too deeply")], self.source) from None
            if end == len(buf) and self._fill(2 * (len(buf) - pos)):
                continue  # a number may go on in the next chunk
            self.pos = end
            return value

    def key(self, char: str) -> str:
        """The key of an object's member at ``pos`` (``char``), and its colon."""
        if char != '"':
            raise self.syntax("Expecting property name enclosed in double quotes", self.pos)
        key: str = self.value()
        if self.space() != ":":
            raise self.syntax("Expecting ':' delimiter", self.pos)
        self.pos += 1
        return key

    def after(self, char: str) -> str:
        """After a member of an object: ``}``, or past the comma, the next key's ``"``."""
        if char == "}":
            return char
        char = self.comma(char, "}")
        if char == "}":  # before Python 3.13
            raise self.syntax("Expecting property name enclosed in double quotes", self.pos)
        return char

    def comma(self, char: str, close: str) -> str:
        """Past the comma at ``pos`` (``char``) and the white space after it:
        the next character. Before ``close``, it is an error from Python 3.13."""
        if char != ",":
            raise self.syntax("Expecting ',' delimiter", self.pos)
        at = self.pos
        self.pos = end = _SPACE.match(self.buf, at + 1).end()  # type: ignore[union-attr]
        if end < len(self.buf):
            char = self.buf[end]
            if char == close and _TRAILING_COMMA:
                raise self.syntax(_TRAILING_COMMA[close], at)
            return char
        where = self.where(at)  # the comma is let go with what comes before it
        char = self.space()
        if char == close and _TRAILING_COMMA:
            problem = Problem(where, f"not valid JSON: {_TRAILING_COMMA[close]}")
            raise ValidationError([problem], self.source)
        return char

    def end(self) -> None:
        """Only white space is left."""
        if self.space():
            raise self.syntax("Extra data", self.pos)

    def where(self, index: int) -> str:
        """``line L, column C`` of ``buf[index]`` in the whole text."""
        buf = self.buf
        line = self._lines + buf.count("\n", 0, index) + 1
        start = buf.rfind("\n", 0, index)
        column = index - start if start >= 0 else self._base + index - self._line_start + 1
        return f"line {line}, column {column}"

    def syntax(self, message: str, index: int) -> ValidationError:
        """The error of the json module's ``message`` at ``buf[index]``."""
        return ValidationError(
            [Problem(self.where(index), f"not valid JSON: {message}")], self.source
        )


_DECODER: Final = json.JSONDecoder(
    object_pairs_hook=_no_duplicates, parse_constant=_no_constants, parse_int=_parse_int
)


def _events(
    scan: _Scanner,
    reader: DocumentReader,
    fields: dict[str, Any],
    twice: list[str],
    *,
    give: bool,
    again: bool,
) -> Iterator[Event]:
    """The events of the array at ``scan.pos``, then the rest of the
    document read and checked; each event given while no problem has been
    found (and ``give``), every problem raised at the end. A header field
    after the events, in a document ``load`` reads, raises
    :class:`~timeline.formats.ReadWhole` (``again``: the input can be read
    again), else is a problem."""
    index = 0
    char = scan.space()
    if char != "]":
        event_of = reader.event
        while True:
            event = event_of(scan.value(), index)
            index += 1
            if event is not None and give and reader.ok:
                yield event
            char = scan.space()
            if char == "]":
                break
            scan.comma(char, "]")
    scan.pos += 1
    later: dict[str, Any] = {}
    char = scan.after(scan.space())
    while char != "}":
        key = scan.key(char)
        scan.space()
        if key in fields or key in later or key == "events":
            twice.append(key)
        later[key] = scan.value()
        char = scan.after(scan.space())
    scan.pos += 1
    scan.end()
    if twice:
        raise _twice(twice[0], scan.source)
    if later:
        reader.add_fields(later)
        if reader.ok:  # a document that load() reads: the place of its header is the problem
            misplaced = [key for key in later if key in HEADER_KEYS]
            for key in misplaced:
                reader.problem(f"$.{key}", _AFTER_EVENTS.format(key=key))
            if misplaced and again:
                raise ReadWhole(reader.error(scan.source))
    if not reader.ok:
        raise reader.error(scan.source)


_AFTER_EVENTS: Final = (
    'comes after "events"; read event by event, a document has its header first, as '
    'timeline writes it: put "{key}" before "events", or give the file by its path '
    "(timeline.convert and the command then read it whole), or load it whole"
)


def _twice(key: str, source: str) -> ValidationError:
    return ValidationError([Problem("$", f"the key {key!r} appears twice in one object")], source)


def _whole(timeline: Timeline) -> EventSource:
    """The events of a timeline read whole, one at a time."""
    header = Timeline(
        title=timeline.title,
        description=timeline.description,
        url=timeline.url,
        language=timeline.language,
        translations=timeline.translations,
    )
    return EventSource(header=header, events=iter(timeline.events))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JSONExporter())


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    register(JSONImporter())
