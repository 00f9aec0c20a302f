"""The exceptions and warnings of timeline.

Every error the library raises on purpose is a :class:`TimelineError`, so
``except timeline.TimelineError`` catches bad data, unknown formats and broken
plugins alike, and never hides a bug (a ``TypeError`` from our own code is not
one of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "DateError",
    "DuplicateIdError",
    "ExportWarning",
    "FieldError",
    "FormatError",
    "ImporterWarning",
    "OptionError",
    "PluginError",
    "PluginWarning",
    "Problem",
    "TimelineError",
    "TimelineWarning",
    "ValidationError",
]


class TimelineError(Exception):
    """The base class of every error that timeline raises on purpose."""


class DateError(TimelineError, ValueError):
    """A date that cannot be read or does not exist, such as ``2024-02-30``."""


class FieldError(TimelineError, ValueError):
    """A value that a model field does not accept.

    ``field`` names the field; the message says what is wrong with the value.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class DuplicateIdError(TimelineError, ValueError):
    """Two different events with the same id in one timeline."""

    def __init__(self, event_id: str) -> None:
        super().__init__(f"duplicate event id {event_id!r}")
        self.event_id = event_id


@attrs.frozen
class Problem:
    """One thing wrong with an input document.

    ``path`` locates it in the style of JSONPath (``$.events[3].start``) or,
    for line-based formats, as ``line 12`` / ``row 4, column 'start'``.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(TimelineError, ValueError):
    """An input document with one or more problems; all of them are listed.

    ``source`` names the file (or ``<string>``) the document came from.
    """

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        if count == 1:
            return f"{where}{self.problems[0]}"
        head = f"{where}{count} problems"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class FormatError(TimelineError, LookupError):
    """An unknown format name or suffix; the message lists the available ones."""


class OptionError(TimelineError, ValueError):
    """An option that a format does not accept, or a value it cannot take."""


class PluginError(TimelineError):
    """A plugin that breaks the rules: a misspelt hook, a name taken twice."""


class TimelineWarning(UserWarning):
    """The base class of timeline's warnings."""


class ExportWarning(TimelineWarning):
    """An exporter left something out or changed it; the message says what."""


class ImporterWarning(TimelineWarning):
    """An importer left something out of the file it read or changed it (a
    property the model has no place for); the message says what."""


class PluginWarning(TimelineWarning):
    """A plugin could not be loaded and was skipped."""
