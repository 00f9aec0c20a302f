"""Translated texts: :class:`Translations`, which fields may be translated
(:func:`translatable`), and the lookup that events, places and timelines share
(:class:`Translatable`: ``translated()`` and ``translation()``).

A translation is keyed by a BCP 47 language tag and a field's name:
``{"ru": {"title": "Саммит ШОС"}}``. The timeline's ``language`` is the
language of the original texts, which the fields themselves hold. See
``docs/languages.md`` and ``docs/model.md``.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from .errors import FieldError
from .validators import (
    canonical_language,
    is_language,
    json_type,
    language_problem,
    short,
    with_schema,
)

__all__ = [
    "EMPTY",
    "TRANSLATABLE",
    "TextsIn",
    "Translatable",
    "Translations",
    "lookup_chain",
    "script_of",
    "to_translations",
    "translatable",
    "translatable_fields",
    "translation_problems",
    "translations",
]

TRANSLATABLE: Final = "translatable"
"""The key of the attrs ``metadata`` that marks a field translatable."""

_NEWLINE: Final = re.compile(r"\r\n?")


def translatable() -> dict[str, bool]:
    """The attrs ``metadata`` of a field whose text may be translated: a
    kind's own text field (``metadata=translatable()``, or with a label,
    ``metadata=label("Treaty") | translatable()``). Its translations are
    checked by the field's own validator."""
    return {TRANSLATABLE: True}


_FIELDS: weakref.WeakKeyDictionary[type[Any], tuple[str, ...]] = weakref.WeakKeyDictionary()


