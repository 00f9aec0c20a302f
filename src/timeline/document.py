"""The canonical document: events and timelines to and from plain data, and every problem's path.

The shape of the JSON format, and the public way for plugins to build events of any kind.
See ``docs/json-format.md``, "Strict reading" and "Converting without files".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from .errors import (
    DateError,
    DuplicateIdError,
    FieldError,
    Problem,
    Problems,
    ValidationError,
)
from .model import Event
from .structuring import Converter, WrongType, converter
from .timelines import Timeline, original_language_problem
from .translations import Translations, translation_problems
from .validators import canonical_language, is_language, json_type

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "READ_VERSIONS",
    "HEADER_KEYS",
    "DocumentReader",
    "event_from_dict",
    "event_reader",
    "event_to_dict",
    "events_from_dicts",
    "events_to_dicts",
    "timeline_from_dict",
    "timeline_header",
    "timeline_to_dict",
]

FORMAT_NAME: Final = "timeline-events"
"""The ``format`` of a document."""
FORMAT_VERSION: Final = 2
"""The ``version`` of a document that this library writes; it reads this
one and the versions before it (:data:`READ_VERSIONS`)."""
READ_VERSIONS: Final = (1, 2)
"""The versions of a document that this library reads. Version 1 has no
``language`` (its texts are English) and no ``translations``."""
_HEADER_FIELDS: Final = ("title", "description", "url", "language", "translations")
HEADER_KEYS: Final = ("format", "version", *_HEADER_FIELDS)
"""The keys of a document besides ``events``."""
_DOC_KEYS: Final = (*HEADER_KEYS, "events")
_SINCE_2: Final = ("language", "translations")
_COMMON_FIELDS: Final = frozenset(a.name for a in attrs.fields(Event))


# -- events ---------------------------------------------------------------------------------


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as plain data: ``kind`` first, then the fields that differ from
    their defaults, dates as text.

    >>> from timeline import Summit
    >>> event_to_dict(Summit(title="Astana summit", start="2024-07-03", end="2024-07-04",
    ...                      organisation="SCO", host="KZ"))  # doctest: +NORMALIZE_WHITESPACE
    {'kind': 'summit', 'id': '2024-07-03-astana-summit', 'title': 'Astana summit',
     'start': '2024-07-03', 'end': '2024-07-04', 'organisation': 'SCO', 'host': 'KZ'}
    """
    return converter().unstructure(event)


def event_from_dict(
    data: Mapping[str, Any], path: str = "$", *, free_text_dates: bool = False
) -> Event:
    """An event of the kind that ``data["kind"]`` names (``"event"`` when
    missing). Raises :class:`~timeline.ValidationError` listing every problem,
    each with its path below ``path``.

    Dates are EDTF/ISO text (or :class:`~timeline.Date` objects); with
    ``free_text_dates=True`` they may also be prose such as ``15 June 2001``,
    read by :func:`~timeline.parse_date` (what a spreadsheet importer wants;
    the JSON format does not)."""
    return _structure(converter(free_text_dates), data, path)


def event_reader(*, free_text_dates: bool = False) -> Callable[[Mapping[str, Any], str], Event]:
    """:func:`event_from_dict` as a function of ``(data, path)`` that knows
    the kinds registered now, for an importer that reads its records one at
    a time (looking the kinds up for each record is a tenth of the work)."""
    return functools.partial(_structure, converter(free_text_dates))


