"""The typed events of a timeline.

Every event is a frozen attrs class. :class:`Event` holds what all events
share; :class:`Founding`, :class:`Accession` and :class:`Summit` add typed
attributes, and plugins add kinds of their own by subclassing :class:`Event`
with a new ``kind`` (see ``docs/plugins.md``). Validation lives in the
validators; turning events into files is the formats' business, not theirs.

Fields that a kind adds carry a ``label`` in their attrs metadata (``"Host"``,
``"Founding members"``): exporters use it to show the attribute in words, so a
plugin's kind is shown as well as ours.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from .countries import country_name, is_country_code, lookup_country
from .dates import Date, DateLike, Precision, get_zone, parse_date
from .errors import DateError, FieldError

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "Accession",
    "Event",
    "Format",
    "Founding",
    "Place",
    "Source",
    "Status",
    "Summit",
    "kind_fields",
]

MAX_TITLE: Final = 1000
MAX_OCCURRENCES: Final = 100_000

# Characters no format can carry: C0 controls other than tab and line breaks,
# DEL, and lone surrogates (which cannot be encoded as UTF-8 at all). One-line
# fields also refuse the C1 controls (NEL, U+0085, among them) and the line
# and paragraph separators, which terminals and renderers take as line breaks
# or commands.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_LINE_BREAKS: Final = {"\n": "a line break", "\r": "a line break", "\x85": "a next line (U+0085)",
                       "\u2028": "a line separator (U+2028)",
                       "\u2029": "a paragraph separator (U+2029)"}  # fmt: skip
_NEWLINE = re.compile(r"\r\n?")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


# -- validators and converters ----------------------------------------------------------


def _fail(attribute: attrs.Attribute[Any], message: str) -> FieldError:
    return FieldError(attribute.name, f"{attribute.name}: {message}")


def _check_text(attribute: attrs.Attribute[Any], value: Any, *, one_line: bool) -> None:
    if type(value) is not str:
        raise _fail(attribute, f"expected a string, not {type(value).__name__}")
    found = (_CONTROL_OR_NEWLINE if one_line else _CONTROL).search(value)
    if found:
        if one_line and ("\n" in value or "\r" in value):
            raise _fail(attribute, "must be one line")
        if found.group() in _LINE_BREAKS:
            what = _LINE_BREAKS[found.group()]
            raise _fail(attribute, f"must be one line: {what} at position {found.start()}")
        char = ord(found.group())
        what = "a lone surrogate" if 0xD800 <= char <= 0xDFFF else "the control character"
        raise _fail(attribute, f"contains {what} U+{char:04X} at position {found.start()}")


def _required_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str or _CONTROL_OR_NEWLINE.search(value) or not value.strip():
        _check_text(attribute, value, one_line=True)
        raise _fail(attribute, "must not be empty")


def _line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _check_text(attribute, value, one_line=True)


def _text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value != "":
        _check_text(attribute, value, one_line=False)


def _title(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _required_line(instance, attribute, value)
    if len(value) > MAX_TITLE:
        raise _fail(attribute, f"is {len(value)} characters long; the limit is {MAX_TITLE}")


def _url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_text(attribute, value, one_line=True)
    if not _URL.fullmatch(value):
        raise _fail(attribute, f"{_short(value)} is not an absolute URL")


def _party(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _required_line(instance, attribute, value)
    if len(value) == 2 and value.isalpha() and not is_country_code(value):
        raise _fail(attribute, f"{value!r} is not an ISO 3166-1 country code")


def _to_party(value: Any) -> Any:
    """``"kz"`` and ``"Kazakhstan"`` mean ``"KZ"``: a country is kept as its
    code, however it is written, so that the same country is one party."""
    if type(value) is not str:
        return value
    stripped = value.strip()
    if len(stripped) == 2 and stripped.isalpha():
        return stripped.upper()
    return lookup_country(stripped) or value


def _to_parties(value: Any) -> Any:
    value = _to_tuple(value)
    if type(value) is tuple:
        return tuple(_to_party(item) for item in value)
    return value


def _parties(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise _fail(attribute, f"expected a list, not {type(value).__name__}")
    for item in value:
        _party(instance, attribute, item)
    if len(set(value)) != len(value):
        raise _fail(attribute, "lists a party twice")


def _lines(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise _fail(attribute, f"expected a list, not {type(value).__name__}")
    for item in value:
        _required_line(instance, attribute, item)


def _to_tuple(value: Any) -> Any:
    """Lists become tuples; a lone string is left alone so that the validator
    can say that a list was expected (``tuple("ab")`` would be ``("a", "b")``)."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def _to_text(value: Any) -> Any:
    """Line breaks are stored as ``\\n`` whatever the input used."""
    if type(value) is str and "\r" in value:
        return _NEWLINE.sub("\n", value)
    return value


