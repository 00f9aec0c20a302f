"""The :class:`Timeline`: events in order, with queries that return timelines.

The queries and their errors (:class:`~timeline.QueryError`) are in
``docs/model.md``; this module knows the model only, never the plugins.
"""

from __future__ import annotations

import itertools
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, NamedTuple

import attrs

from . import validators as v
from .countries import lookup_country
from .dates import Date, DateLike
from .errors import DuplicateIdError, FieldError, QueryError
from .model import Event
from .translations import EMPTY, Translatable, Translations, to_translations, translatable
from .translations import translations as check_translations

__all__ = ["Grouping", "Timeline", "group_key", "original_language_problem"]

Grouping = Literal["year", "decade", "month", "kind"]
"""How :meth:`Timeline.group_by` groups events."""


def _order(event: Event) -> tuple[Any, ...]:
    """The order of a timeline's events: by the start's sort key, then by id.

    The key's first item is the start's year, month, day and precision rank
    (the first four items of its sort key) made one integer in the same
    order, so that the sort compares machine integers first (Python's sort
    does when every key's first item is an int) and the whole sort key and
    the id only where those are equal."""
    key = event.start.sort_key
    return (((key[0] * 13 + key[1]) * 32 + key[2]) * 5 + key[3], key, event.id)


def _sorted_events(events: Iterable[Event]) -> tuple[Event, ...]:
    if isinstance(events, str | bytes | Mapping | Event) or not isinstance(events, Iterable):
        what = type(events).__name__
        message = f"events: expected Event items (a list, a tuple, ...), not {what}"
        raise FieldError("events", message)
    events = tuple(events)
    for event in events:
        if not isinstance(event, Event):
            raise FieldError("events", f"events: expected Event items, not {type(event).__name__}")
    return tuple(sorted(events, key=_order))


class _Days(NamedTuple):
    """The day numbers of a timeline's events, in the events' order, for
    :meth:`Timeline.between`: the first day of each start (sorted, as the
    events are), the last day of each event, and the latest last day so far
    (never decreasing). Arrays of machine integers: 24 bytes an event."""

    firsts: array[int]
    lasts: array[int]
    reach: array[int]


def _days_of(events: tuple[Event, ...]) -> _Days:
    firsts = array("q", (e.start.first_day_number() for e in events))
    lasts = array("q", (e.last.last_day_number() for e in events))
    return _Days(firsts, lasts, array("q", itertools.accumulate(lasts, max)))


def _refuse_original(event: Event, where: str, language: str) -> None:
    raise FieldError(
        "events",
        f"events: event {event.id!r}: {where}.{language}: " + original_language_problem(language),
    )


def original_language_problem(language: str) -> str:
    """Why a translation in ``language`` has no place in a timeline whose
    texts are in it, in words."""
    return (
        f"{language} is the timeline's own language, which the original texts are in; "
        "a translation is in another language"
    )


