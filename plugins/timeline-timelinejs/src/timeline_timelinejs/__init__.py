"""TimelineJS3 for timeline: a timeline as the JSON that Knight Lab's
TimelineJS tells as a story, slide by slide, and such JSON read back.

The plugin's hooks, which register the ``timelinejs`` exporter and importer
(files ``*.timelinejs.json``). See plugins/timeline-timelinejs/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import timeline

from .export import TimelineJSExporter
from .read import TimelineJSImporter

__all__ = ["TimelineJSExporter", "TimelineJSImporter", "register_exporters", "register_importers"]


@timeline.hookimpl
def register_exporters(register: Callable[[timeline.Exporter], None]) -> None:
    register(TimelineJSExporter())


@timeline.hookimpl
def register_importers(register: Callable[[timeline.Importer], None]) -> None:
    register(TimelineJSImporter())


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("timeline-timelinejs")
    raise AttributeError(f"module 'timeline_timelinejs' has no attribute {name!r}")
