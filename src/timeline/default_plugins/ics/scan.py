"""The content lines and components of an iCalendar file, with line numbers.

The first step of the ics importer, as the lines are read (:func:`scan_components`) or on
a whole text (:func:`parse_calendar`); what cannot be read is a :class:`Defect` with its
line. See docs/ics.md, "Why the importer has its own parser" and "Reading event by event".
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Final

import attrs

__all__ = [
    "BARE",
    "CALENDAR",
    "CHILD",
    "DEFECT",
    "Component",
    "Defect",
    "Item",
    "Property",
    "content_line",
    "content_line_reference",
    "first_line_problem",
    "logical_lines",
    "parse_calendar",
    "physical_lines",
    "piece_logical_lines",
    "scan_components",
    "scan_pieces",
    "unescape_text",
    "unescape_text_reference",
]

_NAME: Final = re.compile(r"[A-Z0-9-]+")
_UNESCAPE: Final = re.compile(r"\\([\\;,nN])")
_SPACES: Final = re.compile(r"[ \t]+")
_CONTENT_LINE: Final = re.compile(r'([A-Z0-9-]+)(?:;([^:"]*))?:')
"""The start of the usual content line, up to its first colon: a name that needs no
cleaning and parameters without quotes (:func:`_split` reads the others)."""
_KNOWN_PARAMS: Final = 4096  # parameters read once for all the lines that have them
_PARAMETER: Final = re.compile(r'[ \t]*([A-Za-z0-9-]+)[ \t]*=[ \t]*((?:"[^"]*"|[^";:,]*)'
                               r'(?:[ \t]*,[ \t]*(?:"[^"]*"|[^";:,]*))*)[ \t]*')  # fmt: skip


@attrs.define(slots=True)
class Property:
    """One content line: its name in upper case (without a vCard-style
    group), its parameters (names in upper case, values unquoted, several
    values joined by commas), its value as written, and its line number.
    Lines with the same parameters written the same way share one ``params``
    dict, which is not to be changed."""

    name: str
    params: dict[str, str]
    value: str
    line: int


@attrs.define(slots=True)
class Component:
    """A BEGIN ... END block: its name, the line of its BEGIN, its
    properties in order and the components inside it."""

    name: str
    line: int
    properties: list[Property] = attrs.Factory(list)
    children: list[Component] = attrs.Factory(list)

    def get(self, name: str) -> Property | None:
        """The first property called ``name``, or ``None``."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def every(self, name: str) -> list[Property]:
        """Every property called ``name``, in order."""
        return [prop for prop in self.properties if prop.name == name]

    def by_name(self) -> dict[str, list[Property]]:
        """Every property by its name, each name's in order: :meth:`every` of each
        name at once, for a component that is complete."""
        found: dict[str, list[Property]] = {}
        for prop in self.properties:
            same = found.get(prop.name)
            if same is None:
                found[prop.name] = [prop]
            else:
                same.append(prop)
        return found

    @property
    def uid(self) -> str | None:
        prop = self.get("UID")
        return None if prop is None else unescape_text(prop.value)

    def label(self) -> str:
        uid = self.uid
        return f"{self.name} {_short(uid)!r}" if uid else self.name


@attrs.frozen
class Defect:
    """Something in the file that cannot be read: the line, what it is,
    and the UID of the component it is in when there is one."""

    line: int
    message: str
    uid: str | None = None


def unescape_text(text: str) -> str:
    """A TEXT value from its escaped form (RFC 5545, section 3.3.11).

    Read left to right as :func:`unescape_text_reference` reads it with a regular
    expression: the pairs of backslashes first (what lies between them has no two
    backslashes in a row, so its escapes cannot meet), then each piece's ``\\n``,
    ``\\N``, ``\\;`` and ``\\,``, with :meth:`str.replace`, which is quicker."""
    if "\\" not in text:
        return text
    if "\\\\" not in text:
        return (
            text.replace("\\n", "\n").replace("\\N", "\n").replace("\\;", ";").replace("\\,", ",")
        )
    pieces = text.split("\\\\")
    for i, piece in enumerate(pieces):
        if "\\" in piece:
            pieces[i] = (
                piece.replace("\\n", "\n")
                .replace("\\N", "\n")
                .replace("\\;", ";")
                .replace("\\,", ",")
            )
    return "\\".join(pieces)


