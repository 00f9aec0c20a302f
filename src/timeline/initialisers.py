"""Quicker ``__init__`` methods for the built-in attrs classes, with the same
checks, in the same order, and the same errors. See ``docs/model.md``,
"How an event is checked".
"""

from __future__ import annotations

import linecache
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs

from . import validators as v
from .dates import Date, parse_date
from .translations import EMPTY, to_translations
from .translations import translations as check_translations

__all__ = ["quick_init", "reference_init"]

T = TypeVar("T", bound=type)

# What a validator lets through for certain, as an expression of the value
# ``{x}``: where it holds, the validator would return, so the generated
# ``__init__`` does not call it; where it does not, the validator is called
# and says what is wrong (or finds nothing wrong), exactly as attrs would.
# ``str.isprintable()`` (C, a few times quicker than a regular expression's
# search) is false for every character text or a line may not hold: the
# controls (Cc), surrogates (Cs), and line and paragraph separators (Zl, Zp);
# where it is false (a line break, a no-break space), the pattern decides.
_LINE: Final = "type({x}) is str and ({x}.isprintable() or not _line_bad({x}))"
_PASSES: Mapping[object, str] = {
    v.line: f"{{x}} is None or ({_LINE})",
    v.required_line: f"{_LINE} and {{x}}.strip()",
    v.text: "type({x}) is str and ({x}.isprintable() or not _text_bad({x}))",
    v.title: f"{_LINE} and len({{x}}) <= _MAX_TITLE and {{x}}.strip()",
    v.url: f"{{x}} is None or ({_LINE} and _url({{x}}))",
    v.event_id: "type({x}) is str and ({x} == '' or _id({x}))",
    v.date: "type({x}) is _Date",
    v.optional_date: "{x} is None or type({x}) is _Date",
    v.day_date: "{x} is None",
    v.zone: "{x} is None",
    v.rrule: "{x} is None",
    v.party: "type({x}) is str and {x} in _valid_parties",
    v.optional_party: "{x} is None or (type({x}) is str and {x} in _valid_parties)",
    v.parties: (
        "type({x}) is tuple and _only_str.issuperset(map(type, {x})) "
        "and _valid_parties.issuperset({x}) and len(set({x})) == len({x})"
    ),
    v.lines: "type({x}) is tuple and not {x}",
    check_translations: "{x} is _EMPTY",
}
# What a converter gives back unchanged for certain, likewise: where it
# holds, the converter is not called.
_UNCHANGED: Mapping[object, str] = {
    v.to_text: "type({x}) is not str or '\\r' not in {x}",
    v.to_date: "{x} is None or type({x}) is _Date",
    v.to_tuple: "type({x}) is tuple",
    v.to_party: "{x} is None",
    v.to_parties: "type({x}) is tuple and not {x}",
    v.to_float: "type({x}) is not int",
    to_translations: "{x} is _EMPTY",
}
_NAMES: Mapping[str, Any] = {
    "_line_bad": v.NOT_IN_A_LINE.search,
    "_text_bad": v.CONTROL_CHARACTERS.search,
    "_url": re.compile(v.URL_PATTERN).fullmatch,
    "_id": re.compile(v.ID_PATTERN).fullmatch,
    "_MAX_TITLE": v.MAX_TITLE,
    "_Date": Date,
    "_valid_parties": v.VALID_PARTIES,
    "_only_str": frozenset((str,)),
    "_EMPTY": EMPTY,
    "_parse_date": parse_date,
    "_get_disabled": attrs.validators.get_disabled,
}


