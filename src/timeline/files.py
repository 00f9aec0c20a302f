"""Reading and writing timelines in any registered format.

``dump`` to a path is atomic: the output goes to a temporary file in the same
folder (with no name at all on Linux), which replaces the target only when
the exporter has finished. On any error (including one raised by a plugin
halfway through, Ctrl-C, or a signal the command line turns into one) the
temporary file is removed and an existing target is left exactly as it was.
:class:`AtomicOutputs` does the same for several outputs at once, all or
nothing, and says what is guaranteed. A symbolic link is followed (the file
it points to is replaced, the link stays), except one planted in a folder
that others can write to; a device or a named pipe (``/dev/null``,
``/dev/stdout``), which cannot be replaced, is written to directly.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import errno
import io
import os
import re
import secrets
import signal
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, TextIO, cast

import attrs

from .errors import FileError, Problem, TimelineError, TimelineWarning, ValidationError
from .formats import Exporter, Importer
from .model import Event
from .timelines import Timeline

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "DEFAULT_MAX_SIZE",
    "PROGRESS_STEP",
    "AtomicOutputs",
    "ExportError",
    "InputStream",
    "Output",
    "OutputError",
    "Progress",
    "ProgressCallback",
    "atomic_write",
    "describe_size",
    "dump",
    "dump_many",
    "dumps",
    "load",
    "loads",
    "resolve_format",
    "writes_in_place",
]

PathLike = str | os.PathLike[str]


def resolve_format(
    direction: Literal["export", "import"],
    format: str | None = None,
    target: PathLike | IO[Any] | None = None,
) -> Any:
    """The exporter (``direction="export"``) or importer (``"import"``) for
    ``target``: the one named ``format`` when it is given; else the one whose
    suffix ends the path, or the ``name`` of a stream (an open file); JSON for
    a stream whose name has no suffix (standard input or output), and when
    there is no target at all.

    This is how :func:`load`, :func:`dump`, :func:`dump_many` and the
    ``timeline`` command choose a format. A name or a suffix that no format
    has raises a :class:`~timeline.FormatError` that lists the known ones::

        >>> from timeline.files import resolve_format
        >>> resolve_format("export", target="sco.md").name
        'markdown'
        >>> resolve_format("import", "ics").name
        'ics'
    """
    from .registry import exporter_for_suffix, get_exporter, get_importer, importer_for_suffix

    if direction not in ("export", "import"):
        raise ValueError(f"direction is 'export' or 'import', not {direction!r}")
    exporting = direction == "export"
    if format is not None:
        return get_exporter(format) if exporting else get_importer(format)
    if target is None:
        suffix = ".json"
    elif isinstance(target, str | os.PathLike):
        suffix = Path(os.fspath(target)).suffix
    else:
        suffix = Path(str(getattr(target, "name", "") or "")).suffix or ".json"
    return exporter_for_suffix(suffix) if exporting else importer_for_suffix(suffix)


@attrs.frozen
class Progress:
    """How far :func:`load`, :func:`dump` or :func:`dump_many` has got: what
    their ``progress=`` callback is called with.

    Writing, the callback is called with ``done=0`` before an output is
    written, then as the exporter takes the events (every
    :data:`PROGRESS_STEP` events, and at the last one); reading, after each
    chunk of the input that is read (``total`` is the file's size, or
    ``None`` for a stream whose size is not known)."""

    action: Literal["reading", "writing"]
    name: str
    """The input or output, as messages name it."""
    done: int
    total: int | None
    unit: Literal["bytes", "events"]


ProgressCallback = Callable[[Progress], object]
"""What ``progress=`` takes: a function called with a :class:`Progress`."""

PROGRESS_STEP: Final = 256
"""How many events an exporter takes between two calls of ``progress``."""


@attrs.frozen
class Output:
    """One output of :func:`dump_many`: a path or a text stream opened for
    writing, the format to write it in (by default, from the path's suffix or
    the stream's name, as :func:`resolve_format` says), the format's options,
    and the name that messages, warnings and :class:`Progress` give it (by
    default the path as given, or the stream's ``name``)."""

    target: PathLike | IO[str]
    format: str | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict)
    name: str | None = None


class ExportError(TimelineError):
    """An exporter failed while :func:`dump_many` wrote one of its outputs, so
    nothing was written. :attr:`name` is that output; the exporter's own
    exception is the ``__cause__``."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        cause = self.__cause__
        return f"{self.name}: {cause}" if cause is not None else self.name


def dumps(timeline: Timeline, format: str = "json", **options: Any) -> str:
    """The timeline as text in ``format``.

    >>> import timeline
    >>> t = timeline.Timeline(events=[timeline.Event(title="Founded", start="2001-06-15")])
    >>> print(timeline.dumps(t, "json", compact=True))  # doctest: +NORMALIZE_WHITESPACE
    {"format": "timeline-events", "version": 1, "events": [
    {"kind": "event", "id": "2001-06-15-founded", "title": "Founded", "start": "2001-06-15"}
    ]}
    """
    exporter: Exporter = resolve_format("export", format)
    resolved = exporter.resolve_options(options)
    buffer = io.StringIO(newline="")
    with _relaying():
        exporter.write(timeline, buffer, resolved)
    return buffer.getvalue()


def dump(
    timeline: Timeline,
    target: PathLike | IO[str],
    format: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> None:
    """Write the timeline to a path, atomically, or to a text stream opened
    for writing.

    The format is taken from the path's suffix when not given (see
    :func:`resolve_format`); a stream without a name with a suffix gets JSON.
    A path is written as :class:`AtomicOutputs` writes it: the file appears
    (or replaces the old one, keeping its owner and mode) only once the
    exporter has finished; on any error, including Ctrl-C, no file is
    created or changed. ``progress`` is called as the events are written
    (see :class:`Progress`).
    """
    if isinstance(target, str | os.PathLike):
        path = os.fspath(target)
        if isinstance(path, str) and not path:
            raise FileError("the name of the file to write is empty")
    else:
        _check_text_stream(target, "dump()")
    _dump([Output(target, format, options)], timeline, progress, None, wrap=False)


def dump_many(
    timeline: Timeline,
    outputs: Iterable[Output | PathLike | IO[str]],
    *,
    progress: ProgressCallback | None = None,
    waiting: Callable[[str], object] | None = None,
) -> None:
    """Write the timeline to every output, all of them or none: the
    guarantee of :class:`AtomicOutputs`, which writes them.

    Each output is an :class:`Output` (a target with its format, options and
    name), or just a path or a text stream, whose format comes from its
    suffix::

        dump_many(timeline, ["sco.ics", Output("sco.json", options={"compact": True})])

    Every format and every option is checked before any output is opened
    (a :class:`~timeline.FormatError` or :class:`~timeline.OptionError`),
    and every target before anything is written (two that name the same
    file are a :class:`~timeline.FileError`). The files are written first,
    then what cannot be replaced (standard output, a device, a named pipe:
    ``waiting`` is called with the name of a named pipe that no one reads
    yet); an exporter that fails raises :class:`ExportError`, which names
    the output, and no file is changed. The warnings of an exporter are
    given once it has written its output, as from the line that called
    ``dump_many``; ``progress`` is called as each output is written (see
    :class:`Progress`), ``done=0`` first, so that it knows which output the
    warnings that follow are about.
    """
    given = [o if isinstance(o, Output) else Output(o) for o in outputs]
    for output in given:
        if not isinstance(output.target, str | os.PathLike):
            _check_text_stream(output.target, "dump_many()")
    _dump(given, timeline, progress, waiting, wrap=True)


def _dump(
    given: Sequence[Output],
    timeline: Timeline,
    progress: ProgressCallback | None,
    waiting: Callable[[str], object] | None,
    *,
    wrap: bool,
) -> None:
    """What :func:`dump` and :func:`dump_many` do; the warnings point at the
    line that called them (two frames up)."""
    plans = []
    for output in given:
        exporter: Exporter = resolve_format("export", output.format, output.target)
        plans.append((output, exporter, exporter.resolve_options(dict(output.options))))
    # The files first: when one fails, the others' work is not done for nothing.
    plans.sort(key=lambda p: _after_files(p[0].target))
    names = [o.name or _name_of(o.target) for o, _, _ in plans]
    outputs = AtomicOutputs([o.target for o, _, _ in plans], names=names, waiting=waiting)
    with _relaying(stacklevel=5):
        streams = outputs.open()
    try:
        for (_, exporter, options), stream, name in zip(plans, streams, names, strict=True):
            try:
                with _relaying(stacklevel=5):  # before the commit: an error leaves no file
                    _export(exporter, timeline, stream, options, name=name, progress=progress)
            except (BrokenPipeError, OutputError):
                # The reader of standard output went away, or writing failed (a
                # full disk), which names the output: not the exporter's fault.
                raise
            except Exception as exc:
                if not wrap:
                    raise
                raise ExportError(name) from exc
    except BaseException:
        outputs.discard()
        raise
    outputs.commit()


def _after_files(target: PathLike | IO[str]) -> bool:
    return not isinstance(target, str | os.PathLike) or writes_in_place(target)


def _export(
    exporter: Exporter,
    timeline: Timeline,
    stream: TextIO,
    options: Mapping[str, Any],
    *,
    name: str,
    progress: ProgressCallback | None,
) -> None:
    if progress is None:
        exporter.write(timeline, stream, options)
        return
    total = len(timeline)
    progress(Progress("writing", name, 0, total, "events"))
    exporter.write(_counted(timeline, name, progress), stream, options)


class _CountedEvents(tuple[Event, ...]):
    """The events of a timeline, telling ``progress`` how many an iteration
    has handed out."""

    name: str = ""
    progress: ProgressCallback | None = None

    def __iter__(self) -> Iterator[Event]:
        total, progress, name = len(self), self.progress, self.name
        for done, event in enumerate(tuple.__iter__(self), 1):
            yield event
            if progress is not None and (done % PROGRESS_STEP == 0 or done == total):
                progress(Progress("writing", name, done, total, "events"))


def _counted(timeline: Timeline, name: str, progress: ProgressCallback) -> Timeline:
    """A copy of ``timeline`` whose events tell ``progress`` how far an
    exporter has got (exporters stream, event by event, over
    ``timeline.events``); the copy shares everything else."""
    events = _CountedEvents(timeline.events)
    events.name, events.progress = name, progress
    counted = copy.copy(timeline)
    object.__setattr__(counted, "events", events)  # a frozen class: set the slot directly
    return counted


@contextlib.contextmanager
def _relaying(stacklevel: int = 4) -> Iterator[None]:
    """The one place that relays warnings: what a format (or the opening of
    the outputs) warns about in the block is recorded, and warned again once
    the block ends (even by an error), as if from the line that called the
    public function: ``stacklevel`` counts the frames up to it (4: the
    function with the ``with`` block was called from there)."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:  # with the caller's filters again
        for message in caught:
            warnings.warn(message.message, message.category, stacklevel=stacklevel)


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
    bytes (in UTF-8; ``None`` for no limit) is refused.

    ``text`` is a ``str``: bytes are refused with a :class:`TypeError` (decode
    them, or give :func:`load` a binary stream)."""
    if not isinstance(text, str):
        raise TypeError(
            f"loads() reads text (str), not {type(text).__name__}; decode it first, "
            "or give load() a binary stream such as io.BytesIO(data)"
        )

    importer: Importer = resolve_format("import", format)
    resolved = importer.resolve_options(options)
    source = "<string>"
    if max_size is not None and _utf8_size(text, max_size) > max_size:
        raise _too_large(source, max_size)
    head = text[:_CHUNK]
    nul = head.find("\0")
    if nul >= 0:
        raise ValidationError([Problem(_char_position(head, nul), _NUL)], source)
    _check_start(importer, head, source)
    with _relaying():
        return importer.read(io.StringIO(text, newline=""), resolved, source)


def load(
    source: PathLike | IO[str] | IO[bytes],
    format: str | None = None,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> Timeline:
    """A timeline from a path or a file object (binary, read as UTF-8, or
    text); the format comes from the suffix when not given. The file is only
    read, never changed.

    Reading stops as soon as the input is known to be bad: at its first bytes
    when they cannot start a text in the format (a binary file, UTF-16), at
    the first byte that is not UTF-8, and after ``max_size`` bytes (``None``
    for no limit; characters, for a text stream), which raise a
    :class:`~timeline.ValidationError`. The format is chosen by
    :func:`resolve_format`; ``progress`` is called after each chunk that is
    read (see :class:`Progress`)."""
    from .plugins import load_plugins

    load_plugins()  # first: a warning about a plugin slow to import comes when it is due
    with _relaying():
        return _load(source, format, options, max_size, progress)


def _load(
    source: PathLike | IO[str] | IO[bytes],
    format: str | None,
    options: dict[str, Any],
    max_size: int | None,
    progress: ProgressCallback | None,
) -> Timeline:
    importer: Importer = resolve_format("import", format, source)
    resolved = importer.resolve_options(options)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            with path.open("rb") as raw:
                stream = InputStream(raw, str(path), max_size, progress=progress)
                return _read(importer, stream, resolved)
        except OSError as exc:
            raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    name = str(getattr(source, "name", "") or "<stream>")
    return _read(importer, InputStream(source, name, max_size, progress=progress), resolved)


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

    def __init__(
        self,
        source: IO[str] | IO[bytes],
        name: str,
        max_size: int | None,
        *,
        progress: ProgressCallback | None = None,
    ) -> None:
        super().__init__()
        self._source: Any = source
        self._progress = progress
        self._total = _size_of(source) if progress is not None else None
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
        if self._progress is not None:
            self._progress(Progress("reading", self._name, self._size, self._total, "bytes"))
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


def _size_of(source: object) -> int | None:
    """The size of the file that ``source`` reads, or None when it is not one."""
    try:
        status = os.fstat(source.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


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


def writes_in_place(path: PathLike) -> bool:
    """Whether :func:`atomic_write` writes to ``path`` directly, because it cannot
    be replaced: a device (``/dev/null``), a named pipe, or this process's
    standard output or error named by a path (``/dev/stdout``), whatever it is."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    if stat.S_ISDIR(mode):
        return False
    return not stat.S_ISREG(mode) or _standard_stream(Path(path)) is not None


