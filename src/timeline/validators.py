"""The checks and converters of event fields, for the model and for plugins'
kinds: each check says in words what is wrong with a value and carries, as
:attr:`FieldCheck.schema`, what it accepts in JSON Schema terms, from which
:func:`timeline.schema.json_schema` is built. See ``docs/plugins.md``.
"""

from __future__ import annotations

import enum
import math
import operator
import re
import sys
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, Protocol, cast

import attrs

from .countries import is_country_code, lookup_country
from .dates import Date, Precision, get_zone, parse_date
from .errors import DateError, FieldError

__all__ = [
    "json_type",
    "C1_CONTROL_CHARACTERS",
    "CONTROL_CHARACTERS",
    "ID_PATTERN",
    "LANGUAGE_PATTERN",
    "MAX_TITLE",
    "NOT_IN_A_LINE",
    "ONE_LINE_CONTROL_CHARACTERS",
    "URL_PATTERN",
    "VALID_PARTIES",
    "FieldCheck",
    "coordinate",
    "date",
    "day_date",
    "event_id",
    "instances",
    "canonical_language",
    "is_event_id",
    "is_language",
    "is_url",
    "language",
    "language_problem",
    "line",
    "lines",
    "member_of",
    "optional_party",
    "optional_date",
    "parties",
    "party",
    "required_line",
    "rrule",
    "schema_of",
    "short",
    "text",
    "title",
    "to_date",
    "to_enum",
    "to_float",
    "to_language",
    "to_parties",
    "to_party",
    "to_text",
    "to_tuple",
    "url",
    "with_schema",
    "zone",
]

MAX_TITLE: Final = 1000

# What text cannot hold, as ranges of code points: C0 controls other than tab
# and line breaks, DEL, and lone surrogates (which cannot be encoded as UTF-8
# at all). One-line text also refuses line breaks, the C1 controls (NEL,
# U+0085, among them) and the line and paragraph separators, which terminals
# and renderers take as line breaks or commands. The model's regular
# expressions and the JSON Schema's patterns are both written from these.
_C0: Final = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x7F))  # and DEL
_C1: Final = ((0x80, 0x84), (0x86, 0x9F))  # but NEL, a line break
_SURROGATES: Final = ((0xD800, 0xDFFF),)
_BREAKS: Final = ((0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029))
_REFUSED_IN_TEXT: Final = (*_C0, *_SURROGATES)


