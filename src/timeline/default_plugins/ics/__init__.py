"""The iCalendar format (RFC 5545), a default plugin: the exporter writes
calendars that Google Calendar, Apple Calendar, Outlook and Thunderbird
import and update, event by event, the importer reads ours back exactly and
others' leniently. Its rooms: ``export`` (the mapping, and the calendar
writer that spools the events), ``vevent`` (the fast writer),
``reader``, ``scan`` (content lines), ``values`` and ``zones``. See
``docs/ics.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from ...formats import EventSource, Exporter, Importer, Option, locale_option
from ...hookspecs import hookimpl
from ...timelines import Timeline
from .values import DEFAULT_DOMAIN

if TYPE_CHECKING:
    from .export import CalendarWriter

# The rooms that write and read are imported when a calendar is written or
# read, not when the plugin is loaded: every start of the command loads it.

__all__ = ["ICSExporter", "ICSImporter"]


# -- the exporter ------------------------------------------------------------------------


class ICSExporter(Exporter):
    """Writes a timeline as an iCalendar file (RFC 5545, with RFC 7986's
    calendar name, description and refresh interval)."""

    name = "ics"
    suffixes = (".ics", ".ical", ".icalendar")
    media_type = "text/calendar"
    description = (
        "iCalendar for Google Calendar, Apple Calendar, Outlook and Thunderbird: "
        "all-day events, stable UIDs, one VTIMEZONE per zone."
    )
    options = (
        Option("domain", str, default=DEFAULT_DOMAIN,
               help="the domain in every UID, '{event id}@{domain}'; use one you own"),
        Option("dtstamp", str, default=None,
               help="DTSTAMP of every event, such as 2026-01-01T00:00:00Z; default: "
                    "SOURCE_DATE_EPOCH if set, else the time of export"),
        Option("imprecise", str, default="skip", choices=("skip", "span"),
               help="events dated to a month or year, approximate or uncertain: skip them "
                    "with a warning, or write all-day events over every day they may cover"),
        Option("anniversaries", bool, default=False,
               help="a calendar of anniversaries: every founding and accession, every year"),
        Option("refresh", str, default=None,
               help="how often subscribers reload the calendar, as a duration such as P1D "
                    "(REFRESH-INTERVAL and X-PUBLISHED-TTL)"),
        Option("name", str, default=None,
               help="the calendar's name (NAME, X-WR-CALNAME); default: the timeline's title"),
        Option("description", str, default=None,
               help="the calendar's description; default: the timeline's description"),
        Option("lossless", bool, default=True,
               help="carry each event's data in X-TIMELINE-EVENT, so that importing "
                    "the file gives the timeline back unchanged"),
        locale_option("the language of the words written for people, a BCP 47 tag such as ru, "
                      "zh-Hans or fa, given as the texts' LANGUAGE; default: English, without "
                      "LANGUAGE"),
    )  # fmt: skip

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> CalendarWriter:
        """A :class:`~.export.CalendarWriter`: it takes the events one at a
        time, spooling their VEVENTs to a temporary file while it counts
        the zones they use, and at :meth:`~.export.CalendarWriter.close`
        writes the calendar's properties, its VTIMEZONEs, the VEVENTs and
        the end. ``header`` is the timeline without its events."""
        from .export import CalendarWriter, make_settings

        return CalendarWriter(header, out, make_settings(header, options))

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        """Write the calendar with :meth:`event_writer`'s writer, so that the
        two never differ: its properties and VTIMEZONEs (with icalendar),
        then one VEVENT at a time, then ``END:VCALENDAR``."""
        writer = self.event_writer(timeline, out, options)
        try:
            for event in timeline.events:
                writer.write(event)
            writer.close()
        finally:
            writer.discard()


class ICSImporter(Importer):
    """Reads iCalendar files: ours losslessly, others' as plain events."""

    name = "ics"
    suffixes = (".ics", ".ical", ".icalendar")
    media_type = "text/calendar"
    description = (
        "iCalendar files: ours back exactly, Google's, Outlook's and others' as plain "
        "events, reporting what a timeline cannot hold."
    )
    options = (
        Option("strict", bool, default=False,
               help="fail on anything that cannot be read or held (a bad date, ATTENDEE, "
                    "VALARM, EXDATE...) instead of leaving it out with a warning"),
    )  # fmt: skip

    def check_start(self, head: str) -> tuple[str, str] | None:
        """A file whose first line is not a content line (``NAME:value``) is
        no calendar: refused having read only its first bytes."""
        from .scan import first_line_problem

        found = first_line_problem(head)
        return None if found is None else (f"line {found[0]}", found[1])

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        """Read the whole calendar, leaving out with a warning what cannot be
        read or held; raise :class:`~timeline.ValidationError` with every
        problem (and its line) when it is not a calendar, or when strict."""
        from .reader import read_stream

        return read_stream(stream, source, strict=options["strict"], refold=_refold)

    def read_events(self, stream: TextIO, options: Mapping[str, Any], source: str) -> EventSource:
        """The calendar event by event, as :meth:`read` reads it: our own events
        (X-TIMELINE-EVENT) one at a time as they come, others' events and changed
        occurrences held and given at the end, someone else's calendar (without our
        X-TIMELINE-HEADER) read whole first; what is left out is said after the last
        event, and when strict, every problem is raised there. See docs/ics.md,
        "Streaming"."""
        from .reader import stream_calendar

        return stream_calendar(stream, source, strict=options["strict"], refold=_refold)


_SPLIT_CHARACTER = re.compile(rb"([\xc0-\xf7][\x80-\xbf]{0,2})(\r?\n[ \t])(?=[\x80-\xbf])")


def _refold(stream: TextIO, error: UnicodeDecodeError) -> str:
    """The text of a file folded in the middle of a UTF-8 character, which
    RFC 5545 (section 3.1) asks readers to put back together: each split
    character moves to the continuation line, keeping the line numbers. A
    file that is still not UTF-8 (or a stream that cannot be read again)
    raises a :class:`UnicodeDecodeError`."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None or not buffer.seekable():
        raise error
    around = error.object
    if (
        isinstance(around, bytes)
        and len(around) - error.start > 8
        and not _SPLIT_CHARACTER.match(around, error.start)
    ):
        raise error  # a byte that no fold explains: refused without reading the file again
    buffer.seek(0)
    data: bytes = buffer.read()
    return _SPLIT_CHARACTER.sub(rb"\2\1", data).decode("utf-8-sig")


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(ICSExporter())


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    register(ICSImporter())