def quick_init(cls: T) -> T:
    """Give the attrs class ``cls`` a generated ``__init__`` that does what
    attrs' does (each converter in the order of the fields, then each
    validator, then ``__attrs_post_init__``) but calls a converter or a
    validator only when the value is not one it certainly leaves alone or
    lets through (``None`` where ``None`` is the default, a plain valid
    line, a party already checked). The class is returned as it was when
    its fields are of a shape this does not know (a factory, an alias), or
    when it is not slotted or has an ``__attrs_pre_init__``.

    Besides the checks and converters of :mod:`timeline.validators`, it
    knows a validator or converter that says what it accepts or keeps in
    an attribute: ``enum`` (an instance of that enum passes, or is kept),
    ``optional_instance`` (``None`` or an instance of that class passes)
    and ``items`` (a tuple of instances of that class passes)."""
    fields = attrs.fields(cls)
    if (
        "__slots__" not in cls.__dict__
        or hasattr(cls, "__attrs_pre_init__")
        or not all(
            a.init and a.kw_only and a.alias == a.name and not isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
            for a in fields
        )
        or any(_slot_setter(cls, a.name) is None for a in fields)
    ):
        return cls
    names: dict[str, Any] = dict(_NAMES)
    params, body, checks = [], [], []
    for i, a in enumerate(fields):
        x = a.name
        if a.default is attrs.NOTHING:
            params.append(x)
        else:
            names[f"_d{i}"] = a.default
            params.append(f"{x}=_d{i}")
        if a.converter is not None:
            if not callable(a.converter) or isinstance(a.converter, attrs.Converter):
                return cls
            names[f"_c{i}"] = a.converter
            if a.converter is v.to_date:
                body.append(f"    if type({x}) is str: {x} = _parse_date({x})")
                body.append(f"    elif not ({_UNCHANGED[v.to_date].format(x=x)}): {x} = _c{i}({x})")
            else:
                kept = _UNCHANGED.get(a.converter) or _known(a.converter, f"_kc{i}", names)
                if kept is None:
                    body.append(f"    {x} = _c{i}({x})")
                else:
                    body.append(f"    if not ({kept.format(x=x)}): {x} = _c{i}({x})")
        body.append(f"    _s{i}(self, {x})")
        names[f"_s{i}"] = _slot_setter(cls, x)
        if a.validator is not None:
            names[f"_v{i}"], names[f"_a{i}"] = a.validator, a
            sure = _PASSES.get(a.validator) or _known(a.validator, f"_kv{i}", names)
            call = f"_v{i}(self, _a{i}, {x})"
            if sure is None:
                checks.append(f"        {call}")
            else:
                checks.append(f"        if not ({sure.format(x=x)}): {call}")
    lines = [f"def __init__(self, *, {', '.join(params)}):", *body]
    if checks:
        lines += ["    if not _get_disabled():", *checks]
    if hasattr(cls, "__attrs_post_init__"):
        lines.append("    self.__attrs_post_init__()")
    init = _generate(cls, lines, names)
    original = cls.__dict__["__init__"]
    init.__annotations__ = dict(getattr(original, "__annotations__", {}))
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = original.__doc__
    _REFERENCE[cls] = original
    type.__setattr__(cls, "__init__", init)
    return cls


_REFERENCE: dict[type, Callable[..., None]] = {}


def _known(check: object, name: str, names: dict[str, Any]) -> str | None:
    """The expression of ``{x}`` for a check or converter that says what it
    accepts in an attribute (see :func:`quick_init`); its class as ``name``."""
    for attribute, expression in (
        ("enum", "type({x}) is %s"),
        ("optional_instance", "{x} is None or type({x}) is %s"),
        ("items", "type({x}) is tuple and %s.issuperset(map(type, {x}))"),
    ):
        cls = getattr(check, attribute, None)
        if isinstance(cls, type):
            names[name] = frozenset((cls,)) if attribute == "items" else cls
            return expression % name
    return None


def reference_init(cls: type) -> Callable[..., None] | None:
    """attrs' own ``__init__`` of a class :func:`quick_init` gave another
    (``None`` for any other class): the reference the tests compare with."""
    return _REFERENCE.get(cls)


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None] | None:
    """What writes the slot ``name`` of an instance of ``cls``, if it has one."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            setter: Callable[[Any, Any], None] | None = getattr(slot, "__set__", None)
            return setter
    return None


def _generate(cls: type, lines: list[str], names: dict[str, Any]) -> Any:
    """The function that ``lines`` define, under a file name that
    :mod:`linecache` knows (as attrs does), so that a traceback through it
    shows its code."""
    source = "\n".join(lines) + "\n"
    source_lines = source.splitlines(True)
    base = f"<timeline quick __init__ {cls.__module__}.{cls.__qualname__}"
    filename, count = f"{base}>", 1
    while linecache.cache.get(filename, (0, None, source_lines))[2:3] != (source_lines,):
        count += 1  # another class of the same name
        filename = f"{base}-{count}>"
    linecache.cache[filename] = (len(source), None, source_lines, filename)
    exec(compile(source, filename, "exec"), names)
    return names["__init__"]
