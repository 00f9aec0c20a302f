"""The hooks a timeline plugin can implement, and the markers ``hookspec`` and ``hookimpl``.

See docs/plugins.md, "Hook reference".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from .formats import Exporter, Importer
    from .model import Event

__all__ = ["hookimpl", "hookspec"]

PROJECT = "timeline"
"""The one name for the markers, the plugin manager and the entry-point group."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register output formats: call ``register(exporter)`` with an instance of
    a :class:`timeline.Exporter` subclass for each."""


@hookspec
def register_importers(register: Callable[[Importer], None]) -> None:
    """Register input formats: call ``register(importer)`` with an instance of
    a :class:`timeline.Importer` subclass for each."""


@hookspec
def register_kinds(register: Callable[[type[Event]], None]) -> None:
    """Register kinds of event: call ``register(cls)`` with a frozen attrs
    subclass of :class:`timeline.Event` that sets a new ``kind``."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``timeline`` command line: call ``cli.add_command``
    with a :class:`click.Command` for each (see ``docs/cli.md``)."""
