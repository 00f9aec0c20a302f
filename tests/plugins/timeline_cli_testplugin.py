"""A plugin for the command-line tests, with formats whose behaviour the tests control.

``tests/cli/test_commands.py`` makes it an installed distribution, ``timeline-cli-testplugin``,
for the commands it runs: a ``.dist-info`` folder with its entry point, on the
``PYTHONPATH`` of the subprocess, which is what ``pip install`` leaves behind.

* ``lines`` (``.lines``) writes and reads one event per line: start, id, title.
* ``failing`` (``.fail``) writes some events, then raises.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import timeline
from timeline import (
    Event,
    Exporter,
    ExportWarning,
    Importer,
    Option,
    Problem,
    Timeline,
    TimelineError,
    ValidationError,
)


class LinesExporter(Exporter):
    name = "lines"
    suffixes = (".lines",)
    media_type = "text/plain"
    description = "One event per line: start, id and title."
    options = (
        Option("separator", str, default="\t", help="what goes between the fields"),
        Option("numbered", bool, default=False, help="number the lines"),
        Option("crlf", bool, default=False, help="end lines with CR LF"),
    )

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        end = "\r\n" if options["crlf"] else "\n"
        sep = options["separator"]
        for number, event in enumerate(timeline.events, 1):
            if event.recurrence is not None:
                warnings.warn(
                    f"event {event.id!r}: its recurrence is left out", ExportWarning, stacklevel=2
                )
            prefix = f"{number}{sep}" if options["numbered"] else ""
            out.write(f"{prefix}{event.start}{sep}{event.id}{sep}{event.title}{end}")


class LinesImporter(Importer):
    name = "lines"
    suffixes = (".lines",)
    media_type = "text/plain"
    description = "One event per line: start, id and title."
    options = (Option("separator", str, default="\t", help="what goes between the fields"),)

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        events, problems = [], []
        for number, line in enumerate(stream, 1):
            fields = line.rstrip("\r\n").split(options["separator"])
            if len(fields) != 3:
                problems.append(Problem(f"line {number}", f"expected 3 fields, not {len(fields)}"))
                continue
            start, id, title = fields
            try:
                events.append(Event(id=id, title=title, start=start))
            except TimelineError as exc:
                problems.append(Problem(f"line {number}", str(exc)))
        if problems:
            raise ValidationError(problems, source)
        return Timeline(events=events)


class FailingExporter(Exporter):
    name = "failing"
    suffixes = (".fail",)
    media_type = "text/plain"
    description = "Writes some events, then fails."
    options = (
        Option("after", int, default=1, help="how many events to write first"),
        Option(
            "error",
            str,
            default="timeline",
            choices=("timeline", "bug"),
            help="raise a TimelineError, or a RuntimeError as a bug would",
        ),
    )

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        for count, event in enumerate(timeline.events):
            if count == options["after"]:
                break
            out.write(f"{event.id}\n")
        if options["error"] == "bug":
            raise RuntimeError("the failing exporter has a bug")
        raise TimelineError(f"the failing exporter gave up after {options['after']} events")


@timeline.hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(LinesExporter())
    register(FailingExporter())


@timeline.hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    register(LinesImporter())