def events_to_dicts(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """:func:`event_to_dict` for many events, lazily: for exporters that stream."""
    unstructure = converter().unstructure
    for event in events:
        yield unstructure(event)


def events_from_dicts(items: Iterable[Any], *, free_text_dates: bool = False) -> list[Event]:
    """:func:`event_from_dict` for many dicts (paths ``$[0]``, ``$[1]``...),
    collecting the problems of every item into one
    :class:`~timeline.ValidationError` (the first
    :data:`~timeline.errors.MAX_PROBLEMS`, and how many more)."""
    conv = converter(free_text_dates)
    problems = Problems()
    events: list[Event] = []
    for i, raw in enumerate(items):
        event = _structure_into(conv, raw, "$", problems, i)
        if event is not None and not problems:
            events.append(event)
    if problems:
        raise problems.error()
    return events


def _structure(conv: Converter, data: Any, path: str) -> Event:
    problems = Problems()
    event = _structure_into(conv, data, path, problems)
    if event is None:
        raise problems.error()
    return event


def _structure_into(
    conv: Converter, data: Any, path: str | None, problems: Problems, index: int | None = None
) -> Event | None:
    """The event of ``data``, or ``None`` with its problems added to
    ``problems``: made only while ``problems`` keeps them. ``index`` is the
    place in a list: the path is ``path[index]``, and made only when needed
    (``path`` ``None`` is ``$.events``)."""
    if type(data) is not dict:
        if problems.wants():
            problems.add(_item_path(path, index), f"expected an object, not {json_type(data)}")
        else:
            problems.skip()
        return None
    kind = data.get("kind", "event")
    cls = conv.kinds.get(kind) if type(kind) is str else None
    if cls is not None:
        fields = dict(data)
        fields.pop("kind", None)  # the one key a class has no field for
        try:
            return conv.structure_fast(cls, fields)
        except Exception:
            pass  # the detailed path below says what is wrong, and where
    data = dict(data)
    data.pop("kind", None)
    where = _item_path(path, index)
    if cls is None:
        known = ", ".join(sorted(conv.kinds))
        found = [
            Problem(
                f"{where}.kind",
                f"unknown kind {kind!r}; known kinds are {known} (a plugin may add others)",
            )
        ]
        # The fields every event has can still be checked; translations,
        # whose fields the kind would say, only for their shape.
        common = {k: v for k, v in data.items() if k in _COMMON_FIELDS and k != "translations"}
        _check_fields(where, Event, common, conv, found)
        for sub in translation_problems(data.get("translations")):
            found.append(Problem(f"{where}.{sub.field}", _message(sub)))
        problems.extend(found)
        return None
    try:
        return conv.structure_detailed(cls, data)
    except Exception as exc:
        problems.extend(_problems(exc, where, cls, data, conv))
    return None


def _item_path(path: str | None, index: int | None) -> str:
    base = "$.events" if path is None else path
    return base if index is None else f"{base}[{index}]"


# -- timelines ------------------------------------------------------------------------------


def timeline_header(timeline: Timeline) -> dict[str, Any]:
    """The document fields of the JSON format, without the events: the
    language always, the title, description, URL and translations when
    the timeline has them."""
    header: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "language": timeline.language,
    }
    if timeline.title:
        header["title"] = timeline.title
    if timeline.description:
        header["description"] = timeline.description
    if timeline.url is not None:
        header["url"] = timeline.url
    if timeline.translations:
        header["translations"] = timeline.translations.to_dict(_TIMELINE_TEXTS)
    return header


_TIMELINE_TEXTS: Final = ("title", "description")


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    """A whole timeline as the JSON format's document."""
    unstructure = converter().unstructure
    doc = timeline_header(timeline)
    doc["events"] = [unstructure(e) for e in timeline.events]
    return doc


def timeline_from_dict(doc: Any, source: str | None = None) -> Timeline:
    """A timeline from the JSON format's document, checked strictly; every
    problem is reported at once in a :class:`~timeline.ValidationError`
    (the first :data:`~timeline.errors.MAX_PROBLEMS`, and how many more)."""
    if not isinstance(doc, dict):
        raise ValidationError([Problem("$", f"expected an object, not {json_type(doc)}")], source)
    reader = DocumentReader({key: value for key, value in doc.items() if key != "events"})
    raw_events = doc.get("events", [])
    if not isinstance(raw_events, list):
        reader.not_an_array(raw_events)
        raw_events = []
    events: list[Event] = []
    read = reader.event
    for i, raw in enumerate(raw_events):
        event = read(raw, i)
        if event is not None and reader.ok:
            events.append(event)
        elif events:
            events = []  # the document fails: keep no events
    return reader.timeline(events, source)


