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

__all__ = ["SHARED_TEXTS", "Converter", "TextLayout", "WrongType", "converter"]


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
        self._text_makers: dict[
            TextLayout, dict[type[Event], Callable[..., Callable[[Any], str]]]
        ] = {}
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

    def text_writer(self, layout: TextLayout) -> Callable[[Event], str]:
        """A function that writes an event as ``layout`` lays out its plain
        data (what :meth:`unstructure` gives), without making the dicts; the
        text of each place and source is kept and written again as it is.
        It raises what :meth:`unstructure` raises."""
        makers = self._text_makers.get(layout)
        if makers is None:
            makers = self._text_makers[layout] = {
                cls: _text_fn(cls, self._c, layout) for cls in self._unstructure
            }
        helpers = _text_helpers(self._c, layout)
        writers = {cls: make(*helpers) for cls, make in makers.items()}

        def write(event: Event) -> str:
            try:
                return writers[type(event)](event)
            except KeyError:
                if type(event) in writers:
                    raise
                self.unstructure(event)  # raises its error
                raise  # pragma: no cover - an unregistered kind raises above

        return write

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


@attrs.frozen
class _Field:
    """What a generated to-dict or to-text function does with one field:
    ``value`` is its plain data (an expression of ``v{i}``, the field's value),
    written when ``test`` is true (``None``: always); ``shape`` says what that
    data is, for the text writer (``str``, ``date``, ``strings``, ``place``,
    ``sources``, ``any``)."""

    name: str
    index: int
    value: str
    test: str | None
    shape: str


def _plan(cls: type[Any], c: Any, names: dict[str, Any]) -> list[_Field]:
    """The fields of ``cls`` as its to-dict function writes them: in
    definition order, translations last, those equal to their default left
    out; the objects their code needs go into ``names``."""
    attrs.resolve_types(cls)
    plan: list[_Field] = []
    # Translations come last, after the fields they translate (a kind's own too).
    fields = sorted(attrs.fields(cls), key=lambda a: a.type is Translations)
    for i, a in enumerate(fields):
        if not a.init:
            continue
        value = f"v{i}"
        optional = type(None) in typing.get_args(a.type)
        if a.type is Translations:
            names[f"order{i}"] = translatable_fields(cls)
            plan.append(_Field(a.name, i, f"{value}.to_dict(order{i})", value, "any"))
            continue
        expr = _unstructure_expr(a.type, value, f"u{i}", c, names)
        shape = _shape(a.type, expr, value)
        default = a.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is attrs.NOTHING:
            plan.append(_Field(a.name, i, expr, None, shape))
            continue
        names[f"default{i}"] = default
        test = f"{value} is not None" if default is None else f"{value} != default{i}"
        if default is not None and optional:
            test = f"{value} is not None and {test}"
            expr = f"None if {value} is None else {expr}"
            shape = "any"
        plan.append(_Field(a.name, i, expr, test, shape))
    return plan


def _shape(tp: Any, expr: str, value: str) -> str:
    """What the plain data ``expr`` of a value of the type ``tp`` is: ``str``
    (a string, or whatever the field holds), ``date`` (its text),
    ``strings`` (a list, of strings or whatever the tuple holds), ``place``,
    ``sources``, else ``any``."""
    args = typing.get_args(tp)
    inner = [t for t in args if t is not type(None)] if isinstance(tp, types.UnionType) else [tp]
    if expr == value:
        return "str"
    if expr == f"{value}.isoformat()":
        return "date"
    if expr == f"list({value})":
        return "strings"
    if inner == [Place]:
        return "place"
    if typing.get_origin(tp) is tuple and args == (Source, Ellipsis):
        return "sources"
    return "any"


def _unstructure_fn(cls: type[Any], c: Any, kind: str | None) -> Callable[[Any], dict[str, Any]]:
    """Generate ``cls``'s to-dict function: fields in definition order, those
    equal to their default left out, ``kind`` first. Written out as code (as
    cattrs does) because dumping 100k events runs it 100k times."""
    names: dict[str, Any] = {"_Date": Date}
    lines = ["def unstructure(e):", f"    d = {{'kind': {kind!r}}}" if kind else "    d = {}"]
    for f in _plan(cls, c, names):
        lines.append(f"    v{f.index} = e.{f.name}")
        if f.test is None:
            lines.append(f"    d[{f.name!r}] = {f.value}")
        else:
            lines.append(f"    if {f.test}:")
            lines.append(f"        d[{f.name!r}] = {f.value}")
    lines.append("    return d")
    fn: Callable[[Any], dict[str, Any]] = _generate("unstructure", cls, lines, names)
    return fn