@contextlib.contextmanager
def atomic_write(path: PathLike) -> Iterator[TextIO]:
    """Open a text file for writing that appears at ``path`` only if the
    ``with`` block finishes; UTF-8, line endings passed through unchanged.

    This is :class:`AtomicOutputs` with one target: see there what is
    guaranteed (a replaced file keeps its owner, group and mode; a link is
    followed, except one planted in a folder others can write to; a device
    or a named pipe is written to directly).
    """
    with AtomicOutputs([path]) as (stream,):
        yield stream


class AtomicOutputs:
    """Several outputs written together: all of them, or none.

    ``targets`` are paths, or text streams opened for writing; ``names`` are
    what messages call them (by default the path as given, or the stream's
    ``name``). :meth:`open` checks every target and gives a text stream for
    each, in order (UTF-8, line endings passed through unchanged);
    :meth:`commit` makes what was written appear, :meth:`discard` drops it.
    As a context manager, the ``with`` block gets the list of streams and
    commits when it finishes, or discards on any exception (a bug in an
    exporter, Ctrl-C, a signal that the command line turns into one)::

        with AtomicOutputs(["sco.json", "sco.md"]) as (json_out, md_out):
            ...

    What is guaranteed:

    * A path that names a file (or nothing yet) is written to a temporary
      file in the same folder, which replaces the target at commit. On
      Linux the temporary file has no name while it is written (it is
      opened with ``O_TMPFILE``), so that nothing is left behind even when
      the process is killed (``SIGKILL``); elsewhere it is a hidden
      ``.NAME.XXXXXXXX.part`` beside the target, removed on any error.
    * At commit, every file is flushed to disk first (an error, such as a
      full disk, names the target and changes nothing); then every target
      is checked (not a folder, a mount point, an immutable or append-only
      file) before the first one is replaced; then they are renamed into
      place, one by one, with a link kept to each old file, so that when a
      rename still fails the files already replaced are put back.
      Ctrl-C and the signals ``SIGTERM`` and ``SIGHUP`` wait while the files
      are renamed, which takes an instant; ``SIGKILL`` in that instant may
      leave the hidden names (``.part``, and ``.old`` for the old files).
    * A replaced file keeps its mode, and its owner and group when the
      caller may give them (as root, always). A file with other names (hard
      links) is replaced under the name given only: the others keep the old
      content, which a :class:`~timeline.TimelineWarning` says.
    * A symbolic link stays a link: the file it points to is replaced. A
      link in a folder that others can write to (sticky, or writable by
      all, as ``/tmp``) is only followed when it belongs to the caller or
      to the folder's owner, the rule of Linux's ``fs.protected_symlinks``:
      otherwise anyone could turn a write into ``/tmp`` into an overwrite
      of any file the caller may write.
    * What cannot be replaced (see :func:`writes_in_place`: a device, a
      named pipe, standard output named by a path) and a stream are written
      to as they are, after the files are committed: what is written to
      them waits in a temporary file until then, so that a failed export
      sends nothing down a pipe. With no file among the targets there is
      nothing to wait for, and they are written as the ``with`` block
      writes. A named pipe that no one reads yet is waited for, as
      ``open`` would; ``waiting`` is called with its name first.
    """

    def __init__(
        self,
        targets: Iterable[PathLike | IO[str]],
        *,
        names: Iterable[str] | None = None,
        waiting: Callable[[str], object] | None = None,
    ) -> None:
        self._targets = list(targets)
        self._names = (
            [_name_of(target) for target in self._targets] if names is None else list(names)
        )
        if len(self._names) != len(self._targets):
            raise ValueError("give as many names as targets")
        self._waiting = waiting
        self._outputs: list[_Output] = []
        self._state = "new"

    def open(self) -> list[TextIO]:
        """Check every target and open a stream for each, in order."""
        return self._open()

    def _open(self) -> list[TextIO]:
        if self._state != "new":
            raise RuntimeError("these outputs have already been opened")
        self._state = "open"
        plans = [
            (_plan(target, name), target, name)
            for target, name in zip(self._targets, self._names, strict=True)
        ]
        _refuse_same_file(self._targets, self._names)
        files = any(plan is _Replacement for plan, _, _ in plans)
        try:
            for plan, target, name in plans:
                if plan is _Replacement:
                    self._outputs.append(_Replacement(os.fspath(cast(PathLike, target)), name))
                elif plan is _InPlace:
                    path = os.fspath(cast(PathLike, target))
                    self._outputs.append(_InPlace(path, name, files, self._waiting))
                else:
                    self._outputs.append(_Stream(cast(IO[str], target), name, files))
        except BaseException:
            self.discard()
            raise
        for output in self._outputs:
            if output.warning is not None:  # from the line that opened the outputs
                warnings.warn(output.warning, TimelineWarning, stacklevel=3)
        return [output.stream for output in self._outputs]

    def commit(self) -> None:
        """Make every output appear, or none (see the class); then write what
        waited for the files to the devices, pipes and streams."""
        if self._state != "open":
            raise RuntimeError("only outputs that are open can be committed")
        replacements = [o for o in self._outputs if isinstance(o, _Replacement)]
        others = [o for o in self._outputs if not isinstance(o, _Replacement)]
        try:
            for output in self._outputs:
                output.finish()
            for replacement in replacements:
                replacement.check()
            with _signals_held():
                _replace_all(replacements)
                self._state = "committed"
                for replacement in replacements:  # drop the links to the old files
                    replacement.close()
        except BaseException:
            if self._state != "committed":
                self.discard()
            else:  # a signal held during the renames, raised once they were done
                for output in self._outputs:
                    output.close()
            raise
        try:
            for output in others:
                output.deliver()
        finally:
            for output in others:
                output.close()

    def discard(self) -> None:
        """Drop what was written: no file is created or changed (what was
        written straight to a device, a pipe or a stream stays written)."""
        if self._state in ("committed", "discarded"):
            return
        self._state = "discarded"
        for output in self._outputs:
            output.discard()

    def __enter__(self) -> list[TextIO]:
        return self._open()

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _refuse_same_file(targets: Sequence[PathLike | IO[str]], names: Sequence[str]) -> None:
    """Two targets that name one file (``a.ics`` and ``./a.ics``, a hard link,
    a symbolic link to it) would each replace it: a :class:`FileError`."""
    seen: dict[object, str] = {}
    for target, name in zip(targets, names, strict=True):
        if not isinstance(target, str | os.PathLike):
            keys: list[object] = [id(target)]
        else:
            path = os.fspath(target)
            keys = [os.path.realpath(path)]
            with contextlib.suppress(OSError, ValueError):
                status = os.stat(path)
                if not stat.S_ISCHR(status.st_mode):  # /dev/null may well be given twice
                    keys.append((status.st_dev, status.st_ino))
        for key in keys:
            if key in seen:
                raise FileError(f"{name} and {seen[key]} are the same file: give it once")
        seen.update(dict.fromkeys(keys, name))


