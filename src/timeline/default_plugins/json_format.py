"""The JSON format: the canonical, lossless file format of timeline.

The document is described in ``docs/json-format.md`` and by the JSON Schema
that ships in ``timeline/schema/timeline.schema.json``.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from json.encoder import encode_basestring
from typing import Any, TextIO

from ..conversion import events_to_dicts, timeline_from_dict, timeline_header
from ..errors import Problem, ValidationError
from ..formats import Exporter, Importer, Option
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
            _pretty(data, 2, parts)
            out.write("".join(parts))
        out.write("\n  ]\n}\n")


_INDENTS = ["\n" + "  " * level for level in range(_MAX_DEPTH + 2)]
_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _pretty(value: Any, level: int, parts: list[str]) -> None:
    """Append what ``json.dumps(value, indent=2, ensure_ascii=False)`` would
    write at nesting ``level``; the json module's pretty printer is pure
    Python and the slowest part of a dump, this is about twice as fast. A test
    compares the two on every kind of value."""
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
            _pretty(item, level + 1, parts)
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
            _pretty(item, level + 1, parts)
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

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        with _collector_paused():
            return self._read(stream, source)

    def _read(self, stream: TextIO, source: str) -> Timeline:
        try:
            doc = json.load(stream, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                [Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
                source,
            ) from None
        except (_DuplicateKey, _NotJSON) as exc:
            raise ValidationError([Problem("$", str(exc))], source) from None
        except RecursionError:
            raise ValidationError([Problem("$", "nested too deeply")], source) from None
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