def translatable_fields(cls: type[Any]) -> tuple[str, ...]:
    """The names of the fields of the attrs class ``cls`` that may be
    translated, in definition order: ``('title', 'description', 'notes')``
    for :class:`~timeline.Event`."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(
            a.name for a in attrs.fields(cls) if a.metadata.get(TRANSLATABLE)
        )
    return found


@functools.lru_cache(maxsize=512)
def lookup_chain(language: str) -> tuple[str, ...]:
    """The tags a reader of ``language`` is served by, nearest first: the
    tag, then the tag with its last subtag taken off, and so on (RFC 4647's
    lookup), in canonical case, but never a tag in another script than the
    reader's: the script a tag is written in is its own or, when it has
    none, the one CLDR's likely subtags give its language (``zh`` is written
    in Han Simplified, ``zh-TW`` in Traditional), and the tag with the
    script spelt out is tried too. A single letter left at the end (of an
    extension or private use) goes with the subtag after it.

    >>> lookup_chain("zh-hans-cn")
    ('zh-Hans-CN', 'zh-Hans', 'zh')
    >>> lookup_chain("zh"), lookup_chain("zh-TW")
    (('zh', 'zh-Hans'), ('zh-TW', 'zh-Hant'))
    >>> lookup_chain("ru-RU")
    ('ru-RU', 'ru')
    >>> lookup_chain("de-CH-x-phonebk")
    ('de-CH-x-phonebk', 'de-CH', 'de')
    """
    if type(language) is not str or not is_language(language):
        raise FieldError("language", f"language: {language_problem(language)}")
    subtags = canonical_language(language).split("-")
    chain = []
    while subtags:
        chain.append("-".join(subtags))
        subtags.pop()
        while subtags and len(subtags[-1]) == 1:
            subtags.pop()
    script = script_of(chain[0])
    if script is None:
        return tuple(chain)
    kept = [tag for tag in chain if script_of(tag) == script]
    spelt = f"{chain[-1]}-{script}"
    if chain[-1] in _several_scripts() and spelt not in kept:
        kept.append(spelt)
    return tuple(kept)


@functools.cache
def _several_scripts() -> frozenset[str]:
    """The languages written in more than one script in the regions CLDR
    knows (``zh``: Hans in China, Hant in Taiwan; ``sr``, ``uz``, ``pa``...):
    only their tags may be keyed with the script spelt out."""
    from babel.core import get_global

    scripts: dict[str, set[str]] = {}
    for key, value in get_global("likely_subtags").items():
        parts = str(value).split("_")
        if len(parts) > 2:
            scripts.setdefault(str(key).split("_")[0], set()).add(parts[1])
    return frozenset(language for language, found in scripts.items() if len(found) > 1)


@functools.lru_cache(maxsize=512)
def script_of(language: str) -> str | None:
    """The script a tag is written in: its own script subtag, else the one
    CLDR's likely subtags give its language and region (``zh-TW``: ``Hant``),
    or ``None`` for a language CLDR does not know."""
    parts = language.split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    from babel.core import get_global

    likely = get_global("likely_subtags")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    for key in ([f"{parts[0]}_{region}"] if region else []) + [parts[0]]:
        found = likely.get(key)
        if found:
            pieces = str(found).split("_")
            return next((p for p in pieces[1:] if len(p) == 4), None)
    return None


def _plain_texts(data: Any) -> dict[str, dict[str, str]] | None:
    """The texts of ``data`` by canonical tag, each sorted by field, when
    ``data`` is a dict that :func:`_shape_problems` finds nothing wrong with
    for certain (valid tags, each once, dicts of non-empty texts); ``None``
    for anything else, which the full check reads."""
    if type(data) is not dict:
        return None
    texts: dict[str, dict[str, str]] = {}
    for language, fields in data.items():
        tag = _TAGS.get(language) if type(language) is str else None
        if tag is None:
            if type(language) is not str or not is_language(language):
                return None
            tag = canonical_language(language)
            if len(_TAGS) >= 1024:
                _TAGS.clear()
            _TAGS[language] = tag
        if tag in texts or type(fields) is not dict or not fields:
            return None
        for name, text in fields.items():
            if type(name) is not str or not name or type(text) is not str or not text.strip():
                return None
        texts[tag] = {
            name: _NEWLINE.sub("\n", text) if "\r" in text else text
            for name, text in sorted(fields.items())
        }
    return texts


_TAGS: dict[str, str] = {}
"""Valid language tags seen in translations, and their canonical forms."""


def _canonical(language: str) -> str:
    """A tag in its canonical case; anything else as it is (it matches nothing)."""
    if type(language) is str and is_language(language):
        return canonical_language(language)
    return language


def _problem(where: str, message: str) -> FieldError:
    return FieldError(where, f"{where}: {message}")


class Translations:
    """Translated texts, ``{language: {field: text}}``: immutable, hashable,
    equal by value (to another ``Translations`` or to the same nested
    dicts), in the order of the languages' tags.

    Built from nested dicts; tags are given their canonical case
    (``zh-hans`` is ``zh-Hans``) and line breaks are stored as ``\\n``. A tag
    that is no BCP 47 tag, a language given twice, a language with no texts
    and an empty text are errors (:class:`~timeline.FieldError`, naming the
    language and the field). Which fields may be translated is for the
    event, place or timeline that holds them to say.

    >>> t = Translations({"ru": {"title": "Саммит"}, "zh-hans": {"title": "峰会"}})
    >>> t.languages, t.get("ZH-Hans", "title"), t.get("ru", "notes")
    (('ru', 'zh-Hans'), '峰会', None)
    >>> dict(t["ru"])
    {'title': 'Саммит'}
    """

    __slots__ = ("_data", "_hash", "_key")

    def __init__(self, data: Mapping[str, Mapping[str, str]] | Translations | None = None) -> None:
        if isinstance(data, Translations):
            self._data: dict[str, Mapping[str, str]] = data._data
            self._key: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = data._key
            self._hash: int | None = data._hash
            return
        texts = _plain_texts(data)
        if texts is None:
            problems = list(_shape_problems(data))
            if problems:
                raise problems[0]
            texts = {}
            for language, fields in (data or {}).items():
                texts[canonical_language(language)] = {
                    name: _NEWLINE.sub("\n", text) for name, text in sorted(fields.items())
                }
        self._data = {language: MappingProxyType(texts[language]) for language in sorted(texts)}
        self._key = tuple(
            (language, tuple(fields.items())) for language, fields in self._data.items()
        )
        self._hash = None

    # -- a mapping of languages -----------------------------------------------------------

    def __getitem__(self, language: str) -> Mapping[str, str]:
        """The texts of ``language`` (any case), by field; :class:`KeyError`
        when there are none."""
        found = self._data.get(_canonical(language))
        if found is None:
            raise KeyError(language)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:
        return bool(self._data)

    def __contains__(self, language: object) -> bool:
        return type(language) is str and _canonical(language) in self._data

    def keys(self) -> Iterator[str]:
        """The languages, as :attr:`languages`."""
        return iter(self._data)

    def items(self) -> Iterator[tuple[str, Mapping[str, str]]]:
        """``(language, {field: text})`` for each language, in order."""
        return iter(self._data.items())

    def values(self) -> Iterator[Mapping[str, str]]:
        """The texts of each language, in order."""
        return iter(self._data.values())

    @property
    def languages(self) -> tuple[str, ...]:
        """The tags of the languages there are translations in, in order."""
        return tuple(self._data)

    def get(self, language: str, field: str) -> str | None:
        """The translation of ``field`` in exactly ``language`` (in any
        case), or ``None``; :meth:`lookup` also tries the nearer tags."""
        texts = self._data.get(language)
        if texts is None:
            texts = self._data.get(_canonical(language))
        return None if texts is None else texts.get(field)

    def lookup(self, language: str, field: str) -> str | None:
        """The translation of ``field`` for a reader of ``language``: in the
        first tag of :func:`lookup_chain` that has one (``zh-Hans-CN``, then
        ``zh-Hans``, then ``zh``), or ``None``."""
        if not self._data:
            if type(language) is not str or not is_language(language):
                lookup_chain(language)  # says what is wrong with it
            return None
        for tag in lookup_chain(language):
            texts = self._data.get(tag)
            if texts is not None and field in texts:
                return texts[field]
        return None

    def with_text(self, language: str, field: str, text: str) -> Translations:
        """These translations with ``text`` as the translation of ``field``
        in ``language`` (replacing one there was)."""
        data = {tag: dict(texts) for tag, texts in self._data.items()}
        data.setdefault(_canonical(language), {})[field] = text
        return Translations(data)

    def without(self, language: str) -> Translations:
        """These translations without those in ``language`` (that tag, in any case)."""
        tag = _canonical(language)
        return Translations({t: texts for t, texts in self._data.items() if t != tag})

    def to_dict(self, order: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
        """Plain nested dicts; the fields named in ``order`` first, in that
        order, then the others by name (the JSON format writes a class's
        translatable fields in its order)."""
        if not order:
            return {language: dict(texts) for language, texts in self._data.items()}
        out: dict[str, dict[str, str]] = {}
        for language, texts in self._data.items():
            ordered = {name: texts[name] for name in order if name in texts}
            if len(ordered) != len(texts):
                ordered.update((k, v) for k, v in texts.items() if k not in ordered)
            out[language] = ordered
        return out

    # -- a value ------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Translations):
            return self._key == other._key
        if isinstance(other, Mapping):
            try:
                return self.to_dict() == {k: dict(v) for k, v in other.items()}
            except (TypeError, ValueError):
                return False
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._key)
        return self._hash

    def __repr__(self) -> str:
        return f"Translations({self.to_dict()!r})" if self._data else "Translations()"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Translations, (self.to_dict(),))


def _shape_problems(data: Any, cls: type[Any] | None = None) -> Iterator[FieldError]:
    """What makes ``data`` no ``{language: {field: text}}`` with valid tags
    and texts, text by text; with ``cls``, also the translations of fields
    that it does not let be translated, and the texts that the field's own
    validator refuses."""
    if data is None:
        return
    if not isinstance(data, Mapping | Translations):
        yield _problem(
            "translations", f"expected {{language: {{field: text}}}}, not {json_type(data)}"
        )
        return
    seen: dict[str, str] = {}
    for language, fields in data.items():
        where = f"translations.{language}"
        if type(language) is not str or not is_language(language):
            yield _problem(where, language_problem(language))
            continue
        tag = canonical_language(language)
        if tag in seen:
            yield _problem(
                where, f"the language {tag} is given twice ({seen[tag]!r} and {language!r})"
            )
            continue
        seen[tag] = language
        if not isinstance(fields, Mapping):
            yield _problem(where, f"expected {{field: text}}, not {json_type(fields)}")
            continue
        if not fields:
            yield _problem(where, "has no texts; leave the language out")
            continue
        for name, text in fields.items():
            if type(name) is not str or not name:
                yield _problem(where, f"{short(name)} is not the name of a field")
            elif type(text) is not str:
                yield _problem(f"{where}.{name}", f"expected a string, not {json_type(text)}")
            elif not text.strip():
                yield _problem(f"{where}.{name}", "must not be empty; leave the translation out")
            elif cls is not None:
                yield from _field_problems(cls, f"{where}.{name}", name, _NEWLINE.sub("\n", text))


def _field_problems(
    cls: type[Any], where: str, name: str, text: str, instance: Any = None
) -> Iterator[FieldError]:
    """Whether ``cls`` lets the field ``name`` be translated, and what its
    validator says of ``text``."""
    allowed = translatable_fields(cls)
    if name not in allowed:
        can = ", ".join(allowed) if allowed else "none"
        fields = attrs.fields_dict(cls)
        what = f"there is no field {name}" if name not in fields else f"{name} cannot be translated"
        yield _problem(where, f"{what}; the fields that can be translated are {can}")
        return
    attribute = attrs.fields_dict(cls)[name]
    if attribute.validator is None:
        return
    try:
        attribute.validator(instance, attribute, text)
    except FieldError as exc:
        yield _problem(where, exc.message.removeprefix(f"{exc.field}: "))


def translation_problems(value: Any, cls: type[Any] | None = None) -> list[FieldError]:
    """Every problem of ``value`` as the translations of an instance of the
    attrs class ``cls`` (its shape, its tags, its texts; with ``cls``, the
    fields it translates and what their validators say), each a
    :class:`~timeline.FieldError` whose ``field`` is its path below the
    owner, with the languages as ``value`` writes them: ``translations.ru.title``."""
    return list(_shape_problems(value, cls))


EMPTY: Final = Translations()
"""No translations: the default of every ``translations`` field."""


def to_translations(value: Any) -> Any:
    """Nested dicts as :class:`Translations`; ``None`` as none. A value of
    another shape is left for the validator to refuse."""
    if isinstance(value, Translations):
        return value
    if value is None:
        return EMPTY
    if isinstance(value, Mapping):
        return Translations(value)
    return value


def _check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Translations):
        what = json_type(value)
        raise _problem(attribute.name, f"expected {{language: {{field: text}}}}, not {what}")
    if value and instance is not None:
        cls = type(instance)
        checks = _text_checks(cls)
        for language, texts in value.items():
            for name, text in texts.items():
                found = checks.get(name)
                if found is not None:  # a translatable field: its validator says
                    field, check = found
                    try:
                        check(instance, field, text)
                        continue
                    except FieldError:
                        pass  # said again below, with where it is
                where = f"translations.{language}.{name}"
                for problem in _field_problems(cls, where, name, text, instance):
                    raise problem


_CHECKS: weakref.WeakKeyDictionary[type[Any], dict[str, tuple[attrs.Attribute[Any], Any]]] = (
    weakref.WeakKeyDictionary()
)


def _text_checks(cls: type[Any]) -> dict[str, tuple[attrs.Attribute[Any], Any]]:
    """The translatable fields of ``cls`` and their validators (a field
    without one passes anything: a check that returns)."""
    found = _CHECKS.get(cls)
    if found is None:
        fields = attrs.fields_dict(cls)
        found = _CHECKS[cls] = {
            name: (fields[name], fields[name].validator or _passes)
            for name in translatable_fields(cls)
        }
    return found


def _passes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    return None


translations: Final = with_schema({"type": "object"})(_check)
"""The check of a ``translations`` field: the languages of the instance's
class's translatable fields (:func:`translatable`), each text checked by its
field's validator. The published schema describes each class's own."""


class Translatable:
    """What events, places and timelines share: the lookup of a field's
    text in a reader's language."""

    __slots__ = ()

    if TYPE_CHECKING:
        translations: Translations

    def translation(self, field: str, language: str) -> str | None:
        """The translation of ``field`` for a reader of ``language``: in
        that tag, or else the nearest shorter one (``zh-Hans-CN``, then
        ``zh-Hans``, then ``zh``; tags in any case); ``None`` when there is
        none, and the original text is all there is."""
        allowed = translatable_fields(type(self))
        if field not in allowed:
            raise FieldError(
                field, f"{field}: not a translatable field (those are {', '.join(allowed)})"
            )
        return self.translations.lookup(language, field)

    def translated(self, field: str, language: str) -> str:
        """The text of ``field`` for a reader of ``language``: its
        :meth:`translation`, or else the original."""
        found = self.translation(field, language)
        if found is None:
            text: str = getattr(self, field)
            return text
        return found


