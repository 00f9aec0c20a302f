"""timeline: dated events as typed data, published as calendars, data files and readable documents.

The public API. See ``docs/index.md`` for a first example and where to start.
"""

from __future__ import annotations

from typing import Any

from .dates import Date, Precision, parse_date
from .default_plugins.organisations import (
    Accession,
    Founding,
    MeetingFormat,
    Status,
    Summit,
    members_at,
)
from .document import event_from_dict, event_to_dict
from .errors import (
    DateError,
    DuplicateIdError,
    ExportWarning,
    FieldError,
    FileError,
    FormatError,
    ImporterWarning,
    OptionError,
    PluginError,
    PluginWarning,
    Problem,
    Problems,
    QueryError,
    TimelineError,
    TimelineWarning,
    ValidationError,
)
from .examples import example
from .files import Output, dump, dump_many, dumps, load, loads
from .formats import Exporter, Importer, Option
from .hookspecs import hookimpl
from .model import Event, Place, Source
from .registry import PluginInfo, exporters, get_plugins, importers, kinds
from .streaming import Selection, convert, read_events
from .timelines import Timeline
from .translations import Translations

__all__ = [
    "Accession",
    "Date",
    "DateError",
    "DuplicateIdError",
    "Event",
    "ExportWarning",
    "Exporter",
    "FieldError",
    "FileError",
    "FormatError",
    "Founding",
    "Importer",
    "ImporterWarning",
    "MeetingFormat",
    "Option",
    "Output",
    "OptionError",
    "Place",
    "PluginError",
    "PluginInfo",
    "PluginWarning",
    "Precision",
    "Problem",
    "Problems",
    "QueryError",
    "Selection",
    "Source",
    "Status",
    "Summit",
    "Timeline",
    "TimelineError",
    "TimelineWarning",
    "Translations",
    "ValidationError",
    "convert",
    "dump",
    "dump_many",
    "dumps",
    "event_from_dict",
    "event_to_dict",
    "example",
    "exporters",
    "get_plugins",
    "hookimpl",
    "importers",
    "kinds",
    "load",
    "loads",
    "members_at",
    "parse_date",
    "read_events",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("timeline-events")
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