def unescape_text_reference(text: str) -> str:
    """:func:`unescape_text` by a regular expression: the plain reading, which the
    tests compare it with."""
    if "\\" not in text:
        return text
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _short(uid: str) -> str:
    """A UID short enough for a message, keeping both ends (Outlook's differ at the end)."""
    return uid if len(uid) <= 40 else f"{uid[:18]}...{uid[-18:]}"


def excerpt(text: str) -> str:
    """A piece of the file short enough for a message, quoted."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def physical_lines(stream: Iterable[str]) -> Iterator[str]:
    """The lines of a text stream opened with ``newline=""`` (each ended by ``\\n``,
    ``\\r\\n`` or a lone ``\\r``) split at ``\\n`` only, without it, as
    ``text.split("\\n")`` gives them: a lone ``\\r`` stays in its line, where
    :func:`logical_lines` finds it."""
    parts: list[str] = []  # the pieces of a line broken by a lone "\r"
    for piece in stream:
        if piece[-1:] != "\n":
            parts.append(piece)
            continue
        if parts:
            parts.append(piece)
            piece = "".join(parts)  # noqa: PLW2901
            parts.clear()
        yield piece[:-1]
    yield "".join(parts)


def logical_lines(physical: Iterable[str], defects: list[Defect]) -> Iterator[tuple[int, str]]:
    """The unfolded lines of ``physical`` (the file's lines split at ``\\n`` only, without
    it), each with the number of its first physical line; what cannot be read is added to
    ``defects`` as it is met."""
    start = 0
    pieces: list[str] = []
    for number, raw in enumerate(physical, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if "\r" in line:
            defects.append(Defect(number, "a carriage return inside a line, removed"))
            line = line.replace("\r", "")
        if line[:1] in (" ", "\t"):
            if not pieces:
                defects.append(Defect(number, "a folded line with nothing to continue, left out"))
                continue
            pieces.append(line[1:])
            continue
        if pieces:
            yield start, "".join(pieces)
        pieces = [line] if line else []
        start = number
    if pieces:
        yield start, "".join(pieces)


def piece_logical_lines(pieces: Iterable[str], defects: list[Defect]) -> Iterator[tuple[int, str]]:
    """:func:`logical_lines` of the text in ``pieces``, each of whole lines (ended by
    ``\\n``) but the last: the same lines, numbers and defects, in the same order, read
    without a generator of the physical lines in between, which is quicker."""
    start = 0
    number = 0
    pieces_of_line: list[str] = []
    for piece in pieces:
        physical = piece.split("\n")
        if not physical[-1]:  # the end of the piece's last line (an empty last line
            physical.pop()  # of the file changes nothing)
        for raw in physical:
            number += 1
            line = raw[:-1] if raw[-1:] == "\r" else raw
            if "\r" in line:
                defects.append(Defect(number, "a carriage return inside a line, removed"))
                line = line.replace("\r", "")
            if line[:1] in (" ", "\t"):
                if not pieces_of_line:
                    defects.append(
                        Defect(number, "a folded line with nothing to continue, left out")
                    )
                    continue
                pieces_of_line.append(line[1:])
                continue
            if pieces_of_line:
                yield start, "".join(pieces_of_line)
            pieces_of_line = [line] if line else []
            start = number
    if pieces_of_line:
        yield start, "".join(pieces_of_line)


def scan_pieces(pieces: Iterable[str]) -> Iterator[Item]:
    """:func:`scan_components` of the text in ``pieces``, each of whole lines (ended by
    ``\\n``) but the last, as :func:`piece_logical_lines` reads them."""
    line_defects: list[Defect] = []
    return _scan(piece_logical_lines(pieces, line_defects), line_defects)


def _split(line: str) -> tuple[str, str, str] | None:
    """The name, the parameters and the value of a content line; ``None``
    when it has no colon outside quotes."""
    colon = line.find(":")
    if colon < 0:
        return None
    head = line[:colon]
    if '"' in head:
        quoted = False
        for i, ch in enumerate(line):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = i
                break
        else:
            return None
        head = line[:colon]
    name, _, params = head.partition(";")
    return name, params, line[colon + 1 :]


def content_line(line: str) -> tuple[str, str, str] | None:
    """The name of a content line (in upper case, without spaces or a vCard-style
    group), its parameters as written (without the first ``;``) and its value; ``None``
    when it is not a content line. As :func:`content_line_reference` reads it, with one
    regular expression for the usual line (a name that needs no cleaning, parameters
    without quotes)."""
    simple = _CONTENT_LINE.match(line)
    if simple is None:
        return content_line_reference(line)
    name, params = simple.group(1, 2)
    return name, params or "", line[simple.end() :]


def content_line_reference(line: str) -> tuple[str, str, str] | None:
    """:func:`content_line`, read the plain way, for any line."""
    split = _split(line)
    if split is None:
        return None
    name, params, value = split
    if not _NAME.fullmatch(name):  # else removing spaces and groups changes nothing
        name = _SPACES.sub("", name).upper().rpartition(".")[2]
        if not _NAME.fullmatch(name):
            return None
    return name, params, value


def _parameters(text: str) -> dict[str, str] | None:
    """The parameters of a line (``;A=1;B="x:y",z``); ``None`` when they
    do not follow the grammar."""
    params: dict[str, str] = {}
    if not text:
        return params
    position = 0
    while True:
        m = _PARAMETER.match(text, position)
        if m is None:
            return None
        values = [v.strip().strip('"') for v in _values(m.group(2))]
        params.setdefault(m.group(1).upper(), ",".join(values))
        position = m.end()
        if position == len(text):
            return params
        if text[position] != ";":
            return None
        position += 1


def _values(text: str) -> list[str]:
    if '"' not in text:
        return text.split(",")
    return re.findall(r'"[^"]*"|[^,]+', text) or [""]


def _not_a_content_line(line: str) -> str:
    return (
        f"{excerpt(line)} is not a content line (NAME:value); a line break inside a value "
        "must be written as \\n"
    )


def first_line_problem(head: str) -> tuple[int, str] | None:
    """The line number and the reason why a text that starts with ``head``
    cannot be a calendar: its first line is not a content line. ``None``
    when it may be one (or when the first line does not end in ``head``)."""
    number = 1
    rest = head
    while rest[:1] in ("\r", "\n"):
        number += rest[:1] == "\n"
        rest = rest[1:]
    end = rest.find("\n")
    if end < 0 or rest[:1] in (" ", "\t"):
        return None
    line = rest[:end].rstrip("\r")
    split = _split(line)
    if split is not None and _NAME.fullmatch(_SPACES.sub("", split[0]).upper().rpartition(".")[2]):
        return None
    return number, _not_a_content_line(line)


def _component_name(value: str) -> str:
    """The name of a BEGIN or END line's component, without spaces, in upper case."""
    if _NAME.fullmatch(value):  # the usual case: nothing to remove or raise
        return value
    return _SPACES.sub("", value).upper()