class DocumentReader:
    """The checks of :func:`timeline_from_dict`, one part of the document at
    a time, for a reader that streams it: the header (the document without
    ``events``) when it is made, then each event with :meth:`event`.
    :meth:`error` lists every problem in the order of
    :func:`timeline_from_dict` (the header's, then the events'), which
    checks its documents with it.

    ``ids`` keeps the ids seen: a function of an event's id and index that
    gives the index where the id was first seen (``index`` when it is new);
    by default a dict's. A reader of a big file gives the ``first`` of a
    :class:`timeline.streaming.SeenIds` made ``indexed``, 10 to 18 bytes
    an id."""

    def __init__(
        self, header: Mapping[str, Any], *, ids: Callable[[str, int], int] | None = None
    ) -> None:
        self._conv = converter()
        self._fields = dict(header)
        self._head = Problems()  # the header's, and $.events not an array
        self._before = Problems()  # translations in a version 1 document
        self._events = Problems()  # the events' own, and duplicate ids
        self._late_head = Problems()  # translations into the original language...
        self._late = Problems()  # ... of the header, then of the events
        self._final = Problems()  # what the timeline itself refuses
        self._buckets = (self._head, self._before, self._events, self._late_head, self._late,
                         self._final)  # fmt: skip
        self.meta = _header(self._fields, self._head)
        """The title, description, url, language and translations given."""
        self.version = header.get("version")
        seen: dict[str, int] = {}
        self._seen: Callable[[str, int], int] = ids if ids is not None else seen.setdefault
        self._language: str | None = None
        language = self.meta.get("language", "en")
        if type(language) is str and is_language(language):
            self._language = canonical_language(language)
            message = original_language_problem(self._language)
            for tag in _tags_of(self._language, self.meta):
                self._late_head.add(f"$.translations.{tag}", message)

    @property
    def ok(self) -> bool:
        """Whether no problem has been found so far."""
        return not any(self._buckets)

    def add_fields(self, fields: Mapping[str, Any]) -> None:
        """Fields of the document that come after its events: its header's
        problems are found again with them (the header already given stays)."""
        self._fields.update(fields)
        self._head = Problems()
        self._buckets = (self._head, *self._buckets[1:])
        _header(self._fields, self._head)

    def problem(self, path: str, message: str) -> None:
        """A problem of the header that a reader found itself."""
        self._head.add(path, message)

    def not_an_array(self, value: Any) -> None:
        """The problem of an ``events`` that is not an array."""
        self._head.add("$.events", f"expected an array, not {json_type(value)}")

    def event(self, raw: Any, index: int) -> Event | None:
        """The event of ``raw``, ``$.events[index]``, or ``None`` when it has
        problems (they are kept for :meth:`error`) or an id seen before."""
        if self.version == 1:
            raw = _before_translations(raw, index, self._before)
        problems = self._events
        event = _structure_into(self._conv, raw, None, problems, index)
        if self._language is not None and type(raw) is dict:
            message = original_language_problem(self._language)
            for tag in _tags_of(self._language, raw):
                self._late.add(f"$.events[{index}].translations.{tag}", message)
            for tag in _tags_of(self._language, raw.get("place")):
                self._late.add(f"$.events[{index}].place.translations.{tag}", message)
        if event is None:
            # An id given in the file counts for duplicates even when its
            # event has other problems, so that every problem shows at once.
            given = raw.get("id") if type(raw) is dict else None
            if isinstance(given, str):
                first = self._seen(given, index)
                if first != index:
                    _duplicate(problems, index, given, first)
            return None
        first = self._seen(event.id, index)
        if first != index:
            derived = not (isinstance(raw, dict) and "id" in raw)
            _duplicate(problems, index, event.id, first, derived=derived)
            return None
        return event

    def header(self) -> Timeline | None:
        """The timeline of the header, without events; ``None`` when the
        header has problems."""
        if not self.ok:
            return None
        try:
            return Timeline(**self.meta)
        except FieldError as exc:
            self._final.add(f"$.{exc.field}", _message(exc))
        return None

    def timeline(self, events: Iterable[Event], source: str | None = None) -> Timeline:
        """The timeline of the header and ``events``, or the
        :class:`~timeline.ValidationError` of every problem found."""
        if self.ok:
            try:
                return Timeline(events=events, **self.meta)
            except (FieldError, DuplicateIdError) as exc:
                self._final.add(f"$.{getattr(exc, 'field', 'events')}", _message(exc))
        raise self.error(source)

    def error(self, source: str | None = None) -> ValidationError:
        """The :class:`~timeline.ValidationError` of the problems found so
        far, in the order of :func:`timeline_from_dict` (raise it)."""
        kept: list[Problem] = []
        omitted = 0
        for bucket in self._buckets:
            kept.extend(bucket.kept)
            omitted += bucket.omitted
        return ValidationError(kept, source, omitted=omitted)


