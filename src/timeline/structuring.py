"""The cattrs machinery under :mod:`timeline.document`, internal to it.

One converter per set of kinds, with strict hooks for JSON's values and functions generated
for each class. See ``docs/json-format.md``, "How a document is checked".
"""

from __future__ import annotations

import enum
import functools
import linecache
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .dates import READ_DATES, Date
from .errors import FieldError, TimelineError
from .model import Event, Place, Source
from .translations import Translations, translatable_fields
from .validators import json_type, short

__all__ = ["Converter", "WrongType", "converter"]


class WrongType(TypeError):
    """A JSON value of the wrong type (a number where a string belongs); its
    text is the whole message (``expected a string, not a number (5)``)."""


class Converter:
    """A cattrs converter that knows one set of kinds.

    :meth:`structure_fast` hands JSON values straight to the classes, whose
    converters and validators check them (a field without a validator goes
    through the strict hooks); when it fails, :meth:`structure_detailed`
    runs cattrs' own structuring, whose exceptions say where each problem is.
    """

    def __init__(self, kinds: Mapping[str, type[Event]], free_text_dates: bool = False) -> None:
        # cattrs is imported here, not at the top, to keep ``import timeline`` fast.
        from cattrs.gen import make_dict_structure_fn
        from cattrs.preconf.json import make_converter

        date_hook = _structure_free_date if free_text_dates else _structure_date
        self.kinds: dict[str, type[Event]] = dict(kinds)
        """The classes of the kinds, by name."""
        c = make_converter(forbid_extra_keys=True)
        for tp, check in (
            (str, _strict_str),
            (int, _strict_int),
            (float, _strict_float),
            (bool, _strict_bool),
        ):
            c.register_structure_hook(tp, check)
        c.register_structure_hook(Date, date_hook)
        # The class's converter makes Translations of the JSON object, and says what is wrong.
        c.register_structure_hook(Translations, _as_given)
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
        # Places repeat (a city hosts many events), and so do sources (one
        # report backs many events): each is built once.
        nested = {
            Place: functools.partial(_interned, self._places, _make_place),
            Source: functools.partial(_interned, self._sources, self._make_source),
        }
        for cls in self.kinds.values():
            self._unstructure[cls] = _unstructure_fn(cls, c, cls.kind)
            self._fast[cls] = _structure_fn(cls, c, nested, date_hook)

    def unstructure(self, event: Event) -> dict[str, Any]:
        """The plain data of ``event``: ``kind`` first, then the fields that
        differ from their defaults. Raises :class:`~timeline.TimelineError`
        for an event of a kind that no plugin has registered."""
        cls = type(event)
        try:
            hook = self._unstructure[cls]
        except KeyError:
            raise TimelineError(
                f"event {event.id!r} is of kind {cls.kind!r} ({cls.__qualname__}), "
                "which no plugin has registered"
            ) from None
        return hook(event)

    def structure_fast(self, cls: type[Event], fields: dict[str, Any]) -> Event:
        """The ``cls`` of ``fields`` (the JSON object without ``kind``, which
        this changes). Raises whatever the first check that fails raises."""
        event: Event = self._fast[cls](fields)
        return event

    def structure_detailed(self, cls: type[Event], fields: Mapping[str, Any]) -> Event:
        """The ``cls`` of ``fields`` by cattrs' own structuring: slower, and
        what it raises says where each problem is (cattrs' exception groups,
        with notes that name the fields and list items)."""
        fn = self._detailed.get(cls)
        if fn is None:
            from cattrs.gen import make_dict_structure_fn

            fn = self._detailed[cls] = make_dict_structure_fn(
                cls, self._c, _cattrs_forbid_extra_keys=True
            )
        event: Event = fn(fields, cls)
        return event

    def structure_value(self, value: Any, tp: Any) -> Any:
        """``value`` as a value of the type ``tp``, by the strict hooks."""
        return self._c.structure(value, tp)

    def _make_source(self, value: dict[str, Any]) -> Source:
        """The generated function changes the dict it is given: give it a
        copy, not the input's."""
        source: Source = self._source_fn(dict(value))
        return source


@functools.lru_cache(maxsize=8)
def _converter_for(
    kinds: tuple[tuple[str, type[Event]], ...], free_text_dates: bool = False
) -> Converter:
    return Converter(dict(kinds), free_text_dates)


_LAST: dict[bool, tuple[object, Converter]] = {}
"""The converter of the registry seen last, for each ``free_text_dates``: a
reader that converts row by row asks for it once a row."""


