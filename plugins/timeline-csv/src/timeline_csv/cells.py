"""How one value is written in one CSV cell, and read back: a codec for each type of column.

See plugins/timeline-csv/README.md, "Lists in a cell" and "What round-trips".
"""

from __future__ import annotations

import enum
import json
import math
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, Final

from timeline import Date

__all__ = ["BOOL", "FLOAT", "INT", "JSON", "LIST", "TEXT", "CellError", "Codec", "codec_for"]

SEPARATOR: Final = "; "
MAX_DIGITS: Final = 4300
"""The most digits of a whole number: Python's own limit for reading one."""

# Numbers are ASCII: int() and float() also read "1_000", "٣" and " nan ".
_INT: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NOT_FINITE: Final = re.compile(r"[+-]?(?:nan|inf|infinity)", re.ASCII | re.IGNORECASE)
_UNICODE_DIGIT: Final = re.compile(r"[^\D0-9]")


class CellError(ValueError):
    """A cell whose text is not a value of its column."""


class Codec:
    """Writes values of one type to cell text and reads them back."""

    def __init__(self, name: str, write: Callable[[Any], str], read: Callable[[str], Any]) -> None:
        self.name = name
        self.write = write
        self.read = read

    def __repr__(self) -> str:
        return f"<Codec {self.name}>"


def _write_text(value: Any) -> str:
    return value if type(value) is str else str(value)


def _read_text(text: str) -> str:
    return text


def _write_int(value: Any) -> str:
    return str(value)


def _read_int(text: str) -> int:
    number = text.strip()
    if not _INT.fullmatch(number):
        raise CellError(f"expected a whole number, not {_quote(text)}{_why_not(number)}")
    try:
        if len(number.lstrip("+-")) > MAX_DIGITS:
            raise ValueError
        return int(number)
    except ValueError:  # also Python's own limit, sys.set_int_max_str_digits()
        raise CellError(
            f"expected a whole number, not {_quote(text)} (more than {MAX_DIGITS} digits)"
        ) from None


def _write_float(value: Any) -> str:
    return repr(float(value))


def _read_float(text: str) -> float:
    number = text.strip()
    if not _FLOAT.fullmatch(number):
        if _NOT_FINITE.fullmatch(number):
            raise CellError(f"expected a finite number, not {_quote(text)}")
        hint = _why_not(number)
        if not hint and "," in number:
            hint = " (write the decimal point as '.')"
        raise CellError(f"expected a number, not {_quote(text)}{hint}")
    value = float(number)
    if not math.isfinite(value):
        raise CellError(f"expected a finite number, not {_quote(text)} (too large)")
    return value


def _why_not(number: str) -> str:
    """What makes text that Python's int() or float() would read no number
    of ours, as a hint."""
    digit = _UNICODE_DIGIT.search(number)
    if digit:
        char = digit.group()
        name = unicodedata.name(char, "")
        return f" (only ASCII digits 0-9 are read, not {char!r}, U+{ord(char):04X} {name})"
    if "_" in number:
        return " (no '_' between digits)"
    return ""


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _write_bool(value: Any) -> str:
    return "true" if value else "false"


def _read_bool(text: str) -> bool:
    # Spreadsheets write TRUE and FALSE.
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise CellError(f"expected true or false, not {text!r}")


def _write_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _read_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constants, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise CellError(f"not valid JSON: {exc.msg} at character {exc.pos + 1}") from None
    except RecursionError:
        raise CellError("not valid JSON: nested too deeply") from None
    except CellError:
        raise
    except ValueError:  # Python's limit on the digits of a whole number
        raise CellError(f"not valid JSON: a number has more than {MAX_DIGITS} digits") from None


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise CellError(f"not valid JSON: {_quote(text)} is too large for a number")
    return value


def _no_constants(name: str) -> Any:
    """Python's json reads NaN and Infinity; JSON has no such numbers."""
    raise CellError(f"not valid JSON: {name} is not a JSON number")


def read_list(text: str) -> list[Any]:
    """The items of a list cell: ``a; b`` or a JSON array."""
    if text.lstrip().startswith("["):
        value = _read_json(text)
        if not isinstance(value, list):
            raise CellError("expected a JSON array")
        return value
    return [item.strip() for item in text.split(";")]


def write_list(items: Sequence[Any]) -> str:
    """A list as ``a; b`` when that reads back the same, else as a JSON array."""
    if items and all(type(item) is str for item in items):
        plain = SEPARATOR.join(items)
        try:
            if plain and read_list(plain) == list(items):
                return plain
        except CellError:
            pass
    return _write_json(list(items))


TEXT: Final = Codec("text", _write_text, _read_text)
INT: Final = Codec("whole number", _write_int, _read_int)
FLOAT: Final = Codec("number", _write_float, _read_float)
BOOL: Final = Codec("true or false", _write_bool, _read_bool)
LIST: Final = Codec("list", write_list, read_list)
JSON: Final = Codec("JSON", _write_json, _read_json)

_SCALARS: Final[dict[Any, Codec]] = {str: TEXT, Date: TEXT, int: INT, float: FLOAT, bool: BOOL}


def codec_for(tp: Any) -> Codec:
    """The codec for a field annotated with ``tp``.

    Text, dates and string enums are text; ``bool``, ``int`` and ``float``
    are themselves; a tuple of text-like items is a list; anything else (a
    nested record, a mapping, a mixed union) is JSON. ``Optional`` is ignored:
    an empty cell is ``None`` when ``None`` is the default.
    """
    args = typing.get_args(tp)
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        inner = [t for t in args if t is not type(None)]
        if len(inner) != 1:
            return TEXT if all(_is_text(t) for t in inner) else JSON
        tp = inner[0]
        args = typing.get_args(tp)
    if _is_text(tp):
        return TEXT
    if tp in _SCALARS:
        return _SCALARS[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = {type(m.value) for m in tp}
        return INT if values == {int} else JSON
    if typing.get_origin(tp) in (tuple, list, frozenset, set) and args:
        items = [t for t in args if t is not Ellipsis]
        if all(_is_text(t) for t in items):
            return LIST
    return JSON


def _is_text(tp: Any) -> bool:
    if tp is str or tp is Date:
        return True
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return all(type(m.value) is str for m in tp)
    return False
