"""The hooks a timeline plugin can implement.

A plugin is a module (or any object) with functions marked
``@timeline.hookimpl`` whose names are these hooks'. Each hook receives a
``register`` callback and returns nothing; call ``register`` once per thing
the plugin provides. Hooks are called with keyword arguments, so an
implementation may leave out arguments it does not use.

Every hook is documented in ``docs/plugins.md``; a test fails when one is not.
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