def _to_date(value: Any) -> Any:
    if type(value) is str:
        return parse_date(value)
    if isinstance(value, dt.date):
        return Date.coerce(value)
    return value  # a Date, None, or something the validator will refuse


def _to_optional_date(value: Any) -> Any:
    return _to_date(value)


def _date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Date):
        raise _fail(attribute, f"expected a date, not {type(value).__name__}")


def _optional_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _date(instance, attribute, value)


def _instances(cls: type) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            raise _fail(attribute, f"expected a list, not {type(value).__name__}")
        for item in value:
            if not isinstance(item, cls):
                raise _fail(attribute, f"expected {cls.__name__} items, not {type(item).__name__}")

    return check


def _to_enum(cls: type[enum.Enum], value: Any) -> Any:
    """``"dialogue partner"`` and ``"DIALOGUE_PARTNER"`` mean ``"dialogue-partner"``."""
    if isinstance(value, str) and not isinstance(value, cls):
        try:
            return cls(value.replace(" ", "-").replace("_", "-").lower())
        except ValueError:
            return value  # the validator says what the choices are
    return value


def _member_of(cls: type[enum.Enum]) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            valid = ", ".join(repr(m.value) for m in cls)
            raise _fail(attribute, f"{_short(value)} is not one of {valid}")

    return check


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- places and sources -------------------------------------------------------------------


def _coordinate(limit: float) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if type(value) not in (int, float):
            raise _fail(attribute, f"expected a number, not {type(value).__name__}")
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise _fail(attribute, f"{value} is out of range -{limit:g}..{limit:g}")

    return check


def _to_float(value: Any) -> Any:
    return float(value) if type(value) is int else value


def _zone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_text(attribute, value, one_line=True)
    try:
        get_zone(value)
    except DateError as exc:
        raise _fail(attribute, str(exc)) from None


@attrs.frozen(kw_only=True)
class Place:
    """Where an event happened: a name, and optionally its country (ISO 3166-1
    alpha-2), coordinates and IANA time zone."""

    name: str = attrs.field(validator=_required_line)
    country: str | None = attrs.field(default=None, converter=_to_party, validator=_party)
    latitude: float | None = attrs.field(
        default=None, converter=_to_float, validator=_coordinate(90)
    )
    longitude: float | None = attrs.field(
        default=None, converter=_to_float, validator=_coordinate(180)
    )
    timezone: str | None = attrs.field(default=None, validator=_zone)

    def __attrs_post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise FieldError("latitude", "latitude and longitude come together, or not at all")
        if self.country is not None and not is_country_code(self.country):
            raise FieldError("country", f"country: {self.country!r} is not an ISO 3166-1 code")

    @property
    def country_name(self) -> str | None:
        """The English name of :attr:`country`."""
        return None if self.country is None else country_name(self.country)


def _optional_place(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Place):
        raise _fail(attribute, f"expected a Place, not {type(value).__name__}")


def _day_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _date(instance, attribute, value)
    if value.precision is not Precision.DAY:
        raise _fail(attribute, f"must be a day, not {value}")


@attrs.frozen(kw_only=True)
class Source:
    """Where a fact comes from: a URL and, optionally, a title, the day it was
    accessed and a note."""

    url: str = attrs.field(validator=_url)
    title: str | None = attrs.field(default=None, validator=_line)
    accessed: Date | None = attrs.field(
        default=None, converter=_to_optional_date, validator=_day_date
    )
    note: str = attrs.field(default="", converter=_to_text, validator=_text)


# -- events ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")


def _derive_id(title: str, start: Date) -> str:
    """``{start}-{slug of title}``; a title with no Latin letters or digits
    gets a short hash of itself instead, so the id is still stable."""
    slug = _slug(title)[:60].strip("-")
    if not slug:
        slug = hashlib.sha256(title.encode("utf-8")).hexdigest()[:12]
    return f"{_slug(start.isoformat())}-{slug}"


def _event_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value == "":
        return  # derived after the other fields are checked
    if type(value) is not str:
        raise _fail(attribute, f"expected a string, not {type(value).__name__}")
    if not _ID.fullmatch(value):
        raise _fail(
            attribute,
            f"{_short(value)} is not a valid id (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 200 characters)",
        )