def _tags_of(language: str, raw: Any) -> tuple[str, ...]:
    """The tags of the translations of ``raw`` (a JSON object) that are
    ``language``, as the document writes them."""
    own = raw.get("translations") if type(raw) is dict else None
    if type(own) is not dict or not own:
        return ()
    return _tags_in(language, tuple(own))


@functools.lru_cache(maxsize=1024)
def _tags_in(language: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_tags_of` of the keys ``tags`` (JSON's keys are strings): the
    same few sets of languages come again and again."""
    return tuple(
        tag
        for tag in tags
        if type(tag) is str and is_language(tag) and canonical_language(tag) == language
    )


def _before_translations(raw: Any, index: int, problems: Problems) -> Any:
    """An event of a version 1 document, which has no translations: those
    it holds are problems (and taken out, so that its other problems show)."""
    if type(raw) is not dict:
        return raw
    place = raw.get("place")
    in_event = "translations" in raw
    in_place = type(place) is dict and "translations" in place
    if not in_event and not in_place:
        return raw
    raw = dict(raw)
    if in_event:
        problems.add(f"$.events[{index}].translations", _NEEDS_2)
        del raw["translations"]
    if type(place) is dict and in_place:
        problems.add(f"$.events[{index}].place.translations", _NEEDS_2)
        raw["place"] = {k: v for k, v in place.items() if k != "translations"}
    return raw


_NEEDS_2: Final = 'needs version 2 of the document ("version": 2)'


def _header(doc: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The title, description, url, language and translations of ``doc``,
    when it has no problem; the problems of its format, version, other
    keys and these fields go to ``problems``."""
    fmt, version = doc.get("format"), doc.get("version")
    if "format" not in doc:
        problems.add(
            "$.format", f'required field missing; a document starts with "format": "{FORMAT_NAME}"'
        )
    elif fmt != FORMAT_NAME:
        problems.add("$.format", f"expected {FORMAT_NAME!r}, not {fmt!r}")
    elif "version" not in doc:
        problems.add(
            "$.version", f'required field missing; a document has "version": {FORMAT_VERSION}'
        )
    elif type(version) is int and version > FORMAT_VERSION:
        problems.add(
            "$.version",
            f"version {version} is newer than this library reads ({FORMAT_VERSION}); "
            "upgrade timeline-events",
        )
    elif type(version) is not int or version not in READ_VERSIONS:
        versions = " or ".join(str(n) for n in READ_VERSIONS)
        problems.add("$.version", f"expected the integer {versions}, not {_json_text(version)}")
    for key in doc:
        if key not in _DOC_KEYS:
            problems.add(f"$.{key}", "unknown field")
        elif key in _SINCE_2 and version == 1:
            problems.add(f"$.{key}", _NEEDS_2)
    meta: dict[str, Any] = {key: doc[key] for key in _HEADER_FIELDS if key in doc}
    if version == 1:
        for key in _SINCE_2:
            meta.pop(key, None)
    found: list[Problem] = []
    attrs.resolve_types(Timeline)
    _check_fields("$", Timeline, meta, converter(), found)
    problems.extend(found)
    return meta


def _duplicate(
    problems: Problems, index: int, event_id: str, first: int, *, derived: bool = False
) -> None:
    if not problems.wants():
        problems.skip()
        return
    hint = ", derived from the start and the title; give the events ids of their own"
    problems.add(
        f"$.events[{index}].id",
        f"duplicate id {event_id!r} (also $.events[{first}]){hint if derived else ''}",
    )


def _json_text(value: Any) -> str:
    """A JSON value as it is written in a file, cut when long."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- problem paths --------------------------------------------------------------------------


def _problems(
    exc: BaseException, path: str, cls: type[Any], data: Mapping[str, Any], conv: Converter
) -> list[Problem]:
    """Every problem of one object, with paths.

    cattrs reports what it found while structuring (wrong types, unreadable
    dates, unknown and missing fields); then each field it did not complain
    about is checked on its own with the class's converter and validator, so
    that an empty title is reported alongside a bad date, not after it.
    """
    problems: list[Problem] = []
    _walk(exc, path, problems)
    _check_fields(path, cls, data, conv, problems)
    if not problems:
        problems.append(Problem(path, _message(exc)))
    return problems


def _walk(exc: BaseException, path: str, out: list[Problem]) -> None:
    """The problems of a cattrs exception (group), at the paths its notes name."""
    import cattrs

    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append(Problem(f"{path}.{key}", "unknown field"))
        return
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if name is not None:
                    sub_path = f"{path}.{name}"
                elif index is not None:
                    sub_path = f"{path}[{index}]"
            _walk(sub, sub_path, out)
        return
    if isinstance(exc, KeyError) and exc.args:
        out.append(Problem(path, "required field missing"))
        return
    if isinstance(exc, FieldError) and exc.field:
        out.append(Problem(f"{path}.{exc.field}", _message(exc)))
        return
    out.append(Problem(path, _message(exc)))


def _check_fields(
    path: str, cls: type[Any], data: Mapping[str, Any], conv: Converter, problems: list[Problem]
) -> None:
    """Check each field of ``data`` that no problem names yet on its own:
    its type, then the class's converter and validator."""
    import types
    import typing

    reported = [p.path for p in problems]
    for a in attrs.fields(cls):
        where = f"{path}.{a.name}"
        if a.name not in data:
            continue
        value = data[a.name]
        args = typing.get_args(a.type)
        inner = (
            next((t for t in args if t is not type(None)), a.type)
            if isinstance(a.type, types.UnionType)
            else a.type
        )
        if isinstance(inner, type) and attrs.has(inner) and isinstance(value, dict):
            _check_fields(where, inner, value, conv, problems)  # a Place: check its fields too
            continue
        if inner is Translations:
            # Every problem of the translations, in the document's order: the
            # first one, which the class raised, is found again.
            found = [
                Problem(f"{path}.{sub.field}", _message(sub))
                for sub in translation_problems(value, cls)
            ]
            if found:
                problems[:] = [p for p in problems if p not in found]
                problems.extend(found)
            continue
        if any(r == where or r.startswith((where + ".", where + "[")) for r in reported):
            continue
        try:
            value = conv.structure_value(value, a.type) if a.type is not None else value
            if a.converter is not None and callable(a.converter):
                value = a.converter(value)
            if a.validator is not None:
                a.validator(None, a, value)
        except FieldError as sub:
            problems.append(Problem(where, _message(sub)))
        except Exception as sub:
            _walk(sub, where, problems)


def _message(exc: BaseException) -> str:
    """The reason alone, without the field name the model puts in front."""
    import cattrs

    if isinstance(exc, FieldError) and exc.field and exc.message.startswith(f"{exc.field}: "):
        return exc.message[len(exc.field) + 2 :]
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return "unknown field"
    if isinstance(exc, DateError | FieldError | WrongType):
        return str(exc)
    if isinstance(exc, TypeError | ValueError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"