@attrs.frozen(kw_only=True)
class Timeline(Translatable):
    """Events in a stable order (by start, then id), with a title and a description.

    A timeline is immutable; every query returns a new one. Two different
    events with the same id are an error (:class:`~timeline.DuplicateIdError`).

    ``language`` is the BCP 47 tag of the language of the original texts
    (``en`` unless said): titles, descriptions, notes and place names. Their
    translations, in other languages, are in each event's, place's and the
    timeline's own ``translations``; none may be in ``language`` itself.

    >>> from timeline import Event, Timeline
    >>> t = Timeline(title="Demo", events=[
    ...     Event(id="b", title="Second", start="2002"),
    ...     Event(id="a", title="First", start="2001-06-15"),
    ... ])
    >>> [e.id for e in t]
    ['a', 'b']
    >>> t["b"].title
    'Second'
    """

    title: str = attrs.field(default="", validator=v.line, metadata=translatable())
    description: str = attrs.field(
        default="", converter=v.to_text, validator=v.text, metadata=translatable()
    )
    url: str | None = attrs.field(default=None, validator=v.url)
    language: str = attrs.field(default="en", converter=v.to_language, validator=v.language)
    translations: Translations = attrs.field(
        default=EMPTY, converter=to_translations, validator=check_translations
    )
    events: tuple[Event, ...] = attrs.field(default=(), converter=_sorted_events)
    _index: dict[str, Event] | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )
    _days: _Days | None = attrs.field(init=False, default=None, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.language in self.translations:
            where = f"translations.{self.language}"
            raise FieldError(where, f"{where}: {original_language_problem(self.language)}")
        language = self.language
        places: set[int] = set()
        for event in self.events:
            # Most events and places have no translations (EMPTY): no lookup in those.
            translations = event.translations
            if translations is not EMPTY and translations and language in translations:
                _refuse_original(event, "translations", language)
            place = event.place
            translations = EMPTY if place is None else place.translations
            if translations is not EMPTY and id(place) not in places:
                if translations and language in translations:
                    _refuse_original(event, "place.translations", language)
                places.add(id(place))  # places repeat: each is looked in once
        # Each id once; the index by id is made when it is first asked for, so
        # that a timeline that is only written holds none (38 bytes an event).
        ids = {event.id for event in self.events}
        if len(ids) != len(self.events):
            seen: set[str] = set()
            for event in self.events:
                if event.id in seen:
                    raise DuplicateIdError(event.id)
                seen.add(event.id)

    def _ids(self) -> dict[str, Event]:
        """The events by id, made when it is first asked for."""
        index = self._index
        if index is None:
            index = {e.id: e for e in self.events}
            object.__setattr__(self, "_index", index)
        return index

    # -- a container --------------------------------------------------------------------

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Event):
            return self._ids().get(item.id) == item
        return item in self._ids()

    def __getitem__(self, event_id: str) -> Event:
        """The event with this id; :class:`KeyError` when there is none."""
        return self._ids()[event_id]

    def get(self, event_id: str) -> Event | None:
        """The event with this id, or ``None``."""
        return self._ids().get(event_id)

    def __repr__(self) -> str:
        return f"<Timeline {self.title!r}: {len(self.events)} events>"

    # -- queries ------------------------------------------------------------------------

    def with_events(self, events: Iterable[Event]) -> Timeline:
        """The same title, description, language and translations with other events."""
        return attrs.evolve(self, events=events)

    def filter(self, predicate: Callable[[Event], bool]) -> Timeline:
        """The events for which ``predicate`` is true."""
        return self._keep(e for e in self.events if predicate(e))

    def between(self, start: DateLike | None = None, end: DateLike | None = None) -> Timeline:
        """The events with at least one day within ``start``..``end``.

        Both ends are inclusive and precision-aware: ``between("2001", "2002")``
        keeps everything from 1 January 2001 to 31 December 2002, and an event
        of June 2001 is kept by ``between("2001-06-30")``. Leave an end out for
        an open range.
        """
        lo = None if start is None else Date.coerce(start).first_day_number()
        hi = None if end is None else Date.coerce(end).last_day_number()
        if lo is not None and hi is not None and hi < lo:
            raise QueryError(f"between({start!s}, {end!s}): the end comes before the start")
        # The events are in order of their first day, so those that start by
        # ``hi`` are a prefix; those before the first whose reach (the latest
        # last day so far) gets to ``lo`` all end before it.
        days = self._days
        if days is None:
            days = _days_of(self.events)
            object.__setattr__(self, "_days", days)
        first = 0 if lo is None else bisect_left(days.reach, lo)
        stop = len(self.events) if hi is None else bisect_right(days.firsts, hi)
        events, lasts = self.events, days.lasts
        if lo is None:
            return self._keep(events[first:stop])
        return self._keep(events[i] for i in range(first, stop) if lasts[i] >= lo)

    def of_kind(self, *kinds: str | type[Event]) -> Timeline:
        """The events of any of the given kinds (names such as ``"summit"`` or classes).

        A name that no kind has (no subclass of :class:`~timeline.Event` that
        is defined, registered or not) is a :class:`~timeline.QueryError`
        that lists the kinds there are.
        """
        names = set()
        for kind in kinds:
            if isinstance(kind, type) and issubclass(kind, Event):
                names.add(kind.kind)
            elif isinstance(kind, str):
                names.add(kind)
            else:
                raise QueryError(
                    f"of_kind: expected kind names or Event classes, not {type(kind).__name__}"
                )
        # Every kind an event is of is a kind there is: look at the events
        # only when a name is not a kind of any class defined.
        if not names <= _kind_names() and not names <= {e.kind for e in self.events}:
            known = _kind_names()
            unknown = sorted(names - known)
            if unknown:
                raise QueryError(
                    f"no kind {unknown[0]!r}; the kinds are {', '.join(sorted(known))}"
                )
        return self._keep(e for e in self.events if e.kind in names)

    def tagged(self, *tags: str) -> Timeline:
        """The events that carry every one of ``tags``."""
        wanted = set(tags)
        return self._keep(e for e in self.events if wanted.issubset(e.tags))

    def involving(self, party: str) -> Timeline:
        """The events that involve ``party``: a member, host, participant or the
        country of the place. A country may be given by code or by name."""
        if not isinstance(party, str):
            raise QueryError(f"involving: expected a name or a code, not {type(party).__name__}")
        code = lookup_country(party)
        names = {party} if code is None else {party, code}
        return self._keep(e for e in self.events if not names.isdisjoint(e.parties()))

    def group_by(self, by: Grouping) -> dict[str, Timeline]:
        """The events in groups, keyed and ordered chronologically (or, for
        ``kind``, in order of first appearance).

        Keys: ``"2001"`` (year), ``"2000s"`` (decade, ``"-0480s"`` before 1),
        ``"2001-06"`` (month; an event known only to the year goes in
        ``"2001"``), and the kind name.
        """
        key = _grouper(by)
        groups: dict[str, list[Event]] = {}
        for event in self.events:
            groups.setdefault(key(event), []).append(event)
        return {name: self._keep(events) for name, events in groups.items()}

    def merge(self, other: Timeline) -> Timeline:
        """The events of both; an event in both is kept once, and the same id
        on two different events is a :class:`~timeline.DuplicateIdError`."""
        if not isinstance(other, Timeline):
            raise QueryError(f"merge: expected a Timeline, not {type(other).__name__}")
        if other.language != self.language:
            raise QueryError(
                f"merge: the original texts are in {self.language} here and in "
                f"{other.language} there; a timeline has one original language"
            )
        events = dict(self._ids())
        for event in other.events:
            if events.setdefault(event.id, event) != event:
                raise DuplicateIdError(event.id)
        return attrs.evolve(self, events=events.values())

    def _keep(self, events: Iterable[Event]) -> Timeline:
        """A timeline of events already in order and unique; skips the checks.
        Its index by id is made when it is first needed."""
        new = object.__new__(Timeline)
        events = tuple(events)
        for name, value in (
            ("title", self.title),
            ("description", self.description),
            ("url", self.url),
            ("language", self.language),
            ("translations", self.translations),
            ("events", events),
            ("_index", None),
            ("_days", None),
        ):
            object.__setattr__(new, name, value)
        return new


