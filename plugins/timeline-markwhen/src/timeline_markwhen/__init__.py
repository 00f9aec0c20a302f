"""markwhen for timeline: a timeline as a markwhen document (``.mw``), and
markwhen documents read into timelines.

The plugin's hooks, which register the ``markwhen`` exporter and importer.
See plugins/timeline-markwhen/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TextIO

import timeline
from timeline import Exporter, Importer, Option, OptionError, Timeline
from timeline.formats import locale_option

from .export import GROUPS, date_part, recurrence_text, write_markwhen
from .reader import read_markwhen, rrule_of, starts_event

__all__ = [
    "GROUPS",
    "MarkwhenExporter",
    "MarkwhenImporter",
    "date_part",
    "read_markwhen",
    "recurrence_text",
    "register_exporters",
    "register_importers",
    "rrule_of",
    "starts_event",
]

_STYLES = ("group", "section")


class MarkwhenExporter(Exporter):
    """Writes a markwhen document: a YAML header, the events under headings
    by ``group``, each with its dates in markwhen's syntax, its tags, and
    its other fields as properties."""

    name = "markwhen"
    suffixes = (".mw", ".markwhen")
    media_type = "text/markdown"
    description = "A markwhen document, for markwhen's timeline and calendar views."
    options = (
        Option("group", str, default="none",
               help="the headings the events are under: none, kind, year, decade, month, or "
                    "the name of a typed attribute (organisation, host...)"),
        Option("style", str, default="group", choices=_STYLES,
               help="what markwhen draws a heading as: group or section"),
        locale_option("the language of the texts written, a BCP 47 tag such as ru or zh: "
                      "their translations where there are, else the originals"),
    )  # fmt: skip

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        group = options["group"]
        if group not in GROUPS and not group.isidentifier():
            raise OptionError(
                f"option 'group' is one of {', '.join(GROUPS)} or an attribute's name, "
                f"not {group!r}"
            )
        write_markwhen(timeline, out, dict(options))


class MarkwhenImporter(Importer):
    """Reads markwhen documents as markwhen's parser reads them; what a
    timeline cannot hold is left out with a warning naming its line."""

    name = "markwhen"
    suffixes = (".mw", ".markwhen")
    media_type = "text/markdown"
    description = "A markwhen document: dates, ranges, relative dates, tags, properties."
    options = (
        Option("strict", bool, default=False,
               help="fail on anything that cannot be read or held (now, a time without a day, "
                    "an unknown property...) instead of leaving it out with a warning"),
    )  # fmt: skip

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        return read_markwhen(stream.read(), source, strict=options["strict"])


@timeline.hookimpl
def register_exporters(register: Callable[[timeline.Exporter], None]) -> None:
    register(MarkwhenExporter())


@timeline.hookimpl
def register_importers(register: Callable[[timeline.Importer], None]) -> None:
    register(MarkwhenImporter())


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("timeline-markwhen")
    raise AttributeError(f"module 'timeline_markwhen' has no attribute {name!r}")