def _rrule(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    _check_text(attribute, value, one_line=True)


def _ends_before_it_starts(start: Date, end: Date) -> bool:
    """Precision-aware: an end is too early only when every day it may be is
    before every day the start may be (``2024-06`` may end an event that
    starts on ``2024-06-15``); two times on the same day compare as instants."""
    if end.last_day_number() < start.first_day_number():
        return True
    if start.time is not None and end.time is not None:
        return end.sort_key < start.sort_key
    return False


def label(text: str) -> dict[str, str]:
    """The attrs ``metadata`` for a kind's field: how exporters show it in words."""
    return {"label": text}


@attrs.frozen(kw_only=True)
class Event:
    """A dated event. Only ``title`` and ``start`` are required.

    ``end`` is inclusive (a summit on 3-4 July has ``end`` 4 July) and must
    not come before ``start``. ``id`` is derived from the start and the title
    when not given, so it is stable from run to run. ``recurrence`` is an
    RFC 5545 RRULE such as ``FREQ=YEARLY``.

    >>> Event(title="SCO founded", start="2001-06-15").id
    '2001-06-15-sco-founded'
    """

    kind: ClassVar[str] = "event"

    id: str = attrs.field(default="", validator=_event_id)
    title: str = attrs.field(validator=_title)
    start: Date = attrs.field(converter=_to_date, validator=_date)
    end: Date | None = attrs.field(
        default=None, converter=_to_optional_date, validator=_optional_date
    )
    description: str = attrs.field(default="", converter=_to_text, validator=_text)
    place: Place | None = attrs.field(default=None, validator=_optional_place)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=_lines)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=_to_tuple, validator=_instances(Source)
    )
    url: str | None = attrs.field(default=None, validator=_url)
    notes: str = attrs.field(default="", converter=_to_text, validator=_text)
    recurrence: str | None = attrs.field(default=None, validator=_rrule)

    def __attrs_post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", _derive_id(self.title, self.start))
        if self.end is not None and _ends_before_it_starts(self.start, self.end):
            raise FieldError("end", f"end: {self.end} is before the start {self.start}")
        if self.recurrence is not None:
            self.rule()  # validates

    # -- what it is about ---------------------------------------------------------------

    @property
    def last(self) -> Date:
        """The end if there is one, else the start."""
        return self.end if self.end is not None else self.start

    def parties(self) -> frozenset[str]:
        """Who or what the event involves: the place's country, plus whatever
        a kind adds (members, hosts, participants)."""
        if self.place is not None and self.place.country is not None:
            return frozenset((self.place.country,))
        return frozenset()

    def overlaps(self, start: DateLike, end: DateLike | None = None) -> bool:
        """Whether any day of the event lies in the days ``start``..``end`` cover."""
        first = Date.coerce(start)
        last = first if end is None else Date.coerce(end)
        return (
            self.start.first_day_number() <= last.last_day_number()
            and first.first_day_number() <= self.last.last_day_number()
        )

    # -- recurrence ---------------------------------------------------------------------

    def rule(self) -> rrule:
        """The recurrence as a dateutil ``rrule`` starting at :attr:`start`."""
        from dateutil.rrule import rrule, rrulestr

        if self.recurrence is None:
            raise FieldError("recurrence", f"event {self.id!r} does not recur")
        if self.start.precision < Precision.DAY or not 1 <= self.start.year <= 9999:
            raise FieldError(
                "recurrence",
                f"recurrence: needs a start with a day between years 1 and 9999, not {self.start}",
            )
        text = self.recurrence.removeprefix("RRULE:")
        from .recurrence import parse_rule

        try:
            parts = parse_rule(text)
            other = next((p for p in parts if p in ("RSCALE", "SKIP") or p.startswith("X-")), None)
            if other is not None:
                raise ValueError(f"{other} is not a part of an RFC 5545 rule")
        except ValueError as exc:
            raise FieldError(
                "recurrence", f"recurrence: {_short(text)} is not a valid RRULE: {exc}"
            ) from None
        dtstart = (
            self.start.to_datetime()
            if self.start.time is not None
            else dt.datetime.combine(self.start.to_date(), dt.time())
        )
        try:
            result = rrulestr(text, dtstart=dtstart)
        except (ValueError, TypeError, OverflowError) as exc:
            raise FieldError(
                "recurrence", f"recurrence: {text!r} is not a valid RRULE: {exc}"
            ) from None
        if not isinstance(result, rrule):  # pragma: no cover - a plain RRULE gives one rule
            raise FieldError("recurrence", f"recurrence: {text!r} is more than one rule")
        return result

    def occurrences(
        self, start: DateLike, end: DateLike, *, limit: int = MAX_OCCURRENCES
    ) -> Iterator[Date]:
        """The dates on which the event happens between ``start`` and ``end``
        (inclusive, by day). An event without a rule happens once. More than
        ``limit`` occurrences is an error rather than a hang."""
        first, last = Date.coerce(start), Date.coerce(end)
        if self.recurrence is None:
            if self.overlaps(first, last):
                yield self.start
            return
        lo, hi = first.earliest, last.latest
        if hi.year < 1 or lo.year > 9999:
            return
        lo_dt = dt.datetime(max(lo.year, 1), lo.month or 1, lo.day or 1)
        if lo.year < 1:
            lo_dt = dt.datetime(1, 1, 1)
        hi_dt = dt.datetime.combine(
            dt.date(min(hi.year, 9999), hi.month or 12, hi.day or 31), dt.time.max
        )
        rule = self.rule()
        if self.start.time is not None and self.start.tz is not None:
            tzinfo = self.start.to_datetime().tzinfo
            lo_dt, hi_dt = lo_dt.replace(tzinfo=tzinfo), hi_dt.replace(tzinfo=tzinfo)
        for count, when in enumerate(rule.xafter(lo_dt, inc=True)):
            if when > hi_dt:
                return
            if count >= limit:
                raise FieldError(
                    "recurrence", f"event {self.id!r} recurs more than {limit} times in the window"
                )
            if self.start.time is None:
                yield Date._make(when.year, when.month, when.day)
            else:
                yield attrs.evolve(self.start, year=when.year, month=when.month, day=when.day)


