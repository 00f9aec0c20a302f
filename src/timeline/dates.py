"""Dates that know their precision: :class:`Date`, :class:`Precision` and the parser.

A date is a year, a month, a day or a time of day, maybe approximate or uncertain; the
parser reads EDTF text with a ``[Zone]`` suffix, and free text. See ``docs/dates.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import importlib.resources
import re
import threading
import unicodedata
import warnings
import zoneinfo
from collections.abc import Iterator
from typing import Any, Final

import attrs

from .errors import DateError

__all__ = ["DATE_CACHE_SIZE", "READ_DATES", "Date", "DateLike", "Precision", "parse_date"]

MIN_YEAR: Final = -9999
MAX_YEAR: Final = 9999

# EDTF/ISO 8601 text, written once: the parser's regular expression and the
# JSON Schema's patterns are both made from these parts. ASCII digits only:
# Python's \d also matches Arabic-Indic, fullwidth and other digits.
_YEAR: Final = r"(?P<y>-?[0-9]{4})"
_MONTH: Final = r"-(?P<m>[0-9]{2})"
_DAY: Final = r"-(?P<d>[0-9]{2})"
_TIME: Final = (
    r"[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,](?P<f>[0-9]{1,6}))?)?"
    r"(?P<off>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
    r"(?:\[(?P<zone>[^\[\]\s]+)\])?"
)
_QUALIFIER_MARK: Final = r"(?P<q>[~?%])?"
_ISO_FORM: Final = f"{_YEAR}(?:{_MONTH}(?:{_DAY}(?:{_TIME})?)?)?{_QUALIFIER_MARK}"


def _schema_pattern(form: str) -> str:
    """``form`` as a JSON Schema (ECMA-262) pattern of the whole text: Python's
    named groups ``(?P<name>...)`` become plain groups."""
    return "^" + re.sub(r"\(\?P<\w+>", "(", form) + "$"


DATE_PATTERN: Final = _schema_pattern(_ISO_FORM)
"""The form of the text :func:`parse_date` reads as EDTF/ISO 8601 (what the
JSON format writes), as a JSON Schema pattern; whether the date exists (30
February) is the parser's to say."""
DAY_PATTERN: Final = _schema_pattern(f"{_YEAR}{_MONTH}{_DAY}{_QUALIFIER_MARK}")
"""The form of a date of day precision (``2001-06-15``, ``2001-06-15~``), as
a JSON Schema pattern."""

_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""The English month names, January first (the words of every format and
message use these)."""
_UTC_NAMES: Final = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "Zulu", "UCT", "Z"})


class Precision(enum.IntEnum):
    """How much of a date is known; a coarser precision sorts first."""

    YEAR = 1
    MONTH = 2
    DAY = 3
    TIME = 4

    def __str__(self) -> str:
        return self.name.lower()


def is_leap(year: int) -> bool:
    """Whether ``year`` (astronomical numbering) is a leap year in the proleptic
    Gregorian calendar."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """The number of days in ``month`` of ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def day_number(year: int, month: int, day: int) -> int:
    """A serial day number for any proleptic Gregorian date; 1970-01-01 is 0.

    Unlike :meth:`datetime.date.toordinal` it works for years before 1.
    """
    # Howard Hinnant's days_from_civil.
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_NOT_A_PLACE: Final = frozenset({"Factory"})
"""Keys in tzdata's list that name no place: ``Factory`` is the zone of a
machine whose zone has not been set."""
_UNKNOWN_ZONE: Final = "unknown time zone {key} (expected an IANA name such as 'Asia/Almaty')"