CALENDAR: Final = "calendar"
"""An item of :func:`scan_components`: a VCALENDAR at the top of the file, at its BEGIN;
its own properties are added to it as they come, its components are not."""
CHILD: Final = "child"
"""An item of :func:`scan_components`: a component of the last VCALENDAR (a VTIMEZONE, a
VEVENT...), complete with what is inside it, when its END comes."""
BARE: Final = "bare"
"""An item of :func:`scan_components`: a component at the top of the file that is not a
VCALENDAR, complete, when its END comes."""
DEFECT: Final = "defect"
"""An item of :func:`scan_components`: a :class:`Defect`, as it is met."""

Item = tuple[str, "Component | Defect"]
"""What :func:`scan_components` yields: ``(kind, what)``, the kind one of
:data:`CALENDAR`, :data:`CHILD`, :data:`BARE` and :data:`DEFECT`."""


def scan_components(physical: Iterable[str]) -> Iterator[Item]:
    """The components of a file as they are read from its lines (split at ``\\n`` only,
    as :func:`logical_lines` takes them), holding one component of a calendar at a time:
    each VCALENDAR at its BEGIN (its own properties filled in as they come), each of its
    components when it is complete, each component outside a calendar when it is
    complete, and each defect when it is met, in the order :func:`parse_calendar` finds
    them, which reads a whole text with it.

    Whitespace around names and parameters, lower-case names and
    vCard-style groups (``GROUP1.X-TEST``) are read as icalendar reads them.
    A component that is never closed ends at the end of the file (or at the
    END of a component around it); an END without a BEGIN is left out.
    """
    line_defects: list[Defect] = []
    return _scan(logical_lines(physical, line_defects), line_defects)


