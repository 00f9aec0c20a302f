"""The JSON Schema (Draft 2020-12) of the JSON format, built from the kinds
that are registered and from what their fields' checks accept
(:func:`timeline.validators.schema_of`). See ``docs/json-format.md``.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Final

import attrs

from . import validators
from .dates import DATE_PATTERN, DAY_PATTERN, Date
from .document import FORMAT_NAME, FORMAT_VERSION
from .model import Place, Source
from .timelines import Timeline
from .translations import Translations, translatable_fields

__all__ = ["SCHEMA_ID", "json_schema"]

SCHEMA_ID: Final = f"urn:timeline-events:schema:{FORMAT_VERSION}"

_DATE_WORDS: Final = (
    "An EDTF/ISO 8601 date: 2001, 2001-06, 2001-06-15, 2001-06-15T10:00, "
    "2001-06-15T10:00Z, 2024-07-04T10:00[Asia/Almaty]; ~ approximate, ? uncertain, "
    "% both; -0476 is 477 BCE."
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON format for the kinds that are registered
    now, so a plugin's kind is described as well as ours.
    ``timeline/timeline.schema.json`` in the package is this schema for the
    built-in kinds. It compiles in Ajv's strict mode."""
    from .registry import kinds

    registered = kinds()
    defs: dict[str, Any] = {
        "date": {"description": _DATE_WORDS, "type": "string", "pattern": DATE_PATTERN},
        "day": {"type": "string", "pattern": DAY_PATTERN},
        "place": _object_schema(Place),
        "source": _object_schema(Source),
    }
    branches = []
    for name, cls in sorted(registered.items()):
        key = f"kind-{name}"
        definition = _object_schema(cls)
        definition["properties"] = {"kind": {"const": name}, **definition["properties"]}
        defs[key] = definition
        test: dict[str, Any] = {"properties": {"kind": {"const": name}}}
        if name != "event":
            test["required"] = ["kind"]
        branches.append({"if": test, "then": {"$ref": f"#/$defs/{key}"}})
    defs["event"] = {
        "type": "object",
        "properties": {"kind": {"enum": sorted(registered)}},
        "allOf": branches,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"timeline-events document, version {FORMAT_VERSION}",
        "type": "object",
        "required": ["format", "version"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT_NAME},
            "version": {"const": FORMAT_VERSION},
            "language": dict(validators.language.schema),
            "title": dict(validators.line.schema),
            "description": dict(validators.text.schema),
            "url": dict(validators.url.schema),
            "translations": _translations_schema(Timeline),
            "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
        },
        "$defs": defs,
    }


def _object_schema(cls: type[Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        properties[a.name] = (
            _translations_schema(cls) if a.type is Translations else _field_schema(a)
        )
        if a.default is attrs.NOTHING:
            required.append(a.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _translations_schema(cls: type[Any]) -> dict[str, Any]:
    """``{language: {field: text}}`` for the translatable fields of ``cls``,
    each text as its field's check describes it, and not empty. (That no
    translation is in the timeline's own language needs the library.)"""
    attrs.resolve_types(cls)
    fields = attrs.fields_dict(cls)
    texts: dict[str, Any] = {}
    for name in translatable_fields(cls):
        facts = validators.schema_of(fields[name].validator)
        text: dict[str, Any] = dict(facts) if facts is not None else {"type": "string"}
        text["minLength"] = max(1, text.get("minLength", 1))
        texts[name] = text
    return {
        "type": "object",
        "propertyNames": {"type": "string", "pattern": f"^{validators.LANGUAGE_PATTERN}$"},
        "additionalProperties": {
            "type": "object",
            "minProperties": 1,
            "properties": texts,
            "additionalProperties": False,
        },
    }


def _field_schema(a: attrs.Attribute[Any]) -> dict[str, Any]:
    """What the field's check accepts; for a field whose validator carries no
    schema (:func:`~timeline.validators.with_schema`), what its type
    annotation says."""
    tp = a.type
    args = typing.get_args(tp)
    optional = isinstance(tp, types.UnionType) and type(None) in args
    inner = next((t for t in args if t is not type(None)), tp) if optional else tp
    facts = validators.schema_of(a.validator)
    schema = dict(facts) if facts is not None else _type_schema(inner)
    label = a.metadata.get("label")
    if label:
        schema["title"] = label
    if optional:
        return {"anyOf": [schema, {"type": "null"}], **({"title": label} if label else {})}
    return schema


def _type_schema(tp: Any) -> dict[str, Any]:
    if tp is Date:
        return {"$ref": "#/$defs/date"}
    if tp is Place:
        return {"$ref": "#/$defs/place"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        if item is Source:
            return {"type": "array", "items": {"$ref": "#/$defs/source"}}
        if item is str:
            return {"type": "array", "items": dict(validators.line.schema)}
        return {"type": "array"}
    simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
    return {"type": simple[tp]} if tp in simple else {}
