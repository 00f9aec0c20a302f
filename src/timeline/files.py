"""Reading and writing timelines in any registered format: :func:`load`,
:func:`loads`, :func:`dump`, :func:`dumps` and :func:`dump_many`. Reading is
bounded (``max_size``); writing a path is all or nothing, through
:mod:`timeline.atomic` (``docs/cli.md``, "What is guaranteed when writing").
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import gc
import io
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final, Literal, TextIO, cast

import attrs

from .atomic import (
    AtomicOutputs,
    OutputError,
    PathLike,
    check_text_stream,
    target_name,
    writes_in_place,
)
from .errors import FileError, FormatError, Problem, TimelineError, ValidationError
from .formats import Exporter, Importer
from .model import Event
from .timelines import Timeline

__all__ = [
    "DEFAULT_MAX_SIZE",
    "PROGRESS_STEP",
    "AtomicOutputs",  # its home is timeline.atomic; kept here, where it was documented first
    "ExportError",
    "InputStream",
    "Output",
    "Progress",
    "ProgressCallback",
    "collector_paused",
    "describe_size",
    "dump",
    "dump_many",
    "dumps",
    "load",
    "loads",
    "open_input",
    "relaying_warnings",
    "resolve_format",
]


def resolve_format(
    direction: Literal["export", "import"],
    format: str | None = None,
    target: PathLike | IO[Any] | None = None,
) -> Any:
    """The exporter (``direction="export"``) or importer (``"import"``) for
    ``target``: the one named ``format`` when it is given; else the one whose
    suffix ends the path, or the ``name`` of a stream (an open file); JSON for
    a stream whose name has no suffix (standard input or output), and when
    there is no target at all. The longest suffix that a format claims wins:
    ``sco.timelinejs.json`` goes to a format that claims ``.timelinejs.json``
    when one is installed, and to JSON otherwise.

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
        suffixes = [".json"]
    elif isinstance(target, str | os.PathLike):
        suffixes = _suffixes(Path(os.fspath(target)))
    else:
        suffixes = _suffixes(Path(str(getattr(target, "name", "") or ""))) or [".json"]
    lookup = exporter_for_suffix if exporting else importer_for_suffix
    for suffix in suffixes[:-1]:  # the longer ones, which another format may claim
        try:
            return lookup(suffix)
        except FormatError:
            continue
    return lookup(suffixes[-1] if suffixes else "")


def _suffixes(path: Path) -> list[str]:
    """The suffixes that end ``path``'s name, the longest first:
    ``[".timelinejs.json", ".json"]`` for ``sco.timelinejs.json``."""
    parts = path.suffixes
    return ["".join(parts[i:]) for i in range(len(parts))]


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
    >>> print(timeline.dumps(t, "json", compact=True), end="")  # doctest: +NORMALIZE_WHITESPACE
    {"format": "timeline-events", "version": 2, "language": "en", "events": [
    {"kind": "event", "id": "2001-06-15-founded", "title": "Founded", "start": "2001-06-15"}
    ]}
    """
    exporter: Exporter = resolve_format("export", format)
    resolved = exporter.resolve_options(options)
    buffer = io.StringIO(newline="")
    with relaying_warnings():
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
    A path is written as :class:`~timeline.atomic.AtomicOutputs` writes it:
    the file appears (or replaces the old one, keeping its owner and mode)
    only once the exporter has finished; on any error, including Ctrl-C, no
    file is created or changed. ``progress`` is called as the events are
    written (see :class:`Progress`).
    """
    if isinstance(target, str | os.PathLike):
        path = os.fspath(target)
        if isinstance(path, str) and not path:
            raise FileError("the name of the file to write is empty")
    else:
        check_text_stream(target, "dump()")
    _dump([Output(target, format, options)], timeline, progress, None, wrap=False)


def dump_many(
    timeline: Timeline,
    outputs: Iterable[Output | PathLike | IO[str]],
    *,
    progress: ProgressCallback | None = None,
    waiting: Callable[[str], object] | None = None,
) -> None:
    """Write the timeline to every output, all of them or none: the
    guarantee of :class:`~timeline.atomic.AtomicOutputs`, which writes them.

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
            check_text_stream(output.target, "dump_many()")
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
    names = [o.name or target_name(o.target) for o, _, _ in plans]
    outputs = AtomicOutputs([o.target for o, _, _ in plans], names=names, waiting=waiting)
    with relaying_warnings(stacklevel=5):
        streams = outputs.open()
    try:
        for (_, exporter, options), stream, name in zip(plans, streams, names, strict=True):
            try:
                with relaying_warnings(stacklevel=5):  # before the commit: an error leaves no file
                    export_timeline(exporter, timeline, stream, options, name=name,
                                    progress=progress)  # fmt: skip
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


def export_timeline(
    exporter: Exporter,
    timeline: Timeline,
    stream: TextIO,
    options: Mapping[str, Any],
    *,
    name: str,
    progress: ProgressCallback | None,
) -> None:
    """Write ``timeline`` to ``stream`` with ``exporter`` and its resolved
    ``options``, telling ``progress`` (if given) how far it has got as
    :class:`Progress` steps of output ``name``: what :func:`dump_many` and
    :func:`timeline.convert` do for each output."""
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
def relaying_warnings(stacklevel: int = 4) -> Iterator[None]:
    """The one place that relays warnings (for :mod:`timeline.streaming`
    too): what a format (or the opening of the outputs) warns about in the
    block is recorded, and warned again once
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
    with relaying_warnings():
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
    with relaying_warnings():
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


@contextlib.contextmanager
def open_input(
    source: PathLike | IO[str] | IO[bytes],
    importer: Importer,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    progress: ProgressCallback | None = None,
) -> Iterator[InputStream]:
    """The input of ``source`` as :func:`load` reads it, for the ``with``
    block: bounded by ``max_size``, its start checked for ``importer`` (a
    :class:`~timeline.ValidationError` when it cannot be in the format), and
    a byte that is not UTF-8, met anywhere in the block, raised as the
    :class:`~timeline.ValidationError` that names its place."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None
        with raw:
            stream = InputStream(raw, str(path), max_size, progress=progress)
            with _utf8_checked(stream):
                _check_start(importer, stream.head(), stream.name)
                yield stream
        return
    name = str(getattr(source, "name", "") or "<stream>")
    stream = InputStream(source, name, max_size, progress=progress)
    with _utf8_checked(stream):
        _check_start(importer, stream.head(), stream.name)
        yield stream


@contextlib.contextmanager
def _utf8_checked(stream: InputStream) -> Iterator[None]:
    try:
        yield
    except UnicodeDecodeError as exc:
        raise _not_utf8(stream, exc) from None


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file loads.

    Loading makes millions of small objects, none of them in a cycle; the
    collector would walk all of them again and again as they pile up, which
    costs more than the parsing (about 60% of the time of ``json.load`` of
    a 50 MB file). Reference counting still frees everything as usual, and
    the collector is on again when the load ends, however it ends. A
    collector that was already off stays off. The collector is the
    process's: another thread's load may turn it on again before this one
    ends, which costs time, never correctness.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
