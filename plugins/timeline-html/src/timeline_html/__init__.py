"""A self-contained HTML page for timeline: the events to scale on a time axis, offline.

The plugin's hook, which registers the ``html`` exporter of :mod:`timeline_html.page`. See
plugins/timeline-html/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import timeline

from .page import HTMLExporter

__all__ = ["HTMLExporter", "register_exporters"]


@timeline.hookimpl
def register_exporters(register: Callable[[timeline.Exporter], None]) -> None:
    register(HTMLExporter())


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("timeline-html")
    raise AttributeError(f"module 'timeline_html' has no attribute {name!r}")
