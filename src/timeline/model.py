"""The typed events: :class:`Event` (what all events share), :class:`Place`
and :class:`Source`, and what a format may ask of any kind.

Kinds subclass :class:`Event` with a new ``kind`` and typed fields, each with a
``label`` in its metadata (:func:`label`), and :func:`translatable` for a text
that may be translated. See ``docs/model.md``, and ``docs/plugins.md`` for a
kind of your own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs

from . import translations as tr
from . import validators as v
from .countries import country_name, is_country_code
from .dates import Date, DateLike, Precision
from .errors import FieldError
from .initialisers import quick_init
from .translations import EMPTY, Translatable, Translations, to_translations, translatable

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = [
    "Event",
    "Place",
    "Source",
    "Translations",
    "ends_before_it_starts",
    "kind_fields",
    "label",
    "translatable",
]

MAX_OCCURRENCES: Final = 100_000

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@quick_init
@attrs.frozen(kw_only=True)
class Place(Translatable):
    """Where an event happened: a name, and optionally its country (ISO 3166-1
    alpha-2), coordinates and IANA time zone; the name may be translated
    (``translations={"ru": {"name": "Ташкент"}}``)."""

    name: str = attrs.field(validator=v.required_line, metadata=translatable())
    country: str | None = attrs.field(
        default=None, converter=v.to_party, validator=v.optional_party
    )
    latitude: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.coordinate(90)
    )
    longitude: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.coordinate(180)
    )
    timezone: str | None = attrs.field(default=None, validator=v.zone)
    translations: Translations = attrs.field(
        default=EMPTY, converter=to_translations, validator=tr.translations
    )

    def __attrs_post_init__(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise FieldError("latitude", "latitude and longitude come together, or not at all")
        if self.country is not None and not is_country_code(self.country):
            raise FieldError("country", f"country: {self.country!r} is not an ISO 3166-1 code")

    @property
    def country_name(self) -> str | None:
        """The English name of :attr:`country`."""
        return None if self.country is None else country_name(self.country)


@v.with_schema({"$ref": "#/$defs/place"})
def _place(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Place):
        what = type(value).__name__
        raise FieldError(attribute.name, f"{attribute.name}: expected a Place, not {what}")


_place.optional_instance = Place  # type: ignore[attr-defined]  # for quick_init


@quick_init
@attrs.frozen(kw_only=True)
class Source:
    """Where a fact comes from: a URL and, optionally, a title, the day it was
    accessed and a note."""

    url: str = attrs.field(validator=v.url)
    title: str | None = attrs.field(default=None, validator=v.line)
    accessed: Date | None = attrs.field(default=None, converter=v.to_date, validator=v.day_date)
    note: str = attrs.field(default="", converter=v.to_text, validator=v.text)


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


def ends_before_it_starts(start: Date, end: Date) -> bool:
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
class Event(Translatable):
    """A dated event. Only ``title`` and ``start`` are required.

    ``end`` is inclusive (a summit on 3-4 July has ``end`` 4 July) and must
    not come before ``start``. ``id`` is derived from the start and the title
    when not given, so it is stable from run to run. ``recurrence`` is an
    RFC 5545 RRULE such as ``FREQ=YEARLY``. The title, description and notes
    may be translated: ``translations={"ru": {"title": "..."}}``, looked up
    with :meth:`translated`.

    >>> Event(title="SCO founded", start="2001-06-15").id
    '2001-06-15-sco-founded'
    """

    kind: ClassVar[str] = "event"

    id: str = attrs.field(default="", validator=v.event_id)
    title: str = attrs.field(validator=v.title, metadata=translatable())
    start: Date = attrs.field(converter=v.to_date, validator=v.date)
    end: Date | None = attrs.field(default=None, converter=v.to_date, validator=v.optional_date)
    description: str = attrs.field(
        default="", converter=v.to_text, validator=v.text, metadata=translatable()
    )
    place: Place | None = attrs.field(default=None, validator=_place)
    tags: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.lines)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.instances(Source)
    )
    url: str | None = attrs.field(default=None, validator=v.url)
    notes: str = attrs.field(
        default="", converter=v.to_text, validator=v.text, metadata=translatable()
    )
    recurrence: str | None = attrs.field(default=None, validator=v.rrule)
    translations: Translations = attrs.field(
        default=EMPTY, converter=to_translations, validator=tr.translations
    )

    def __attrs_post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", _derive_id(self.title, self.start))
        if self.end is not None and ends_before_it_starts(self.start, self.end):
            raise FieldError("end", f"end: {self.end} is before the start {self.start}")
        if self.recurrence is not None:
            self.rule()  # validates

    anniversary: ClassVar[bool] = False
    """Whether the day of an event of this kind is remembered every year (a
    founding, an accession): the ics exporter's anniversaries calendar holds
    the events of such kinds."""

    # -- what it is about ---------------------------------------------------------------

    @property
    def online(self) -> bool:
        """Whether the event took place online, so that its place is where it
        was hosted from, not somewhere to go (no pin on a map). A kind that can
        meet online overrides this, with a property or a field of that name."""
        return False

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
                "recurrence", f"recurrence: {v.short(text)} is not a valid RRULE: {exc}"
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


quick_init(Event)
_COMMON: Final = frozenset(a.name for a in attrs.fields(Event))


def kind_fields(cls: type[Event]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields a kind adds to :class:`Event`, in definition order."""
    return tuple(a for a in attrs.fields(cls) if a.name not in _COMMON)
