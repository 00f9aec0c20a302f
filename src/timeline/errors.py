"""The exceptions and warnings of timeline.

Every error the library raises on purpose is a :class:`TimelineError`, so
``except timeline.TimelineError`` catches bad data, unknown formats and broken
plugins alike, and never hides a bug (a ``TypeError`` from our own code is not
one of them).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

__all__ = [
    "DateError",
    "DuplicateIdError",
    "ExportWarning",
    "FieldError",
    "FileError",
    "MAX_PROBLEMS",
    "FormatError",
    "ImporterWarning",
    "OptionError",
    "PluginError",
    "PluginWarning",
    "Problem",
    "Problems",
    "QueryError",
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


class FileError(TimelineError):
    """A file that cannot be read or written as asked: missing, a folder, in a
    folder that does not exist, not ours to replace, a full disk. The message
    names the file as it was given."""


class QueryError(TimelineError, ValueError):
    """A query of a :class:`~timeline.Timeline` that cannot be answered as
    asked: a range that ends before it starts, a kind that no class has, a
    grouping that does not exist, an argument of the wrong type."""


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


MAX_PROBLEMS: Final = 1000
"""How many problems a :class:`ValidationError` keeps; the rest are counted."""


class ValidationError(TimelineError, ValueError):
    """An input document with one or more problems.

    ``problems`` holds the first :data:`MAX_PROBLEMS` of them and ``omitted``
    counts the rest, so that a file with millions of bad records does not
    make millions of messages; the message ends ``... and N more problems``.
    ``source`` names the file (or ``<string>``) the document came from.
    """

    def __init__(
        self, problems: Iterable[Problem], source: str | None = None, *, omitted: int = 0
    ) -> None:
        items = iter(problems)
        self.problems: Sequence[Problem] = tuple(itertools.islice(items, MAX_PROBLEMS))
        self.omitted: int = omitted + sum(1 for _ in items)
        """How many problems there are beyond ``problems``."""
        self.source = source
        super().__init__(self._message())

    @property
    def count(self) -> int:
        """How many problems there are in all, kept and omitted."""
        return len(self.problems) + self.omitted

    def _message(self) -> str:
        where = f"{self.source}: " if self.source else ""
        count = self.count
        if count == 1:
            return f"{where}{self.problems[0]}"
        head = f"{where}{count} problems"
        return "\n".join([head, *(f"  {p}" for p in self.problems), *self._more()])

    def _more(self) -> list[str]:
        """The last line of the list, when problems were left out."""
        if not self.omitted:
            return []
        return [f"  ... and {self.omitted} more problem{'' if self.omitted == 1 else 's'}"]


class Problems:
    """The problems of one input as a reader finds them, kept up to a cap.

    The first ``limit`` problems are kept and the rest only counted, so that
    a reader of a file with millions of bad records neither builds nor holds
    millions of :class:`Problem` objects. A reader that reports its problems
    in the order of the file but finds them in another order (first the
    cells, then the model's checks) gives each an ``order`` (a line or row
    number): then the ``limit`` problems that come first in that order are
    kept, whatever order they were found in, and ties keep the order in
    which they were added. Give every problem an order, or none.

    >>> problems = Problems(limit=2)
    >>> for row in (5, 3, 9, 4):
    ...     problems.add(f"row {row}", "bad", order=row)
    >>> print(problems.error("events.csv"))
    events.csv: 4 problems
      row 3: bad
      row 4: bad
      ... and 2 more problems
    """

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self._kept: list[tuple[Any, int, Problem]] = []
        self._omitted = 0
        self._added = 0

    def wants(self, order: Any = 0) -> bool:
        """Whether a problem at ``order`` would be kept: when not, a reader
        may :meth:`skip` it instead of making its message."""
        if len(self._kept) < self.limit:
            return True
        return bool(self.limit) and order < self._kept[-1][0]

    def add(self, path: str, message: str, order: Any = 0) -> None:
        """Add a problem; past the cap it is counted, not built."""
        if self.wants(order):
            self._keep(Problem(path, message), order)
        else:
            self._omitted += 1
        self._added += 1

    def append(self, problem: Problem, order: Any = 0) -> None:
        """Add a problem that is already built."""
        if self.wants(order):
            self._keep(problem, order)
        else:
            self._omitted += 1
        self._added += 1

    def extend(self, problems: Iterable[Problem], order: Any = 0) -> None:
        for problem in problems:
            self.append(problem, order)

    def add_error(self, error: ValidationError, order: Any = 0) -> None:
        """Add the problems of ``error`` (a part of the input checked on its
        own), counting those it had already left out."""
        self.extend(error.problems, order)
        self.skip(error.omitted)

    def skip(self, count: int = 1) -> None:
        """Count ``count`` problems without keeping them (see :meth:`wants`)."""
        self._omitted += count
        self._added += count

    def _keep(self, problem: Problem, order: Any) -> None:
        entry = (order, self._added, problem)
        kept = self._kept
        if not kept or (order, self._added) >= kept[-1][:2]:
            kept.append(entry)
        else:
            bisect.insort(kept, entry, key=lambda item: item[:2])
        if len(kept) > self.limit:
            kept.pop()
            self._omitted += 1

    @property
    def kept(self) -> list[Problem]:
        """The problems kept, in order."""
        return [problem for _, _, problem in self._kept]

    @property
    def omitted(self) -> int:
        """How many problems were counted but not kept."""
        return self._omitted

    def __len__(self) -> int:
        return self._added

    def __bool__(self) -> bool:
        return self._added > 0

    def error(self, source: str | None = None) -> ValidationError:
        """The :class:`ValidationError` of these problems (raise it)."""
        return ValidationError(self.kept, source, omitted=self._omitted)


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
