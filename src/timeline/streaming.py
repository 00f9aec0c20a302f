"""Events one at a time, from file to file, without holding a timeline:
:func:`read_events` and :func:`convert`, with the checks a
:class:`~timeline.Timeline` makes at once done on the way (the order, each
id once: :class:`SeenIds`), and :class:`Selection`, the command's filters
for one event. See ``docs/streaming.md``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import heapq
import json
import os
import struct
import tempfile
import warnings
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Final

import attrs

from .atomic import AtomicOutputs, OutputError, PathLike, target_name, writes_in_place
from .countries import lookup_country
from .dates import Date, DateLike, smaller_date_cache
from .document import event_from_dict, event_to_dict
from .errors import ImporterWarning, Problem, QueryError, ValidationError
from .files import (
    DEFAULT_MAX_SIZE,
    ExportError,
    Output,
    ProgressCallback,
    export_timeline,
    open_input,
    relaying_warnings,
    resolve_format,
)
from .formats import EventSource, EventWriter, Exporter, Importer, ReadWhole
from .model import Event
from .timelines import Timeline

__all__ = [
    "RUN_SIZE",
    "Converted",
    "OrderWarning",
    "SEEN_IN_MEMORY",
    "STREAM_DATE_CACHE_SIZE",
    "SeenIds",
    "Selection",
    "convert",
    "read_events",
    "sorted_events",
]

STREAM_DATE_CACHE_SIZE: Final = 4096
"""How many date texts :func:`timeline.parse_date` keeps while :func:`convert`
streams (:func:`timeline.dates.smaller_date_cache`), instead of
:data:`timeline.dates.DATE_CACHE_SIZE`: no timeline holds the events, so
their dates need not be shared, and 65,536 of them would be 40 MB."""

RUN_SIZE: Final = 20_000
"""How many events :func:`sorted_events` sorts in memory at a time before
it writes them to a temporary file: what bounds its memory."""


class OrderWarning(ImporterWarning):
    """An input's events are not in the timeline's order, so :func:`convert`
    reads it again and sorts it on the way, in bounded memory."""


def order_key(event: Event) -> tuple[Any, ...]:
    """The timeline's order: by start, then id."""
    return (event.start.sort_key, event.id)


