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

import codecs
import contextlib
import io
import os
import re
import stat
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final, TextIO, cast

from .errors import Problem, TimelineError, ValidationError
from .formats import Exporter, Importer
from .timelines import Timeline

__all__ = [
    "DEFAULT_MAX_SIZE",
    "InputStream",
    "atomic_write",
    "describe_size",
    "dump",
    "dumps",
    "load",
    "loads",
    "writes_in_place",
]

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


DEFAULT_MAX_SIZE: Final = 1 << 30
"""The input size limit of :func:`load` and :func:`loads` unless told
otherwise: 1 GiB. A timeline of a million events in JSON is about 500 MB,
and loading takes several times the file's size in memory, so a bigger
input is far more likely a mistake (a device, an endless stream) than
data; ``max_size=`` (``--max-size``) raises the limit, ``None`` lifts it."""

_CHUNK: Final = 64 * 1024
"""How much of the input is read (and decoded) at a time: the most that is
read past the point where an input is found to be bad."""
_HEAD: Final = 64
"""The fewest bytes the check of the start of an input waits for, when the
input has that many."""
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16, whose mark it starts with
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def loads(
    text: str, format: str = "json", *, max_size: int | None = DEFAULT_MAX_SIZE, **options: Any
) -> Timeline:
    """A timeline from text in ``format``. Text of more than ``max_size``
    bytes (in UTF-8; ``None`` for no limit) is refused."""
    from .plugins import get_importer

    importer = get_importer(format)
    resolved = importer.resolve_options(options)
    source = "<string>"
    if max_size is not None and _utf8_size(text, max_size) > max_size:
        raise _too_large(source, max_size)
    head = text[:_CHUNK]
    nul = head.find("\0")
    if nul >= 0:
        raise ValidationError([Problem(_char_position(head, nul), _NUL)], source)
    _check_start(importer, head, source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = importer.read(io.StringIO(text, newline=""), resolved, source)
    _warn_caller(caught)
    return result


def load(
    source: PathLike | IO[str] | IO[bytes],
    format: str | None = None,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    **options: Any,
) -> Timeline:
    """A timeline from a path or a file object (binary, read as UTF-8, or
    text); the format comes from the suffix when not given. The file is only
    read, never changed.

    Reading stops as soon as the input is known to be bad: at its first bytes
    when they cannot start a text in the format (a binary file, UTF-16), at
    the first byte that is not UTF-8, and after ``max_size`` bytes (``None``
    for no limit; characters, for a text stream), which raise a
    :class:`~timeline.ValidationError`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _load(source, format, options, max_size)
    _warn_caller(caught)
    return result


def _load(
    source: PathLike | IO[str] | IO[bytes],
    format: str | None,
    options: dict[str, Any],
    max_size: int | None,
) -> Timeline:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        importer = _importer(format, path.suffix)
        resolved = importer.resolve_options(options)
        try:
            with path.open("rb") as raw:
                stream = InputStream(raw, str(path), max_size)
                return _read(importer, stream, resolved)
        except OSError as exc:
            raise TimelineError(f"{path}: cannot read: {exc.strerror or exc}") from None
    name = str(getattr(source, "name", "") or "<stream>")
    importer = _importer(format, Path(name).suffix or ".json")
    resolved = importer.resolve_options(options)
    return _read(importer, InputStream(source, name, max_size), resolved)


def _read(importer: Importer, stream: InputStream, options: dict[str, Any]) -> Timeline:
    """Check the start of ``stream``, then let ``importer`` read it."""
    try:
        head = stream.head()
        _check_start(importer, head, stream.name)
        return importer.read(cast(TextIO, stream), options, stream.name)
    except UnicodeDecodeError as exc:
        raise _not_utf8(stream, exc) from None


def _check_start(importer: Importer, head: str, source: str) -> None:
    problem = importer.check_start(head)
    if problem is not None:
        raise ValidationError([Problem(*problem)], source)


_NUL: Final = (
    "a NUL byte, which text does not have: this is not a text file (or it is "
    "UTF-16 or UTF-32 without a byte-order mark; save it as UTF-8)"
)


class _NotUTF8(UnicodeDecodeError):
    """The first byte of an input that is not UTF-8, with its place in the
    input: ``offset`` counts bytes from the start, ``line`` from 1."""

    offset: int
    line: int


class InputStream(io.TextIOBase):
    """The text stream that :meth:`Importer.read <timeline.Importer.read>`
    gets from :func:`load`: the input, decoded from UTF-8 a chunk at a time
    (without a byte-order mark, line endings as they are), as a file opened
    with ``newline=""`` would give it.

    It reads no more than it must. A byte that is not UTF-8 raises a
    :class:`UnicodeDecodeError`, as a file does, once the text before it
    has been read (:func:`load` reports it with its line and byte offset);
    more than ``max_size`` bytes raise a :class:`~timeline.ValidationError`
    that names the limit. ``buffer`` is the input's bytes, for an importer
    that must read them again (from ``seek(0)``; it is only seekable when
    the input is), within the same limit.

    ``source`` may also be a text stream, which is read as it is, with
    ``max_size`` counting characters."""

    def __init__(self, source: IO[str] | IO[bytes], name: str, max_size: int | None) -> None:
        super().__init__()
        self._source: Any = source
        self._name = name
        self._max_size = max_size
        self._binary = not isinstance(source, io.TextIOBase) and (
            isinstance(source, io.RawIOBase | io.BufferedIOBase)
            or "b" in str(getattr(source, "mode", ""))
        )
        self._size = 0  # read from the source so far
        self._text = ""  # decoded, not yet read
        self._pos = 0
        self._pending = b""  # the start of a character split by a chunk
        self._offset = 0  # of the first byte of _pending in the input
        self._lines = 0  # line breaks before _offset
        self._failed: UnicodeDecodeError | None = None
        self._eof = False
        self._started = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def buffer(self) -> _InputBytes:
        if not self._binary:
            raise AttributeError("a text stream has no buffer")
        return _InputBytes(self)

    @property
    def bytes_read(self) -> int:
        """How many bytes (characters, for a text source) have been read."""
        return self._size

    def readable(self) -> bool:
        return True

    def head(self) -> str:
        """The start of the text, without consuming it: the first chunk.

        Input that is UTF-16 or UTF-32 by its byte-order mark, or has a NUL
        byte in its first chunk, raises a :class:`~timeline.ValidationError`."""
        if not self._started:
            self._start()
        return self._text

    def _start(self) -> None:
        self._started = True
        if not self._binary:
            self._text = self._read_source(_CHUNK)
            nul = self._text.find("\0")
            if nul >= 0:
                raise ValidationError([Problem(_char_position(self._text, nul), _NUL)], self._name)
            self._eof = not self._text
            return
        data = self._read_source(_CHUNK)
        while data and len(data) < _HEAD:
            more = self._read_source(_CHUNK - len(data))
            if not more:
                break
            data += more
        for mark, encoding in _BOMS:
            if data.startswith(mark):
                raise ValidationError([Problem(
                    "line 1, byte offset 0",
                    f"the file is not valid UTF-8: it is {encoding} text, by its "
                    "byte-order mark; save it as UTF-8",
                )], self._name)  # fmt: skip
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
            self._offset = 3
        nul = data.find(b"\0")
        line = data.count(b"\n", 0, max(nul, 0)) + 1
        where = f"line {line}, byte offset {self._offset + nul}"
        self._text = self._decode(data if nul < 0 else data[:nul], final=not data)
        if nul >= 0:
            if self._failed is not None:
                raise self._failed
            raise ValidationError([Problem(where, _NUL)], self._name)
        self._eof = not data

    def _read_source(self, size: int) -> Any:
        """Up to ``size`` bytes (or characters) more of the source, within the limit."""
        limit = self._max_size
        if limit is not None:
            size = min(size, limit - self._size + 1)
        data = self._source.read(size)
        self._size += len(data)
        if limit is not None and self._size > limit:
            raise _too_large(self._name, limit)
        return data

    def _decode(self, data: bytes, *, final: bool) -> str:
        """The text of the next bytes; a byte that is not UTF-8 is kept to be
        raised when the text before it has been read."""
        if self._pending:
            data = self._pending + data
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            text, used = codecs.utf_8_decode(data[: exc.start], "strict", True)
            error = _NotUTF8("utf-8", data, exc.start, exc.end, exc.reason)
            error.offset = self._offset + exc.start
            error.line = self._lines + data.count(b"\n", 0, exc.start) + 1
            self._failed = error
            self._pending = b""
            return text
        self._lines += data.count(b"\n", 0, used)
        self._offset += used
        self._pending = data[used:]
        return text

    def _more(self) -> bool:
        """Decode the next chunk into the text not yet read; False at the end."""
        if not self._started:
            self._start()
            if self._text:
                return True
        while True:
            if self._failed is not None:
                raise self._failed
            if self._eof:
                return False
            data = self._read_source(_CHUNK)
            text = self._decode(data, final=not data) if self._binary else data
            self._eof = not data
            if text:
                self._text, self._pos = text, 0
                return True

    def read(self, size: int | None = -1) -> str:
        if size is None or size < 0:
            parts = [self._take(len(self._text))]
            while self._more():
                parts.append(self._take(len(self._text)))
            return "".join(parts)
        parts = []
        wanted = size
        while wanted > 0 and (self._pos < len(self._text) or self._more()):
            part = self._take(wanted)
            parts.append(part)
            wanted -= len(part)
        return "".join(parts)

    def _take(self, size: int) -> str:
        start = self._pos
        end = min(len(self._text), start + size)
        self._pos = end
        if start == 0 and end == len(self._text):
            return self._text
        return self._text[start:end]

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        """The next line, ended by ``\\n``, ``\\r\\n`` or ``\\r``, kept as it is."""
        limit = -1 if size is None else size
        text, pos = self._text, self._pos
        if limit < 0:  # the common case: a whole line within the chunk
            match = _LINE_END.search(text, pos)
            if match is not None and match.end() < len(text):
                self._pos = end = match.end()
                return text[pos:end]
        parts: list[str] = []
        length = 0
        while self._pos < len(self._text) or self._more():
            text, pos = self._text, self._pos
            match = _LINE_END.search(text, pos)
            if match is not None and match.group() == "\r" and match.end() == len(text):
                # A "\r" at the end of a chunk: its "\n" may be in the next one.
                parts.append(text[pos:])
                length += len(text) - pos
                self._pos = len(text)
                if self._more() and self._text.startswith("\n"):
                    parts.append("\n")
                    self._pos = 1
                break
            end = len(text) if match is None else match.end()
            if 0 <= limit < length + end - pos:
                end = pos + limit - length
                match = None
                parts.append(text[pos:end])
                self._pos = end
                break
            parts.append(text[pos:end])
            length += end - pos
            self._pos = end
            if match is not None:
                break
        return "".join(parts)

    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def _rewind(self) -> None:
        """Back to the start of the source, for :class:`_InputBytes`."""
        self._source.seek(0)
        self._size = 0


_LINE_END: Final = re.compile(r"\r\n?|\n")


class _InputBytes:
    """The bytes of an :class:`InputStream`'s input, read again from the
    start, within the same size limit."""

    def __init__(self, stream: InputStream) -> None:
        self._stream = stream

    def seekable(self) -> bool:
        source = self._stream._source
        return bool(getattr(source, "seekable", lambda: False)())

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise io.UnsupportedOperation("only seek(0) is supported")
        self._stream._rewind()
        return 0

    def read(self, size: int | None = -1) -> bytes:
        stream = self._stream
        if size is not None and size >= 0:
            data: bytes = stream._read_source(size)
            return data
        parts = []
        while chunk := stream._read_source(_CHUNK):
            parts.append(chunk)
        return b"".join(parts)


def _utf8_size(text: str, limit: int) -> int:
    """The length of ``text`` in UTF-8, or at least as much when over ``limit``."""
    if text.isascii() or len(text) > limit or 4 * len(text) <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _too_large(source: str, limit: int) -> ValidationError:
    return ValidationError([Problem("", (
        f"larger than the input size limit of {describe_size(limit)}; raise it with "
        "--max-size on the command line, max_size= in Python"
    ))], source)  # fmt: skip


def describe_size(size: int) -> str:
    """``1,073,741,824 bytes (1 GiB)``: a size in bytes, and in binary units
    when it is a whole number of them."""
    text = f"{size:,} byte{'' if size == 1 else 's'}"
    for unit, name in ((1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{text} ({size // unit} {name})"
    return text


def _char_position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, character {index}"


def _not_utf8(stream: InputStream, exc: UnicodeDecodeError) -> ValidationError:
    """Where the first byte that is not UTF-8 is, by line and byte offset."""
    if not stream._binary:
        problem = Problem("$", f"the input is not valid UTF-8: {exc.reason}")
        return ValidationError([problem], stream.name)
    if isinstance(exc, _NotUTF8):
        line, offset = exc.line, exc.offset
    elif isinstance(exc.object, bytes):
        # An importer's own decoding of the bytes (of ``buffer``), which
        # ``decode("utf-8-sig")`` may have taken the byte-order mark off.
        data = exc.object
        line = data.count(b"\n", 0, exc.start) + 1
        offset = exc.start + (
            3 if stream._offset >= 3 and not data.startswith(codecs.BOM_UTF8) else 0
        )
    else:  # pragma: no cover - a decoding of some other text
        return ValidationError([Problem("", "the file is not valid UTF-8")], stream.name)
    where = f"line {line}, byte offset {offset}"
    return ValidationError([Problem(where, "the file is not valid UTF-8")], stream.name)


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
