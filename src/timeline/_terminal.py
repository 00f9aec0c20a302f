"""What the ``timeline`` command shows on a terminal: the console on standard
error (errors, warnings and a progress line) and the view of ``timeline show``;
and the process's standard streams, kept apart from what plugins write.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import threading
import traceback
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, TextIO

from .dates import Date
from .errors import TimelineWarning
from .model import Event
from .timelines import Timeline

__all__ = ["Console", "clip", "count", "isatty", "printable", "repeats", "show_lines", "when"]


# -- standard error: errors, warnings, progress -----------------------------------------------


class Console:
    """Standard error: error and warning lines, notes, and a progress line that is
    redrawn in place, only when standard error is a terminal."""

    def __init__(
        self,
        stream: TextIO,
        *,
        wait: Callable[[threading.Event, float], bool] = threading.Event.wait,
    ) -> None:
        self.stream = stream
        self.debug = False
        self.quiet = False
        self.context: str | None = None
        """The output being written, named in warnings."""
        self.warnings = 0
        """How many warnings have been shown."""
        self._tty = isatty(stream)
        self._lock = threading.Lock()
        self._status: Callable[[], str] | None = None
        self._drawn: str | None = None
        self._wait = wait
        """How the progress line waits: ``wait(stop, seconds)`` returns True once
        ``stop`` is set, or False once the seconds have passed. A test gives its
        own, to decide when the time has passed."""

    @property
    def shows_progress(self) -> bool:
        """Whether a progress line may be drawn: on a terminal, unless quiet."""
        return self._tty and not self.quiet

    def error(self, message: str, details: Iterable[str] = ()) -> None:
        """``error: message``, with each detail indented on a line below it."""
        self._print([f"error: {message}", *(f"  {line}" for line in details)])

    def warning(self, message: str) -> None:
        """``warning: message``, naming the output being written, if any."""
        where = f"{self.context}: " if self.context else ""
        self.warnings += 1
        self._print([f"warning: {where}{message}"])

    def note(self, message: str) -> None:
        """A line that says what was done, unless quiet."""
        if not self.quiet:
            self._print([message])

    def waiting(self, message: str) -> None:
        """A line that says what the command waits for, quiet or not: a
        command must not wait without a word."""
        self._print([message])

    def show_warning(  # noqa: PLR0917 - the signature of warnings.showwarning
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        """:func:`warnings.showwarning` for the command: ours as ``warning: ...`` lines,
        anyone else's in Python's own format. With :attr:`debug`, a warning
        caused by an error (a plugin that cannot be imported) comes after the
        traceback of that error."""
        cause = getattr(message, "__cause__", None)
        if self.debug and isinstance(cause, BaseException):
            with self._lock:
                self._erase()
                traceback.print_exception(cause, file=self.stream)
        if issubclass(category, TimelineWarning):
            self.warning(str(message))
        else:
            self._print([warnings.formatwarning(message, category, filename, lineno, line)
                         .rstrip("\n")])  # fmt: skip

    def clear(self) -> None:
        """Erase the progress line, before something else is written (a traceback)."""
        with self._lock:
            self._erase()

    @contextlib.contextmanager
    def status(self, render: Callable[[], str], *, delay: float = 0.0) -> Iterator[None]:
        """Show ``render()`` on one line while the block runs, redrawn ten times a
        second and once more at the end, then erased; from the start, or only
        once the block has run for ``delay`` seconds. Nothing when standard
        error is not a terminal."""
        if not self.shows_progress:
            yield
            return
        stop = threading.Event()
        if not delay:
            with self._lock:
                self._status = render
                self._draw()
        ticker = threading.Thread(target=self._tick, args=(stop, render, delay), daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()
            with self._lock:
                if self._status is not None:
                    self._draw()
                    self._status = None
                    self._erase()

    def _tick(self, stop: threading.Event, render: Callable[[], str], delay: float) -> None:
        if delay:
            if self._wait(stop, delay):
                return
            with self._lock:
                self._status = render
                self._draw()
        while not self._wait(stop, 0.1):
            with self._lock:
                self._draw()

    def _print(self, lines: list[str]) -> None:
        with self._lock:
            self._erase()
            # What the input put in a message is escaped, so that no file name
            # or title can drive the terminal; the message's own lines are kept.
            self.stream.write("".join(_printable_lines(line) + "\n" for line in lines))
            self._draw()
            self.stream.flush()

    def _draw(self) -> None:
        if self._status is None:
            return
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            width = 0
        width = width if width > 0 else 80  # a terminal that does not say counts as 80
        line = clip(self._status(), width - 1)
        if line != self._drawn:
            self.stream.write("\r" + line + "\x1b[K")
            self.stream.flush()
            self._drawn = line

    def _erase(self) -> None:
        if self._drawn is not None:
            self.stream.write("\r\x1b[K")
            self._drawn = None


def columns(stream: TextIO) -> int:
    """The width of the terminal that ``stream`` writes to, as
    :func:`shutil.get_terminal_size` tells it for standard output: ``COLUMNS``
    when it is set, else the terminal's own width, else 80. (``shutil`` asks
    descriptor 1, which is standard error while :func:`process_streams` runs.)"""
    with contextlib.suppress(ValueError):
        width = int(os.environ.get("COLUMNS", ""))
        if width > 0:
            return width
    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        width = 0
    return width if width > 0 else 80


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


# -- the process's standard streams -----------------------------------------------------------


class StreamClosedError(OSError):
    """Standard input or output was closed when the command started (``<&-``,
    ``>&-``), and the command needs it."""

    def __init__(self, label: str) -> None:
        super().__init__(errno.EBADF, "closed", label)
        self.label = label

    def __str__(self) -> str:
        return f"{self.label}: closed"


class _ClosedRaw(io.RawIOBase):
    """A stream that raises :class:`StreamClosedError` when it is used."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise StreamClosedError(self.label)

    def write(self, data: Any) -> int:
        raise StreamClosedError(self.label)