def converter(free_text_dates: bool = False) -> Converter:
    """The converter of the kinds registered now; with ``free_text_dates``,
    dates may also be prose (:func:`~timeline.parse_date`)."""
    from .registry import kind_table

    kinds = kind_table()
    last = _LAST.get(free_text_dates)
    if last is not None and last[0] is kinds:
        return last[1]
    made = _converter_for(kinds, free_text_dates)
    _LAST[free_text_dates] = (kinds, made)
    return made


# -- generated functions ------------------------------------------------------------------


def _generate(what: str, cls: type[Any], lines: list[str], names: dict[str, Any]) -> Any:
    """The function ``what`` that ``lines`` define, for ``cls``, under a file
    name of its own that :mod:`linecache` knows (as attrs does), so that a
    traceback through it and :func:`inspect.getsource` show its code."""
    source = "\n".join(lines) + "\n"
    source_lines = source.splitlines(True)
    base = f"<timeline generated {what} {cls.__module__}.{cls.__qualname__}"
    filename, count = f"{base}>", 1
    while linecache.cache.get(filename, (0, None, source_lines))[2:3] != (source_lines,):
        count += 1  # another class of the same name, or the same class changed
        filename = f"{base}-{count}>"
    linecache.cache[filename] = (len(source), None, source_lines, filename)
    exec(compile(source, filename, "exec"), names)
    return names[what]


_PLAIN: typing.Final = (str, int, float, bool, type(None))


def _unstructure_fn(cls: type[Any], c: Any, kind: str | None) -> Callable[[Any], dict[str, Any]]:
    """Generate ``cls``'s to-dict function: fields in definition order, those
    equal to their default left out, ``kind`` first. Written out as code (as
    cattrs does) because dumping 100k events runs it 100k times."""
    attrs.resolve_types(cls)
    names: dict[str, Any] = {"_Date": Date}
    lines = ["def unstructure(e):", f"    d = {{'kind': {kind!r}}}" if kind else "    d = {}"]
    # Translations come last, after the fields they translate (a kind's own too).
    fields = sorted(attrs.fields(cls), key=lambda a: a.type is Translations)
    for i, a in enumerate(fields):
        if not a.init:
            continue
        value = f"v{i}"
        optional = type(None) in typing.get_args(a.type)
        if a.type is Translations:
            names[f"order{i}"] = translatable_fields(cls)
            lines.append(f"    {value} = e.{a.name}")
            lines.append(f"    if {value}:")
            lines.append(f"        d[{a.name!r}] = {value}.to_dict(order{i})")
            continue
        expr = _unstructure_expr(a.type, value, f"u{i}", c, names)
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
            expr = f"None if {value} is None else {expr}"
        lines.append(f"    if {test}:")
        lines.append(f"        d[{a.name!r}] = {expr}")
    lines.append("    return d")
    fn: Callable[[Any], dict[str, Any]] = _generate("unstructure", cls, lines, names)
    return fn


def _unstructure_expr(tp: Any, value: str, hook: str, c: Any, names: dict[str, Any]) -> str:
    """The expression that writes ``value``, of the type ``tp``, as plain
    data; a cattrs hook it needs goes into ``names`` as ``hook``."""
    args = typing.get_args(tp)
    optional = type(None) in args
    inner = [t for t in args if t is not type(None)] if isinstance(tp, types.UnionType) else [tp]
    if all(t in _PLAIN for t in inner):
        return value
    if inner == [Date]:
        return f"{value}.isoformat()"
    if len(inner) == 1 and isinstance(inner[0], type) and issubclass(inner[0], enum.Enum):
        return f"{value}.value"
    if typing.get_origin(tp) is tuple and args[0] in _PLAIN:
        return f"list({value})"
    if typing.get_origin(tp) is tuple and len(args) == 2:
        names[hook] = c.get_unstructure_hook(args[0])
        return f"[{hook}(x) for x in {value}]"
    names[hook] = c.get_unstructure_hook(inner[0] if optional else tp)
    return f"{hook}({value})"


def _structure_fn(
    cls: type[Any],
    c: Any,
    nested: Mapping[type[Any], Callable[[Any], Any]],
    date_hook: Callable[[Any, Any], Date],
) -> Callable[[dict[str, Any]], Any]:
    """Generate the fast structure function of ``cls`` (see
    :meth:`Converter.structure_fast`): each field that needs a hook goes
    through it, then the class checks everything else."""
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
        hook = _structure_hook(a, inner, c, nested, date_hook)
        if hook is None:
            continue
        names[f"h{i}"] = hook
        call = f"h{i}(v)"
        if inner is Date:  # a date read before is looked up without a call
            names["_read"] = READ_DATES.get
            call = f"_read(v) or h{i}(v) if type(v) is str else h{i}(v)"
        lines.append(f"    v = d.get({a.name!r}, d)")
        lines.append("    if v is not d:")
        if optional:
            lines.append(f"        d[{a.name!r}] = None if v is None else {call}")
        else:
            lines.append(f"        d[{a.name!r}] = {call}")
    lines.append("    return _cls(**d)")
    fn: Callable[[dict[str, Any]], Any] = _generate("structure", cls, lines, names)
    return fn