@attrs.frozen
class Selection:
    """The command's filters (``--kind``, ``--since``, ``--until``, ``--tag``,
    ``--involving``) as a test of one event: ``selection(event)`` keeps what
    :meth:`apply` keeps of a timeline, the queries of
    :class:`~timeline.Timeline` one after the other."""

    kinds: tuple[str, ...] = ()
    since: DateLike | None = None
    until: DateLike | None = None
    tags: tuple[str, ...] = ()
    involving: tuple[str, ...] = ()
    _lo: int | None = attrs.field(init=False, default=None, repr=False, eq=False)
    _hi: int | None = attrs.field(init=False, default=None, repr=False, eq=False)
    _parties: tuple[frozenset[str], ...] = attrs.field(init=False, default=(), repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        lo = None if self.since is None else Date.coerce(self.since).first_day_number()
        hi = None if self.until is None else Date.coerce(self.until).last_day_number()
        if lo is not None and hi is not None and hi < lo:
            raise QueryError(
                f"between({self.since!s}, {self.until!s}): the end comes before the start"
            )
        parties = []
        for party in self.involving:
            code = lookup_country(party)
            parties.append(frozenset({party} if code is None else {party, code}))
        object.__setattr__(self, "_lo", lo)
        object.__setattr__(self, "_hi", hi)
        object.__setattr__(self, "_parties", tuple(parties))

    @property
    def everything(self) -> bool:
        """Whether it keeps every event."""
        return not (self.kinds or self.tags or self.involving) and self._lo is self._hi is None

    def __call__(self, event: Event) -> bool:
        if self.kinds and event.kind not in self.kinds:
            return False
        if self._hi is not None and event.start.first_day_number() > self._hi:
            return False
        if self._lo is not None and event.last.last_day_number() < self._lo:
            return False
        if self.tags and not set(self.tags).issubset(event.tags):
            return False
        if self._parties:
            parties = event.parties()
            return all(not names.isdisjoint(parties) for names in self._parties)
        return True

    def apply(self, timeline: Timeline) -> Timeline:
        """The events of ``timeline`` that pass, as its queries give them."""
        if self.kinds:
            timeline = timeline.of_kind(*self.kinds)
        if self.since is not None or self.until is not None:
            timeline = timeline.between(self.since, self.until)
        if self.tags:
            timeline = timeline.tagged(*self.tags)
        for party in self.involving:
            timeline = timeline.involving(party)
        return timeline


SEEN_IN_MEMORY: Final = 1 << 18
"""How many bytes of records a :class:`SeenIds` keeps in memory (those of
10,922 ids) before it writes them to its file."""
_RECORD: Final = struct.Struct("<QQq")
_EMPTY: Final = (0,)


class SeenIds:
    """The ids seen so far, in memory that grows by 10 to 18 bytes an id.

    Each id is kept as its 128-bit BLAKE2b digest, with the place where it
    was first seen, in a record of 24 bytes that goes to an unnamed
    temporary file once there are more than :data:`SEEN_IN_MEMORY` bytes of
    them. In memory there are only 16 bits of each digest (2 bytes an id)
    and an open-addressing table of the records' numbers (4-byte slots, at
    most half full): a record is read back only when its 16 bits match
    those of the id looked for (an id seen before, or one probe in 65,536).
    When the table grows, the old one is let go first and the new one is
    made from the 16 bits and the records, so that it is never held twice.
    Two different ids share a digest with a chance far below that of a
    fault of the machine's memory.

    ``indexed=True`` keeps with each id the place where it was first seen
    (any 64-bit integer), for :meth:`first`. ``in_memory`` is how many bytes
    of records are kept before they are written to the file.
    """

    def __init__(self, *, indexed: bool = False, in_memory: int = SEEN_IN_MEMORY) -> None:
        self._indexed = indexed
        self._in_memory = in_memory
        self._size = 1024
        self._table = array("I", _EMPTY) * self._size  # record number + 1; 0: empty
        self._marks = array("H")  # the top 16 bits of each record's digest, by number
        self._count = 0
        self._records = bytearray()  # the records not yet in the file
        self._file: IO[bytes] | None = None
        self._written = 0  # records in the file
        self._close: Callable[[], Any] | None = None

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """The bytes it holds in memory: its table and the records not yet
        written to its file."""
        return 4 * self._size + 2 * len(self._marks) + len(self._records)

    def add(self, event_id: str) -> bool:
        """Remember ``event_id``; ``False`` when it was seen before."""
        return self._add(event_id, 0) is None

    def first(self, event_id: str, index: int) -> int:
        """Remember ``event_id`` as seen at ``index``; where it was seen
        first: ``index`` when it is new. For a table made ``indexed``."""
        found = self._add(event_id, index)
        return index if found is None else found

    def __contains__(self, event_id: object) -> bool:
        """Whether ``event_id`` was seen (as :meth:`add` tells, without remembering it)."""
        if not isinstance(event_id, str):
            return False
        hi, lo = _words(event_id)
        return self._find(hi, lo)[0] is not None

    def close(self) -> None:
        """Let go of its file (it is also let go when the table is no longer used)."""
        if self._close is not None:
            self._close()

    def _find(self, hi: int, lo: int) -> tuple[int | None, int]:
        """Where the digest was first seen (``None`` when it is new) and
        the empty slot where it would go."""
        table, marks, mask, mark = self._table, self._marks, self._size - 1, hi >> 48
        i = lo & mask
        while True:
            slot = table[i]
            if slot == 0:
                return None, i
            if marks[slot - 1] == mark:
                record = self._record(slot - 1)
                if record[0] == hi and record[1] == lo:
                    return record[2], i
            i = (i + 1) & mask

    def _add(self, event_id: str, index: int) -> int | None:
        """``None`` for a new id, else where it was first seen."""
        hi, lo = _words(event_id)
        found, i = self._find(hi, lo)
        if found is not None:
            return found if self._indexed else 0
        number = self._count
        if number >= 0xFFFFFFFF:
            raise OverflowError("more than 4,294,967,294 ids")
        self._table[i] = number + 1
        self._marks.append(hi >> 48)
        self._records += _RECORD.pack(hi, lo, index if self._indexed else 0)
        self._count += 1
        if len(self._records) >= self._in_memory:
            self._spill()
        if 2 * self._count > self._size:
            self._grow()
        return None

    def _record(self, number: int) -> tuple[int, int, int]:
        if number >= self._written:
            return _RECORD.unpack_from(self._records, (number - self._written) * _RECORD.size)
        assert self._file is not None
        self._file.seek(number * _RECORD.size)
        return _RECORD.unpack(self._file.read(_RECORD.size))

    def _spill(self) -> None:
        if self._file is None:
            # open as long as the table is used: closed by close() or when it is let go
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
            self._close = weakref.finalize(self, self._file.close)
        self._file.seek(self._written * _RECORD.size)
        self._file.write(self._records)
        self._written += len(self._records) // _RECORD.size
        self._records = bytearray()

    def _grow(self) -> None:
        del self._table  # never two tables at once
        self._size *= 2
        table = self._table = array("I", _EMPTY) * self._size
        mask = self._size - 1
        for number, (_, lo, _) in enumerate(self._all_records(), 1):
            i = lo & mask
            while table[i]:
                i = (i + 1) & mask
            table[i] = number

    def _all_records(self) -> Iterator[tuple[int, int, int]]:
        if self._file is not None:
            self._file.seek(0)
            left = self._written * _RECORD.size
            while left > 0:
                chunk = self._file.read(min(left, _RECORD.size << 11))
                left -= len(chunk)
                yield from _RECORD.iter_unpack(chunk)
        yield from _RECORD.iter_unpack(self._records)


_TWO_WORDS: Final = struct.Struct("<QQ")


def _words(event_id: str) -> tuple[int, int]:
    """The two 64-bit words of the 128-bit digest of ``event_id``."""
    digest = hashlib.blake2b(event_id.encode("utf-8", "surrogatepass"), digest_size=16)
    words: tuple[int, int] = _TWO_WORDS.unpack(digest.digest())
    return words


def sorted_events(events: Iterable[Event], *, run_size: int = RUN_SIZE) -> Iterator[Event]:
    """``events`` in the timeline's order, in memory bounded by ``run_size``
    events: each run of that many is sorted and written to an unnamed
    temporary file (as timeline's JSON writes an event, a line each), and
    the runs are merged as they are read back."""
    runs: list[IO[str]] = []
    buffer: list[Event] = []
    try:
        for event in events:
            buffer.append(event)
            if len(buffer) >= run_size:
                runs.append(_spill(buffer))
                buffer = []
        buffer.sort(key=order_key)
        if not runs:
            yield from buffer
            return
        yield from heapq.merge(*(_read_run(run) for run in runs), iter(buffer), key=order_key)
    finally:
        for run in runs:
            run.close()


def _spill(events: list[Event]) -> IO[str]:
    import tempfile  # only when a file out of order is sorted

    events.sort(key=order_key)
    run = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
    for event in events:
        run.write(json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":")))
        run.write("\n")
    run.seek(0)
    return run