def _closed_text(label: str) -> TextIO:
    raw: Any = _ClosedRaw(label)  # a raw stream: nothing is buffered to fail later
    return io.TextIOWrapper(raw, encoding="utf-8", write_through=True)


_command_output: int | None = None
_as_process = False


def standard_output() -> int | None:
    """The file descriptor of the command's standard output, which only the
    command's own output goes to; ``None`` when it was closed.

    It is 1, except while :func:`process_streams` runs: descriptor 1 then
    points at standard error (what plugins write there goes to standard
    error), and this is the copy of the real standard output that it kept.
    ``/dev/stdout`` and ``/proc/self/fd/1`` name descriptor 1, so they name
    standard error then: code that opens such a path for the command's
    output uses this descriptor instead.
    """
    if _as_process:
        return _command_output
    return None if _closed(1) else 1


def _closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


@contextlib.contextmanager
def process_streams() -> Iterator[None]:
    """Standard streams for the command run as a process (not for a caller of
    ``main()`` in the same process, whose streams are its own):

    * a standard stream that was closed when the command started gets the
      null device opened the wrong way round on its descriptor, so that no
      file opened later takes its number and writes where standard output
      went; ``sys.stdin`` and ``sys.stdout`` then raise
      :class:`StreamClosedError` when used, and ``sys.stderr`` writes nowhere;
    * descriptor 1 points at standard error, and ``sys.stdout`` writes to a
      copy of the real standard output (see :func:`standard_output`): what
      plugins print, write to descriptor 1 or to an inherited standard output
      reaches standard error, even from their ``atexit`` handlers, which run
      after the command; only the command writes to its standard output.
    """
    global _command_output, _as_process
    closed = [fd for fd in (0, 1, 2) if _closed(fd)]
    for fd in closed:
        _hold(fd, os.O_WRONLY if fd == 0 else os.O_RDONLY)
    saved_in, saved_out, saved_err = sys.stdin, sys.stdout, sys.stderr
    if 0 in closed:
        sys.stdin = _closed_text("standard input")
    if 2 in closed:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if saved_out is not None:
        with contextlib.suppress(OSError, ValueError):
            saved_out.flush()
    # What plugins print after the command (from atexit) goes to descriptor 1, as
    # Python's own standard output did (or would have, had it not been closed).
    plugins_out = saved_out if saved_out is not None else os.fdopen(1, "w", closefd=False)
    if 1 in closed:
        output = _closed_text("standard output")
    else:
        _command_output = os.dup(1)
        output = _like(saved_out, _command_output)
    if 2 in closed:
        _hold(1, os.O_WRONLY)  # what plugins write to descriptor 1 goes nowhere
    else:
        os.dup2(2, 1)
    sys.stdout = output
    _as_process = True
    try:
        yield
    finally:
        sys.stdout = plugins_out  # descriptor 1, which stays on standard error
        sys.stdin, sys.stderr = saved_in, saved_err
        _command_output, _as_process = None, False
        with contextlib.suppress(OSError, ValueError):
            output.close()