def _structure_hook(
    a: attrs.Attribute[Any],
    tp: Any,
    c: Any,
    nested: Mapping[type[Any], Callable[[Any], Any]],
    date_hook: Callable[[Any, Any], Date],
) -> Callable[[Any], Any] | None:
    """What the fast path does to the JSON value of the field ``a`` (of the
    type ``tp``, ``None`` apart) before the class sees it; ``None`` when the
    class's converter and validator check the JSON value as it is."""
    if tp is Date:
        return functools.partial(_call_hook, date_hook, Date)
    if tp in nested:
        return nested[tp]
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple and len(args) == 2 and args[0] in nested:
        return functools.partial(_structure_list, nested[args[0]])
    if a.validator is None:
        return functools.partial(_call_hook, c.get_structure_hook(tp), tp)
    return None


class _ExtraKeys(ValueError):
    pass


def _as_given(value: Any, _: Any) -> Any:
    return value


def _call_hook(hook: Callable[[Any, Any], Any], tp: Any, value: Any) -> Any:
    return hook(value, tp)


def _structure_list(item: Callable[[Any], Any], value: Any) -> tuple[Any, ...]:
    if type(value) is not list:
        raise WrongType(f"expected an array, not {json_type(value)}")
    return tuple(map(item, value))


def _make_place(value: dict[str, Any]) -> Place:
    return Place(**value)


def _interned(cache: dict[tuple[Any, ...], Any], make: Callable[[Any], Any], value: Any) -> Any:
    """The immutable object for a JSON object, built once per distinct value."""
    if type(value) is not dict:
        raise WrongType(f"expected an object, not {json_type(value)}")
    values = value.values()
    # The keys, the values and their types (1 and True hash alike) in one
    # flat tuple: its length says how many keys there are.
    key: tuple[Any, ...] = (*value, *values, *map(type, values))
    try:
        found = cache.get(key)
    except TypeError:  # a nested object or array (a place's translations)
        key = _deep_key(value)
        found = cache.get(key)
    if found is not None:
        return found
    made = make(value)
    if len(cache) >= 10_000:
        cache.clear()
    cache[key] = made
    return made


def _deep_key(value: Any) -> Any:
    """A JSON value as a hashable key, with the type of every value in it
    (``{"a": 1}`` and ``{"a": true}`` differ); for :func:`_interned`."""
    if type(value) is dict:
        return (dict, tuple(value), tuple(map(_deep_key, value.values())))
    if type(value) is list:
        return (list, tuple(map(_deep_key, value)))
    return (type(value), value)


# -- strict hooks -------------------------------------------------------------------------


def _strict_str(value: Any, _: Any) -> str:
    if type(value) is not str:
        raise WrongType(f"expected a string, not {json_type(value)}")
    return value


def _strict_int(value: Any, _: Any) -> int:
    if type(value) is not int:
        raise WrongType(f"expected an integer, not {json_type(value)}")
    return value


def _strict_float(value: Any, _: Any) -> float:
    if type(value) not in (int, float):
        raise WrongType(f"expected a number, not {json_type(value)}")
    return float(value)


def _strict_bool(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        raise WrongType(f"expected true or false, not {json_type(value)}")
    return bool(value)


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _sequence_hook(c: Any, tp: Any) -> Callable[[Any, Any], Any]:
    """A list in JSON: never a string or an object, which cattrs would iterate."""
    from cattrs.errors import IterableValidationNote

    item_type = typing.get_args(tp)[0]
    item_hook = c.get_structure_hook(item_type)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise WrongType(f"expected an array, not {json_type(value)}")
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
        raise WrongType(f"expected a date string, not {json_type(value)}")
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
            raise FieldError("", f"{short(value)} is not one of {valid}") from None

    return structure


def _constructing(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A nested class (Place, Source) must be an object; say so plainly."""

    def structure(value: Any, cls: Any) -> Any:
        if not isinstance(value, dict):
            raise WrongType(f"expected an object, not {json_type(value)}")
        return fn(value, cls)

    return structure
