"""The JSON format: the canonical, lossless file format of timeline; the
document itself is :mod:`timeline.document`'s. See ``docs/json-format.md``
and the JSON Schema that ships as ``timeline/timeline.schema.json``.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from json.encoder import encode_basestring
from typing import Any, Final, TextIO

from ..document import events_to_dicts, timeline_from_dict, timeline_header
from ..errors import Problem, ValidationError
from ..formats import Exporter, Importer, Option, text_position
from ..hookspecs import hookimpl
from ..timelines import Timeline

_MAX_DEPTH = 64


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
        ensure_ascii=False)`` (or the compact form), one event at a time."""
        header = timeline_header(timeline)
        dumps = json.dumps
        if options["compact"]:
            text = dumps(header, ensure_ascii=False)
            out.write(text[:-1] + ', "events": [')
            sep = "\n"
            # One encoder for every event (json.dumps would make one per call);
            # the dicts of events cannot hold cycles.
            encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
            for data in events_to_dicts(timeline.events):
                out.write(sep)
                out.write(encode(data))
                sep = ",\n"
            out.write("\n]}\n" if timeline.events else "]}\n")
            return
        text = dumps(header, indent=2, ensure_ascii=False)
        if not timeline.events:
            out.write(text[:-2] + ',\n  "events": []\n}\n')
            return
        out.write(text[:-2] + ',\n  "events": [\n    ')
        first = True
        for data in events_to_dicts(timeline.events):
            if not first:
                out.write(",\n    ")
            first = False
            parts: list[str] = []
            pretty(data, 2, parts)
            out.write("".join(parts))
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
        with _collector_paused():
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
            raise ValidationError([Problem(_long_number(text), str(exc))], source) from None
        except RecursionError:
            raise ValidationError([Problem("$", "nested too deeply")], source) from None
        del text
        return timeline_from_dict(doc, source)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file loads.

    Loading makes millions of small objects, none of them in a cycle; the
    collector would walk all of them again and again as they pile up, which
    costs more than the parsing (about 60% of the time of ``json.load`` of
    a 50 MB file). Reference counting still frees everything as usual, and
    the collector is on again when the load ends, however it ends. A
    collector that was already off stays off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


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


def _long_number(text: str) -> str:
    """The line and column of the first number too long in ``text`` (the
    json module does not say where the number it gives ``parse_int`` is)."""
    for match in _TOKEN.finditer(text):
        digits, fraction, exponent = match.groups()
        if digits is not None and len(digits) > MAX_DIGITS and not fraction and not exponent:
            return text_position(text, match.start())
    return "$"  # pragma: no cover - the json module found one


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


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JSONExporter())


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    register(JSONImporter())