def _like(original: TextIO | None, fd: int) -> TextIO:
    """A text stream on ``fd`` that buffers and encodes as ``original`` (Python's
    own standard output) did, so that what the command writes there and to
    standard error keeps its order as before (``PYTHONUNBUFFERED``, a terminal)."""
    write_through = bool(getattr(original, "write_through", False))
    line_buffering = bool(getattr(original, "line_buffering", False)) or os.isatty(fd)
    binary: Any = open(fd, "wb", buffering=0 if write_through else -1)  # noqa: SIM115
    return io.TextIOWrapper(
        binary,
        encoding=getattr(original, "encoding", None) or "utf-8",
        errors=getattr(original, "errors", None) or "strict",
        line_buffering=line_buffering,
        write_through=write_through,
    )


def _hold(fd: int, flags: int) -> None:
    """Open the null device on descriptor ``fd``, inheritable as a standard
    stream is."""
    null = os.open(os.devnull, flags)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)
    os.set_inheritable(fd, True)


# -- show -------------------------------------------------------------------------------------

_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # fmt: skip
_TO: Final = "-"
_SPACED_TO: Final = " - "
_KIND_WIDTH: Final = 12
_DATE_WIDTH: Final = 40


def show_lines(timeline: Timeline, total: int) -> Iterator[str]:
    """The lines of ``timeline show``: a heading, then the events by year."""
    events = timeline.events
    if timeline.title:
        yield printable(timeline.title)
    shown = count(len(events), "event") if len(events) == total else (
        f"{len(events):,} of {count(total, 'event')}")  # fmt: skip
    if events:
        first, last = _year(events[0].start.year), _year(max(e.last.year for e in events))
        span = first if first == last else f"{first} to {last}"
        yield f"{shown}, {span}"
    else:
        yield shown
    labels = [when(e) for e in events]
    date_width = min(max((len(label) for label in labels), default=0), _DATE_WIDTH)
    kind_width = min(max((len(e.kind) for e in events), default=0), _KIND_WIDTH)
    year: int | None = None
    for event, label in zip(events, labels, strict=True):
        if event.start.year != year:
            year = event.start.year
            yield ""
            yield _year(year)
        place = ""
        if event.place is not None:
            country = event.place.country_name
            place = f" — {event.place.name}" + (f", {country}" if country else "")
        title = event.title + repeats(event.recurrence)
        yield printable(f"  {label:<{date_width}}  {event.kind:<{kind_width}}  {title}{place}")


_UNITS: Final = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day"}