def _name_of(target: PathLike | IO[str]) -> str:
    if isinstance(target, str | os.PathLike):
        return os.fspath(target)
    return str(getattr(target, "name", "") or "<stream>")


def _plan(target: PathLike | IO[str], name: str) -> type[_Output]:
    """Which kind of output ``target`` is; a bad target raises here, before
    anything is opened."""
    if not isinstance(target, str | os.PathLike):
        _check_text_stream(target, "AtomicOutputs()")
        return _Stream
    path = os.fspath(target)
    if not isinstance(path, str):
        raise TypeError(f"a path to write to is text (str), not {type(path).__name__}")
    if not path:
        raise FileError("the name of the file to write is empty")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return _Replacement
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG, errno.EACCES):
            raise FileError(f"{name}: {exc.strerror}") from None
        return _Replacement
    if stat.S_ISDIR(mode):
        raise FileError(f"{name}: is a folder")
    if writes_in_place(path):
        return _InPlace
    return _Replacement


def _check_text_stream(target: object, who: str) -> None:
    """Refuse what is not a text stream opened for writing, saying what it is."""
    expected = f"{who} writes to a path or to a text stream opened for writing"
    if isinstance(target, io.RawIOBase | io.BufferedIOBase) or "b" in str(
        getattr(target, "mode", "")
    ):
        raise TypeError(
            f"{expected}, not a binary stream ({type(target).__name__}); "
            "wrap it: io.TextIOWrapper(stream, encoding='utf-8')"
        )
    if not callable(getattr(target, "write", None)):
        raise TypeError(f"{expected}, not {type(target).__name__}")
    writable = getattr(target, "writable", None)
    if callable(writable) and not writable():
        raise TypeError(f"{expected}, not a stream opened for reading only")


