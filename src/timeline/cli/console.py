"""Standard error of the ``timeline`` command: error and warning lines, notes,
and a progress line that rich draws on a terminal; the width of a terminal and
what may be written to one. See ``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final, Literal, TextIO

from timeline.errors import TimelineWarning
from timeline.streams import isatty

if TYPE_CHECKING:
    import rich.progress

__all__ = ["Console", "Unit", "clip", "columns", "count", "printable"]


class Console:
    """Standard error: error and warning lines, notes, and one line of progress
    drawn by rich, only when standard error is a terminal."""

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
        self._lock = threading.RLock()
        self._bar: _Bar | None = None
        self._wait = wait
        """How a delayed progress line waits: ``wait(stop, seconds)`` returns True
        once ``stop`` is set, or False once the seconds have passed. A test gives
        its own, to decide when the time has passed."""

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
            self.clear()
            traceback.print_exception(cause, file=self.stream)
        if issubclass(category, TimelineWarning):
            self.warning(str(message))
        else:
            self._print([warnings.formatwarning(message, category, filename, lineno, line)
                         .rstrip("\n")])  # fmt: skip

    def clear(self) -> None:
        """End the progress line, before something else is written (a traceback)."""
        self.end()

    @contextlib.contextmanager
    def progress(
        self, description: str, *, unit: Unit, total: int | None = None, delay: float = 0.0
    ) -> Iterator[Callable[[int, int | None], None]]:
        """Show the progress of the block's work (see :meth:`begin`); what it
        gives is :meth:`advance`."""
        self.begin(description, unit=unit, total=total, delay=delay)
        try:
            yield self.advance
        finally:
            self.end()

    def begin(
        self, description: str, *, unit: Unit, total: int | None = None, delay: float = 0.0
    ) -> None:
        """Show ``description`` with a bar, how much of ``total`` (bytes or
        events) is done and the time taken, on one line that rich redraws ten
        times a second, until :meth:`end`: from now, or only once ``delay``
        seconds have passed. Nothing when standard error is not a terminal, or
        with :attr:`quiet`."""
        self.end()
        if not self.shows_progress:
            return
        bar = _Bar(self.stream, printable(description), unit, total)
        self._bar = bar
        if delay:
            bar.show_after(delay, self._wait)
        else:
            bar.show()

    def advance(self, done: int, total: int | None = None) -> None:
        """Say how much of the work of :meth:`begin` is done (and, once it is
        known, of how much)."""
        if self._bar is not None:
            self._bar.advance(done, total)

    def end(self) -> None:
        """Draw the line of :meth:`begin` once more, as the work ended, then erase it."""
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()

    def _print(self, lines: list[str]) -> None:
        # What the input put in a message is escaped, so that no file name
        # or title can drive the terminal; the message's own lines are kept.
        text = "".join(_printable_lines(line) + "\n" for line in lines)
        with self._lock:
            bar = self._bar
            if bar is None or not bar.write(text):
                self.stream.write(text)
                self.stream.flush()


Unit = Literal["bytes", "events"]
"""What a progress line counts."""


class _Bar:
    """One progress line of rich: shown at once or after a delay, then closed."""

    def __init__(self, stream: TextIO, description: str, unit: Unit, total: int | None) -> None:
        self.stream = stream
        self.description = description
        self.unit = unit
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        """When the work began: the time shown counts from here, not from when
        a delayed line first shows."""
        self._lock = threading.Lock()
        self._progress: rich.progress.Progress | None = None
        self._task: rich.progress.TaskID | None = None
        self._closed = False
        self._waiting: tuple[threading.Event, threading.Thread] | None = None

    def show(self) -> None:
        # Only a command that shows progress needs rich (tens of milliseconds).
        import rich.console
        import rich.progress
        from rich.table import Column

        with self._lock:
            if self._closed:
                return
            console = rich.console.Console(
                file=self.stream, width=columns(self.stream), force_terminal=True,
                highlight=False, emoji=False,
            )  # fmt: skip
            # The description gives way first (a long path ends in "…"), then the bar.
            described = Column(
                no_wrap=True, overflow="ellipsis", max_width=max(12, console.width // 3)
            )
            shown: list[str | rich.progress.ProgressColumn] = [
                rich.progress.TextColumn(
                    "{task.description}", markup=False, table_column=described
                ),
                rich.progress.BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=5)),
            ]
            if self.unit == "events":
                shown += [
                    rich.progress.TaskProgressColumn(),
                    rich.progress.TextColumn(
                        "{task.completed:,.0f} of {task.total:,.0f} events", markup=False
                    ),
                ]
            elif self.total is None:
                shown.append(rich.progress.FileSizeColumn())
            else:
                shown += [rich.progress.TaskProgressColumn(), rich.progress.DownloadColumn()]
            shown.append(rich.progress.TimeElapsedColumn())
            progress = rich.progress.Progress(
                *shown, console=console, transient=True, refresh_per_second=10, expand=True,
                redirect_stdout=False, redirect_stderr=False,
            )  # fmt: skip
            self._task = progress.add_task(self.description, total=self.total, completed=self.done)
            progress.tasks[0].start_time = self.started
            progress.start()  # draws the line at once
            self._progress = progress

    def show_after(self, delay: float, wait: Callable[[threading.Event, float], bool]) -> None:
        stop = threading.Event()

        def waited() -> None:
            if not wait(stop, delay):
                self.show()

        waiter = threading.Thread(target=waited, daemon=True)
        self._waiting = (stop, waiter)
        waiter.start()

    def advance(self, done: int, total: int | None) -> None:
        with self._lock:
            self.done = done
            if total is not None:
                self.total = total
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, completed=done, total=self.total)

    def write(self, text: str) -> bool:
        """Write ``text`` above the line, if it is shown; whether it was."""
        with self._lock:
            if self._progress is None:
                return False
            self._progress.console.out(text, end="", highlight=False)
            return True

    def close(self) -> None:
        if self._waiting is not None:
            stop, waiter = self._waiting
            stop.set()
            waiter.join()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()
                self._progress = None


def columns(stream: TextIO) -> int:
    """The width of the terminal that ``stream`` writes to: ``COLUMNS`` when it
    is set, else the terminal's own width, else 80. The one place that
    measures a terminal (``show`` and the progress line ask it). Unlike
    :func:`shutil.get_terminal_size` and rich, which ask descriptors 0, 1 and
    2, it asks the stream written to: descriptor 1 is standard error while
    :func:`timeline.streams.process_streams` runs."""
    with contextlib.suppress(ValueError):
        width = int(os.environ.get("COLUMNS", ""))
        if width > 0:
            return width
    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        width = 0
    return width if width > 0 else 80


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
    characters (CJK, most emoji) take two columns, combining marks none, as
    rich measures them."""
    if len(text) <= width and text.isascii():
        return text
    from rich.cells import cell_len, chop_cells  # a line of ASCII needs none

    if cell_len(text) <= width:
        return text
    return chop_cells(text, width - 1)[0] + "…"


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
