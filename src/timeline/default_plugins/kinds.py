"""The built-in kinds of event."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..model import Accession, Event, Founding, Summit


@hookimpl
def register_kinds(register: Callable[[type[Event]], None]) -> None:
    for cls in (Event, Founding, Accession, Summit):
        register(cls)
