"""ISO 3166-1 alpha-2 country codes and their English short names.

The list comes from ``iso3166.tab`` of the IANA time zone database, which the
``tzdata`` package ships (so it is always here and as current as the zone
data), with a few of its names replaced by the ones people write in prose.
"""

from __future__ import annotations

import functools
import re

__all__ = ["country_name", "is_country_code", "lookup_country"]

# tzdata's names are written for a zone picker ("Britain (UK)"); prose wants these.
_PROSE_NAMES = {
    "BA": "Bosnia and Herzegovina",
    "BN": "Brunei",
    "BO": "Bolivia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CI": "Côte d'Ivoire",
    "CZ": "Czechia",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "RU": "Russia",
    "SY": "Syria",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Vatican City",
    "VN": "Vietnam",
}
_EXTRA = {"XK": "Kosovo"}  # user-assigned, widely used
_CODE = re.compile(r"[A-Z]{2}")


@functools.cache
def _table() -> dict[str, str]:
    import importlib.resources

    text = importlib.resources.files("tzdata").joinpath("zoneinfo/iso3166.tab").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _, name = line.partition("\t")
        table[code] = _PROSE_NAMES.get(code, name.strip())
    table.update(_EXTRA)
    return table


@functools.cache
def _by_name() -> dict[str, str]:
    return {name.casefold(): code for code, name in _table().items()}


def is_country_code(text: str) -> bool:
    """Whether ``text`` is a known ISO 3166-1 alpha-2 code (upper case)."""
    return bool(_CODE.fullmatch(text)) and text in _table()


def country_name(code: str) -> str:
    """The English name for a country code, or the text unchanged when it is
    not a code (a party may be an organisation or a person).

    >>> country_name("KZ")
    'Kazakhstan'
    >>> country_name("ASEAN")
    'ASEAN'
    """
    return _table().get(code, code)


def lookup_country(text: str) -> str | None:
    """The code for a code or an English country name, else ``None``.

    >>> lookup_country("China"), lookup_country("cn"), lookup_country("Atlantis")
    ('CN', 'CN', None)
    """
    upper = text.strip().upper()
    if upper in _table():
        return upper
    return _by_name().get(text.strip().casefold())
