"""The CSV exporter and importer: one row per event, one column per field.

See plugins/timeline-csv/README.md, "The columns".
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import json
import re
import struct
import typing
import warnings
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, TextIO

import timeline
from timeline import (
    Event,
    Exporter,
    ExportWarning,
    Importer,
    Option,
    Problem,
    Problems,
    Timeline,
    TimelineError,
    ValidationError,
    validators,
)
from timeline.document import event_reader, events_to_dicts
from timeline.formats import EventSource, EventWriter
from timeline.model import kind_fields
from timeline.translations import translatable_fields

from .cells import FLOAT, LIST, TEXT, CellError, Codec, codec_for, read_list, write_list

__all__ = ["COLUMNS", "TRANSLATED_COLUMNS", "CSVExporter", "CSVImporter"]

PLACE_COLUMNS: Final = (
    ("place_name", "name", TEXT),
    ("place_country", "country", TEXT),
    ("place_latitude", "latitude", FLOAT),
    ("place_longitude", "longitude", FLOAT),
    ("place_timezone", "timezone", TEXT),
)
SOURCE_COLUMNS: Final = (
    ("source_titles", "title"),
    ("source_accessed", "accessed"),
    ("source_notes", "note"),
)
_TEXT_FIELDS: Final = ("id", "title", "start", "end")
_LATER_TEXT_FIELDS: Final = ("url", "description", "notes", "recurrence")

COLUMNS: Final = (
    "kind",
    *_TEXT_FIELDS,
    *(column for column, _, _ in PLACE_COLUMNS),
    "tags",
    "sources",
    *(column for column, _ in SOURCE_COLUMNS),
    *_LATER_TEXT_FIELDS,
)
"""The columns every file has, in order; the kinds' attributes follow, then
the translations."""

TRANSLATED_COLUMNS: Final = ("title", "place_name", "description", "notes")
"""The columns of every file whose texts may be translated, each in a column
of its own per language, ``title@ru``; a kind's translatable attributes follow."""
_PLACE_NAME: Final = "place_name"
_LANGUAGE_MARK: Final = "@"

_REQUIRED: Final = ("title", "start")
_DEFAULT_LANGUAGE: Final = "en"
_DELIMITERS: Final = (",", ";")
_FORMULAS: Final = ("escape", "keep")
_BOM: Final = "\ufeff"
_NEWLINE: Final = "\r\n"


# -- the columns of the kinds ---------------------------------------------------------------


class _Layout:
    """The attribute columns of a set of kinds, and how each cell is written."""

    def __init__(self, kinds: Mapping[str, type[Event]]) -> None:
        self.kinds = dict(kinds)
        self.codecs: dict[str, dict[str, Codec]] = {}
        self.attributes: list[str] = []
        self.clashes: dict[str, str] = {}
        self.translatable: list[str] = []
        """The attribute columns that some kind lets be translated."""
        seen: set[str] = set()
        for kind, cls in self.kinds.items():
            try:
                hints = typing.get_type_hints(cls)
            except Exception:  # an annotation that cannot be resolved reads as text
                hints = {}
            codecs = self.codecs[kind] = {}
            for field in kind_fields(cls):
                if field.name in COLUMNS:
                    self.clashes[kind] = field.name
                    continue
                codecs[field.name] = codec_for(hints.get(field.name, str))
                if field.name not in seen:
                    seen.add(field.name)
                    self.attributes.append(field.name)
            for name in translatable_fields(cls):
                if name in codecs and name not in self.translatable:
                    self.translatable.append(name)

    def columns_for(self, kinds: Iterable[str]) -> list[str]:
        """The attribute columns of ``kinds``, in the order the kinds are registered."""
        wanted = set(kinds)
        columns: list[str] = []
        for kind, codecs in self.codecs.items():
            if kind not in wanted:
                continue
            if kind in self.clashes:
                raise TimelineError(
                    f"kind {kind!r} has an attribute {self.clashes[kind]!r}, which is also "
                    "a column of every event, so CSV cannot hold it; use the JSON format"
                )
            columns.extend(name for name in codecs if name not in columns)
        return columns


@functools.lru_cache(maxsize=8)
def _layout_for(kinds: tuple[tuple[str, type[Event]], ...]) -> _Layout:
    return _Layout(dict(kinds))