class OutputError(FileError):
    """Writing to an output failed; the message names the output, so the
    command reports it as it is (not as the error of the exporter that was
    writing)."""


class _Sink(io.FileIO):
    """A descriptor opened for writing, whose errors name the output."""

    def __init__(self, fd: int, label: str, *, closefd: bool = True, pipe: bool = False) -> None:
        super().__init__(fd, "w", closefd=closefd)
        self.label = label
        self.pipe = pipe
        """A reader that goes away raises :class:`BrokenPipeError`, for the caller."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            if self.pipe:
                raise
            raise OutputError(f"{self.label}: the reader closed the pipe") from None
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None


def _text(raw: _Sink) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", newline="")


def _spool() -> io.TextIOWrapper:
    """A temporary file (with no name, where the system allows) for what
    must wait for the files to be committed."""
    return io.TextIOWrapper(tempfile.TemporaryFile("w+b"), encoding="utf-8", newline="")


def _flush_spool(spool: IO[str], label: str) -> None:
    try:
        spool.flush()
    except OSError as exc:
        raise OutputError(
            f"{label}: {exc.strerror or exc} (in the temporary file that holds what is "
            "written to it until the files are replaced)"
        ) from None


def _close(stream: IO[Any]) -> None:
    with contextlib.suppress(Exception):
        stream.close()


class _Output:
    """One target of :class:`AtomicOutputs`."""

    label: str
    stream: TextIO
    warning: str | None = None
    """What to warn about once every output is open."""

    def finish(self) -> None:
        """Flush what was written; an error names the output."""

    def deliver(self) -> None:
        """After the files are committed: write what waited for them."""

    def close(self) -> None:
        _close(self.stream)

    def discard(self) -> None:
        self.close()


_O_TMPFILE: int = getattr(os, "O_TMPFILE", 0)
"""``O_TMPFILE`` where the system has it (Linux), else 0: a temporary file
with no name, given one only at commit."""
_TMPFILE_UNSUPPORTED: Final = frozenset(
    {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
)
"""What ``O_TMPFILE`` raises on a file system (or a kernel) without it."""
_DIR_FD: Final = all(f in os.supports_dir_fd for f in (os.open, os.link, os.rename, os.unlink))
"""Whether the files are named from their folder's descriptor (``os.replace``
takes ``dir_fd`` where ``os.rename`` does, though not listed)."""
_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_RANDOM: Final = 8
"""The random letters of a temporary name."""


def _short_name(base: str, suffix: str, name_max: int) -> str:
    """``.BASE.XXXXXXXX.SUFFIX``, with as much of ``base`` as keeps the name
    within ``name_max`` bytes (a name of 255 bytes can be written)."""
    room = name_max - len(f"..{suffix}") - _RANDOM
    while len(os.fsencode(base)) > room:
        base = base[:-1]
    random = "".join(secrets.choice(_LETTERS) for _ in range(_RANDOM))
    return f".{base}.{random}{suffix}"


_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz0123456789"


class _Replacement(_Output):
    """A file that a temporary file replaces at commit."""

    def __init__(self, path: str, label: str) -> None:
        self.label = label
        real = _follow(path, label)
        folder, self.base = os.path.split(real)
        self.folder = folder or "."
        if not os.path.isdir(self.folder):
            if os.path.islink(path):
                raise FileError(f"{label}: links to {real!r}, whose folder does not exist")
            parent = os.path.dirname(path) or "."
            raise FileError(f"{label}: the folder {parent!r} does not exist")
        self.dir_fd: int | None = None
        self.temp: str | None = None
        """The temporary file's name, once it has one."""
        self.old: str | None = None
        """The name kept for the old file while the files are renamed."""
        self.replaced = False
        try:
            if _DIR_FD:
                self.dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
            self.existing = self._lstat(self.base)
            fd = self._create()
        except OSError as exc:
            self._close_folder()
            raise FileError(
                f"{label}: cannot write in {self.folder!r}: {exc.strerror or exc}"
            ) from None
        self.stream = _text(_Sink(fd, label))
        if self.existing is not None and self.existing.st_nlink > 1:
            others = self.existing.st_nlink - 1
            self.warning = (
                f"{label}: the file has {others} other name{'s' if others > 1 else ''} "
                f"(hard link{'s' if others > 1 else ''}), which keep{'' if others > 1 else 's'} "
                f"the old content: only {label} gets the new one"
            )

    # -- the folder, by its descriptor where the system allows --

    def _at(self, name: str) -> str:
        return name if self.dir_fd is not None else os.path.join(self.folder, name)

    def _lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self._at(name), dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def _name_max(self) -> int:
        try:
            if self.dir_fd is not None:
                return os.fpathconf(self.dir_fd, "PC_NAME_MAX")
            return os.pathconf(self.folder, "PC_NAME_MAX")
        except (OSError, ValueError, AttributeError):
            return 255

    def _fresh(self, suffix: str, make: Callable[[str], None]) -> str:
        """A new hidden name beside the target, made by ``make(name)``."""
        name_max = self._name_max()
        for _ in range(100):
            name = _short_name(self.base, suffix, name_max)
            try:
                make(name)
            except FileExistsError:
                continue
            return name
        raise FileExistsError(errno.EEXIST, "no free temporary name")

    def _create(self) -> int:
        if _O_TMPFILE and self.dir_fd is not None and os.path.isdir("/proc/self/fd"):
            try:
                return os.open(".", _O_TMPFILE | os.O_WRONLY | _CLOEXEC, 0o600, dir_fd=self.dir_fd)
            except OSError as exc:
                if exc.errno not in _TMPFILE_UNSUPPORTED:
                    raise
        fds: list[int] = []
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
        self.temp = self._fresh(
            ".part",
            lambda name: fds.append(os.open(self._at(name), flags, 0o600, dir_fd=self.dir_fd)),
        )
        return fds[0]

    # -- commit --

    def finish(self) -> None:
        try:
            self.stream.flush()
            fd = self.stream.fileno()
            os.fsync(fd)
            self._keep_owner_and_mode(fd)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None

    def _keep_owner_and_mode(self, fd: int) -> None:
        if self.existing is None:
            umask = os.umask(0)
            os.umask(umask)
            _chmod(fd, self._at_temp(), 0o666 & ~umask)
            return
        uid, gid = self.existing.st_uid, self.existing.st_gid
        if hasattr(os, "fchown"):
            own = os.fstat(fd)
            if (uid, gid) != (own.st_uid, own.st_gid):
                # Only root gives a file away; others may give it a group of their
                # own. An owner that this system cannot name (EINVAL, in a user
                # namespace) is left too: the file is then the caller's.
                try:
                    os.fchown(fd, uid, gid)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.fchown(fd, -1, gid)
        _chmod(fd, self._at_temp(), stat.S_IMODE(self.existing.st_mode))

    def _at_temp(self) -> str | None:
        return None if self.temp is None else os.path.join(self.folder, self.temp)

    def check(self) -> None:
        """Refuse, before any file is replaced, a target that cannot be."""
        try:
            now = self._lstat(self.base)
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None
        # What is there now, not when the export began: a file that appeared
        # meanwhile is kept (and put back) rather than taken for none.
        self.existing = now
        if now is None:
            return
        reason = None
        if stat.S_ISDIR(now.st_mode):
            reason = "it is a folder now"
        elif now.st_dev != os.stat(self.folder).st_dev:
            reason = "it is a mount point"
        else:
            flags = _attributes(self._at(self.base), self.dir_fd)
            if flags & _IMMUTABLE:
                reason = "it is immutable (chattr +i)"
            elif flags & _APPEND_ONLY:
                reason = "it is append-only (chattr +a)"
            elif _attributes(self.folder, None) & (_IMMUTABLE | _APPEND_ONLY):
                reason = f"its folder {self.folder!r} is immutable or append-only"
            elif _sticky_and_not_ours(os.stat(self.folder), now):
                reason = "it belongs to someone else, in a folder with the sticky bit"
        if reason is not None:
            raise OutputError(f"{self.label}: cannot be replaced: {reason}; no file was changed")

    def publish(self) -> None:
        """Give the temporary file a name, if it has none (``O_TMPFILE``)."""
        if self.temp is not None:
            return
        fd = self.stream.fileno()
        self.temp = self._fresh(
            ".part",
            lambda name: os.link(
                f"/proc/self/fd/{fd}", name, dst_dir_fd=self.dir_fd, follow_symlinks=True
            ),
        )

    def keep_old(self) -> None:
        """Link the old file to a hidden name, to put it back if need be."""
        if self.existing is None:
            return
        try:
            self.old = self._fresh(".old", lambda name: os.link(
                self._at(self.base), self._at(name), src_dir_fd=self.dir_fd,
                dst_dir_fd=self.dir_fd, follow_symlinks=False,
            ))  # fmt: skip
        except (OSError, NotImplementedError):  # no hard links here: this one is replaced last
            self.old = None

    def replace(self) -> None:
        assert self.temp is not None
        os.replace(self._at(self.temp), self._at(self.base),
                   src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)  # fmt: skip
        self.temp = None
        self.replaced = True

    def put_back(self) -> None:
        """Undo :meth:`replace`: the old file back, or the new one gone."""
        if self.old is not None:
            os.replace(self._at(self.old), self._at(self.base),
                       src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)  # fmt: skip
            self.old = None
        elif self.existing is None:
            os.unlink(self._at(self.base), dir_fd=self.dir_fd)
        else:
            raise OSError(errno.EXDEV, "the file system keeps no link to the old file")
        self.replaced = False

    def close(self) -> None:
        """After the commit: the temporary descriptors closed, the old file's
        link removed, the folder's new names on disk."""
        _close(self.stream)
        self._remove("old")
        if self.dir_fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self.dir_fd)
        self._close_folder()

    def discard(self) -> None:
        _close(self.stream)
        self._remove("temp")
        if not self.replaced:
            self._remove("old")
        self._close_folder()

    def _remove(self, which: str) -> None:
        name = getattr(self, which)
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._at(name), dir_fd=self.dir_fd)
            setattr(self, which, None)

    def _close_folder(self) -> None:
        if self.dir_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.dir_fd)
            self.dir_fd = None


