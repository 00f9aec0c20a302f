"""Example timelines that ship with the library: ``timeline.example("sco")``.

The SCO example is built, when it is first asked for, from the verified
data in ``sco/``, four CSV files kept exactly as they were checked:

``sco-events.csv``
    one row per event: ``id, kind, title, start, end, city, country,
    virtual, participants, source_url, notes``
``sco-places.csv``
    one row per host city: ``city, country, name_ru, name_zh, lat, lon,
    iana_timezone, notes`` (the notes say where each figure comes from)
``sco-translations.csv``
    the titles of the events in other languages: ``id, title_ru, title_zh``
``sco-translations-timeline.csv``
    the timeline's title and description in other languages: ``field, ru, zh``

A row of ``sco-events.csv`` becomes an event of its ``kind``, of the
organisation ``SCO`` (``Shanghai Five`` for the precursor, whose id starts
with ``sco-precursor-``), at the place of its ``city``, with its
``source_url`` as its one source and its notes:

- ``founding``: ``participants`` are the founding members;
- ``accession``: the one participant is the new member; ``virtual`` says
  it was admitted at a meeting held online (Iran, in 2023);
- ``summit``: the ``country`` is the host; ``virtual`` makes it virtual,
  and a note that calls it ``HYBRID`` (the notes mark their findings in
  capitals: ``DISAGREEMENT``, ``UNVERIFIED``) makes it hybrid;
- ``charter``: a plain event tagged ``charter``, whose description names
  the parties.

The texts of the CSV files are English; the columns ending in ``_ru`` and
``_zh`` (and ``ru``, ``zh``) are their translations, by language tag.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from typing import Any, Final

from ..countries import country_name
from ..default_plugins.organisations import Accession, Founding, MeetingFormat, Summit
from ..errors import FormatError, TimelineError
from ..model import Event, Place, Source
from ..timelines import Timeline

__all__ = ["example", "example_names"]

_DESCRIPTIONS = {
    "sco": "The Shanghai Cooperation Organisation: founding, charter, accessions and 25 summits, "
    "every event with its source.",
}

_SCO_HEADER: Final = {
    "title": "Shanghai Cooperation Organisation",
    "description": "The founding, charter, accessions and Council of Heads of State summits of "
    "the Shanghai Cooperation Organisation (SCO), from its Shanghai Five precursor in 1996 to "
    "the Tianjin summit of 2025. Every event names its source; the notes record where sources "
    "disagree on a date and which date was kept.",
    "url": "http://eng.sectsco.org/",
}
"""What the CSV files do not hold: the timeline's own title, description and URL."""


def example_names() -> dict[str, str]:
    """The name and a one-line description of every example."""
    return dict(_DESCRIPTIONS)


def example(name: str) -> Timeline:
    """Load a built-in example timeline by name.

    >>> t = example("sco")
    >>> from timeline import members_at
    >>> len(t), members_at(t, "SCO", "2024-07-04")[:3]
    (33, ('BY', 'CN', 'IN'))
    >>> t["sco-summit-2004-tashkent"].place.translated("name", "ru")
    'Ташкент'
    """
    if name not in _DESCRIPTIONS:
        raise FormatError(f"no example {name!r}; the examples are: {', '.join(_DESCRIPTIONS)}")
    return _sco()


# -- the SCO example ---------------------------------------------------------------------------


def _rows(name: str) -> Iterator[dict[str, str]]:
    import importlib.resources

    text = importlib.resources.files(__name__).joinpath(f"sco/{name}").read_text("utf-8")
    yield from csv.DictReader(io.StringIO(text, newline=""))


def _translations(row: dict[str, str], field: str, prefix: str) -> dict[str, dict[str, str]]:
    """``{language: {field: text}}`` from the columns ``{prefix}{language}``."""
    return {
        column.removeprefix(prefix): {field: text}
        for column, text in row.items()
        if column.startswith(prefix) and text
    }


@functools.cache
def _sco() -> Timeline:
    places: dict[str, Place] = {}
    for row in _rows("sco-places.csv"):
        places[row["city"]] = Place(
            name=row["city"],
            country=row["country"],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            timezone=row["iana_timezone"],
            translations=_translations(row, "name", "name_"),
        )
    titles = {
        row["id"]: _translations(row, "title", "title_") for row in _rows("sco-translations.csv")
    }
    events = [_event(row, places, titles.pop(row["id"], {})) for row in _rows("sco-events.csv")]
    if titles:
        raise TimelineError(f"sco-translations.csv: no event {next(iter(titles))!r}")
    own: dict[str, dict[str, str]] = {}
    for row in _rows("sco-translations-timeline.csv"):
        field = row.pop("field")
        for language, text in row.items():
            own.setdefault(language, {})[field] = text
    return Timeline(**_SCO_HEADER, translations=own, events=events)


def _event(
    row: dict[str, str], places: dict[str, Place], translations: dict[str, dict[str, str]]
) -> Event:
    """The event of a row of ``sco-events.csv``, as the module's docstring says."""
    place = None
    if row["city"]:
        place = places[row["city"]]
        if place.country != row["country"]:
            raise TimelineError(f"{row['id']}: {row['city']} is not in {row['country']}")
    common: dict[str, Any] = {
        "id": row["id"],
        "title": row["title"],
        "start": row["start"],
        "end": row["end"] or None,
        "place": place,
        "sources": (Source(url=row["source_url"]),),
        "notes": row["notes"],
        "translations": translations,
    }
    participants = tuple(row["participants"].split(";")) if row["participants"] else ()
    virtual = row["virtual"] == "true"
    kind = row["kind"]
    organisation = "Shanghai Five" if row["id"].startswith("sco-precursor-") else "SCO"
    if kind == "founding":
        return Founding(organisation=organisation, members=participants, **common)
    if kind == "accession":
        (member,) = participants
        meeting = MeetingFormat.VIRTUAL if virtual else MeetingFormat.IN_PERSON
        return Accession(organisation=organisation, member=member, format=meeting, **common)
    if kind == "summit":
        meeting = MeetingFormat.IN_PERSON
        if virtual:
            meeting = MeetingFormat.VIRTUAL
        elif "HYBRID" in row["notes"]:
            meeting = MeetingFormat.HYBRID
        return Summit(organisation=organisation, host=row["country"], format=meeting, **common)
    if kind == "charter":
        parties = ", ".join(country_name(code) for code in participants)
        return Event(description=f"Parties: {parties}.", tags=("charter",), **common)
    raise TimelineError(f"{row['id']}: no kind {kind!r} in the SCO example")