def _layout() -> _Layout:
    return _layout_for(tuple(timeline.kinds().items()))


# -- writing --------------------------------------------------------------------------------


class CSVExporter(Exporter):
    """Writes one row per event, with the columns in ``COLUMNS`` followed by
    the attributes of the kinds in the timeline. Lines end with CRLF (RFC 4180);
    line breaks inside a cell stay ``\\n``."""

    name = "csv"
    suffixes = (".csv",)
    media_type = "text/csv"
    description = "One row per event, for spreadsheets; lists in a cell separated by '; '."
    options = (
        Option("delimiter", str, default=",", choices=_DELIMITERS,
               help="the separator between cells: ';' for spreadsheets that expect it"),
        Option("bom", bool, default=False,
               help="start with a UTF-8 byte-order mark, so that Excel reads the file as UTF-8"),
        Option("formulas", str, default="escape", choices=_FORMULAS,
               help="escape: put ' before a cell that a spreadsheet would run as a formula "
                    "(one that starts with = + - @, a tab or a carriage return); keep: "
                    "write every cell as it is"),
    )  # fmt: skip

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        columns = _Columns(_layout())
        for event in timeline.events:
            columns.see(event)
        _write_file(timeline, out, options, columns, events_to_dicts(timeline.events))

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> EventWriter:
        """A writer that keeps the events in an unnamed temporary file, a
        line of JSON each, until :meth:`~timeline.formats.EventWriter.close`
        writes the file: its first row names the columns of the kinds and
        the translations of every event. See "Streaming" in the README."""
        return _Writer(header, out, options)


class _Columns:
    """The columns that depend on the events (the kinds' attributes and the
    translations), from the events seen so far."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.kinds: set[str] = set()
        self.found: dict[str, set[str]] = {}
        """The translated columns of each language."""

    def see(self, event: Event) -> None:
        """Count in the columns ``event`` needs."""
        self.kinds.add(event.kind)
        found = self.found
        for language, texts in event.translations.items():
            found.setdefault(language, set()).update(texts)
        if event.place is not None:
            for language in event.place.translations:
                found.setdefault(language, set()).add(_PLACE_NAME)

    def attributes(self) -> list[str]:
        """The attribute columns, in the order the kinds are registered."""
        return self.layout.columns_for(self.kinds)

    def translated(self, attributes: list[str]) -> list[tuple[str, str]]:
        """``(column, language)`` of each translation column: by language,
        in the order of the tags, then in the order of the columns (those
        that hold a translation in that language only)."""
        order = [*TRANSLATED_COLUMNS, *attributes]
        found = self.found
        return [(column, tag) for tag in sorted(found) for column in order if column in found[tag]]


def _write_file(
    timeline: Timeline,
    out: TextIO,
    options: Mapping[str, Any],
    columns: _Columns,
    events: Iterable[dict[str, Any]],
) -> None:
    """Warn about what CSV leaves out of ``timeline`` (its events aside),
    then write the header row and a row for each event's plain data."""
    attributes = columns.attributes()
    translated = columns.translated(attributes)
    left_out = [
        name for name in ("title", "description", "url", "translations") if getattr(timeline, name)
    ]
    if left_out:
        warnings.warn(
            f"the timeline's {_words(left_out)} left out; CSV holds only events",
            ExportWarning,
            stacklevel=3,
        )
    if timeline.language != _DEFAULT_LANGUAGE:
        warnings.warn(
            f"the texts are in {timeline.language}, which CSV does not say; read the "
            f"file with language={timeline.language!r}",
            ExportWarning,
            stacklevel=3,
        )
    if options["bom"]:
        out.write(_BOM)
    writer = csv.writer(out, delimiter=options["delimiter"], lineterminator=_NEWLINE)
    names = [*COLUMNS, *attributes, *(f"{c}@{tag}" for c, tag in translated)]
    writer.writerow(names)
    codecs = columns.layout.codecs
    escape = options["formulas"] == "escape"
    limit = csv.field_size_limit()
    for data in events:
        row = _row(data, attributes, codecs[data["kind"]])
        if translated:
            row.extend(_translations_row(data, translated))
        if escape:
            row = [_escape_formula(cell) for cell in row]
        if sum(map(len, row)) > limit:
            _too_long(data, row, names, limit)
        writer.writerow(row)


