"""Standard error of the ``timeline`` command: error and warning lines, notes,
and a progress line redrawn in place on a terminal; the width of a terminal
and what may be written to one. See ``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Final, TextIO

from timeline.errors import TimelineWarning
from timeline.streams import isatty

__all__ = ["Console", "clip", "columns", "count", "printable"]


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
        self._ticking: tuple[threading.Event, threading.Thread] | None = None

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
        """Show ``render()`` on one line while the block runs (see :meth:`begin`)."""
        self.begin(render, delay=delay)
        try:
            yield
        finally:
            self.end()

    def begin(self, render: Callable[[], str], *, delay: float = 0.0) -> None:
        """Show ``render()`` on one line, redrawn ten times a second, until
        :meth:`end`: from now, or only once ``delay`` seconds have passed.
        Nothing when standard error is not a terminal, or with :attr:`quiet`."""
        self.end()
        if not self.shows_progress:
            return
        stop = threading.Event()
        if not delay:
            with self._lock:
                self._status = render
                self._draw()
        ticker = threading.Thread(target=self._tick, args=(stop, render, delay), daemon=True)
        self._ticking = (stop, ticker)
        ticker.start()

    def end(self) -> None:
        """Draw the line of :meth:`begin` once more, then erase it."""
        if self._ticking is None:
            return
        stop, ticker = self._ticking
        self._ticking = None
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
        line = clip(self._status(), columns(self.stream, environment=False) - 1)
        if line != self._drawn:
            self.stream.write("\r" + line + "\x1b[K")
            self.stream.flush()
            self._drawn = line

    def _erase(self) -> None:
        if self._drawn is not None:
            self.stream.write("\r\x1b[K")
            self._drawn = None


def columns(stream: TextIO, *, environment: bool = True) -> int:
    """The width of the terminal that ``stream`` writes to, as
    :func:`shutil.get_terminal_size` tells it for standard output: ``COLUMNS``
    when it is set (and ``environment``), else the terminal's own width, else
    80. (``shutil`` asks descriptor 1, which is standard error while
    :func:`timeline.streams.process_streams` runs.) The one place that
    measures a terminal: ``show`` and the progress line ask it."""
    if environment:
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


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
