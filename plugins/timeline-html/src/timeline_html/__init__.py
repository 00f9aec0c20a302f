"""A self-contained HTML page for timeline: the events drawn to scale on a
time axis, each opening its details, with no network at all.

Installed, this plugin adds the ``html`` format to timeline through the
``timeline`` entry-point group:

>>> import timeline
>>> "html" in timeline.exporters()
True
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
