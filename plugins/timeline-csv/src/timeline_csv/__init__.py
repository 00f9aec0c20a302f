"""CSV for timeline: one row per event, for people who keep their history in a spreadsheet.

The plugin's hooks, which register the ``csv`` exporter and importer. See
plugins/timeline-csv/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import timeline

from .format import COLUMNS, TRANSLATED_COLUMNS, CSVExporter, CSVImporter

__all__ = [
    "COLUMNS",
    "TRANSLATED_COLUMNS",
    "CSVExporter",
    "CSVImporter",
    "register_exporters",
    "register_importers",
]


@timeline.hookimpl
def register_exporters(register: Callable[[timeline.Exporter], None]) -> None:
    register(CSVExporter())


@timeline.hookimpl
def register_importers(register: Callable[[timeline.Importer], None]) -> None:
    register(CSVImporter())


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("timeline-csv")
    raise AttributeError(f"module 'timeline_csv' has no attribute {name!r}")