def repeats(rule: str | None) -> str:
    """`` (every year)`` for ``FREQ=YEARLY``, `` (every 2 weeks)`` for
    ``FREQ=WEEKLY;INTERVAL=2``; any other rule as it is written."""
    if rule is None:
        return ""
    parts = dict(part.partition("=")[::2] for part in rule.removeprefix("RRULE:").split(";"))
    unit = _UNITS.get(parts.pop("FREQ", "").upper())
    interval = parts.pop("INTERVAL", "1")
    if unit is None or parts or not interval.isdigit() or int(interval) < 1:
        return f" (repeats: {rule})"
    return f" (every {unit})" if interval == "1" else f" (every {int(interval)} {unit}s)"


def when(event: Event) -> str:
    """When the event happened, in words, without the year of its heading when
    the year is the same: ``3-4 Jul``, ``31 Dec 2019 - 2 Jan 2020``, ``c. 1996``,
    ``Jun?``, ``4 Jul 10:00-18:00 (Asia/Almaty)``."""
    start, end = event.start, event.end
    if end is None or end == start:
        return _date_words(start, with_year=start.month is None)
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    if plain and start.time is None and end.time is None and start.year == end.year:
        if start.day is not None and end.day is not None and start.month == end.month:
            return f"{start.day}{_TO}{_date_words(end, False)}"
        if start.month is not None and end.month is not None:
            return f"{_date_words(start, False)}{_SPACED_TO}{_date_words(end, False)}"
    same_day = (start.year, start.month, start.day) == (end.year, end.month, end.day)
    if plain and same_day and start.time is not None and end.time is not None \
            and start.tz == end.tz:  # fmt: skip
        times = f"{_time_words(start)}{_TO}{_time_words(end)}{_zone_words(start)}"
        return f"{_day_words(start, False)} {times}"
    other_year = start.year != end.year
    return f"{_date_words(start, other_year)}{_SPACED_TO}{_date_words(end, other_year)}"


def _date_words(d: Date, with_year: bool) -> str:
    """``15 Jun``, ``c. Jun 2001?``, ``9 Jun 10:00 UTC``."""
    text = _day_words(d, with_year)
    if d.time is not None:
        text += f" {_time_words(d)}{_zone_words(d)}"
    if d.approximate:
        text = "c. " + text
    if d.uncertain:
        text += "?"
    return text


def _day_words(d: Date, with_year: bool) -> str:
    parts = []
    if d.day is not None:
        parts.append(str(d.day))
    if d.month is not None:
        parts.append(_MONTHS[d.month - 1])
    if with_year or d.month is None:
        parts.append(_year(d.year))
    return " ".join(parts)


def _time_words(d: Date) -> str:
    t = d.time
    assert t is not None
    return t.isoformat(timespec="seconds" if t.second or t.microsecond else "minutes")


def _zone_words(d: Date) -> str:
    if d.tz is None:
        return ""
    return " UTC" if d.tz == "UTC" else f" ({d.tz})"


def _year(year: int) -> str:
    """``2001``, or ``477 BCE`` for the astronomical year -476."""
    return str(year) if year >= 1 else f"{1 - year} BCE"


# Invisible characters that are kept: the joiners of emoji sequences and of
# Persian and Indic scripts, and the tags of subdivision flags.
_KEPT_FORMAT: Final = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))


def printable(text: str) -> str:
    """``text`` with what a terminal would act on or hide written as a Python
    escape: control characters (C0, DEL, C1), the line and paragraph
    separators, bidirectional overrides and the other invisible format
    characters (``\\u202e``), unassigned code points and surrogates. Spaces,
    the joiners of emoji and scripts, and flag tags are kept."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or _kept(char) else _escape(char) for char in text)


def _printable_lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.split("\n"))


def _kept(char: str) -> bool:
    return char in _KEPT_FORMAT or unicodedata.category(char) == "Zs"


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns of a terminal, with an ellipsis; wide
    characters (CJK, most emoji) take two columns, combining marks none."""
    if len(text) <= width and text.isascii():
        return text
    if sum(_columns(char) for char in text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _columns(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _columns(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# -- words ------------------------------------------------------------------------------------


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