# -- the built-in kinds ---------------------------------------------------------------------


class _Choice(enum.StrEnum):
    """A choice written in data with hyphens and in prose with spaces."""

    @property
    def words(self) -> str:
        """The value as prose: ``dialogue partner``, ``in person``."""
        return self.value.replace("-", " ")


class Status(_Choice):
    """What an accession makes a state."""

    MEMBER = "member"
    OBSERVER = "observer"
    DIALOGUE_PARTNER = "dialogue-partner"


class Format(_Choice):
    """How a summit met."""

    IN_PERSON = "in-person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


def _to_status(value: Any) -> Any:
    return _to_enum(Status, value)


def _to_format(value: Any) -> Any:
    return _to_enum(Format, value)


@attrs.frozen(kw_only=True)
class Founding(Event):
    """The founding of an organisation, with its founding members."""

    kind: ClassVar[str] = "founding"

    organisation: str = attrs.field(validator=_required_line, metadata=label("Organisation"))
    members: tuple[str, ...] = attrs.field(
        default=(), converter=_to_parties, validator=_parties, metadata=label("Founding members")
    )

    def parties(self) -> frozenset[str]:
        return super().parties() | frozenset(self.members)


@attrs.frozen(kw_only=True)
class Accession(Event):
    """A state joining an organisation, as a member, observer or dialogue partner."""

    kind: ClassVar[str] = "accession"

    organisation: str = attrs.field(validator=_required_line, metadata=label("Organisation"))
    member: str = attrs.field(converter=_to_party, validator=_party, metadata=label("Member"))
    status: Status = attrs.field(
        default=Status.MEMBER,
        converter=_to_status,
        validator=_member_of(Status),
        metadata=label("Status"),
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.member is None:
            raise FieldError("member", "member: is required")

    def parties(self) -> frozenset[str]:
        return super().parties() | {self.member}


@attrs.frozen(kw_only=True)
class Summit(Event):
    """A meeting of an organisation's leaders, with its host and format."""

    kind: ClassVar[str] = "summit"

    organisation: str = attrs.field(validator=_required_line, metadata=label("Organisation"))
    host: str | None = attrs.field(
        default=None, converter=_to_party, validator=_party, metadata=label("Host")
    )
    participants: tuple[str, ...] = attrs.field(
        default=(), converter=_to_parties, validator=_parties, metadata=label("Participants")
    )
    format: Format = attrs.field(
        default=Format.IN_PERSON,
        converter=_to_format,
        validator=_member_of(Format),
        metadata=label("Format"),
    )

    def parties(self) -> frozenset[str]:
        hosts = frozenset() if self.host is None else frozenset((self.host,))
        return super().parties() | hosts | frozenset(self.participants)


_COMMON: Final = frozenset(a.name for a in attrs.fields(Event))


def kind_fields(cls: type[Event]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields a kind adds to :class:`Event`, in definition order."""
    return tuple(a for a in attrs.fields(cls) if a.name not in _COMMON)