class _Writer(EventWriter):
    """The file, event by event: each event's plain data goes to an unnamed
    temporary file as a line of JSON (ASCII, so any text goes through), and
    :meth:`close` writes the header row, now that the columns are known,
    and the rows, as :meth:`CSVExporter.write` writes them."""

    def __init__(self, header: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        self.header, self.out, self.options = header, out, options
        self.columns = _Columns(_layout())
        self.spool: TextIO | None = None

    def write(self, event: Event) -> None:
        """Keep ``event`` for :meth:`close`; a kind that CSV cannot hold is
        refused as its first event comes."""
        if event.kind not in self.columns.kinds:
            self.columns.layout.columns_for({event.kind})
        self.columns.see(event)
        if self.spool is None:
            import tempfile

            self.spool = tempfile.TemporaryFile("w+", encoding="ascii", newline="\n")  # noqa: SIM115
        self.spool.write(json.dumps(timeline.event_to_dict(event), separators=(",", ":")))
        self.spool.write("\n")

    def close(self) -> None:
        """Write the file; warn as :meth:`CSVExporter.write` warns."""
        spool, self.spool = self.spool, None
        if spool is None:
            _write_file(self.header, self.out, self.options, self.columns, ())
            return
        with spool:
            spool.seek(0)
            events = (json.loads(line) for line in spool)
            _write_file(self.header, self.out, self.options, self.columns, events)


# -- formulas ------------------------------------------------------------------------------
#
# A spreadsheet runs a cell that starts with one of "=+-@", a tab or a
# carriage return as a formula, which can run programs or send the sheet's
# data away (OWASP, "CSV Injection"). Such a cell is written with a "'"
# before it, which spreadsheets read as "this is text". So that the escape
# can be taken off again exactly, a cell that is already "'" followed by
# such a character gets one more "'"; numbers ("-33.5", "-0476") are left
# alone: a spreadsheet reads them as numbers, not formulas.

_FORMULA_START: Final = frozenset("=+-@\t\r'")
_FORMULA: Final = re.compile(r"'*[=+\-@\t\r]")
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_ESCAPED: Final = re.compile(r"'+[=+\-@\t\r]")


def _escape_formula(cell: str) -> str:
    """The cell with a "'" before it when a spreadsheet would run it."""
    if cell and cell[0] in _FORMULA_START and _FORMULA.match(cell) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _unescape_formula(cell: str) -> str:
    """The cell without the "'" that :func:`_escape_formula` put before it."""
    if cell[:1] == "'" and _ESCAPED.match(cell):
        return cell[1:]
    return cell


def _too_long(data: dict[str, Any], row: list[str], columns: list[str], limit: int) -> None:
    for column, cell in zip(columns, row, strict=True):
        if len(cell) > limit:
            warnings.warn(
                f"event {data['id']!r}: the cell in column {column!r} is {len(cell)} "
                f"characters long, more than the {limit} that Python's csv module reads "
                "unless csv.field_size_limit() is raised",
                ExportWarning,
                stacklevel=5,
            )


def _words(names: list[str]) -> str:
    if len(names) == 1:
        return f"{names[0]} is"
    return f"{', '.join(names[:-1])} and {names[-1]} are"


def _row(data: dict[str, Any], attributes: list[str], codecs: Mapping[str, Codec]) -> list[str]:
    get = data.get
    place = get("place") or {}
    sources = get("sources") or ()
    row = [data["kind"], data["id"], data["title"], data["start"], get("end", "")]
    for _, key, codec in PLACE_COLUMNS:
        value = place.get(key)
        row.append("" if value is None else codec.write(value))
    tags = get("tags")
    row.append(write_list(tags) if tags else "")
    row.append(write_list([source["url"] for source in sources]) if sources else "")
    for column, key in SOURCE_COLUMNS:
        row.append(_aligned(data, column, [source.get(key) for source in sources]))
    for name in _LATER_TEXT_FIELDS:
        row.append(get(name, ""))
    for name in attributes:
        if name in data:
            cell = codecs[name].write(data[name])
            if cell == "":
                _lost(data, name)
            row.append(cell)
        else:
            row.append("")
    return row


def _translations_row(data: dict[str, Any], translated: list[tuple[str, str]]) -> list[str]:
    texts: dict[str, dict[str, str]] = data.get("translations", {})
    place = data.get("place")
    names: dict[str, dict[str, str]] = place.get("translations", {}) if place else {}
    return [
        (names.get(tag, {}).get("name", "") if column == _PLACE_NAME else
         texts.get(tag, {}).get(column, ""))
        for column, tag in translated
    ]  # fmt: skip


def _aligned(data: dict[str, Any], column: str, items: list[Any]) -> str:
    """Item *n* for source *n*: an empty item for a source without one, and
    the empty items at the end left out."""
    texts = ["" if item is None else item for item in items]
    if "" in items:
        _lost(data, column)
    while texts and texts[-1] == "":
        texts.pop()
    return write_list(texts) if texts else ""


def _lost(data: dict[str, Any], column: str) -> None:
    warnings.warn(
        f"event {data['id']!r}: an empty text in column {column!r} is written as an "
        "empty cell, which reads back as the field's default",
        ExportWarning,
        stacklevel=5,
    )


# -- reading --------------------------------------------------------------------------------


class CSVImporter(Importer):
    """Reads what :class:`CSVExporter` writes, and what spreadsheets write:
    quoted cells with separators and line breaks in them, a UTF-8 byte-order
    mark, any order of columns, columns left out, blank rows."""

    name = "csv"
    suffixes = (".csv",)
    media_type = "text/csv"
    description = "One row per event, as a spreadsheet saves it; every bad cell is reported."
    options = (
        Option("delimiter", str, default=",", choices=_DELIMITERS,
               help="the separator between cells: ';' for files from spreadsheets that use it"),
        Option("formulas", str, default="escape", choices=_FORMULAS,
               help="escape: take off the ' that the exporter puts before a cell a spreadsheet "
                    "would run as a formula; keep: read every cell as it is"),
        Option("language", str, default=_DEFAULT_LANGUAGE,
               help="the language of the texts, a BCP 47 tag such as en, ru or zh-Hans; "
                    "columns such as title@ru hold their translations"),
    )  # fmt: skip

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        read = self.read_events(stream, options, source)
        return Timeline(language=read.header.language, events=list(read.events))

    def read_events(self, stream: TextIO, options: Mapping[str, Any], source: str) -> EventSource:
        """The header row is read (and checked) at once; the events row by
        row, a bad row skipped, and after the last row one
        :class:`~timeline.ValidationError` with every problem, as
        :meth:`read` raises it. See "Streaming" in the README."""
        layout = _layout()
        language = options["language"]
        if not validators.is_language(language):
            raise timeline.OptionError(
                f"option 'language': {validators.language_problem(language)}"
            )
        language = validators.canonical_language(language)
        reader = csv.reader(stream, delimiter=options["delimiter"], strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise ValidationError([_csv_problem(1, reader, exc)], source) from None
        if header is None:
            raise ValidationError(
                [Problem("row 1", "the file is empty; the first row names the columns")], source
            )
        names = _header(header, options["delimiter"], layout, source, language)
        unescape = options["formulas"] == "escape"
        events = _events(reader, names, layout, unescape=unescape, source=source)
        return EventSource(Timeline(language=language), events)


def _events(
    reader: Any, names: list[str | None], layout: _Layout, *, unescape: bool, source: str
) -> Iterator[Event]:
    """The events of the rows after the header, each as its row is read; a
    row with a problem is left out (though its event counts in the check of
    the derived ids, as in :meth:`CSVImporter.read`), and after the last row
    every problem is raised."""
    width = len(names)
    # Each problem has its row as its order: the model's problems of a
    # row come after its cells' problems, and past the cap the problems
    # are counted, not made.
    problems = Problems()
    # The ids given in the file are checked as they are read; the derived
    # ones (the same start and title twice) among the events made, which
    # counts only when every row made an event: (row, id, first row) of the
    # first ones, found in the order of the rows, and how many more.
    derived: list[tuple[int, str, int]] = []
    more_derived = 0
    refused = False  # an event was refused
    first_rows = _FirstRows()
    structure = event_reader(free_text_dates=True)
    number = 1
    while True:
        number += 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            problems.append(_csv_problem(number, reader, exc), order=number)
            break
        if row is None:
            break
        if not any(row):
            continue  # a blank row, as spreadsheets leave at the end
        if unescape:
            row = [_unescape_formula(cell) for cell in row]
        if len(row) != width:
            message = f"has {len(row)} cells, but the header has {width}"
            problems.add(f"row {number}", message, order=number)
            continue
        bad: set[str] = set()
        before = len(problems)
        data = _read_row(number, row, names, layout, problems=problems, bad=bad)
        if data is None:
            continue
        event_id = data.get("id")
        if event_id:
            first = first_rows.given(event_id, number)
            if first != number:
                message = f"duplicate id {event_id!r} (also row {first})"
                problems.add(f"row {number}, column 'id'", message, order=number)
                continue
        event = _event(structure, number, data, bad, problems)
        if event is None:
            refused = True
            continue
        first = first_rows.made(event.id, number)
        if first != number:
            if len(derived) < problems.limit:
                derived.append((number, event.id, first))
            else:  # after as many others, it would not be kept
                more_derived += 1
            continue
        # an event without the cells of its row that could not be read is not given
        if len(problems) == before:
            yield event
    if not refused:
        for number, event_id, first in derived:
            message = f"duplicate id {event_id!r} (also row {first})"
            problems.add(f"row {number}, column 'id'", message, order=number)
        problems.skip(more_derived)
    if problems:
        raise problems.error(source)


class _FirstRows:
    """The row each id was first given in, and the row of the first event
    made with it, by the id's 128-bit BLAKE2b digest, in an open-addressing
    table of machine integers: 32 bytes a slot, at most half full, so 64 to
    128 bytes an id (a dict of the strings and their rows takes about 150).
    Two different ids share a digest with a chance far below that of a
    fault of the machine's memory."""

    def __init__(self) -> None:
        self._size = 1024
        self._count = 0
        self._slots = [array("Q", [0]) * self._size for _ in range(4)]

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """The bytes the table holds."""
        return 32 * self._size

    def given(self, event_id: str, row: int) -> int:
        """The row ``event_id`` was first given in; ``row`` (remembered) the first time."""
        return self._first(event_id, row, 2)

    def made(self, event_id: str, row: int) -> int:
        """The row of the first event made with ``event_id``; ``row``
        (remembered) the first time."""
        return self._first(event_id, row, 3)

    def _first(self, event_id: str, row: int, column: int) -> int:
        digest = hashlib.blake2b(event_id.encode("utf-8", "surrogatepass"), digest_size=16)
        hi, lo = _TWO_WORDS.unpack(digest.digest())
        hi |= 1  # 0 marks an empty slot
        i = self._find(hi, lo)
        his, los, rows = self._slots[0], self._slots[1], self._slots[column]
        if his[i] == 0:
            his[i], los[i] = hi, lo
            self._count += 1
        first = rows[i]
        if first == 0:
            rows[i] = first = row
            if 2 * self._count > self._size:
                self._grow()
        return first

    def _find(self, hi: int, lo: int) -> int:
        his, los, mask = self._slots[0], self._slots[1], self._size - 1
        i = lo & mask
        while his[i] != 0 and (his[i] != hi or los[i] != lo):
            i = (i + 1) & mask
        return i

    def _grow(self) -> None:
        old = self._slots
        self._size *= 2
        self._slots = [array("Q", [0]) * self._size for _ in range(4)]
        for hi, lo, given, made in zip(*old, strict=True):
            if hi:
                i = self._find(hi, lo)
                for column, value in enumerate((hi, lo, given, made)):
                    self._slots[column][i] = value


_TWO_WORDS: Final = struct.Struct("<QQ")


def _event(
    structure: Callable[[Mapping[str, Any], str], Event],
    number: int,
    data: dict[str, Any],
    bad: set[str],
    problems: Problems,
) -> Event | None:
    """The event of a row, or ``None`` with its problems added; a cell
    whose text was already reported is not reported again."""
    try:
        return structure(data, "$")
    except ValidationError as exc:
        for problem in exc.problems:
            column, message = _locate(problem)
            if column is None:
                problems.add(f"row {number}", message, order=number)
            elif column not in bad:
                problems.add(f"row {number}, column {column!r}", message, order=number)
        problems.skip(exc.omitted)
        return None


def _csv_problem(number: int, reader: Any, exc: csv.Error) -> Problem:
    reason = str(exc)
    if "unexpected end of data" in reason:
        reason = "a quoted cell is not closed before the end of the file"
    elif "expected after" in reason:
        reason = f'a quote in the middle of a quoted cell ({reason}); write a quote as ""'
    elif "field larger than field limit" in reason:
        reason = (
            f"a cell is longer than {csv.field_size_limit()} characters, the most Python's "
            "csv module reads; raise the limit with csv.field_size_limit() to read it"
        )
    return Problem(f"row {number}", f"{reason} (line {reader.line_num} of the file)")


def _header(
    header: list[str], delimiter: str, layout: _Layout, source: str, language: str
) -> list[str | None]:
    """The column names by position, a translation's tag in its canonical
    case; ``None`` for a column with no name."""
    if header and header[0].startswith(_BOM):
        header[0] = header[0][1:]
    names: list[str | None] = []
    problems: list[Problem] = []
    known = [*COLUMNS, *layout.attributes]
    where: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        name = cell.strip()
        if not name:
            names.append(None)
            continue
        given = name
        if _LANGUAGE_MARK in name:
            name, problem = _translation_column(name, layout, language)
            if problem is not None:
                problems.append(Problem(f"row 1, column {given!r}", problem))
                names.append(name)
                continue
        names.append(name)
        if _LANGUAGE_MARK not in name and name not in known:
            hint = difflib.get_close_matches(name, known, n=1)
            also = (
                f"; did you mean {hint[0]!r}?"
                if hint
                else "; the attribute of a kind needs the plugin that adds the kind"
            )
            problems.append(Problem(f"row 1, column {name!r}", f"unknown column{also}"))
        elif name in where:
            problems.append(Problem(
                f"row 1, column {given!r}", f"appears twice (columns {where[name]} and {i})"
            ))  # fmt: skip
        else:
            where[name] = i
    if len(header) == 1:
        other = next(d for d in _DELIMITERS if d != delimiter)
        if other in header[0]:
            raise ValidationError([Problem(
                "row 1",
                f"the header is a single column {_short(header[0])}; if the cells are "
                f"separated by {other!r}, read the file with delimiter={other!r}",
            )], source)  # fmt: skip
    for name in _REQUIRED:
        if name not in where:
            problems.append(Problem("row 1", f"there is no column {name!r}; every event needs one"))
    if problems:
        raise ValidationError(problems, source)
    return names


def _translation_column(name: str, layout: _Layout, language: str) -> tuple[str, str | None]:
    """The name of a column ``{column}@{language}`` with the tag in its
    canonical case, and what is wrong with it, if anything."""
    column, _, tag = name.rpartition(_LANGUAGE_MARK)
    can = [*TRANSLATED_COLUMNS, *layout.translatable]
    if column not in can:
        return name, (
            f"the column {column!r} cannot be translated; the columns that can are "
            f"{', '.join(can)} (with @ and a language tag, such as title@ru)"
        )
    if not validators.is_language(tag):
        return name, f"after @, {validators.language_problem(tag)}"
    tag = validators.canonical_language(tag)
    if tag == language:
        return name, (
            f"{tag} is the language of the texts themselves (the option language, "
            f"{_DEFAULT_LANGUAGE} unless given); a translation is in another language"
        )
    return f"{column}{_LANGUAGE_MARK}{tag}", None


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _read_row(
    number: int,
    row: list[str],
    names: list[str | None],
    layout: _Layout,
    *,
    problems: Problems,
    bad: set[str],
) -> dict[str, Any] | None:
    """The plain data of a row's event; the columns whose cells cannot be
    read are reported and added to ``bad``."""

    def report(column: str, message: str) -> None:
        bad.add(column)
        problems.add(f"row {number}, column {column!r}", message, order=number)

    cells: dict[str, str] = {}
    for i, (name, cell) in enumerate(zip(names, row, strict=True), start=1):
        if cell == "":
            continue
        if name is None:
            message = "a value in a column with no name"
            problems.add(f"row {number}, column {i}", message, order=number)
            return None
        cells[name] = cell
    return _event_data(cells, layout, report)


def _event_data(
    cells: dict[str, str], layout: _Layout, report: Callable[[str, str], None]
) -> dict[str, Any] | None:
    """The plain data of the event in a row: the shape of ``event_from_dict``."""
    kind = cells.pop("kind", "event")
    codecs = layout.codecs.get(kind)
    if codecs is None:
        known = ", ".join(layout.kinds)
        report("kind", f"unknown kind {kind!r}; the kinds are {known} (a plugin may add others)")
        return None
    if kind in layout.clashes:
        report(layout.clashes[kind], f"kind {kind!r} cannot be read from CSV: its attribute "
               f"{layout.clashes[kind]!r} has the name of a column of every event")  # fmt: skip
        return None
    data: dict[str, Any] = {"kind": kind}
    for name in _TEXT_FIELDS:
        if name in cells:
            data[name] = cells[name]
    place: dict[str, Any] = {}
    for column, key, codec in PLACE_COLUMNS:
        if column in cells:
            _decode(cells[column], codec, column, report, into=place, key=key)
    translations: dict[str, dict[str, str]] = {}
    names: dict[str, dict[str, str]] = {}
    for name, cell in cells.items():
        column, mark, tag = name.rpartition(_LANGUAGE_MARK)
        if mark:
            if column == _PLACE_NAME:
                names.setdefault(tag, {})["name"] = cell
            else:
                translations.setdefault(tag, {})[column] = cell
    if names:
        place["translations"] = names
    if place:
        data["place"] = place
    if "tags" in cells:
        _decode(cells["tags"], LIST, "tags", report, into=data, key="tags")
    _sources(cells, data, report)
    for name in _LATER_TEXT_FIELDS:
        if name in cells:
            data[name] = cells[name]
    for name in layout.attributes:
        if name not in cells:
            continue
        attribute_codec = codecs.get(name)
        if attribute_codec is None:
            article = "an" if kind[0] in "aeiou" else "a"
            report(name, f"{article} {kind} has no {name}; leave the cell empty")
            continue
        _decode(cells[name], attribute_codec, name, report, into=data, key=name)
    if translations:
        data["translations"] = translations
    return data


def _decode(
    text: str,
    codec: Codec,
    column: str,
    report: Callable[[str, str], None],
    *,
    into: dict[str, Any],
    key: str,
) -> None:
    try:
        into[key] = codec.read(text)
    except CellError as exc:
        report(column, str(exc))


def _sources(
    cells: dict[str, str], data: dict[str, Any], report: Callable[[str, str], None]
) -> None:
    urls: list[Any] = []
    if "sources" in cells:
        try:
            urls = read_list(cells["sources"])
        except CellError as exc:
            report("sources", str(exc))
            return
    sources: list[dict[str, Any]] = [{"url": url} for url in urls]
    for column, key in SOURCE_COLUMNS:
        if column not in cells:
            continue
        try:
            items = read_list(cells[column])
        except CellError as exc:
            report(column, str(exc))
            continue
        if len(items) > len(sources):
            count = f"{len(sources)} source" + ("" if len(sources) == 1 else "s")
            report(column, f"has {len(items)} items for {count} in column 'sources'")
            continue
        for source, item in zip(sources, items, strict=False):
            if item is None or item == "":
                continue
            source[key] = item
    if sources:
        data["sources"] = sources


_PATH: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d+)\])?")
_SOURCE_KEYS: Final = {"url": "sources", **{key: column for column, key in SOURCE_COLUMNS}}


def _locate(problem: Problem) -> tuple[str | None, str]:
    """The column of a problem that ``event_from_dict`` found, and its message."""
    message = problem.message
    if message == "required field missing":
        message = "required, but the cell is empty"
    parts = _PATH.findall(problem.path)
    if not parts:
        return None, message
    head, index = parts[0]
    if head == "translations":
        if len(parts) > 2:  # translations.ru.title
            return f"{parts[2][0]}{_LANGUAGE_MARK}{parts[1][0]}", message
        return None, message
    if head == "place":
        if len(parts) > 3 and parts[1][0] == "translations":  # place.translations.ru.name
            return f"{_PLACE_NAME}{_LANGUAGE_MARK}{parts[2][0]}", message
        return ("place_" + parts[1][0] if len(parts) > 1 else "place_name"), message
    if head == "sources":
        if index:
            message = f"source {int(index) + 1}: {message}"
        return (_SOURCE_KEYS.get(parts[1][0], "sources") if len(parts) > 1 else "sources"), message
    return head, message
