"""Reading and writing timelines in any registered format.

``dump`` to a path is atomic: the output goes to a temporary file in the same
folder, which replaces the target only when the exporter has finished. On any
error (including one raised by a plugin halfway through, or Ctrl-C) the
temporary file is removed and an existing target is left exactly as it was.
A symbolic link is followed (the file it points to is replaced, the link
stays); a device or a named pipe (``/dev/null``, ``/dev/stdout``), which
cannot be replaced, is written to directly.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from .errors import Problem, TimelineError, ValidationError
from .formats import Exporter, Importer
from .timelines import Timeline

__all__ = ["atomic_write", "dump", "dumps", "load", "loads", "writes_in_place"]

PathLike = str | os.PathLike[str]


def dumps(timeline: Timeline, format: str = "json", **options: Any) -> str:
    """The timeline as text in ``format``.

    >>> import timeline
    >>> t = timeline.Timeline(events=[timeline.Event(title="Founded", start="2001-06-15")])
    >>> print(timeline.dumps(t, "json", compact=True))  # doctest: +NORMALIZE_WHITESPACE
    {"format": "timeline-events", "version": 1, "events": [
    {"kind": "event", "id": "2001-06-15-founded", "title": "Founded", "start": "2001-06-15"}
    ]}
    """
    from .plugins import get_exporter

    exporter = get_exporter(format)
    resolved = exporter.resolve_options(options)
    buffer = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporter.write(timeline, buffer, resolved)
    _warn_caller(caught)
    return buffer.getvalue()


def dump(
    timeline: Timeline,
    target: PathLike | IO[str],
    format: str | None = None,
    **options: Any,
) -> None:
    """Write the timeline to a path (atomically) or to a text file object.

    The format is taken from the path's suffix when not given; a file object
    without a name with a suffix gets JSON.
    """
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        exporter = _exporter(format, path.suffix)
        resolved = exporter.resolve_options(options)
        with atomic_write(path) as out:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                exporter.write(timeline, out, resolved)
            _warn_caller(caught)  # inside: a warning made an error leaves no file
        return
    exporter = _exporter(format, Path(getattr(target, "name", "") or "").suffix or ".json")
    resolved = exporter.resolve_options(options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporter.write(timeline, target, resolved)  # type: ignore[arg-type]
    _warn_caller(caught)


def _warn_caller(caught: list[warnings.WarningMessage]) -> None:
    """Warn again what a format warned about, as if from the line that called
    ``dump``/``load``, so the warning points at the user's code, not ours."""
    for message in caught:
        warnings.warn(message.message, message.category, stacklevel=3)


def loads(text: str, format: str = "json", **options: Any) -> Timeline:
    """A timeline from text in ``format``."""
    from .plugins import get_importer

    importer = get_importer(format)
    resolved = importer.resolve_options(options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = importer.read(io.StringIO(text, newline=""), resolved, "<string>")
    _warn_caller(caught)
    return result


def load(
    source: PathLike | IO[str],
    format: str | None = None,
    **options: Any,
) -> Timeline:
    """A timeline from a path or a text file object; the format comes from the
    suffix when not given. The file is only read, never changed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _load(source, format, options)
    _warn_caller(caught)
    return result


def _load(source: PathLike | IO[str], format: str | None, options: dict[str, Any]) -> Timeline:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        importer = _importer(format, path.suffix)
        resolved = importer.resolve_options(options)
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                return importer.read(stream, resolved, str(path))
        except UnicodeDecodeError:
            raise _not_utf8(str(path), path.read_bytes()) from None
        except OSError as exc:
            raise TimelineError(f"{path}: cannot read: {exc.strerror or exc}") from None
    name = str(getattr(source, "name", "") or "<stream>")
    importer = _importer(format, Path(name).suffix or ".json")
    resolved = importer.resolve_options(options)
    try:
        return importer.read(source, resolved, name)  # type: ignore[arg-type]
    except UnicodeDecodeError as exc:
        problem = Problem("$", f"the input is not valid UTF-8: {exc.reason}")
        raise ValidationError([problem], name) from None


def _not_utf8(name: str, data: bytes) -> ValidationError:
    """Say where the first byte that is not UTF-8 is, by line and offset."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where = f"line {line}, byte offset {exc.start}"
    else:  # pragma: no cover - the file changed between the two reads
        where = "$"
    return ValidationError([Problem(where, "the file is not valid UTF-8")], name)


def _exporter(format: str | None, suffix: str) -> Exporter:
    from .plugins import exporter_for_suffix, get_exporter

    if format is not None:
        return get_exporter(format)
    return exporter_for_suffix(suffix)


def _importer(format: str | None, suffix: str) -> Importer:
    from .plugins import get_importer, importer_for_suffix

    if format is not None:
        return get_importer(format)
    return importer_for_suffix(suffix)


def writes_in_place(path: PathLike) -> bool:
    """Whether :func:`atomic_write` writes to ``path`` directly, because it cannot
    be replaced: a device (``/dev/null``), a named pipe, or this process's
    standard output or error named by a path (``/dev/stdout``), whatever it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if stat.S_ISDIR(mode):
        return False
    return not stat.S_ISREG(mode) or _standard_stream(Path(path)) is not None


@contextlib.contextmanager
def atomic_write(path: PathLike) -> Iterator[TextIO]:
    """Open a text file for writing that appears at ``path`` only if the
    ``with`` block finishes; UTF-8, line endings passed through unchanged.

    A new file gets the permissions a plain ``open`` would give; a replaced
    file keeps its own. A symbolic link stays a link: the file it points to
    is replaced. What cannot be replaced (see :func:`writes_in_place`: a
    device, a named pipe) is not atomic: it is written to directly, as the
    ``with`` block writes.
    """
    target = Path(path)
    if target.is_dir():
        raise TimelineError(f"{target}: is a folder")
    if writes_in_place(target):
        with _in_place(target) as stream:
            yield stream
        return
    real = Path(os.path.realpath(target))  # the file a link points to
    folder = real.parent
    if not folder.is_dir():
        if target.is_symlink():
            raise TimelineError(f"{target}: links to {str(real)!r}, whose folder does not exist")
        raise TimelineError(f"{target}: the folder {str(target.parent)!r} does not exist")
    try:
        mode = real.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise TimelineError(f"{target}: {exc.strerror or exc}") from None
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{real.name}.", suffix=".part")
    except OSError as exc:
        raise TimelineError(f"{target}: cannot write in {str(folder)!r}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def _in_place(target: Path) -> Iterator[TextIO]:
    """``target`` opened for writing as it is. Standard output or error named
    by a path (``/dev/stdout``) is written through the descriptor this
    process has, so that it is not truncated and what others write to it
    stays in order. A reader that goes away is an error that names the
    target, except on standard output, where it is the caller's to handle
    (the command ends quietly, as for ``-o -``)."""
    inherited = _standard_stream(target)
    try:
        if inherited is not None:
            stream = os.fdopen(os.dup(inherited), "w", encoding="utf-8", newline="")
        else:
            stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise TimelineError(f"{target}: {exc.strerror or exc}") from None
    try:
        with stream:
            yield stream
    except BrokenPipeError:
        if inherited == 1:
            raise
        raise TimelineError(f"{target}: the reader closed the pipe") from None


def _standard_stream(target: Path) -> int | None:
    """1 or 2 when ``target`` is the file this process's standard output or
    error is (``/dev/stdout``, ``/proc/self/fd/2``), else None."""
    try:
        status = os.stat(target)
    except OSError:
        return None
    for fd in (1, 2):
        try:
            other = os.fstat(fd)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            return fd
    return None