def _chmod(fd: int, path: str | None, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    elif path is not None:  # pragma: no cover - Windows
        os.chmod(path, mode)


def _replace_all(replacements: Sequence[_Replacement]) -> None:
    """Rename every temporary file over its target; when one fails, put the
    ones already replaced back and raise, naming the target."""
    try:
        for replacement in replacements:
            replacement.publish()
            replacement.keep_old()
    except OSError as exc:
        raise OutputError(
            f"{replacement.label}: cannot write in {replacement.folder!r}: "
            f"{exc.strerror or exc}; no file was changed"
        ) from None
    # An old file that no link keeps cannot be put back: replace it last.
    order = sorted(replacements, key=lambda r: r.existing is not None and r.old is None)
    done: list[_Replacement] = []
    for replacement in order:
        try:
            replacement.replace()
        except BaseException as exc:
            # A signal can still come through (held in this thread only, it
            # may reach another): whatever stops the renames undoes them.
            lost = []
            for other in reversed(done):
                try:
                    other.put_back()
                except OSError:
                    kept = f" (the old one is {other.old!r})" if other.old else ""
                    lost.append(f"{other.label}{kept}")
            if not isinstance(exc, OSError):
                raise
            message = f"{replacement.label}: cannot replace it: {exc.strerror or exc}; "
            if lost:
                have = "have" if len(lost) > 1 else "has"
                message += f"{_and(lost)} could not be put back and {have} the new content"
            else:
                message += "no file was changed"
            raise OutputError(message) from None
        done.append(replacement)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


_IMMUTABLE: Final = 0x10  # FS_IMMUTABLE_FL
_APPEND_ONLY: Final = 0x20  # FS_APPEND_FL


def _attributes(path: str, dir_fd: int | None) -> int:
    """The inode flags of ``path`` that keep it from being replaced (``lsattr``
    on Linux, ``chflags`` on BSD and macOS); 0 where there are none."""
    if not sys.platform.startswith("linux"):  # pragma: no cover - BSD and macOS
        return _bsd_flags(os.stat(path, dir_fd=dir_fd, follow_symlinks=False))
    import fcntl
    import struct

    get_flags = (2 << 30) | (struct.calcsize("l") << 16) | (ord("f") << 8) | 1  # FS_IOC_GETFLAGS
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC | os.O_NOFOLLOW, dir_fd=dir_fd)
    except OSError:
        return 0
    try:
        buffer = bytearray(8)
        fcntl.ioctl(fd, get_flags, buffer, True)
    except OSError:  # a file system without them
        return 0
    finally:
        os.close(fd)
    return int.from_bytes(buffer[:4], sys.byteorder)