class TzdataZone(zoneinfo.ZoneInfo):
    """A zone read from the tzdata package; pickled by its key, so that a
    datetime in it pickles (``ZoneInfo.from_file`` zones do not)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (get_zone, (self.key,))


_zones: dict[str, zoneinfo.ZoneInfo] = {}
_zones_lock = threading.Lock()


@functools.cache
def zone_keys() -> frozenset[str]:
    """The IANA keys a zone may have: those of the ``tzdata`` package's
    ``zones`` list but ``Factory``. Files of this machine (``localtime``,
    ``posixrules``, ``posix/...``, ``right/...``) are not keys."""
    text = importlib.resources.files("tzdata").joinpath("zones").read_text("utf-8")
    return frozenset(text.split()) - _NOT_A_PLACE


def get_zone(key: str) -> zoneinfo.ZoneInfo:
    """The :class:`zoneinfo.ZoneInfo` for an IANA key, or :class:`DateError`.

    The key must be in :func:`zone_keys`, and the zone's rules are read from
    the ``tzdata`` package, never from this machine's zone files, so that a
    timeline means the same instants and writes the same calendars on every
    machine. The same key gives the same object every time.
    """
    if not isinstance(key, str):
        raise DateError(f"a time zone is a string naming an IANA zone, not {type(key).__name__}")
    zone = _zones.get(key)
    if zone is not None:
        return zone
    if key not in zone_keys():
        raise DateError(_unknown_zone(key))
    resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
    with resource.open("rb") as file:
        zone = TzdataZone.from_file(file, key=key)
    with _zones_lock:
        return _zones.setdefault(key, zone)


@functools.lru_cache(maxsize=256)
def _unknown_zone(key: str) -> str:
    """Why ``key`` is not a zone, with the key it probably meant. Only
    lookups: a file of a hundred thousand different wrong zones stays fast."""
    message = _UNKNOWN_ZONE.format(key=_quote(key))
    if key == "localtime":
        return message + "; 'localtime' is this machine's own zone, which others do not share"
    hint = _zone_hint(key)
    return message + (f"; did you mean {hint!r}?" if hint else "")


def _zone_hint(key: str) -> str | None:
    if len(key) > 200:
        return None
    parts = key.split("/")  # posix/Asia/Tokyo, /usr/share/zoneinfo/UTC
    for start in range(1, len(parts)):
        tail = "/".join(parts[start:])
        if tail in zone_keys():
            return tail
    folded = key.strip().replace(" ", "_").casefold()
    if len(folded) > 40:
        return None
    by_name, by_city = _zone_lookups()
    return by_name.get(folded) or by_city.get(folded.rsplit("/", 1)[-1])


@functools.cache
def _zone_lookups() -> tuple[dict[str, str], dict[str, str]]:
    """Keys by their case-folded selves, and by their city (what follows the
    last ``/``) when only one key has it: ``tokyo`` is ``Asia/Tokyo``."""
    keys = sorted(zone_keys())
    by_name = {key.casefold(): key for key in keys}
    cities: dict[str, list[str]] = {}
    for key in keys:
        if "/" in key:
            cities.setdefault(key.rsplit("/", 1)[1].casefold(), []).append(key)
    by_city = {city: found[0] for city, found in cities.items() if len(found) == 1}
    return by_name, by_city


def _normalise_zone(key: str) -> str:
    if key in _UTC_NAMES:
        return "UTC"
    get_zone(key)
    return key


def _check_zone(instance: Date, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise DateError(f"tz must be a string naming an IANA zone, not {type(value).__name__}")
    if value not in _UTC_NAMES:
        get_zone(value)


def _check_int(lo: int, hi: int) -> Any:
    def check(instance: Date, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None:
            return
        if type(value) is not int:
            raise DateError(f"{attribute.name} must be an int, not {type(value).__name__}")
        if not lo <= value <= hi:
            raise DateError(f"{attribute.name} {value} is out of range {lo}..{hi}")

    return check


def _check_time(instance: Date, attribute: attrs.Attribute[dt.time | None], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dt.time):
        raise DateError(f"time must be a datetime.time, not {type(value).__name__}")
    if value.tzinfo is not None:
        raise DateError("time must be naive; give the zone as tz='Area/City' or tz='UTC'")


@attrs.frozen(repr=False, order=False)
class Date:
    """A date with its precision; construct it with :meth:`parse` or directly.

    >>> Date(2001, 6, 15)
    Date('2001-06-15')
    >>> Date.parse("2024-07-04T10:00[Asia/Almaty]").precision
    <Precision.TIME: 4>
    >>> str(Date(-476, approximate=True))
    '-0476~'
    """

    year: int = attrs.field(validator=_check_int(MIN_YEAR, MAX_YEAR))
    month: int | None = attrs.field(default=None, validator=_check_int(1, 12))
    day: int | None = attrs.field(default=None, validator=_check_int(1, 31))
    time: dt.time | None = attrs.field(default=None, validator=_check_time, kw_only=True)
    tz: str | None = attrs.field(default=None, validator=_check_zone, kw_only=True)
    approximate: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )
    uncertain: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )
    _key: tuple[Any, ...] | None = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.day is not None:
            if self.month is None:
                raise DateError("a day needs a month")
            if self.day > days_in_month(self.year, self.month):
                raise DateError(
                    f"day {self.day} is out of range for {MONTH_NAMES[self.month - 1]} "
                    f"{_year_text(self.year)}"
                )
        if self.time is not None:
            if self.day is None:
                raise DateError("a time of day needs a day")
            if not 1 <= self.year <= 9999:
                raise DateError("a time of day needs a year between 1 and 9999")
            if self.time.fold:
                raise DateError("fold is not supported; ambiguous local times mean the earlier one")
        elif self.tz is not None:
            raise DateError("a time zone needs a time of day")
        if self.tz is not None and self.tz != "UTC":
            if self.tz in _UTC_NAMES:
                object.__setattr__(self, "tz", "UTC")
            else:
                _check_exists(self)
        object.__setattr__(self, "_key", None)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Date:
        """Read a date from EDTF/ISO 8601 text or free text; see :func:`parse_date`."""
        return parse_date(text)

    @classmethod
    def fromisoformat(cls, text: str) -> Date:
        """Read only the canonical EDTF/ISO 8601 form that :meth:`isoformat`
        writes (and the offsets and seconds ISO allows); no free text. The JSON
        format reads its dates with this."""
        return parse_date(text, free_text=False)

    @classmethod
    def coerce(cls, value: DateLike) -> Date:
        """Turn a :class:`Date`, a string, a :class:`datetime.date` or a
        :class:`datetime.datetime` into a :class:`Date`."""
        if type(value) is Date:
            return value
        if isinstance(value, str):
            return parse_date(value)
        if isinstance(value, dt.datetime):
            return cls.from_datetime(value)
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, Date):
            return value
        raise DateError(f"expected a date or a string, not {type(value).__name__}")

    @classmethod
    def from_datetime(cls, value: dt.datetime) -> Date:
        """A time-precision date from a datetime.

        A naive datetime gives a floating time, a :class:`zoneinfo.ZoneInfo`
        keeps its zone (whose key must be in :func:`zone_keys`), UTC stays
        UTC, and any other tzinfo (a fixed offset, or a zone read from a file
        without a key) is converted to UTC, keeping the instant; an instant
        before year 1 or after 9999 in UTC is a :class:`DateError`.
        """
        tzinfo = value.tzinfo
        key: str | None = None
        if tzinfo is not None:
            if (
                isinstance(tzinfo, zoneinfo.ZoneInfo)
                and tzinfo.key is not None
                and tzinfo.key not in _UTC_NAMES
            ):
                key = tzinfo.key
            else:
                offset = value.utcoffset()
                if offset is None:
                    raise DateError(f"datetime {value!r} has a tzinfo that gives no offset")
                value = _to_utc(value, offset)
                key = "UTC"
        return cls(
            value.year,
            value.month,
            value.day,
            time=value.time().replace(tzinfo=None, fold=0),
            tz=key,
        )

    # -- what it is ---------------------------------------------------------------------

    @property
    def precision(self) -> Precision:
        """The finest field that is known."""
        if self.time is not None:
            return Precision.TIME
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def is_bce(self) -> bool:
        """Whether the year is before 1 (1 BCE is year 0)."""
        return self.year < 1

    @property
    def is_floating(self) -> bool:
        """A time of day with no zone."""
        return self.time is not None and self.tz is None

    @property
    def earliest(self) -> Date:
        """The first day this date covers, as a day-precision date."""
        return Date._make(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> Date:
        """The last day this date covers, as a day-precision date."""
        if self.day is not None:
            return Date._make(self.year, self.month, self.day)
        month = self.month or 12
        return Date._make(self.year, month, days_in_month(self.year, month))

    def first_day_number(self) -> int:
        """:func:`day_number` of :attr:`earliest`."""
        return day_number(self.year, self.month or 1, self.day or 1)

    def last_day_number(self) -> int:
        """:func:`day_number` of :attr:`latest`."""
        if self.day is not None:
            return day_number(self.year, self.month or 1, self.day)
        month = self.month or 12
        return day_number(self.year, month, days_in_month(self.year, month))

    def overlaps(self, other: DateLike) -> bool:
        """Whether the days this date covers and the days ``other`` covers meet."""
        other = Date.coerce(other)
        return (
            self.first_day_number() <= other.last_day_number()
            and other.first_day_number() <= self.last_day_number()
        )

    def contains(self, other: DateLike) -> bool:
        """Whether every day ``other`` covers lies within this date."""
        other = Date.coerce(other)
        return (
            self.first_day_number() <= other.first_day_number()
            and other.last_day_number() <= self.last_day_number()
        )

    # -- conversion ---------------------------------------------------------------------

    def to_date(self) -> dt.date:
        """The day as a :class:`datetime.date`; needs day precision or finer
        and a year from 1 to 9999."""
        if self.day is None or self.month is None:
            raise DateError(f"{self} has {self.precision} precision; a datetime.date needs a day")
        if not 1 <= self.year <= 9999:
            raise DateError(f"{self} is outside the years 1-9999 of datetime.date")
        return dt.date(self.year, self.month, self.day)

    def to_datetime(self) -> dt.datetime:
        """The time as a :class:`datetime.datetime`: naive when floating,
        aware in UTC or in its :class:`zoneinfo.ZoneInfo` otherwise."""
        if self.time is None:
            raise DateError(f"{self} has no time of day")
        tzinfo: dt.tzinfo | None = None
        if self.tz == "UTC":
            tzinfo = dt.UTC
        elif self.tz is not None:
            tzinfo = get_zone(self.tz)
        return dt.datetime.combine(self.to_date(), self.time, tzinfo)

    def isoformat(self) -> str:
        """The canonical text form, which :func:`parse_date` reads back."""
        year = self.year
        text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
                if self.time is not None:
                    text += "T" + _time_text(self.time)
                    if self.tz == "UTC":
                        text += "Z"
                    elif self.tz is not None:
                        text += f"[{self.tz}]"
        if self.approximate:
            text += "%" if self.uncertain else "~"
        elif self.uncertain:
            text += "?"
        return text

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Date({self.isoformat()!r})"

    # -- ordering -----------------------------------------------------------------------

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """The key of the total order; see ``docs/dates.md``."""
        key = self._key
        if key is None:
            time = self.time
            if time is None:
                # Cheap to make again, and not kept: a tuple a date is
                # about 100 bytes an event in a big timeline.
                month, day = self.month, self.day
                rank = 1 if month is None else 2 if day is None else 3
                return (self.year, month or 1, day or 1, rank, 0, 0, "",
                        self.approximate, self.uncertain)  # fmt: skip
            key = _sort_key(self)
            object.__setattr__(self, "_key", key)
        return key

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # -- internals ----------------------------------------------------------------------

    @classmethod
    def _make(
        cls,
        year: int,
        month: int | None = None,
        day: int | None = None,
        approximate: bool = False,
        uncertain: bool = False,
    ) -> Date:
        """Build a date from fields that are already known to be valid.

        Parsing makes most of the dates in a big file, so this skips the
        validators and writes the slots through their descriptors.
        """
        self = _new(cls)
        _set_year(self, _YEARS.setdefault(year, year))
        _set_month(self, month)
        _set_day(self, day)
        _set_time(self, None)
        _set_tz(self, None)
        _set_approximate(self, approximate)
        _set_uncertain(self, uncertain)
        _set_key(self, None)
        return self


_new = object.__new__
_YEARS: dict[int, int] = {}
"""One int object for each year that parsed dates have: a year above 256 is
an object of its own, 28 bytes, in each date that made it (at most 19,999
entries, one a year)."""
(
    _set_year,
    _set_month,
    _set_day,
    _set_time,
    _set_tz,
    _set_approximate,
    _set_uncertain,
    _set_key,
) = (
    Date.__dict__[name].__set__
    for name in ("year", "month", "day", "time", "tz", "approximate", "uncertain", "_key")
)

DateLike = Date | str | dt.date
"""What the model accepts wherever it needs a date."""


def _year_text(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _time_text(time: dt.time) -> str:
    if time.microsecond:
        return time.isoformat(timespec="microseconds")
    if time.second:
        return time.isoformat(timespec="seconds")
    return time.isoformat(timespec="minutes")


def _sort_key(d: Date) -> tuple[Any, ...]:
    """Order by earliest day, then coarser precision first, then the instant
    (floating times read as UTC), then the fields that are left."""
    time = d.time
    if time is None:
        rank = 1 if d.month is None else 2 if d.day is None else 3
        return (d.year, d.month or 1, d.day or 1, rank, 0, 0, "", d.approximate, d.uncertain)
    return _time_key(d, d.to_datetime().utcoffset() if d.tz is not None and d.tz != "UTC" else None)


def _time_key(d: Date, offset: dt.timedelta | None) -> tuple[Any, ...]:
    """:func:`_sort_key` of a time of day, whose zone is ``offset`` from UTC
    then (``None`` for UTC and floating times)."""
    time = d.time
    assert time is not None
    seconds = time.hour * 3600 + time.minute * 60 + time.second
    if offset is not None:
        seconds -= int(offset.total_seconds())
    return (
        d.year,
        d.month,
        d.day,
        4,
        seconds,
        time.microsecond,
        (time.hour, time.minute, time.second, d.tz or ""),
        d.approximate,
        d.uncertain,
    )


def _to_utc(value: dt.datetime, offset: dt.timedelta) -> dt.datetime:
    """An aware datetime in UTC, or :class:`DateError` when UTC is outside
    the years 1-9999 that a time of day can have."""
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        local = value.replace(tzinfo=None).isoformat(timespec="minutes")
        edge = "before 0001-01-01T00:00Z" if offset > dt.timedelta(0) else "after 9999-12-31T23:59Z"
        raise DateError(
            f"the offset {_offset_text(offset)} moves {local} {edge}, out of the range of "
            "dates a time of day can have (years 1 to 9999)"
        ) from None


def _offset_text(offset: dt.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def _check_exists(d: Date) -> None:
    """A local time that the zone skips (a DST gap) does not exist."""
    _check_local_exists(d.to_datetime(), d.tz)


def _check_local_exists(local: dt.datetime, tz: str | None) -> None:
    """:func:`_check_exists` of the aware datetime ``local``, in the zone ``tz``."""
    try:
        round_trip = local.astimezone(dt.UTC).astimezone(local.tzinfo)
    except OverflowError:  # UTC is before 1 January 1 or after 9999: no gap there
        return
    if round_trip != local:  # the same tzinfo: their local times are compared
        raise DateError(
            f"{local.replace(tzinfo=None).isoformat(timespec='minutes')} does not exist in "
            f"{tz} (the clocks skip it)"
        )


# -- parsing --------------------------------------------------------------------------

# Every pattern is ASCII: Python's \d also matches Arabic-Indic, fullwidth and
# other digits, which dates do not use (see _UNICODE_DIGIT).
_ISO = re.compile(_ISO_FORM, re.ASCII)
_fromisoformat = dt.date.fromisoformat

DATE_CACHE_SIZE: Final = 1 << 16
"""How many distinct EDTF/ISO texts :func:`parse_date` keeps, each with the
one :class:`Date` that every reading of the same text returns (about 40,000
days span the years 1900 to 2030); past that the cache starts again."""
READ_DATES: Final[dict[str, Date]] = {}
"""The dates :func:`parse_date` has read from EDTF/ISO text (at most
:data:`DATE_CACHE_SIZE`, or what :func:`smaller_date_cache` asks for), by
their text: a text in it reads as its date, in either mode. Look a text up
in it; never change it."""
_READ: Final = READ_DATES
_cache_size = DATE_CACHE_SIZE
_smaller: list[int] = []  # the sizes asked for by the blocks of smaller_date_cache running
_smaller_lock = threading.Lock()


def _remember(text: str, date: Date) -> Date:
    if len(_READ) >= _cache_size:
        _READ.clear()
    _READ[text] = date
    return date


@contextlib.contextmanager
def smaller_date_cache(size: int) -> Iterator[None]:
    """While the block runs, :func:`parse_date` keeps at most ``size`` date
    texts instead of :data:`DATE_CACHE_SIZE` (the smallest size of any such
    block running, in any thread). For a reader of events one at a time,
    which holds no timeline whose events could share the dates: past a few
    thousand, the dates kept would be most of its memory."""
    global _cache_size
    with _smaller_lock:
        _smaller.append(size)
        _cache_size = min(_smaller)
        if len(_READ) > _cache_size:
            _READ.clear()
    try:
        yield
    finally:
        with _smaller_lock:
            _smaller.remove(size)
            _cache_size = min(_smaller, default=DATE_CACHE_SIZE)


_ASCII_I: Final = re.ASCII | re.IGNORECASE
_BCE = re.compile(r"(?P<n>\d{1,4})\s*(?P<era>B\.?\s?C\.?(?:\s?E\.?)?)", _ASCII_I)
_CIRCA = re.compile(r"^(?:c\.|ca\.|circa|around|about)\s*", _ASCII_I)
_TRAILING_ZONE = re.compile(
    r"\s*(?:\[(?P<b>[^\[\]\s]+)\]|(?P<z>[A-Za-z]+(?:/[A-Za-z0-9_+-]+)+))$", re.ASCII
)
_DIGITS = re.compile(r"\d+", re.ASCII)
_BASIC_DAY = re.compile(r"(\d{4})(\d\d)(\d\d)", re.ASCII)
_WEEK_DATE = re.compile(r"\d{4}-?W\d\d(-?\d)?", _ASCII_I)
_RANGE = re.compile(
    r"\d{4}[^/\s]*\s*/\s*-?\d{4}"  # 2024-07-03/2024-07-04 (an EDTF interval)
    r"|\d\s*[-\u2013\u2014]\s*\d{1,2}\s+[A-Za-z]"  # 3-4 July 2024
    r"|\s[-\u2013\u2014]\s|\s(?:to|until|till)\s"  # 15 June - 16 June, 1 May to 2 May
    r"|\d[\u2013\u2014]\d",
    _ASCII_I,
)
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", re.ASCII)
_AM_PM = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)", _ASCII_I)
_QUALIFIER = {"~": (True, False), "?": (False, True), "%": (True, True)}
_D1 = dt.datetime(2000, 1, 1, 0, 0, 0, 0)
_D2 = dt.datetime(2004, 2, 2, 1, 1, 1, 1)

# The cheap refusals of free text, before dateutil (which takes about 50 µs
# to give up on 200 characters of junk, twice that for many numbers).
MAX_FREE_TEXT: Final = 100
"""The most characters (after stripping) a free-text date may have."""
MAX_FREE_RUNS: Final = 20
"""The most runs of letters or of digits a free-text date may have."""
_UNICODE_DIGIT = re.compile(r"[^\D0-9]")  # a digit (Unicode Nd) but not 0-9
_NOT_IN_A_DATE = re.compile(r"[^A-Za-z0-9 .,/:'+\-_\[\]~?%\u2013\u2014]")
_RUN = re.compile(r"[A-Za-z]+|[0-9]+")
_NOT_A_DATE: Final = "not a date (write it as 2001-06-15, 15 June 2001, June 2001 or 2001)"
_DATEUTIL_REASONS: Final = (
    ("day is out of range for month", "the day is out of range for the month"),
    ("month must be in 1..12", "the month is out of range 1..12"),
    ("hour must be in 0..23", "the hour is out of range 0..23"),
    ("minute must be in 0..59", "the minute is out of range 0..59"),
    ("second must be in 0..59", "the second is out of range 0..59"),
)
_DATEUTIL_YEAR = re.compile(r"year ([0-9]{1,6}) is out of range")


def parse_date(text: str, *, free_text: bool = True) -> Date:
    """Read a date from text, keeping the precision the text gave.

    EDTF/ISO 8601 forms (``2001``, ``2001-06``, ``2001-06-15``,
    ``2001-06-15T10:00Z``, ``2024-07-04T10:00[Asia/Almaty]``, ``-0476~``) are
    read by our own parser. Anything else goes to python-dateutil with the
    missing fields left missing: ``June 2001`` is a month, never the 27th of
    June because that is today's day. ``c. 1850``, ``1850?`` and ``44 BC``
    are understood too.

    A fixed UTC offset (``+06:00``) is converted to UTC, keeping the instant; a
    bracketed zone keeps the local time. Raises :class:`DateError` naming the
    text when it cannot be read. With ``free_text=False`` only the EDTF/ISO
    forms are accepted.

    >>> parse_date("15 June 2001")
    Date('2001-06-15')
    >>> parse_date("June 2001").precision
    <Precision.MONTH: 2>
    >>> parse_date("2001-06-15T14:30+06:00")
    Date('2001-06-15T08:30Z')
    """
    if type(text) is not str:
        raise DateError(f"expected a string, not {type(text).__name__}")
    # Dates are immutable, and a big file names the same days again and
    # again: each EDTF/ISO text read is one shared object (a cached one is valid).
    found = _READ.get(text)
    if found is not None:
        return found
    # The commonest case first: a plain day, which the C parser checks for us.
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[0] != "-":
        try:
            day = _fromisoformat(text)
        except ValueError:
            pass
        else:
            return _remember(text, Date._make(day.year, day.month, day.day))
    match = _ISO.fullmatch(text)
    try:
        if match is not None:
            return _remember(text, _from_iso(match))
        _refuse_unicode_digits(text)
        if not free_text:
            raise DateError("not an EDTF/ISO 8601 date such as 2001-06-15, 2001-06 or 2001")
        return _from_free_text(text)
    except DateError as exc:
        raise DateError(f"cannot read date {_quote(text)}: {exc}") from None


def _refuse_unicode_digits(text: str) -> None:
    found = _UNICODE_DIGIT.search(text)
    if found:
        raise DateError(f"only ASCII digits 0-9 are read, not {_character(found.group())}")


def _character(char: str) -> str:
    """``'٢' (U+0662 ARABIC-INDIC DIGIT TWO)``."""
    name = unicodedata.name(char, "")
    return f"{char!r} (U+{ord(char):04X}{' ' + name if name else ''})"


def _quote(text: str) -> str:
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


def _from_iso(m: re.Match[str]) -> Date:
    y, m_text, d_text, h_text, min_text, s_text, f_text, offset_text, zone, q = m.groups()
    year = int(y)
    if y == "-0000":
        raise DateError("year -0000 does not exist; 1 BCE is 0000")
    month = int(m_text) if m_text else None
    day = int(d_text) if d_text else None
    approximate, uncertain = _QUALIFIER.get(q or "", (False, False))
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} is out of range 1..12")
    if h_text is None:
        if day is not None and month is not None and day > days_in_month(year, month):
            raise DateError(
                f"day {day} is out of range for {MONTH_NAMES[month - 1]} {_year_text(year)}"
            )
        if day is not None and day < 1:
            raise DateError("day 0 does not exist")
        return Date._make(year, month, day, approximate, uncertain)
    hour, minute = int(h_text), int(min_text)
    second = int(s_text or 0)
    micro = int((f_text or "0").ljust(6, "0"))
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"time {hour:02d}:{minute:02d}:{second:02d} is out of range")
    if not 1 <= year <= 9999:
        raise DateError("a time of day needs a year between 1 and 9999")
    assert month is not None and day is not None
    if not 1 <= day <= days_in_month(year, month):
        raise DateError(
            f"day {day} is out of range for {MONTH_NAMES[month - 1]} {_year_text(year)}"
        )
    local = dt.datetime(year, month, day, hour, minute, second, micro)
    offset = _offset(offset_text) if offset_text else None
    if zone is not None:
        # _normalise_zone's work, keeping the zone it finds.
        key = "UTC" if zone in _UTC_NAMES else zone
        tzinfo: dt.tzinfo = dt.UTC if key == "UTC" else get_zone(key)
        if offset is not None:
            actual = local.replace(tzinfo=tzinfo).utcoffset()
            if actual != offset:
                raise DateError(f"offset {offset_text} does not match {key} at that time")
        if key == "UTC":
            return _make_time(local, key, approximate, uncertain)
        aware = local.replace(tzinfo=tzinfo)
        _check_local_exists(aware, key)
        made = _make_time(local, key, approximate, uncertain)
        _set_key(made, _time_key(made, aware.utcoffset()))  # what sort_key would work out
        return made
    if offset is not None:
        return _make_time(_to_utc(local.replace(tzinfo=dt.timezone(offset)), offset), "UTC",
                          approximate, uncertain)  # fmt: skip
    return _make_time(local, None, approximate, uncertain)


def _make_time(when: dt.datetime, tz: str | None, approximate: bool, uncertain: bool) -> Date:
    """The date of time precision of ``when`` (its fields, never its
    tzinfo) in the zone ``tz`` (``"UTC"``, a key :func:`get_zone` knows, or
    ``None``), which the parser has checked: what ``Date(...)`` would make,
    without checking the fields again. The local time must exist in ``tz``."""
    self = _new(Date)
    year = when.year
    _set_year(self, _YEARS.setdefault(year, year))
    _set_month(self, when.month)
    _set_day(self, when.day)
    _set_time(self, when.time())
    _set_tz(self, tz)
    _set_approximate(self, approximate)
    _set_uncertain(self, uncertain)
    _set_key(self, None)
    return self


def _offset(text: str) -> dt.timedelta:
    if text == "Z":
        return dt.timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"offset {text} is out of range")
    return sign * dt.timedelta(hours=hours, minutes=minutes)


def _with_flags(d: Date, approximate: bool, uncertain: bool) -> Date:
    if approximate or uncertain:
        return attrs.evolve(d, approximate=approximate, uncertain=uncertain)
    return d


def _refuse_what_dateutil_would_misread(text: str) -> None:
    """dateutil reads almost anything as some date; say no where it would guess."""
    if _WEEK_DATE.fullmatch(text):
        raise DateError("week dates are not supported; write the day, such as 2024-07-01")
    if _RANGE.search(text):
        raise DateError("it looks like a range of dates; give the start and the end separately")
    numeric = _NUMERIC_DAY.search(text)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first != second and first <= 12 and second <= 12:
            year = numeric.group(3)
            raise DateError(
                f"{numeric.group(0)} could be {first} {MONTH_NAMES[second - 1]} or "
                f"{second} {MONTH_NAMES[first - 1]}; write {year}-MM-DD"
            )


def _refuse_what_cannot_be_a_date(text: str) -> str:
    """Say no cheaply to text that no date is written as, before dateutil
    spends its time on it; the text with its spaces made single spaces."""
    if len(text) > MAX_FREE_TEXT:
        raise DateError(
            f"too long for a date ({len(text)} characters; free text may have {MAX_FREE_TEXT})"
        )
    text = " ".join(text.split())  # a no-break space or a tab is a space
    found = _NOT_IN_A_DATE.search(text)
    if found:
        char = found.group()
        if char.isdigit():
            raise DateError(f"only ASCII digits 0-9 are read, not {_character(char)}")
        raise DateError(f"{_character(char)} is not a character of a date")
    if not _DIGITS.search(text):
        raise DateError(_NOT_A_DATE)
    runs = len(_RUN.findall(text))
    if runs > MAX_FREE_RUNS:
        raise DateError(
            f"too many words and numbers for a date ({runs}; free text may have {MAX_FREE_RUNS})"
        )
    return text


def _dateutil_reason(exc: Exception) -> str:
    """Our words for why dateutil could not read a text: its own messages
    (``Unknown string format: ...``, ``Python int too large to convert to C
    long``) are not for the people whose data it is."""
    if isinstance(exc, ValueError):
        message = str(exc)
        for prefix, reason in _DATEUTIL_REASONS:
            if message.startswith(prefix):
                return reason
        year = _DATEUTIL_YEAR.match(message)
        if year:
            return f"year {year.group(1)} is out of range"
    return _NOT_A_DATE


def _from_free_text(text: str) -> Date:
    from dateutil import parser

    text = text.strip()
    if not text:
        raise DateError("empty text")
    text = _refuse_what_cannot_be_a_date(text)
    approximate = uncertain = False
    circa = _CIRCA.match(text)
    if circa:
        approximate = True
        text = text[circa.end() :]
    if text.endswith("?"):
        uncertain = True
        text = text[:-1].rstrip()
    if text.endswith("~"):
        approximate = True
        text = text[:-1].rstrip()
    bce = _BCE.fullmatch(text)
    if bce:
        number = int(bce.group("n"))
        if number < 1:
            raise DateError("there is no year 0 BCE")
        year = 1 - number
        if year < MIN_YEAR:
            raise DateError(f"year {number} BCE is too early")
        return Date._make(year, approximate=approximate, uncertain=uncertain)
    basic = _BASIC_DAY.fullmatch(text)
    if basic:  # ISO 8601's basic form, 20240704
        text = "-".join(basic.groups())
    if (approximate or uncertain or basic) and _ISO.fullmatch(text):
        return _with_flags(_from_iso(_ISO.fullmatch(text)), approximate, uncertain)  # type: ignore[arg-type]
    _refuse_what_dateutil_would_misread(text)

    zone: str | None = None
    trailing = _TRAILING_ZONE.search(text)
    if trailing:
        candidate = trailing.group("b") or trailing.group("z")
        zone = _normalise_zone(candidate)
        text = text[: trailing.start()].rstrip()

    bad_names: list[str] = []

    def tzinfos(name: str | None, offset: int | None) -> dt.tzinfo | None:
        if offset is not None:
            if not -86400 < offset < 86400:
                text = _offset_text(dt.timedelta(seconds=offset))
                raise DateError(f"offset {text} is out of range")
            return dt.timezone(dt.timedelta(seconds=offset))
        if name is None:
            return None
        if name.upper() in {"UTC", "GMT", "Z", "UT"}:
            return dt.UTC
        bad_names.append(name)
        return None

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = parser.parse(text, default=_D1, tzinfos=tzinfos)
            b = parser.parse(text, default=_D2, tzinfos=tzinfos)
    except DateError:
        raise
    except Exception as exc:  # dateutil raises ValueError, OverflowError and more on junk
        raise DateError(_dateutil_reason(exc)) from None
    if bad_names:
        raise DateError(
            f"time zone abbreviation {bad_names[0]!r} is ambiguous; "
            "use an offset or an IANA name such as [Asia/Almaty]"
        )
    given = {
        f for f in ("year", "month", "day", "hour", "minute") if getattr(a, f) == getattr(b, f)
    }
    if "year" not in given:
        raise DateError("no year")
    if not any(len(tok) >= 3 and int(tok) == a.year for tok in _DIGITS.findall(text)):
        raise DateError("a two-digit year is ambiguous; write all four digits")
    if "day" in given and "month" not in given:
        raise DateError("a day without a month")
    has_time = "hour" in given or a.tzinfo is not None
    if "hour" in given and ":" not in text and not _AM_PM.search(text):
        raise DateError("it has numbers that are neither a date nor a time of day (hh:mm)")
    if has_time and "day" not in given:
        raise DateError("a time of day without a day")
    if not has_time:
        if zone is not None:
            raise DateError("a time zone needs a time of day")
        month = a.month if "month" in given else None
        day = a.day if "day" in given else None
        return Date._make(a.year, month, day, approximate, uncertain)
    if zone is not None:
        if a.tzinfo is not None:
            raise DateError("both an offset and a zone; give one")
        d = Date(a.year, a.month, a.day, time=a.time(), tz=zone)
    else:
        d = Date.from_datetime(a)
    return _with_flags(d, approximate, uncertain)