def _serves(original: str, reader: str) -> bool:
    """Whether texts in ``original`` are in a reader's language: one of the
    tags the reader is served by, or the same language in the same script
    (an ``en-GB`` text for an ``en`` reader)."""
    if _canonical(original) in lookup_chain(reader):
        return True
    first, second = _canonical(original).split("-")[0], _canonical(reader).split("-")[0]
    return first == second and script_of(_canonical(original)) == script_of(_canonical(reader))


class TextsIn:
    """The texts of one timeline for a reader of ``locale``: each field's
    translation, or its original where there is none, counted, so that an
    exporter warns once with the count (:meth:`warning`). With no locale, or
    a locale of the timeline's own language (``en-GB`` for ``en``), every
    text is the original and nothing is counted."""

    def __init__(self, original: str, locale: str | None) -> None:
        self.locale = locale
        self.original = original
        self.active = locale is not None and not _serves(original, locale)
        self.missing: dict[str, int] = {}
        """How many texts of each field were written in the original."""
        self._seen: set[tuple[int, str]] = set()

    def text(self, holder: Translatable, field: str) -> str:
        """``holder``'s ``field`` in the reader's language, else the original."""
        value: str = getattr(holder, field)
        if not self.active or not value:
            return value
        assert self.locale is not None
        found = holder.translations.lookup(self.locale, field) if holder.translations else None
        if found is None:
            seen = (id(holder), field)  # a text written twice (a title in a diagram and a list)
            if seen not in self._seen:  # counts once
                self._seen.add(seen)
                self.missing[field] = self.missing.get(field, 0) + 1
            return value
        return found

    def forget(self) -> None:
        """Forget which texts were counted, keeping the counts: for an
        exporter that writes event by event, after each event, so that what
        is held does not grow with the events (a text given again after it
        is counted again)."""
        self._seen.clear()

    def language_of(self, holder: Translatable, field: str) -> str:
        """The language of what :meth:`text` gives for ``holder``'s ``field``:
        the tag of its translation, else the original language."""
        if self.active and getattr(holder, field) and holder.translations:
            assert self.locale is not None
            for tag in lookup_chain(self.locale):
                if holder.translations.get(tag, field) is not None:
                    return tag
        return self.original if self.active else (self.locale or self.original)

    def warning(self) -> str | None:
        """``33 texts have no Russian translation and are in English (notes 33)``
        (the fields by their names),
        or ``None`` when every text was translated."""
        if not self.missing:
            return None
        from .locales import cldr_locale

        assert self.locale is not None
        count = sum(self.missing.values())
        language = cldr_locale(self.locale).english_name
        try:
            original = cldr_locale(self.original).english_name
        except ValueError:  # a tag CLDR does not know (private use)
            original = self.original
        fields = ", ".join(f"{field} {n:,}" for field, n in sorted(self.missing.items()))
        texts = "1 text has" if count == 1 else f"{count:,} texts have"
        verb = "is" if count == 1 else "are"
        return f"{texts} no {language} translation and {verb} in {original} ({fields})"
