"""The process's standard streams, for the ``timeline`` command and for the
library's writing to standard output: a closed stream
(:class:`StreamClosedError`), and standard output kept apart from what
plugins print (:func:`process_streams`, :func:`standard_output`). See
``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

__all__ = ["StreamClosedError", "isatty", "process_streams", "standard_output"]


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


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
