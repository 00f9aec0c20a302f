"""The reader's language: locale tags, what CLDR knows of a locale (through
Babel), and the gettext catalogues of the labels we write.

See docs/languages.md.
"""

from __future__ import annotations

import functools
import gettext
import importlib.resources
import re
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Final, Literal

from .errors import OptionError

if TYPE_CHECKING:
    import babel

__all__ = [
    "CATALOGUE",
    "NP_",
    "N_",
    "Catalogue",
    "LocaleError",
    "canonical_tag",
    "cldr_locale",
    "direction",
    "locale_tag",
    "locale_tags",
]

_TAG: Final = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


class LocaleError(OptionError):
    """A locale that is not a BCP 47 tag CLDR knows; the message lists close matches."""


@functools.cache
def locale_tags() -> tuple[str, ...]:
    """Every locale CLDR (as Babel ships it) has data for, as BCP 47 tags
    (``en``, ``en-GB``, ``zh-Hans``, ``fa``), sorted."""
    from babel.localedata import locale_identifiers

    return tuple(sorted(identifier.replace("_", "-") for identifier in locale_identifiers()))


@functools.cache
def cldr_locale(tag: str) -> babel.Locale:
    """The Babel locale of a BCP 47 tag (``ru``, ``zh-Hans``, ``en_GB`` too).

    An unknown or malformed tag raises :class:`LocaleError` naming close matches:

    >>> cldr_locale("zh-Hans").territories["KZ"]
    '哈萨克斯坦'
    >>> cldr_locale("english")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    timeline.locales.LocaleError: unknown locale 'english': give a BCP 47 tag such as en, ...
    """
    import babel

    text = tag.strip()
    if _TAG.fullmatch(text):
        try:
            locale = babel.Locale.parse(text.replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            pass
        else:
            if _keeps(text, locale):
                return locale
    import difflib  # only for the message

    close = difflib.get_close_matches(text, locale_tags(), n=4, cutoff=0.6)
    if close:
        raise LocaleError(f"unknown locale {tag!r}; did you mean {_or(close)}?")
    raise LocaleError(
        f"unknown locale {tag!r}: give a BCP 47 tag such as en, en-GB, ru, zh-Hans or fa"
    )


def _keeps(text: str, locale: babel.Locale) -> bool:
    """Whether Babel kept the script and region asked for: it reads ``ru-Latn``
    as ``ru`` and ``zh-Hanz`` as ``zh-Hans``, which would write another script
    than the one asked for. (It may spell the language otherwise: ``rus`` is ``ru``.)"""
    for part in re.split(r"[-_]", text)[1:]:
        if len(part) == 4 and part.isalpha():
            if (locale.script or "").lower() != part.lower():
                return False
        elif (
            part.upper() != (locale.territory or "")
            and part.lower() != (locale.variant or "").lower()
        ):
            return False
    return True


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def canonical_tag(tag: str) -> str:
    """A BCP 47 tag written the one way CLDR knows it (``zh_hans`` is
    ``zh-Hans``), or :class:`LocaleError`."""
    return locale_tag(cldr_locale(tag))


def locale_tag(locale: babel.Locale) -> str:
    """The BCP 47 tag of a Babel locale: ``zh-Hans``, ``en-GB``."""
    return "-".join(
        part for part in (locale.language, locale.script, locale.territory, locale.variant) if part
    )


def direction(tag: str) -> Literal["ltr", "rtl"]:
    """The direction a locale writes in, as HTML's ``dir`` takes it.

    >>> direction("fa"), direction("ru")
    ('rtl', 'ltr')
    """
    return "rtl" if cldr_locale(tag).character_order == "right-to-left" else "ltr"


class Catalogue:
    """The gettext catalogue of one domain: compiled ``.mo`` files in
    ``folder/<language>/LC_MESSAGES/<domain>.mo``, made with Babel's tools
    (``pybabel extract``, ``update``, ``compile``). Ours holds the labels of
    the library; a plugin makes its own for its labels (docs/languages.md,
    "A plugin's own labels")."""

    def __init__(self, domain: str, folder: Traversable) -> None:
        self.domain = domain
        self.folder = folder

    def __repr__(self) -> str:
        return f"Catalogue({self.domain!r})"

    @functools.cache  # noqa: B019 - a catalogue lives as long as the program
    def translations(self, tag: str) -> gettext.NullTranslations:
        """The translations for a locale: those of the tag itself, else of its
        language (``pt-BR``, then ``pt``), else none (the English messages)."""
        from babel.core import get_global

        locale = cldr_locale(tag)
        script = locale.script
        if script is None:  # zh is written in Han Simplified: zh_Hans
            likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
            script = likely[1] if len(likely) > 2 else None
        names = [str(locale), locale.language]
        if script:
            names.insert(1, f"{locale.language}_{script}")
        for name in dict.fromkeys(names):
            path = self.folder / name / "LC_MESSAGES" / f"{self.domain}.mo"
            if path.is_file():
                with path.open("rb") as file:
                    return gettext.GNUTranslations(file)
        return gettext.NullTranslations()

    def gettext(self, tag: str | None) -> Callable[[str], str]:
        """The ``gettext`` function of a locale (``None``: English, unchanged)."""
        if tag is None:
            return _same
        return self.translations(tag).gettext

    def ngettext(self, tag: str | None) -> Callable[[str, str, int], str]:
        """The ``ngettext`` function of a locale, with its plural rules."""
        if tag is None:
            return _english_plural
        return self.translations(tag).ngettext


def _same(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


CATALOGUE: Final = Catalogue("timeline", importlib.resources.files("timeline") / "catalogues")
"""The catalogue of the library's own labels (English, Russian, Chinese...)."""


def N_(message: str) -> str:  # the name gettext's tools look for
    """Mark a message for ``pybabel extract`` that is translated later."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural for ``pybabel extract``, translated later
    with ``ngettext``."""
    return singular, plural
