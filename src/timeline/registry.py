"""What plugins provide: the tables of exporters, importers and kinds and their
lookups (for now the names of :mod:`timeline.plugins`, which is being split).
"""

from __future__ import annotations

from .model import Event
from .plugins import (
    PluginInfo,
    _registry,
    exporter_for_suffix,
    exporters,
    get_exporter,
    get_importer,
    importer_for_suffix,
    importers,
    kinds,
)
from .plugins import plugins as get_plugins

__all__ = [
    "PluginInfo",
    "exporter_for_suffix",
    "exporters",
    "get_exporter",
    "get_importer",
    "get_plugins",
    "importer_for_suffix",
    "importers",
    "kind_table",
    "kinds",
]


def kind_table() -> tuple[tuple[str, type[Event]], ...]:
    """``(kind name, class)`` for every registered kind, in the order registered."""
    return tuple(_registry().kinds.items())