def _bsd_flags(status: os.stat_result) -> int:  # pragma: no cover - BSD and macOS
    flags = getattr(status, "st_flags", 0)
    result = 0
    if flags & (stat.UF_IMMUTABLE | stat.SF_IMMUTABLE):
        result |= _IMMUTABLE
    if flags & (stat.UF_APPEND | stat.SF_APPEND):
        result |= _APPEND_ONLY
    return result


def _sticky_and_not_ours(folder: os.stat_result, file: os.stat_result) -> bool:
    """Whether the sticky bit of ``folder`` keeps the caller from replacing
    ``file``: neither the file nor the folder is theirs, and they are not root."""
    if not hasattr(os, "geteuid") or not folder.st_mode & stat.S_ISVTX:
        return False
    caller = os.geteuid()
    return caller != 0 and caller not in (folder.st_uid, file.st_uid)


_MAX_LINKS: Final = 40
"""The most symbolic links a path may go through, as in Linux."""


def _follow(path: str, label: str) -> str:
    """The path of the file that ``path`` names, its links followed. A link in
    a folder that others can write to (sticky or writable by all) is refused
    unless it belongs to the caller or to the folder's owner: the rule of
    Linux's ``fs.protected_symlinks``, here wherever the kernel would not
    enforce it (Linux only protects sticky folders writable by all)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows
        return os.path.realpath(path)
    caller = os.geteuid()
    done = "/" if path.startswith("/") else os.getcwd()
    pending = [part for part in reversed(path.split("/")) if part not in ("", ".")]
    links = 0
    while pending:
        part = pending.pop()
        if part == "..":
            done = os.path.dirname(done)
            continue
        here = os.path.join(done, part)
        try:
            status = os.lstat(here)
        except OSError:  # nothing there (yet): the rest is as it is
            return os.path.join(here, *reversed(pending))
        if not stat.S_ISLNK(status.st_mode):
            done = here
            continue
        links += 1
        if links > _MAX_LINKS:
            raise FileError(f"{label}: too many levels of symbolic links")
        folder = os.stat(done)
        shared = folder.st_mode & (stat.S_ISVTX | stat.S_IWOTH)
        if shared and status.st_uid not in (caller, folder.st_uid):
            raise FileError(
                f"{label}: refusing to follow the symbolic link {here!r}: it is in a folder "
                "that others can write to, and belongs to neither you nor the folder's owner"
            )
        to = os.readlink(here)
        if to.startswith("/"):
            done = "/"
        pending.extend(part for part in reversed(to.split("/")) if part not in ("", "."))
    return done


class _InPlace(_Output):
    """A device, a named pipe or standard output named by a path: written to
    as it is, after the files when there are any."""

    def __init__(
        self, path: str, label: str, after_files: bool, waiting: Callable[[str], object] | None
    ) -> None:
        self.label = label
        _follow(path, label)  # the same rule for links to devices
        inherited = _standard_stream(Path(path))
        try:
            if inherited is not None:
                fd = os.dup(inherited)
            else:
                fd = _open_in_place(path, label, waiting)
        except OSError as exc:
            raise FileError(f"{label}: {exc.strerror or exc}") from None
        # A reader of the command's output that goes away is the caller's to handle.
        self.sink = _Sink(fd, label, pipe=inherited not in (None, 2))
        self.spool = _spool() if after_files else None
        self.stream = self.spool if self.spool is not None else _text(self.sink)

    def finish(self) -> None:
        if self.spool is None:
            self.stream.flush()  # an error names the target
        else:
            _flush_spool(self.spool, self.label)

    def deliver(self) -> None:
        if self.spool is None:
            return
        self.spool.seek(0)
        source = self.spool.buffer
        out = io.BufferedWriter(self.sink)
        try:
            while chunk := source.read(_CHUNK):
                out.write(chunk)
            out.flush()
        finally:
            out.detach()

    def close(self) -> None:
        _close(self.stream)
        _close(self.sink)

    def discard(self) -> None:
        self.close()


def _open_in_place(path: str, label: str, waiting: Callable[[str], object] | None) -> int:
    """A descriptor of ``path`` opened for writing. A named pipe that no one
    reads is waited for, after ``waiting(label)``."""
    flags = os.O_WRONLY | _CLOEXEC
    nonblock = getattr(os, "O_NONBLOCK", 0)
    if not (nonblock and stat.S_ISFIFO(os.stat(path).st_mode)):
        return os.open(path, flags | getattr(os, "O_TRUNC", 0))
    try:
        fd = os.open(path, flags | nonblock)
    except OSError as exc:
        if exc.errno != errno.ENXIO:  # no reader
            raise
        if waiting is not None:
            waiting(label)
        return os.open(path, flags)
    os.set_blocking(fd, True)
    return fd


class _Stream(_Output):
    """A text stream of the caller's: written to as it is, after the files
    when there are any; never closed."""

    def __init__(self, target: IO[str], label: str, after_files: bool) -> None:
        self.label = label
        self.target = target
        self.spool = _spool() if after_files else None
        self.stream = self.spool if self.spool is not None else cast(TextIO, target)

    def finish(self) -> None:
        if self.spool is not None:
            _flush_spool(self.spool, self.label)

    def deliver(self) -> None:
        if self.spool is not None:
            self.spool.seek(0)
            while chunk := self.spool.read(_CHUNK):
                self._do(self.target.write, chunk)
        self._do(getattr(self.target, "flush", lambda: None))

    def _do(self, action: Callable[..., object], *args: Any) -> None:
        try:
            action(*args)
        except BrokenPipeError:
            raise  # the caller's to handle, as when the exporter writes to it
        except OSError as exc:
            raise OutputError(f"{self.label}: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self.spool is not None:
            _close(self.spool)

    def discard(self) -> None:
        self.close()


_HELD_SIGNALS: Final = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, ``SIGTERM`` and ``SIGHUP`` wait until the block is done: the
    renames of a commit are done, or undone, whole."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the mask as it is
    try:
        # Blocked inside the try: a handler that runs at once cannot leave
        # the signals blocked for good.
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _standard_stream(target: Path) -> int | None:
    """The descriptor to write to when ``target`` is this process's standard
    output or error (``/dev/stdout``, ``/proc/self/fd/2``, or the file that
    standard output goes to), else None. Standard output is the command's
    (:func:`timeline.streams.standard_output`), which is not descriptor 1
    while the command runs as a process."""
    from .streams import standard_output

    output = standard_output()
    named = _named_descriptor(os.fspath(target))
    if named is not None:
        if named == 1 and output is None:  # >&-: descriptor 1 is someone else's now
            from .streams import StreamClosedError

            raise StreamClosedError("standard output")
        if named in (1, 2):
            return output if named == 1 else 2
        return None
    try:
        status = os.stat(target)
    except (OSError, ValueError):
        return None
    for fd in (output, 2):
        if fd is None:
            continue
        try:
            other = os.fstat(fd)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            return fd
    return None


_FD_FOLDER: Final = re.compile(r"/proc/(?:self|thread-self|\d+(?:/task/\d+)?)/fd/(\d+)")


def _named_descriptor(path: str) -> int | None:
    """The number of this process's descriptor that ``path`` names through
    ``/proc/self/fd`` (``/dev/stdout``, ``/dev/fd/1``), else None."""
    for _ in range(_MAX_LINKS):
        match = _FD_FOLDER.fullmatch(os.path.normpath(path))
        if match is not None:
            pid = match.group(0).split("/")[2]
            if pid in ("self", "thread-self") or int(pid) == os.getpid():
                return int(match.group(1))
            return None
        folder, name = os.path.split(path)
        try:
            real_folder = os.path.realpath(folder or ".")
            if _FD_FOLDER.fullmatch(os.path.join(real_folder, name)):  # /dev/fd/1
                path = os.path.join(real_folder, name)
                continue
            to = os.readlink(os.path.join(real_folder, name))
        except (OSError, ValueError):
            return None
        path = os.path.join(real_folder, to)
    return None
