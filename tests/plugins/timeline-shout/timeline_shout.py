"""A working plugin: the ``shout`` exporter and the ``treaty`` kind."""

from __future__ import annotations

from typing import ClassVar

import attrs

import timeline


class ShoutExporter(timeline.Exporter):
    name = "shout"
    suffixes = (".shout",)
    media_type = "text/plain"
    description = "Every title in capitals, one per line."
    options = (timeline.Option("exclaim", bool, default=False, help="end each line with '!'"),)

    def write(self, tl, out, options):
        end = "!\n" if options["exclaim"] else "\n"
        for event in tl:
            out.write(event.title.upper() + end)


@attrs.frozen(kw_only=True)
class Treaty(timeline.Event):
    """A treaty, with the parties that signed it."""

    kind: ClassVar[str] = "treaty"

    signatories: tuple[str, ...] = attrs.field(
        default=(), converter=tuple, metadata={"label": "Signatories"}
    )
    pages: int = attrs.field(default=0, metadata={"label": "Pages"})


@timeline.hookimpl
def register_exporters(register):
    register(ShoutExporter())


@timeline.hookimpl
def register_kinds(register):
    register(Treaty)
