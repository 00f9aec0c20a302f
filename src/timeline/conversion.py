"""Events and timelines to and from plain data (dicts, lists, strings, numbers).

This is the shape of the JSON format (``docs/json-format.md``), and the public
way for a plugin to turn its own format's records into events of any kind,
including kinds that other plugins add. A private cattrs converter does the
work; it is rebuilt when the set of kinds changes.

Structuring is strict: an unknown kind, an unknown field, a wrong type or an
unreadable date is a problem, and :class:`~timeline.ValidationError` lists every
problem with its path (``$.events[3].start: …``).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from .dates import Date
from .errors import (
    DateError,
    DuplicateIdError,
    FieldError,
    Problem,
    Problems,
    TimelineError,
    ValidationError,
)
from .model import Event, Place, Source
from .timelines import Timeline

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
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
FORMAT_VERSION: Final = 1
_DOC_KEYS: Final = ("format", "version", "title", "description", "url", "events")
_COMMON_FIELDS: Final = frozenset(a.name for a in attrs.fields(Event))


class _Converter:
    """A cattrs converter that knows one set of kinds.

    Structuring has two paths. The fast one hands JSON values straight to the
    classes, whose converters and validators check them (a field without a
    validator goes through cattrs' strict hooks instead). Only when that
    fails does the detailed cattrs path run again, to find every problem and
    its path.
    """

    def __init__(self, kinds: Mapping[str, type[Event]], free_text_dates: bool = False) -> None:
        # cattrs is imported here, not at the top, to keep ``import timeline`` fast.
        from cattrs.gen import make_dict_structure_fn
        from cattrs.preconf.json import make_converter

        date_hook = _structure_free_date if free_text_dates else _structure_date
        self.kinds = dict(kinds)
        c = make_converter(forbid_extra_keys=True)
        for tp, check in (
            (str, _strict_str),
            (int, _strict_int),
            (float, _strict_float),
            (bool, _strict_bool),
        ):
            c.register_structure_hook(tp, check)
        c.register_structure_hook(Date, date_hook)
        c.register_structure_hook_factory(_is_homogeneous_tuple, lambda t: _sequence_hook(c, t))
        c.register_unstructure_hook(Date, Date.isoformat)
        c.register_structure_hook_factory(
            lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
        )
        self._c = c
        self._unstructure: dict[type[Event], Callable[[Any], dict[str, Any]]] = {}
        self._fast: dict[type[Event], Callable[[dict[str, Any]], Any]] = {}
        self._detailed: dict[type[Event], Callable[[Any, Any], Any]] = {}
        self._places: dict[tuple[Any, ...], Place] = {}
        for nested_cls in (Place, Source):
            c.register_unstructure_hook(nested_cls, _unstructure_fn(nested_cls, c, None))
            c.register_structure_hook(
                nested_cls,
                _constructing(
                    make_dict_structure_fn(nested_cls, c, _cattrs_forbid_extra_keys=True)
                ),
            )
        self._source_fn = _structure_fn(Source, c, {}, date_hook)
        self._sources: dict[tuple[Any, ...], Source] = {}
        nested = {Place: self._place, Source: self._source}
        for cls in self.kinds.values():
            self._unstructure[cls] = _unstructure_fn(cls, c, cls.kind)
            self._fast[cls] = _structure_fn(cls, c, nested, date_hook)

    def unstructure(self, event: Event) -> dict[str, Any]:
        cls = type(event)
        try:
            hook = self._unstructure[cls]
        except KeyError:
            raise TimelineError(
                f"event {event.id!r} is of kind {cls.kind!r} ({cls.__qualname__}), "
                "which no plugin has registered"
            ) from None
        return hook(event)

    def structure(self, data: Any, path: str) -> Event:
        problems = Problems()
        event = self.structure_into(data, path, problems)
        if event is None:
            raise problems.error()
        return event

    def structure_into(
        self, data: Any, path: str | None, problems: Problems, index: int | None = None
    ) -> Event | None:
        """The event of ``data``, or ``None`` with its problems added to
        ``problems``: made only while ``problems`` keeps them. ``index``
        is the place in a list: the path is ``path[index]``, and made only
        when needed (``path`` ``None`` is ``$.events``)."""
        if type(data) is not dict:
            if problems.wants():
                where = _item_path(path, index)
                problems.add(where, f"expected an object, not {_json_type(data)}")
            else:
                problems.skip()
            return None
        kind = data.get("kind", "event")
        cls = self.kinds.get(kind) if type(kind) is str else None
        if cls is not None:
            fields = dict(data)
            fields.pop("kind", None)  # the one key a class has no field for
            try:
                return self._fast[cls](fields)  # type: ignore[no-any-return]
            except Exception:
                pass
        data = dict(data)
        data.pop("kind", None)
        where = _item_path(path, index)
        if cls is None:
            known = ", ".join(sorted(self.kinds))
            found = [
                Problem(
                    f"{where}.kind",
                    f"unknown kind {kind!r}; known kinds are {known} (a plugin may add others)",
                )
            ]
            # The fields every event has can still be checked.
            common = {k: v for k, v in data.items() if k in _COMMON_FIELDS}
            _check_fields(where, Event, common, self._c, found)
            problems.extend(found)
            return None
        try:
            return self._detailed_fn(cls)(data, cls)  # type: ignore[no-any-return]
        except Exception as exc:
            problems.extend(_problems(exc, where, cls, data, self._c))
        return None

    def _detailed_fn(self, cls: type[Event]) -> Callable[[Any, Any], Any]:
        fn = self._detailed.get(cls)
        if fn is None:
            from cattrs.gen import make_dict_structure_fn

            fn = self._detailed[cls] = make_dict_structure_fn(
                cls, self._c, _cattrs_forbid_extra_keys=True
            )
        return fn

    def _place(self, value: Any) -> Place:
        """Places repeat (a city hosts many events): build each one once."""
        place: Place = _interned(self._places, value, lambda v: Place(**v))
        return place

    def _source(self, value: Any) -> Source:
        """So do sources (one report backs many events)."""
        source: Source = _interned(self._sources, value, self._source_fn)
        return source


def _item_path(path: str | None, index: int | None) -> str:
    base = "$.events" if path is None else path
    return base if index is None else f"{base}[{index}]"


@functools.lru_cache(maxsize=8)
def _converter_for(
    kinds: tuple[tuple[str, type[Event]], ...], free_text_dates: bool = False
) -> _Converter:
    return _Converter(dict(kinds), free_text_dates)


_LAST: dict[bool, tuple[object, _Converter]] = {}
"""The converter of the registry seen last, for each ``free_text_dates``: a
reader that converts row by row asks for it once a row."""


def _current(free_text_dates: bool = False) -> _Converter:
    from .registry import kind_table

    kinds = kind_table()
    last = _LAST.get(free_text_dates)
    if last is not None and last[0] is kinds:
        return last[1]
    converter = _converter_for(kinds, free_text_dates)
    _LAST[free_text_dates] = (kinds, converter)
    return converter


# -- public functions -----------------------------------------------------------------------


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as plain data: ``kind`` first, then the fields that differ from
    their defaults, dates as text.

    >>> from timeline import Summit
    >>> event_to_dict(Summit(title="Astana summit", start="2024-07-03", end="2024-07-04",
    ...                      organisation="SCO", host="KZ"))  # doctest: +NORMALIZE_WHITESPACE
    {'kind': 'summit', 'id': '2024-07-03-astana-summit', 'title': 'Astana summit',
     'start': '2024-07-03', 'end': '2024-07-04', 'organisation': 'SCO', 'host': 'KZ'}
    """
    return _current().unstructure(event)


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
    return _current(free_text_dates).structure(data, path)


def event_reader(*, free_text_dates: bool = False) -> Callable[[Mapping[str, Any], str], Event]:
    """:func:`event_from_dict` as a function of ``(data, path)`` that knows
    the kinds registered now, for an importer that reads its records one at
    a time (looking the kinds up for each record is a tenth of the work)."""
    return _current(free_text_dates).structure


def events_to_dicts(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """:func:`event_to_dict` for many events, lazily: for exporters that stream."""
    unstructure = _current().unstructure
    for event in events:
        yield unstructure(event)


def timeline_header(timeline: Timeline) -> dict[str, Any]:
    """The document fields of the JSON format, without the events."""
    header: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if timeline.title:
        header["title"] = timeline.title
    if timeline.description:
        header["description"] = timeline.description
    if timeline.url is not None:
        header["url"] = timeline.url
    return header


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    """A whole timeline as the JSON format's document."""
    converter = _current()
    doc = timeline_header(timeline)
    doc["events"] = [converter.unstructure(e) for e in timeline.events]
    return doc


def timeline_from_dict(doc: Any, source: str | None = None) -> Timeline:
    """A timeline from the JSON format's document, checked strictly; every
    problem is reported at once in a :class:`~timeline.ValidationError`
    (the first :data:`~timeline.errors.MAX_PROBLEMS`, and how many more)."""
    problems = Problems()
    if not isinstance(doc, dict):
        raise ValidationError([Problem("$", f"expected an object, not {_json_type(doc)}")], source)
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
    elif type(version) is not int or version != FORMAT_VERSION:
        problems.add(
            "$.version", f"expected the integer {FORMAT_VERSION}, not {_json_text(version)}"
        )
    for key in doc:
        if key not in _DOC_KEYS:
            problems.add(f"$.{key}", "unknown field")
    meta: dict[str, Any] = {}
    for key in ("title", "description", "url"):
        if key in doc:
            value = doc[key]
            if not isinstance(value, str):
                problems.add(f"$.{key}", f"expected a string, not {_json_type(value)}")
            else:
                meta[key] = value
    raw_events = doc.get("events", [])
    events: list[Event] = []
    if not isinstance(raw_events, list):
        problems.add("$.events", f"expected an array, not {_json_type(raw_events)}")
        raw_events = []
    structure = _current().structure_into
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_events):
        event = structure(raw, None, problems, i)
        if event is None:
            # An id given in the file counts for duplicates even when its
            # event has other problems, so that every problem shows at once.
            given = raw.get("id") if type(raw) is dict else None
            if isinstance(given, str):
                first = seen.setdefault(given, i)
                if first != i:
                    _duplicate(problems, i, given, first)
            continue
        first = seen.setdefault(event.id, i)
        if first != i:
            derived = not (isinstance(raw, dict) and "id" in raw)
            _duplicate(problems, i, event.id, first, derived=derived)
            continue
        if not problems:
            events.append(event)
        elif events:
            events = []  # the document fails: keep no events
    if not problems:
        try:
            return Timeline(events=events, **meta)
        except (FieldError, DuplicateIdError) as exc:
            problems.add(f"$.{getattr(exc, 'field', 'events')}", _message(exc))
    raise problems.error(source)


def _json_text(value: Any) -> str:
    """A JSON value as it is written in a file, cut when long."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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


def events_from_dicts(items: Iterable[Any], *, free_text_dates: bool = False) -> list[Event]:
    """:func:`event_from_dict` for many dicts (paths ``$[0]``, ``$[1]``...),
    collecting the problems of every item into one
    :class:`~timeline.ValidationError` (the first
    :data:`~timeline.errors.MAX_PROBLEMS`, and how many more)."""
    structure = _current(free_text_dates).structure_into
    problems = Problems()
    events: list[Event] = []
    for i, raw in enumerate(items):
        event = structure(raw, "$", problems, i)
        if event is not None and not problems:
            events.append(event)
    if problems:
        raise problems.error()
    return events


# -- unstructuring ------------------------------------------------------------------------

_PLAIN: Final = (str, int, float, bool, type(None))


def _unstructure_fn(cls: type[Any], c: Any, kind: str | None) -> Callable[[Any], dict[str, Any]]:
    """Generate ``cls``'s to-dict function: fields in definition order, those
    equal to their default left out, ``kind`` first. Written out as code (as
    cattrs does) because dumping 100k events runs it 100k times."""
    import types
    import typing

    attrs.resolve_types(cls)
    names: dict[str, Any] = {"_Date": Date}
    lines = ["def unstructure(e):", f"    d = {{'kind': {kind!r}}}" if kind else "    d = {}"]
    for i, a in enumerate(attrs.fields(cls)):
        if not a.init:
            continue
        tp = a.type
        args = typing.get_args(tp)
        optional = type(None) in args
        inner = (
            [t for t in args if t is not type(None)] if isinstance(tp, types.UnionType) else [tp]
        )
        value = f"v{i}"
        if all(t in _PLAIN for t in inner):
            expr = value
        elif inner == [Date]:
            expr = f"{value}.isoformat()"
        elif len(inner) == 1 and isinstance(inner[0], type) and issubclass(inner[0], enum.Enum):
            expr = f"{value}.value"
        elif typing.get_origin(tp) is tuple and typing.get_args(tp)[0] in _PLAIN:
            expr = f"list({value})"
        elif typing.get_origin(tp) is tuple and len(typing.get_args(tp)) == 2:
            names[f"u{i}"] = c.get_unstructure_hook(typing.get_args(tp)[0])
            expr = f"[u{i}(x) for x in {value}]"
        else:
            names[f"u{i}"] = c.get_unstructure_hook(inner[0] if optional else tp)
            expr = f"u{i}({value})"
        lines.append(f"    {value} = e.{a.name}")
        default = a.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is attrs.NOTHING:
            lines.append(f"    d[{a.name!r}] = {expr}")
            continue
        names[f"default{i}"] = default
        test = f"{value} is not None" if default is None else f"{value} != default{i}"
        if default is not None and optional:
            test = f"{value} is not None and {test}"
        if optional and default is not None:
            expr = f"None if {value} is None else {expr}"
        lines.append(f"    if {test}:")
        lines.append(f"        d[{a.name!r}] = {expr}")
    lines.append("    return d")
    source = "\n".join(lines)
    exec(compile(source, f"<timeline unstructure {cls.__qualname__}>", "exec"), names)
    fn: Callable[[Any], dict[str, Any]] = names["unstructure"]
    return fn


def _interned(cache: dict[tuple[Any, ...], Any], value: Any, make: Callable[[Any], Any]) -> Any:
    """The immutable object for a JSON object, built once per distinct value."""
    if type(value) is not dict:
        raise _WrongType(f"expected an object, not {_json_type(value)}")
    key = tuple((k, type(v), v) for k, v in value.items())  # 1 and True hash alike
    try:
        return cache[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value: let the class say what is wrong
        return make(value)
    made = make(value)
    if len(cache) >= 10_000:
        cache.clear()
    cache[key] = made
    return made


def _structure_fn(
    cls: type[Any],
    c: Any,
    nested: Mapping[type[Any], Callable[[Any], Any]],
    date_hook: Callable[[Any, Any], Date],
) -> Callable[[dict[str, Any]], Any]:
    """Generate the fast structure function of ``cls`` (see :class:`_Converter`)."""
    import types
    import typing

    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    names: dict[str, Any] = {
        "_cls": cls,
        "_known": frozenset(a.name for a in fields if a.init),
        "_Extra": _ExtraKeys,
    }
    lines = [
        "def structure(d):",
        "    if not d.keys() <= _known:",
        "        raise _Extra(d.keys() - _known)",
    ]
    for i, a in enumerate(fields):
        tp = a.type
        args = typing.get_args(tp)
        optional = isinstance(tp, types.UnionType) and type(None) in args
        inner = next((t for t in args if t is not type(None)), tp) if optional else tp
        origin = typing.get_origin(inner)
        if inner is Date:
            hook: Callable[[Any], Any] | None = functools.partial(_call_hook, date_hook, Date)
        elif inner in nested:
            hook = nested[inner]
        elif (
            origin is tuple
            and len(typing.get_args(inner)) == 2
            and typing.get_args(inner)[0] in nested
        ):
            item = nested[typing.get_args(inner)[0]]
            hook = functools.partial(_structure_list, item)
        elif a.validator is None:
            hook = functools.partial(_call_hook, c.get_structure_hook(inner), inner)
        else:
            hook = None  # the class's converter and validator check the JSON value
        if hook is None:
            continue
        names[f"h{i}"] = hook
        lines.append(f"    v = d.get({a.name!r}, d)")
        lines.append("    if v is not d:")
        if optional:
            lines.append(f"        d[{a.name!r}] = None if v is None else h{i}(v)")
        else:
            lines.append(f"        d[{a.name!r}] = h{i}(v)")
    lines.append("    return _cls(**d)")
    source = "\n".join(lines)
    exec(compile(source, f"<timeline structure {cls.__qualname__}>", "exec"), names)
    fn: Callable[[dict[str, Any]], Any] = names["structure"]
    return fn


class _ExtraKeys(ValueError):
    pass


def _call_hook(hook: Callable[[Any, Any], Any], tp: Any, value: Any) -> Any:
    return hook(value, tp)


def _structure_list(item: Callable[[Any], Any], value: Any) -> tuple[Any, ...]:
    if type(value) is not list:
        raise _WrongType(f"expected an array, not {_json_type(value)}")
    return tuple(item(x) for x in value)


# -- hooks and error reporting --------------------------------------------------------------


class _WrongType(TypeError):
    pass


def _strict_str(value: Any, _: Any) -> str:
    if type(value) is not str:
        raise _WrongType(f"expected a string, not {_json_type(value)}")
    return value


def _strict_int(value: Any, _: Any) -> int:
    if type(value) is not int:
        raise _WrongType(f"expected an integer, not {_json_type(value)}")
    return value


def _strict_float(value: Any, _: Any) -> float:
    if type(value) not in (int, float):
        raise _WrongType(f"expected a number, not {_json_type(value)}")
    return float(value)


def _strict_bool(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        raise _WrongType(f"expected true or false, not {_json_type(value)}")
    return bool(value)


def _is_homogeneous_tuple(tp: Any) -> bool:
    import typing

    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _sequence_hook(c: Any, tp: Any) -> Callable[[Any, Any], Any]:
    """A list in JSON: never a string or an object, which cattrs would iterate."""
    import typing

    from cattrs.errors import IterableValidationNote

    item_type = typing.get_args(tp)[0]
    item_hook = c.get_structure_hook(item_type)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _WrongType(f"expected an array, not {_json_type(value)}")
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:
                note = IterableValidationNote(f"Structuring item {index}", index, item_type)
                exc.__notes__ = [*getattr(exc, "__notes__", ()), note]
                errors.append(exc)
        if errors:
            raise ExceptionGroup("items", errors)
        return tuple(items)

    return structure


def _structure_date(value: Any, _: Any) -> Date:
    if type(value) is not str:
        if type(value) is Date:
            return value
        raise _WrongType(f"expected a date string, not {_json_type(value)}")
    return Date.fromisoformat(value)


def _structure_free_date(value: Any, _: Any) -> Date:
    if type(value) is not str:
        return _structure_date(value, _)
    return Date.parse(value)


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    valid = ", ".join(repr(m.value) for m in cls)

    def structure(value: Any, _: Any) -> Any:
        try:
            return cls(value)
        except ValueError:
            raise FieldError("", f"{_short(value)} is not one of {valid}") from None

    return structure


def _constructing(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A nested class (Place, Source) must be an object; say so plainly."""

    def structure(value: Any, cls: Any) -> Any:
        if not isinstance(value, dict):
            raise _WrongType(f"expected an object, not {_json_type(value)}")
        return fn(value, cls)

    return structure


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_short(value)})"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(exc: BaseException) -> str:
    """The reason alone, without the field name the model puts in front."""
    import cattrs

    if isinstance(exc, FieldError) and exc.field and exc.message.startswith(f"{exc.field}: "):
        return exc.message[len(exc.field) + 2 :]
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return "unknown field"
    if isinstance(exc, DateError | FieldError | _WrongType):
        return str(exc)
    if isinstance(exc, TypeError | ValueError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def _problems(
    exc: BaseException, path: str, cls: type[Any], data: Mapping[str, Any], conv: Any
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
    path: str, cls: type[Any], data: Mapping[str, Any], conv: Any, problems: list[Problem]
) -> None:
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
        if any(r == where or r.startswith((where + ".", where + "[")) for r in reported):
            continue
        try:
            value = conv.structure(value, a.type) if a.type is not None else value
            if a.converter is not None and callable(a.converter):
                value = a.converter(value)
            if a.validator is not None:
                a.validator(None, a, value)
        except FieldError as sub:
            problems.append(Problem(where, _message(sub)))
        except Exception as sub:
            _walk(sub, where, problems)