def _merged(*ranges: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """The ranges in order, those that touch made one."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


_REFUSED_IN_LINE: Final = _merged(*_C0, *_C1, *_BREAKS, *_SURROGATES)


def _ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    """``\\u0000-\\u0008\\u000b...``: a character class's body that Python's
    ``re`` and ECMAScript (JSON Schema patterns) read alike."""
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


_TEXT_PATTERN: Final = f"^[^{_ranges(_REFUSED_IN_TEXT)}]*$"
_LINE_PATTERN: Final = f"^[^{_ranges(_REFUSED_IN_LINE)}]*$"
_CONTROL_OR_NEWLINE: Final = re.compile(f"[{_ranges(_REFUSED_IN_LINE)}]")
NOT_IN_A_LINE: Final = _CONTROL_OR_NEWLINE
"""What one-line text may not hold at all, as a pattern: the
:data:`ONE_LINE_CONTROL_CHARACTERS` and the line breaks."""

CONTROL_CHARACTERS: Final = re.compile(f"[{_ranges(_REFUSED_IN_TEXT)}]")
"""What no text may hold, as a pattern: the C0 controls other than tab, line
feed and carriage return; DEL; lone surrogates. A reader that takes text
from elsewhere removes these (``CONTROL_CHARACTERS.sub("", text)``)."""
C1_CONTROL_CHARACTERS: Final = re.compile(f"[{_ranges(_C1)}]")
"""The C1 controls other than NEL (U+0085, a line break), as a pattern: one-line
text may not hold them either."""
ONE_LINE_CONTROL_CHARACTERS: Final = re.compile(f"[{_ranges(_merged(*_C0, *_C1, *_SURROGATES))}]")
"""What one-line text may not hold besides line breaks (``\\n``, ``\\r``, NEL
and the line and paragraph separators), as a pattern: :data:`CONTROL_CHARACTERS`
and :data:`C1_CONTROL_CHARACTERS`."""
_LINE_BREAKS: Final = {"\n": "a line break", "\r": "a line break", "\x85": "a next line (U+0085)",
                       "\u2028": "a line separator (U+2028)",
                       "\u2029": "a paragraph separator (U+2029)"}  # fmt: skip
_NEWLINE: Final = re.compile(r"\r\n?")

ID_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}"
"""What an event id is, for ``re.fullmatch``: letters, digits, ``.``, ``_``
and ``-``, starting with a letter or a digit, at most 200 characters."""
URL_PATTERN: Final = r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+"
"""What an absolute URL is, for ``re.fullmatch``: a scheme, a colon, and no
white space."""
_ALNUM: Final = "[A-Za-z0-9]"
LANGUAGE_PATTERN: Final = (
    "[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}"  # language, extended language subtags
    "(?:-[A-Za-z]{4})?"  # script
    "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    f"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    f"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    f"(?:-[Xx](?:-{_ALNUM}{{1,8}})+)?"  # private use
)
"""What a language tag is, for ``re.fullmatch``: the grammar of BCP 47
(RFC 5646), in any case, with a primary language of two or three letters
(ISO 639): ``en``, ``ru``, ``zh-Hans``, ``en-GB``, ``sr-Latn-RS``,
``de-CH-1996``. The grammar's longer primary subtags (4 to 8 letters,
reserved or unused) are refused, so that ``english`` is a mistake rather
than a tag; so are the irregular tags the RFC keeps for old data."""
_ID: Final = re.compile(ID_PATTERN)
_URL: Final = re.compile(URL_PATTERN)
_LANGUAGE: Final = re.compile(LANGUAGE_PATTERN)
_LANGUAGE_EXAMPLES: Final = "such as en, ru, zh, zh-Hans, en-GB"


class FieldCheck(Protocol):
    """An attrs validator (``attrs.field(validator=timeline.validators.line)``)
    that knows what it accepts: :attr:`schema` is the JSON Schema of a value
    it lets through, ``None`` apart (an optional field's type says that).
    ``{"$ref": "#/$defs/NAME"}`` in it refers to ``date``, ``day``, ``place``
    or ``source``, which the published schema defines. It is a plain
    function, called by attrs as any validator is (no frame of ours in
    between: a check runs for every field of every event)."""

    schema: Mapping[str, Any]

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any, /) -> None: ...


_Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def with_schema(schema: Mapping[str, Any]) -> Callable[[_Check], FieldCheck]:
    """Mark a validator of yours with the JSON Schema of what it accepts, so
    that the published schema describes your field as exactly:
    ``@with_schema({"type": "integer", "minimum": 1})``."""
    frozen = MappingProxyType(dict(schema))

    def mark(check: _Check) -> FieldCheck:
        check.schema = frozen  # type: ignore[attr-defined]
        return cast(FieldCheck, check)

    return mark


def schema_of(validator: object) -> Mapping[str, Any] | None:
    """The JSON Schema a validator carries (see :func:`with_schema`), if any."""
    schema = getattr(validator, "schema", None)
    return schema if isinstance(schema, Mapping) else None


def _fail(attribute: attrs.Attribute[Any], message: str) -> FieldError:
    return FieldError(attribute.name, f"{attribute.name}: {message}")


def short(value: Any) -> str:
    """``repr(value)``, cut to 60 characters, for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def json_type(value: Any) -> str:
    """A JSON value's type in words, for a message: ``null``, ``a boolean``,
    ``a number (5)``, ``a string ('x')``, ``an array``, ``an object``; a
    tuple is an array and any mapping an object, as they are written."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({short(value)})"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _check_text(attribute: attrs.Attribute[Any], value: Any, *, one_line: bool) -> None:
    if type(value) is not str:
        raise _fail(attribute, f"expected a string, not {type(value).__name__}")
    found = (_CONTROL_OR_NEWLINE if one_line else CONTROL_CHARACTERS).search(value)
    if found:
        if one_line and ("\n" in value or "\r" in value):
            raise _fail(attribute, "must be one line")
        if found.group() in _LINE_BREAKS:
            what = _LINE_BREAKS[found.group()]
            raise _fail(attribute, f"must be one line: {what} at position {found.start()}")
        char = ord(found.group())
        what = "a lone surrogate" if 0xD800 <= char <= 0xDFFF else "the control character"
        raise _fail(attribute, f"contains {what} U+{char:04X} at position {found.start()}")


def _check_required_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str or _CONTROL_OR_NEWLINE.search(value) or not value.strip():
        _check_text(attribute, value, one_line=True)
        raise _fail(attribute, "must not be empty")


_LINE_SCHEMA: Final = {"type": "string", "pattern": _LINE_PATTERN}
_REQUIRED_LINE_SCHEMA: Final = {"type": "string", "minLength": 1, "pattern": _LINE_PATTERN}


def _check_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_text(attribute, value, one_line=True)


def _check_multi_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value != "":
        _check_text(attribute, value, one_line=False)


def _check_title(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_required_line(None, attribute, value)
    if len(value) > MAX_TITLE:
        raise _fail(attribute, f"is {len(value)} characters long; the limit is {MAX_TITLE}")


def _check_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_text(attribute, value, one_line=True)
    if not _URL.fullmatch(value):
        raise _fail(attribute, f"{short(value)} is not an absolute URL")


def _check_party(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is str and value in VALID_PARTIES:
        return  # checked once already: whether a party is valid depends on it alone
    if value is None:
        raise _fail(attribute, "is required")
    _check_required_line(None, attribute, value)
    if len(value) == 2 and value.isalpha() and not is_country_code(value):
        raise _fail(attribute, f"{value!r} is not an ISO 3166-1 country code")
    if len(VALID_PARTIES) >= _PARTY_CACHE_SIZE:
        VALID_PARTIES.clear()
    if type(value) is str:
        VALID_PARTIES.add(value)


VALID_PARTIES: Final[set[str]] = set()
"""The parties that :data:`party` has found valid (at most 4,096, then it
starts again): a party in it is valid, whatever field names it. Read it,
never add to it."""


def _check_optional_party(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_party(None, attribute, value)


def _check_parties(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise _fail(attribute, f"expected a list, not {type(value).__name__}")
    for item in value:
        if type(item) is not str:
            raise _fail(attribute, f"expected text items, not {type(item).__name__}")
        _check_party(None, attribute, item)
    if len(set(value)) != len(value):
        raise _fail(attribute, "lists a party twice")


def _check_lines(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise _fail(attribute, f"expected a list, not {type(value).__name__}")
    for item in value:
        _check_required_line(None, attribute, item)


def _check_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Date):
        raise _fail(attribute, f"expected a date, not {type(value).__name__}")


def _check_optional_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_date(None, attribute, value)


def _check_day_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_date(None, attribute, value)
    if value.precision is not Precision.DAY:
        raise _fail(attribute, f"must be a day, not {value}")


def _check_zone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_text(attribute, value, one_line=True)
    try:
        get_zone(value)
    except DateError as exc:
        raise _fail(attribute, str(exc)) from None


def _check_event_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value == "":
        return  # derived after the other fields are checked
    if type(value) is not str:
        raise _fail(attribute, f"expected a string, not {type(value).__name__}")
    if not _ID.fullmatch(value):
        raise _fail(
            attribute,
            f"{short(value)} is not a valid id (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 200 characters)",
        )


def _check_language(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str:
        raise _fail(attribute, f"expected a string, not {type(value).__name__}")
    if not is_language(value):
        raise _fail(attribute, language_problem(value))


def language_problem(value: str) -> str:
    """What is wrong with ``value`` as a language tag, in words; for a
    message that names the field itself."""
    return f"{short(value)} is not a BCP 47 language tag ({_LANGUAGE_EXAMPLES})"


def _check_rrule(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_text(attribute, value, one_line=True)


line: Final = with_schema(_LINE_SCHEMA)(_check_line)
"""Optional one-line text (``None`` passes)."""
required_line: Final = with_schema(_REQUIRED_LINE_SCHEMA)(_check_required_line)
"""One-line text that is not empty nor only spaces."""
text: Final = with_schema({"type": "string", "pattern": _TEXT_PATTERN})(_check_multi_line)
"""Text of any number of lines (tab and line breaks allowed)."""
title: Final = with_schema({**_REQUIRED_LINE_SCHEMA, "maxLength": MAX_TITLE})(_check_title)
"""A title: a required line of at most :data:`MAX_TITLE` characters."""
url: Final = with_schema({"type": "string", "pattern": f"^{URL_PATTERN}$"})(_check_url)
"""An absolute URL, or ``None``."""
party: Final = with_schema(_REQUIRED_LINE_SCHEMA)(_check_party)
"""Who takes part: an ISO 3166-1 alpha-2 code, or a name. Use :func:`to_party`
as the converter, so that a country is always its code."""
optional_party: Final = with_schema(_REQUIRED_LINE_SCHEMA)(_check_optional_party)
"""A :data:`party`, or ``None``."""
parties: Final = with_schema(
    {"type": "array", "items": _REQUIRED_LINE_SCHEMA, "uniqueItems": True}
)(_check_parties)
"""A list of parties, none twice; with :func:`to_parties`."""
lines: Final = with_schema({"type": "array", "items": _REQUIRED_LINE_SCHEMA})(_check_lines)
"""A list of required lines (tags); with :func:`to_tuple`."""
date: Final = with_schema({"$ref": "#/$defs/date"})(_check_date)
"""A :class:`~timeline.Date`; with :func:`to_date`."""
optional_date: Final = with_schema({"$ref": "#/$defs/date"})(_check_optional_date)
"""A :class:`~timeline.Date` or ``None``; with :func:`to_date`."""
day_date: Final = with_schema({"$ref": "#/$defs/day"})(_check_day_date)
"""A date of day precision, or ``None``; with :func:`to_date`."""
zone: Final = with_schema(_REQUIRED_LINE_SCHEMA)(_check_zone)
"""An IANA time zone name that tzdata knows, or ``None``."""
event_id: Final = with_schema({"type": "string", "pattern": f"^{ID_PATTERN}$"})(_check_event_id)
"""An event id (see :data:`ID_PATTERN`); ``""`` passes, to be derived."""
language: Final = with_schema({"type": "string", "pattern": f"^{LANGUAGE_PATTERN}$"})(
    _check_language
)
"""A BCP 47 language tag (see :data:`LANGUAGE_PATTERN`); with
:func:`to_language`, which gives it its canonical case."""
rrule: Final = with_schema(_LINE_SCHEMA)(_check_rrule)
"""The text of a recurrence rule, or ``None`` (its grammar is checked by
:meth:`timeline.Event.rule`)."""


def coordinate(limit: float) -> FieldCheck:
    """A finite number from ``-limit`` to ``limit``, or ``None``; with
    :func:`to_float`."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if type(value) not in (int, float):
            raise _fail(attribute, f"expected a number, not {type(value).__name__}")
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise _fail(attribute, f"{value} is out of range -{limit:g}..{limit:g}")

    return with_schema({"type": "number", "minimum": -limit, "maximum": limit})(check)


def instances(cls: type[Any]) -> FieldCheck:
    """A list of ``cls`` instances; with :func:`to_tuple`. The schema refers to
    ``#/$defs/`` and the class's name in lower case (``source``)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            raise _fail(attribute, f"expected a list, not {type(value).__name__}")
        for item in value:
            if not isinstance(item, cls):
                raise _fail(attribute, f"expected {cls.__name__} items, not {type(item).__name__}")

    check.items = cls  # type: ignore[attr-defined]  # what it accepts, for timeline.initialisers
    items = {"$ref": f"#/$defs/{cls.__name__.lower()}"}
    return with_schema({"type": "array", "items": items})(check)


def member_of(cls: type[enum.Enum]) -> FieldCheck:
    """One of the members of the enum ``cls``; with :func:`to_enum`."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            valid = ", ".join(repr(m.value) for m in cls)
            raise _fail(attribute, f"{short(value)} is not one of {valid}")

    values = [m.value for m in cls]
    check.enum = cls  # type: ignore[attr-defined]  # what it accepts, for timeline.initialisers
    return with_schema({"enum": values})(check)


def is_event_id(value: str) -> bool:
    """Whether ``value`` is a valid event id."""
    return _ID.fullmatch(value) is not None


def is_language(value: str) -> bool:
    """Whether ``value`` is a language tag (:data:`LANGUAGE_PATTERN`), in any case."""
    return _LANGUAGE.fullmatch(value) is not None


def canonical_language(tag: str) -> str:
    """The case RFC 5646 recommends for a language tag: the language and
    the other subtags in lower case, a script in title case, a region in
    upper case; after an extension's or private use's single letter,
    everything in lower case. ``zh-hans-cn`` is ``zh-Hans-CN``. The tag must
    be one (:func:`is_language`).

    >>> canonical_language("EN-gb"), canonical_language("sr-latn-rs-x-Old")
    ('en-GB', 'sr-Latn-RS-x-old')
    """
    subtags = tag.lower().split("-")
    out = [subtags[0]]
    extension = False
    for subtag in subtags[1:]:
        if len(subtag) == 1:
            extension = True
        if not extension and len(subtag) == 2:
            out.append(subtag.upper())  # a region
        elif not extension and len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())  # a script
        else:
            out.append(subtag)
    return "-".join(out)