def _read_run(run: IO[str]) -> Iterator[Event]:
    for line in run:
        yield event_from_dict(json.loads(line))


@contextlib.contextmanager
def read_events(
    source: PathLike | IO[str] | IO[bytes],
    format: str | None = None,
    *,
    max_size: int | None = DEFAULT_MAX_SIZE,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> Iterator[EventSource]:
    """The header and the events of ``source``, read as they are asked for,
    for the ``with`` block::

        with timeline.read_events("big.json") as read:
            print(read.header.title)
            for event in read.events:
                ...

    The input is read as :func:`timeline.load` reads it (``format``,
    ``max_size``, ``progress`` and the importer's ``options`` too). A format
    that cannot be read event by event is read whole first, and its events
    handed out one at a time. The events come in the order of the file;
    they are not checked against each other (:func:`convert` checks them).
    """
    from .plugins import load_plugins

    load_plugins()
    importer: Importer = resolve_format("import", format, source)
    resolved = importer.resolve_options(options)
    with relaying_warnings(stacklevel=5), _opened(importer, source, resolved, max_size,
                                                  progress) as read:  # fmt: skip
        yield attrs.evolve(read, events=_at_once(read.events))


def _at_once(events: Iterator[Event]) -> Iterator[Event]:
    """``events``, with what a reader that finds it must read the input whole
    raises in its place: the events given cannot be taken back."""
    try:
        yield from events
    except ReadWhole as exc:
        raise exc.error from None


@contextlib.contextmanager
def _opened(
    importer: Importer,
    source: PathLike | IO[str] | IO[bytes],
    options: dict[str, Any],
    max_size: int | None,
    progress: ProgressCallback | None,
    *,
    whole: bool = False,
) -> Iterator[EventSource]:
    with open_input(source, importer, max_size=max_size, progress=progress) as stream:
        text: Any = stream
        read = None if whole else importer.read_events(text, options, stream.name)
        if read is None:
            timeline = importer.read(text, options, stream.name)
            read = EventSource(header=_header(timeline), events=iter(timeline.events))
        yield read


def _header(timeline: Timeline) -> Timeline:
    return Timeline(
        title=timeline.title,
        description=timeline.description,
        url=timeline.url,
        language=timeline.language,
        translations=timeline.translations,
    )


@attrs.frozen
class Converted:
    """What :func:`convert` did: how many events it wrote, and how."""

    events: int
    """The events written to every output (those that passed the selection)."""
    read: int
    """The events read."""
    streamed: bool
    """Whether the events went to the outputs one at a time; ``False`` when a
    format needed the whole timeline."""
    sorted: bool
    """Whether the input was out of order and was read again, sorted."""


def convert(
    source: PathLike | IO[str] | IO[bytes],
    outputs: Iterable[Output | PathLike | IO[str]],
    *,
    format: str | None = None,
    select: Selection | None = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
    progress: ProgressCallback | None = None,
    waiting: Callable[[str], object] | None = None,
    run_size: int = RUN_SIZE,
    **options: Any,
) -> Converted:
    """Read ``source`` and write the events that ``select`` keeps to every
    output, all of them or none (as :func:`timeline.dump_many`), without
    holding a timeline when every format can: the importer reads event by
    event (:meth:`~timeline.Importer.read_events`) and every exporter writes
    so (:meth:`~timeline.Exporter.event_writer`). Otherwise the timeline is
    read whole and written as :func:`timeline.dump_many` writes it. The
    output is the same either way, byte for byte.

    On the way, the events are checked as a timeline checks them: an id seen
    before is an error (or, from a lenient format, left out with a warning),
    and events out of the timeline's order (by start, then id) make it warn
    (:class:`OrderWarning`), read a path again and sort it in memory bounded
    by ``run_size`` events (:func:`sorted_events`); a stream that cannot be
    read again is an error that says so. ``options`` are the importer's.

    ``progress`` is called as :func:`timeline.load` calls it while the input
    is read, and, when the timeline is read whole, as :func:`timeline.dump_many`
    calls it while each output is written (:class:`~timeline.files.Progress`
    says which). What an exporter warns about names its output, as
    ``out.ics: ...``.
    """
    from .plugins import load_plugins

    load_plugins()
    importer: Importer = resolve_format("import", format, source)
    resolved = importer.resolve_options(options)
    given = [o if isinstance(o, Output) else Output(o) for o in outputs]
    plans = []
    for output in given:
        exporter: Exporter = resolve_format("export", output.format, output.target)
        plans.append((output, exporter, exporter.resolve_options(dict(output.options))))
    plans.sort(key=lambda p: not isinstance(p[0].target, str | os.PathLike)
               or writes_in_place(p[0].target))  # fmt: skip
    keep = select if select is not None and not select.everything else None
    job = _Job(importer, source, resolved, plans, keep, max_size, progress, waiting, run_size)
    again = isinstance(source, str | os.PathLike)  # a path can be read again
    sort = whole = False
    with relaying_warnings(stacklevel=4):
        while True:
            try:
                with warnings.catch_warnings(record=True) as first:
                    warnings.simplefilter("always")
                    done = job.run(sort=sort, whole=whole)
            except _OutOfOrder as exc:
                if not again:
                    raise ValidationError(
                        [Problem(exc.where, exc.message + _REMEDY)], exc.source
                    ) from None
                # the first reading's warnings are given again by the next
                warnings.warn(f"{exc.source}: {exc.where}: {exc.message}; reading it again to "
                              "sort it", OrderWarning, stacklevel=2)  # fmt: skip
                sort = True
            except ReadWhole as exc:
                if not again:
                    raise exc.error from None
                whole = True  # read whole, the events come sorted
            else:
                for message in first:
                    warnings.warn(message.message, message.category, stacklevel=2)
                return done


_REMEDY: Final = (
    "; the events of a stream must come in the timeline's order (by start, then id): "
    "give the file by its path, which is read again and sorted, or sort it first"
)


class _OutOfOrder(Exception):
    def __init__(self, source: str, where: str, message: str) -> None:
        super().__init__(message)
        self.source, self.where, self.message = source, where, message


Plan = tuple[Output, Exporter, dict[str, Any]]


@attrs.frozen
class _Job:
    """One conversion: the input, its importer and options, and the
    outputs with their exporters and options, files first."""

    importer: Importer
    source: PathLike | IO[str] | IO[bytes]
    options: dict[str, Any]
    plans: Sequence[Plan]
    keep: Selection | None
    max_size: int | None
    progress: ProgressCallback | None
    waiting: Callable[[str], object] | None
    run_size: int

    def run(self, *, sort: bool, whole: bool = False) -> Converted:
        """Read the input once and write every output; ``sort``: sorted on
        the way, else checked to be in order; ``whole``: read with the
        importer's ``read``. What an exporter warns about names its output
        (``out.ics: ...``)."""
        caught: list[warnings.WarningMessage] = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                return self._run(sort, whole, _Named(caught))
        finally:
            for message in caught:
                warnings.warn(message.message, message.category, stacklevel=3)

    def _run(self, sort: bool, whole: bool, named: _Named) -> Converted:
        plans = self.plans
        names = [o.name or target_name(o.target) for o, _, _ in plans]
        opened = _opened(self.importer, self.source, self.options, self.max_size, self.progress,
                         whole=whole)  # fmt: skip
        with opened as read:
            checked = _Checked(read, _source_name(self.source), self.keep, in_order=not sort)
            events: Iterable[Event] = (
                sorted_events(checked, run_size=self.run_size) if sort else checked
            )
            targets = [o.target for o, _, _ in plans]
            outputs = AtomicOutputs(targets, names=names, waiting=self.waiting)
            streams = outputs.open()
            try:
                named(None)  # what came before (opening the input) names no output
                writers = _writers(plans, read.header, streams, names, named)
                if writers is None:  # a format needs the whole timeline: make it
                    timeline = attrs.evolve(read.header, events=list(events))
                    named(None)
                    for (_, exporter, options), stream, name in zip(
                        plans, streams, names, strict=True
                    ):
                        try:
                            _write(name, functools.partial(export_timeline, name=name,
                                                           progress=self.progress),
                                   exporter, timeline, stream, options)  # fmt: skip
                        finally:
                            named(name)
                    written = len(timeline)
                else:
                    with smaller_date_cache(STREAM_DATE_CACHE_SIZE):
                        written = _stream(events, writers, names, named)
            except BaseException:
                outputs.discard()
                raise
            outputs.commit()
        return Converted(
            events=written, read=checked.read, streamed=writers is not None, sorted=sort
        )


def _source_name(source: PathLike | IO[str] | IO[bytes]) -> str:
    if isinstance(source, str | os.PathLike):
        return str(source)
    return str(getattr(source, "name", "") or "<stream>")


class _Named:
    """Names the output in the warnings recorded since it was last called:
    ``named(name)`` after an exporter's code ran for output ``name``,
    ``named(None)`` after anything else (the reader's warnings keep their
    own words). One comparison of a length when nothing warned."""

    def __init__(self, caught: list[warnings.WarningMessage]) -> None:
        self.caught, self.done = caught, 0

    def __call__(self, name: str | None) -> None:
        caught = self.caught
        if len(caught) == self.done:
            return
        if name is not None:
            for message in caught[self.done :]:
                message.message = _with_name(message.message, name)
        self.done = len(caught)


def _with_name(message: Warning | str, name: str) -> Warning | str:
    text = f"{name}: {message}"
    if isinstance(message, str):
        return text
    try:
        return type(message)(text)
    except Exception:  # a warning class of a plugin's that takes other arguments
        return message


def _writers(
    plans: Sequence[Plan],
    header: Timeline,
    streams: Sequence[Any],
    names: Sequence[str],
    named: _Named,
) -> list[EventWriter] | None:
    writers = []
    for (_, exporter, options), stream, name in zip(plans, streams, names, strict=True):
        try:
            writer = exporter.event_writer(header, stream, options)
        except (BrokenPipeError, OutputError):
            raise
        except Exception as exc:
            raise ExportError(name) from exc
        finally:
            named(name)
        if writer is None:
            return None
        writers.append(writer)
    return writers


def _write(name: str, method: Callable[..., object], *args: Any) -> None:
    """Call an exporter's code for output ``name``; what it raises (not a
    failure to write the output itself) is an :class:`ExportError`."""
    try:
        method(*args)
    except (BrokenPipeError, OutputError):
        raise
    except Exception as exc:
        raise ExportError(name) from exc


def _stream(
    events: Iterable[Event], writers: Sequence[EventWriter], names: Sequence[str], named: _Named
) -> int:
    """Hand each event to every writer, then close them; the count. What
    the reader raises, getting the next event, goes through as it is."""
    pairs = list(zip(writers, names, strict=True))
    caught = named.caught
    written = 0
    for event in events:
        if len(caught) != named.done:  # the reader warned
            named(None)
        name = names[0]
        try:
            for writer, name in pairs:
                writer.write(event)
                if len(caught) != named.done:
                    named(name)
        except (BrokenPipeError, OutputError):
            raise
        except Exception as exc:
            raise ExportError(name) from exc
        written += 1
    named(None)
    for writer, name in pairs:
        try:
            _write(name, writer.close)
        finally:
            named(name)
    return written


class _Checked:
    """The events of ``read`` that ``keep`` keeps, each id once, checked
    to be in order (unless they are to be sorted)."""

    def __init__(
        self, read: EventSource, source: str, keep: Selection | None, in_order: bool
    ) -> None:
        self.events, self.source, self.keep = read.events, source, keep
        self.lenient, self.in_order = read.lenient, in_order
        self.unique = read.unique
        self.read = 0

    def __iter__(self) -> Iterator[Event]:
        seen = None if self.unique else SeenIds()  # a reader that checks them keeps them
        keep, last = self.keep, None
        for event in self.events:
            self.read += 1
            if seen is not None and not seen.add(event.id):
                where, message = f"event {event.id!r}", "a second event with this id"
                if not self.lenient:
                    raise ValidationError([Problem(where, message)], self.source)
                warnings.warn(f"{self.source}: {where}: {message}; left out", ImporterWarning,
                              stacklevel=2)  # fmt: skip
                continue
            if self.in_order:
                key = order_key(event)
                if last is not None and key < last[0]:
                    raise _OutOfOrder(
                        self.source,
                        f"event {event.id!r}",
                        f"comes before event {last[1]!r}, which the input has first",
                    )
                last = (key, event.id)
            if keep is None or keep(event):
                yield event
