"""The generic kind, ``event``, registered like any other (the organisation
kinds are in :mod:`timeline.default_plugins.organisations`)."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..model import Event


@hookimpl
def register_kinds(register: Callable[[type[Event]], None]) -> None:
    register(Event)
