"""CSV for timeline: one row per event, for people who keep their history in
a spreadsheet.

Installed, this plugin adds the ``csv`` format to timeline through the
``timeline`` entry-point group:

>>> import timeline
>>> "csv" in timeline.exporters() and "csv" in timeline.importers()
True

The columns and the rules for lists in a cell are in the README.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import timeline

from .format import COLUMNS, CSVExporter, CSVImporter

__all__ = ["COLUMNS", "CSVExporter", "CSVImporter", "register_exporters", "register_importers"]


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