@attrs.frozen
class TextLayout:
    """How :meth:`Converter.text_writer` lays out the plain data of an event
    as text (the JSON format's compact and indented forms).

    ``first`` is the text of the event up to its first value, that of
    ``kind``, and ``next(key)`` the text before each other value; ``end``
    closes the event. ``string`` writes a string, ``value(data, depth)``
    any plain data: at depth 0 a field's value, at depth 1 an item of a
    field's list; ``array(texts)`` a field's list of items already written.
    """

    first: str
    next: Callable[[str], str]
    end: str
    string: Callable[[str], str]
    value: Callable[[Any, int], str]
    array: Callable[[list[str]], str]


SHARED_TEXTS: typing.Final = 1_024
"""How many places, and how many sources, a function of
:meth:`Converter.text_writer` keeps the text of (the one kept longest goes
when it is full): those written last, which events near one another
share; a big cache of texts that a long file seldom meets again would be
most of a stream's memory (10,000 sources' texts: about 3 MB a writer)."""


def _text_fn(cls: type[Any], c: Any, layout: TextLayout) -> Callable[..., Callable[[Any], str]]:
    """Generate the maker of ``cls``'s to-text function for ``layout``: the
    text of the plain data that its to-dict function makes, written without
    the dict. The maker takes the writer's functions for places, sources and
    lists of strings, which keep the texts of the places and sources seen."""
    names: dict[str, Any] = {"_Date": Date, "_str": str, "_s": layout.string}
    value_at = layout.value
    names["_value"] = lambda data: value_at(data, 0)
    lines = [
        "def text(_place, _sources, _strings):",
        "    def write(e):",
        f"        p = [{layout.first + layout.string(cls.kind)!r}]",
        "        a = p.append",
    ]
    for f in _plan(cls, c, names):
        value = f"v{f.index}"
        if f.shape == "str":
            text = f"_s({value}) if {value}.__class__ is _str else _value({value})"
        elif f.shape == "date":
            text = f"_s(t) if (t := {f.value}).__class__ is _str else _value(t)"
        elif f.shape == "strings":
            text = f"_strings({value})"
        elif f.shape == "place":
            text = f"_place({value})"
        elif f.shape == "sources":
            text = f"_sources({value})"
        else:
            text = f"_value({f.value})"
        lines.append(f"        {value} = e.{f.name}")
        pad = "        "
        if f.test is not None:
            lines.append(f"        if {f.test}:")
            pad += "    "
        lines.append(f"{pad}a({layout.next(f.name)!r})")
        lines.append(f"{pad}a({text})")
    lines.append(f"        a({layout.end!r})")
    lines.append("        return ''.join(p)")
    lines.append("    return write")
    fn: Callable[..., Callable[[Any], str]] = _generate("text", cls, lines, names)
    return fn


def _text_helpers(c: Any, layout: TextLayout) -> tuple[Callable[[Any], str], ...]:
    """The functions that a to-text function writes a place, the sources
    and a list of strings with: each place and source written once (they
    are immutable and shared by many events), kept by identity."""
    place_data = c.get_unstructure_hook(Place)
    source_data = c.get_unstructure_hook(Source)
    value, array, string = layout.value, layout.array, layout.string
    places: dict[int, tuple[Any, str]] = {}
    sources: dict[int, tuple[Any, str]] = {}

    def place(p: Any) -> str:
        known = places.get(id(p))
        if known is not None and known[0] is p:
            return known[1]
        text = value(place_data(p), 0)
        if len(places) >= SHARED_TEXTS:
            del places[next(iter(places))]  # the one seen first
        places[id(p)] = (p, text)
        return text

    def source(s: Any) -> str:
        known = sources.get(id(s))
        if known is not None and known[0] is s:
            return known[1]
        text = value(source_data(s), 1)
        if len(sources) >= SHARED_TEXTS:
            del sources[next(iter(sources))]  # the one seen first
        sources[id(s)] = (s, text)
        return text

    def sources_text(items: Any) -> str:
        texts = []
        for s in items:
            known = sources.get(id(s))
            texts.append(known[1] if known is not None and known[0] is s else source(s))
        return array(texts)

    def strings(items: Any) -> str:
        try:
            return array(list(map(string, items)))
        except TypeError:  # not all strings: as the json module writes them
            return value(list(items), 0)

    return place, sources_text, strings


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