def _scan(lines: Iterator[tuple[int, str]], line_defects: list[Defect]) -> Iterator[Item]:
    """The items of the logical ``lines``, the defects that making them finds added to
    ``line_defects`` as they are met: see :func:`scan_components`."""
    stack: list[Component] = []
    calendar: Component | None = None  # the VCALENDAR at the bottom of the stack
    open_names: dict[str, int] = {}  # how many of each are open, so that END is O(1)
    known_params: dict[str, dict[str, str] | None] = {"": {}}  # shared, as they are read
    intern = sys.intern
    for number, line in lines:
        if line_defects:
            for defect in line_defects:
                yield DEFECT, defect
            line_defects.clear()
        read = content_line(line)
        if read is None:
            uid = stack[-1].uid if stack else None
            yield DEFECT, Defect(
                number,
                f"{excerpt(line)} is not a content line (NAME:value), left out; a line break "
                "inside a value must be written as \\n",
                uid,
            )  # fmt: skip
            continue
        name, raw_params, value = read
        if name == "BEGIN":
            component = Component(_component_name(value), number)
            if not stack:
                if component.name == "VCALENDAR":
                    calendar = component
                    yield CALENDAR, component
            elif stack[-1] is not calendar:
                stack[-1].children.append(component)
            stack.append(component)
            open_names[component.name] = open_names.get(component.name, 0) + 1
            continue
        if name == "END":
            closing = _component_name(value)
            if not open_names.get(closing):
                yield DEFECT, Defect(number, f"END:{closing} without a BEGIN:{closing}, left out")
                continue
            while stack[-1].name != closing:
                opened = stack.pop()
                open_names[opened.name] -= 1
                yield DEFECT, Defect(
                    opened.line,
                    f"BEGIN:{opened.name} is never closed (no END:{opened.name}); it ends at "
                    f"the END:{closing} of line {number}",
                    opened.uid,
                )  # fmt: skip
                if (item := _complete(opened, stack, calendar)) is not None:
                    yield item
            closed = stack.pop()
            open_names[closed.name] -= 1
            if (item := _complete(closed, stack, calendar)) is not None:
                yield item
            if not stack:
                calendar = None
            continue
        if raw_params in known_params:
            params = known_params[raw_params]
        else:
            params = _parameters(raw_params)
            if len(known_params) < _KNOWN_PARAMS:
                known_params[raw_params] = params
        if params is None:
            yield DEFECT, Defect(
                number,
                f"the parameters of {excerpt(line)} cannot be read; the line is left out",
                stack[-1].uid if stack else None,
            )  # fmt: skip
            continue
        if not stack:
            yield DEFECT, Defect(number, f"{name} outside any BEGIN ... END, left out")
            continue
        stack[-1].properties.append(Property(intern(name), params, value, number))
    for defect in line_defects:
        yield DEFECT, defect
    while stack:
        opened = stack.pop()
        yield DEFECT, Defect(
            opened.line,
            f"BEGIN:{opened.name} is never closed (no END:{opened.name}); it ends at the end "
            "of the file",
            opened.uid,
        )  # fmt: skip
        if (item := _complete(opened, stack, calendar)) is not None:
            yield item


def _complete(closed: Component, stack: list[Component], calendar: Component | None) -> Item | None:
    """The item of a component that has just been closed, when it is one: a component of the
    calendar at the bottom of ``stack``, or one outside any calendar."""
    if not stack:
        return None if closed is calendar else (BARE, closed)
    if len(stack) == 1 and stack[0] is calendar:
        return CHILD, closed
    return None


def parse_calendar(text: str) -> tuple[list[Component], list[Defect]]:
    """The components at the top of the file and what could not be read: the whole tree,
    made of what :func:`scan_components` gives."""
    defects: list[Defect] = []
    top: list[Component] = []
    calendar: Component | None = None
    for kind, what in scan_components(text.split("\n")):
        if kind is DEFECT:
            defects.append(what)  # type: ignore[arg-type]
        elif kind is CHILD:
            calendar.children.append(what)  # type: ignore[union-attr, arg-type]
        else:  # a calendar at its BEGIN, or a component outside any
            top.append(what)  # type: ignore[arg-type]
            if kind is CALENDAR:
                calendar = what  # type: ignore[assignment]
    return top, defects