def is_url(value: str) -> bool:
    """Whether ``value`` has the form of an absolute URL."""
    return _URL.fullmatch(value) is not None


# -- converters ---------------------------------------------------------------------------


def to_party(value: Any) -> Any:
    """``"kz"`` and ``"Kazakhstan"`` mean ``"KZ"``: a country is kept as its
    code, however it is written, so that the same country is one party.

    The parties of many events are few: each text is converted once, and
    every event that names the same party holds the same (interned) string."""
    if type(value) is not str:
        return value
    party = _PARTIES.get(value)
    if party is None:
        stripped = value.strip()
        if len(stripped) == 2 and stripped.isalpha():
            party = sys.intern(stripped.upper())
        else:
            party = lookup_country(stripped) or value
        if len(_PARTIES) >= _PARTY_CACHE_SIZE:
            _PARTIES.clear()
        _PARTIES[value] = party
    return party


_PARTY_CACHE_SIZE: Final = 4096
_ONLY_STR: Final = frozenset((str,))
_PARTIES: dict[str, str] = {}
"""Texts already converted by :func:`to_party`, and their parties."""


def to_parties(value: Any) -> Any:
    """A list of parties as a tuple of :func:`to_party` values (the tuple
    given, when every item of it is its own party already)."""
    value = to_tuple(value)
    if type(value) is tuple:
        if _ONLY_STR.issuperset(map(type, value)):
            # Each text seen before is its party already: looked up without a call.
            parties = tuple(map(_PARTIES.get, value))
            if None in parties:
                parties = tuple(map(to_party, value))
        else:
            parties = tuple(map(to_party, value))
        if all(map(operator.is_, parties, value)):
            return value
        return parties
    return value


