"""How one value is written in one CSV cell, and read back.

Every codec keeps the round trip exact: ``read(write(value)) == value`` for
every value the column can hold. An empty cell means "not given" (the field's
default), so it is never the text of a value.

Lists are written as their items separated by ``"; "``, and read by
splitting at ``;`` and stripping the spaces around each item. When that would
not read back the same (an item holds ``;`` or starts or ends with a space,
the first item starts with ``[``, the list is empty or is one empty item), the
whole cell is a JSON array instead; a cell that starts with ``[`` is always
read as one.
"""

from __future__ import annotations

import enum
import json
import math
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Final

from timeline import Date

__all__ = ["BOOL", "FLOAT", "INT", "JSON", "LIST", "TEXT", "CellError", "Codec", "codec_for"]

SEPARATOR: Final = "; "


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
    try:
        return int(text.strip())
    except ValueError:
        raise CellError(f"expected a whole number, not {text!r}") from None


def _write_float(value: Any) -> str:
    return repr(float(value))


def _read_float(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        hint = " (write the decimal point as '.')" if "," in text else ""
        raise CellError(f"expected a number, not {text!r}{hint}") from None
    if not math.isfinite(value):
        raise CellError(f"expected a finite number, not {text!r}")
    return value


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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CellError(f"not valid JSON: {exc.msg} at character {exc.pos + 1}") from None
    except RecursionError:
        raise CellError("not valid JSON: nested too deeply") from None


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