def _kind_names() -> set[str]:
    """The ``kind`` of :class:`Event` and of every subclass of it defined so
    far: every kind an event can be of (a registered kind is one of them)."""
    names: set[str] = set()
    pending: list[type[Event]] = [Event]
    while pending:
        cls = pending.pop()
        if isinstance(cls.kind, str):
            names.add(cls.kind)
        pending.extend(cls.__subclasses__())
    return names


def _decade(event: Event) -> str:
    decade = event.start.year // 10 * 10
    return f"{decade:04d}s" if decade >= 0 else f"-{-decade:04d}s"


def _year(event: Event) -> str:
    year = event.start.year
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _month(event: Event) -> str:
    if event.start.month is None:
        return _year(event)
    return f"{_year(event)}-{event.start.month:02d}"


_GROUPERS: dict[str, Callable[[Event], str]] = {
    "year": _year,
    "decade": _decade,
    "month": _month,
    "kind": lambda e: e.kind,
}


def _grouper(by: str) -> Callable[[Event], str]:
    key = _GROUPERS.get(by)
    if key is None:
        raise QueryError(f"cannot group by {by!r}; use one of {', '.join(_GROUPERS)}")
    return key


def group_key(event: Event, by: Grouping) -> str:
    """The key of the group that :meth:`Timeline.group_by` puts ``event``
    in: ``"2001"``, ``"2000s"``, ``"2001-06"`` or the kind's name. For
    code that groups events as they come, one at a time: in the timeline's
    order the events of a year, a decade or a month come one after the
    other (the events of a kind need not)."""
    return _grouper(by)(event)