def to_language(value: Any) -> Any:
    """A language tag in its canonical case (:func:`canonical_language`):
    ``zh-hans`` means ``zh-Hans``. Anything that is no tag is left for the
    validator to refuse."""
    if type(value) is str and is_language(value):
        return canonical_language(value)
    return value


def to_tuple(value: Any) -> Any:
    """Lists become tuples; a lone string is left alone so that the validator
    can say that a list was expected (``tuple("ab")`` would be ``("a", "b")``)."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def to_text(value: Any) -> Any:
    """Line breaks are stored as ``\\n`` whatever the input used."""
    if type(value) is str and "\r" in value:
        return _NEWLINE.sub("\n", value)
    return value


def to_date(value: Any) -> Any:
    """Text is parsed as a date and a ``datetime.date`` or ``datetime`` coerced;
    anything else is left for the validator to refuse."""
    if type(value) is str:
        return parse_date(value)
    if isinstance(value, Date):
        return value
    import datetime as dt

    if isinstance(value, dt.date):
        return Date.coerce(value)
    return value


def to_float(value: Any) -> Any:
    """An ``int`` as a ``float``."""
    return float(value) if type(value) is int else value


def to_enum(cls: type[enum.Enum], value: Any) -> Any:
    """``"dialogue partner"`` and ``"DIALOGUE_PARTNER"`` mean ``"dialogue-partner"``."""
    if isinstance(value, str) and not isinstance(value, cls):
        try:
            return cls(value.replace(" ", "-").replace("_", "-").lower())
        except ValueError:
            return value  # the validator says what the choices are
    return value
