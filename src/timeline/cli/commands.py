"""What each command of ``timeline`` does, through the public API only:
:mod:`timeline.files` reads and writes, the registry names the formats and
plugins. See ``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final, TextIO

import attrs

from timeline import (
    Exporter,
    FormatError,
    Importer,
    ImporterWarning,
    OptionError,
    PluginInfo,
    PluginWarning,
    Selection,
    Timeline,
    TimelineError,
    ValidationError,
    convert,
    example,
    exporters,
    get_plugins,
    importers,
    kinds,
)
from timeline.examples import example_names
from timeline.files import (
    DEFAULT_MAX_SIZE,
    ExportError,
    Output,
    Progress,
    dump_many,
    load,
    resolve_format,
)
from timeline.formats import BLAME
from timeline.streams import StreamClosedError, isatty, standard_output

from .console import Console, clip, columns, count
from .parsing import UsageError
from .show import show_lines

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "report"]

EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
"""The data is invalid, or reading or writing it failed."""
EXIT_USAGE: Final = 2
"""The command line is wrong: an argument, a format, an option or an input that is not there."""

STDIO: Final = "-"
EXAMPLE_PREFIX: Final = "example:"
PROGRESS_EVENTS: Final = 10_000
"""Writing at least this many events shows progress (when standard error is a terminal)."""
PROGRESS_BYTES: Final = 4 * 1024 * 1024
"""Reading a file at least this big shows progress (when standard error is a terminal)."""
PROGRESS_DELAY: Final = 1.0
"""Reading a smaller file or standard input shows progress once it has taken this long."""

Args = SimpleNamespace
"""The parameters of a command, by name (``args.output``, ``args.since``)."""


# -- the commands -----------------------------------------------------------------------------


def export(args: Args, console: Console) -> int:
    outputs = _plan_outputs(args.output, args.format)
    options = _output_options(args.option, outputs)
    if args.locale is not None:  # every format that writes words, unless --option said otherwise
        for o in outputs:
            if any(option.name == "locale" for option in o.exporter.options):
                options[o.exporter.name].setdefault("locale", args.locale)
    source = _plan_input(args, args.input)
    _check_filters(args)
    if source.importer is None:  # an example, which is made in memory
        timeline = _selection(args).apply(_read(source, console))
        if not timeline.events:
            console.warning(_nothing(args))
        warned = _write(timeline, outputs, options, console)
        _report_written(len(timeline), outputs, console, warned)
        return EXIT_OK
    written, warned = _convert(source, outputs, options, args, console)
    _report_written(written, outputs, console, warned)
    return EXIT_OK


def show(args: Args, console: Console) -> int:
    source = _plan_input(args, args.input)
    _check_filters(args)
    everything = _read(source, console)
    timeline = _selection(args).apply(everything)
    out = sys.stdout
    width = columns(out) if isatty(out) else None
    for line in show_lines(timeline, len(everything), args.locale):
        out.write((line if width is None else clip(line, width)) + "\n")
    return EXIT_OK


def validate(args: Args, console: Console) -> int:
    if args.input.count(STDIO) > 1:
        raise UsageError("standard input ('-') is given twice")
    status = EXIT_OK
    for spec in args.input:  # each input in turn: one that cannot be read stops nothing
        try:
            source = _plan_input(args, spec)
            timeline = _read(source, console)
        except (UsageError, TimelineError) as exc:
            status = max(status, report(exc, console))
            continue
        print(f"ok: {source.label}: {count(len(timeline), 'event')}")
    return status


def formats(args: Args, console: Console) -> int:
    tables: dict[str, list[Exporter | Importer]] = {
        "exporters": [*exporters().values()], "importers": [*importers().values()],
    }  # fmt: skip
    if args.name is not None:
        known = sorted({fmt.name for table in tables.values() for fmt in table})
        if args.name not in known:
            raise FormatError(f"no format {args.name!r}; the formats are: {', '.join(known)}")
        tables = {kind: [f for f in table if f.name == args.name] for kind, table in tables.items()}
    if args.json:
        document = {kind: [_format_data(fmt) for fmt in table] for kind, table in tables.items()}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(_formats_text(tables, every=args.name is None))
    return EXIT_OK


def _formats_text(tables: Mapping[str, Sequence[Exporter | Importer]], *, every: bool) -> str:
    provider = {}
    for info in get_plugins():
        for name in (*info.exporters, *info.importers):
            provider[name] = (
                "built in" if info.builtin else f"from {info.distribution or info.name}"
            )
    blocks = []
    for kind, flag, option_flag in (("exporters", "-f", "--option"),
                                    ("importers", "--from", "--input-option")):  # fmt: skip
        table = tables[kind]
        if not (table or every):
            continue
        lines = [f"{kind.capitalize()} (choose with {flag} NAME or by suffix):"]
        for fmt in table:
            lines.append("")
            lines.append(f"  {fmt.name}  {' '.join(fmt.suffixes)}  {fmt.media_type}"
                         f"  ({provider.get(fmt.name, 'from a plugin')})")  # fmt: skip
            if fmt.description:
                lines.append(f"      {fmt.description}")
            if fmt.options:
                lines.append(f"      options ({option_flag} KEY=VALUE):")
            lines.extend(f"        {option.describe()}" for option in fmt.options)
        if not table:
            lines.append("  (none)")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _format_data(fmt: Exporter | Importer) -> dict[str, Any]:
    return {
        "name": fmt.name,
        "suffixes": list(fmt.suffixes),
        "media_type": fmt.media_type,
        "description": fmt.description,
        "options": [
            {"name": o.name, "type": o.type.__name__, "default": o.default, "help": o.help,
             "choices": None if o.choices is None else list(o.choices)}
            for o in fmt.options
        ],
    }  # fmt: skip


def plugins_(args: Args, console: Console) -> int:
    with warnings.catch_warnings():
        if not console.debug:
            # A broken plugin is listed with its error; no need to warn about it too
            # (--debug warns, with the traceback of what the plugin raised).
            warnings.filterwarnings("ignore", "plugin .*; it is skipped$", PluginWarning)
        infos = get_plugins()
    if args.check:
        broken = [info for info in infos if info.broken]
        for info in broken:
            console.error(f"plugin {info.name!r} {info.error}")
        if broken:
            return EXIT_INVALID
        print(f"ok: {count(len(infos), 'plugin')}, none broken")
    elif args.json:
        print(json.dumps([attrs.asdict(info) for info in infos], indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_plugin_text(info) for info in infos))
    return EXIT_OK


def _plugin_text(info: PluginInfo) -> str:
    version = info.version or ""
    if info.builtin:
        head = f"{info.name} {version} (built in)"
    elif info.distribution in (None, info.name):
        head = f"{info.name} {version}".rstrip()
    else:
        head = f"{info.name} ({info.distribution} {version})".replace(" )", ")")
    lines = [head + ("  BROKEN" if info.broken else "")]
    fields = [("hooks", info.hooks), ("exporters", info.exporters),
              ("importers", info.importers), ("kinds", info.kinds)]  # fmt: skip
    lines.extend(f"  {label + ':':<11}{', '.join(values)}" for label, values in fields if values)
    if info.error is not None:
        lines.append(f"  {'error:':<11}{info.error}")
    return "\n".join(lines)


def example_(args: Args, console: Console) -> int:
    names = example_names()
    if args.name is None:
        if args.output:
            raise UsageError("name the example to write: timeline example NAME -o OUT")
        for name, description in names.items():
            print(f"{name}  {description}")
        return EXIT_OK
    outputs = _plan_outputs(args.output or [STDIO], args.format)
    options = _output_options(args.option, outputs)
    timeline = example(args.name)
    warned = _write(timeline, outputs, options, console)
    _report_written(len(timeline), outputs, console, warned)
    return EXIT_OK


# -- input ------------------------------------------------------------------------------------


@attrs.frozen
class _Input:
    """Where the timeline comes from: a path, standard input or an example."""

    spec: str
    importer: Importer | None  # None for an example
    options: Mapping[str, Any]
    guessed: bool = False
    """Standard input read as JSON because no --from said otherwise."""
    max_size: int | None = DEFAULT_MAX_SIZE
    """The input size limit (``--max-size``)."""

    @property
    def label(self) -> str:
        return "<stdin>" if self.spec == STDIO else self.spec


def _plan_input(args: Args, spec: str) -> _Input:
    """Check an input before anything is read: it exists and its format is known."""
    given = dict(args.input_option)
    if spec.startswith(EXAMPLE_PREFIX):
        name = spec.removeprefix(EXAMPLE_PREFIX)
        if args.input_format is not None or given:
            raise UsageError("--from and --input-option do not apply to an example")
        if name not in example_names():
            known = ", ".join(EXAMPLE_PREFIX + n for n in example_names())
            raise UsageError(f"no example {name!r}; the examples are: {known}")
        return _Input(spec, None, {})
    if spec == STDIO and isatty(sys.stdin):
        raise UsageError(
            "'-' reads standard input, which is a terminal here: pipe a file into it, "
            "as in 'timeline show - < events.json'"
        )
    if spec != STDIO:
        path = Path(spec)
        if not path.exists():
            raise UsageError(f"{spec}: no such file")
        if path.is_dir():
            raise UsageError(f"{spec}: is a folder, not a file")
    target = None if spec == STDIO else spec
    importer: Importer = resolve_format("import", args.input_format, target)
    try:
        options = importer.resolve_options(given)
    except OptionError as exc:
        raise UsageError(f"--input-option: {exc}") from None
    return _Input(
        spec,
        importer,
        options,
        guessed=spec == STDIO and args.input_format is None,
        max_size=args.max_size,
    )


def _read(source: _Input, console: Console) -> Timeline:
    if source.importer is None:
        return example(source.spec.removeprefix(EXAMPLE_PREFIX))
    name = source.importer.name

    def reading(step: Progress) -> None:
        console.advance(step.done, step.total)

    if source.spec == STDIO:
        try:
            with console.progress("reading standard input", unit="bytes", delay=PROGRESS_DELAY):
                return load(sys.stdin.buffer, name, max_size=source.max_size, progress=reading,
                            **source.options)  # fmt: skip
        except ValidationError as exc:
            if source.guessed and any("not valid JSON" in p.message for p in exc.problems):
                console.note("standard input is read as JSON; name its format with --from")
            raise
    size = os.path.getsize(source.spec)
    # A big file shows progress at once; any other once it takes a while.
    delay = 0.0 if size >= PROGRESS_BYTES else PROGRESS_DELAY
    with console.progress(f"reading {source.spec}", unit="bytes", total=size, delay=delay):
        return load(source.spec, name, max_size=source.max_size, progress=reading, **source.options)


def _check_filters(args: Args) -> None:
    """Refuse filters that cannot keep anything, before anything is read."""
    known = kinds()
    for kind in args.kind:
        if kind not in known:
            raise UsageError(f"--kind: no kind {kind!r}; the kinds are: {', '.join(sorted(known))}")
    since, until = args.since, args.until
    if since and until and since.first_day_number() > until.last_day_number():
        raise UsageError(f"--since {since} comes after --until {until}")


def _selection(args: Args) -> Selection:
    """The filters, as a test of one event."""
    return Selection(
        kinds=tuple(args.kind), since=args.since, until=args.until,
        tags=tuple(args.tag), involving=tuple(args.involving),
    )  # fmt: skip


def _nothing(args: Args) -> str:
    """The warning when nothing is written."""
    filtered = args.kind or args.tag or args.involving or args.since or args.until
    return "no event passes the filters" if filtered else "no events"


# -- output -----------------------------------------------------------------------------------


@attrs.frozen
class _Output:
    target: str
    exporter: Exporter

    @property
    def label(self) -> str:
        return "standard output" if self.target == STDIO else self.target


def _plan_outputs(targets: Sequence[str], format: str | None) -> list[_Output]:
    """Check the outputs before anything is read: known formats, folders that exist,
    no file named twice, standard output at most once."""
    outputs: list[_Output] = []
    seen: dict[object, str] = {}
    for target in targets:
        if not target:
            raise UsageError("-o '': the name of the output is empty")
        if target == STDIO:
            if standard_output() is None:  # >&-: refused before any file is written
                raise StreamClosedError("standard output")
            exporter: Exporter = resolve_format("export", format)
            keys: list[object] = [STDIO]
        else:
            path = Path(target)
            if not path.parent.is_dir():
                raise UsageError(f"{target}: the folder {str(path.parent)!r} does not exist")
            if path.is_dir():
                raise UsageError(f"{target}: is a folder, not a file")
            exporter = resolve_format("export", format, target)
            keys = [os.path.realpath(path), *_inode(path)]
        for key in keys:
            if key in seen:
                what = "standard output" if target == STDIO else target
                same = "" if key == keys[0] else f" (the same file as {seen[key]})"
                raise UsageError(f"-o {target}: {what} is given twice{same}")
        seen.update(dict.fromkeys(keys, target))
        outputs.append(_Output(target, exporter))
    return outputs


def _inode(path: Path) -> list[object]:
    """The file's device and inode, which its other names (hard links) share."""
    try:
        status = path.stat()
    except OSError:
        return []
    return [(status.st_dev, status.st_ino)]


def _output_options(
    pairs: Sequence[tuple[str, str]], outputs: Sequence[_Output]
) -> dict[str, dict[str, Any]]:
    """Every output format's options, checked. ``KEY=VALUE`` goes to every output
    format that has the option KEY, ``FORMAT.KEY=VALUE`` to FORMAT only; an option
    that none of them has is a usage error that lists the ones they have."""
    formats = {o.exporter.name: o.exporter for o in outputs}
    given: dict[str, dict[str, Any]] = {name: {} for name in formats}
    for key, value in pairs:
        scope, _, name = key.rpartition(".")
        if scope and scope not in formats:
            raise UsageError(
                f"--option {key}: no output is in the format {scope!r} "
                f"(the outputs are in: {', '.join(formats)})"
            )
        candidates = [f for f in formats.values() if not scope or f.name == scope]
        targets = [f for f in candidates if any(o.name == name for o in f.options)]
        if not targets and scope:
            valid = ", ".join(o.name for o in formats[scope].options) or "none"
            raise UsageError(f"--option {key}: the format {scope!r} has no option {name!r} "
                             f"(its options: {valid})")  # fmt: skip
        if not targets:
            valid = "; ".join(f"{f.name}: {', '.join(o.name for o in f.options) or 'none'}"
                              for f in candidates)  # fmt: skip
            raise UsageError(f"--option {key}: no output format has an option {name!r} "
                             f"(the options are {valid})")  # fmt: skip
        for fmt in targets:
            option = next(o for o in fmt.options if o.name == name)
            try:
                given[fmt.name][name] = option.check(value)
            except OptionError as exc:
                raise UsageError(f"--option {key}={value}: {fmt.name}: {exc}") from None
    for name, fmt in formats.items():
        fmt.resolve_options(given[name])  # checked before anything is read
    return given


def _write(
    timeline: Timeline,
    outputs: Sequence[_Output],
    options: Mapping[str, Mapping[str, Any]],
    console: Console,
) -> int:
    """Write every output with :func:`timeline.files.dump_many`, all or nothing
    for files; return how many warnings the exporters gave."""
    warned = console.warnings

    def progress(step: Progress) -> None:
        if step.done == 0:  # the next output: its warnings name it
            console.end()
            console.context = step.name
            if (step.total or 0) >= PROGRESS_EVENTS:
                console.begin(f"writing {step.name}", unit="events", total=step.total)
        console.advance(step.done, step.total)

    with contextlib.ExitStack() as stack:
        targets = _targets(stack, outputs, options)
        try:
            dump_many(timeline, targets, progress=progress, waiting=_waiting(console))
        finally:
            console.end()
            console.context = None
    return console.warnings - warned


def _convert(
    source: _Input,
    outputs: Sequence[_Output],
    options: Mapping[str, Mapping[str, Any]],
    args: Args,
    console: Console,
) -> tuple[int, int]:
    """Read a file or standard input and write every output with
    :func:`timeline.convert` (event by event when every format can), all
    or nothing for files; return how many events were written and how many
    warnings came with them."""
    assert source.importer is not None
    written = 0  # the warnings of the exporters, not of the reader: as _write counts them
    show = warnings.showwarning

    def counting(  # noqa: PLR0917 - the signature of warnings.showwarning
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        nonlocal written
        if not issubclass(category, ImporterWarning):
            written += 1
        show(message, category, filename, lineno, file, line)

    def progress(step: Progress) -> None:
        if step.action == "writing" and step.done == 0:  # read whole; the next output
            console.end()
            if (step.total or 0) >= PROGRESS_EVENTS:
                console.begin(f"writing {step.name}", unit="events", total=step.total)
        console.advance(step.done, step.total)

    stdin = source.spec == STDIO
    if stdin:
        given: Any = sys.stdin.buffer
        label, size, delay = "reading standard input", None, PROGRESS_DELAY
    else:
        given = source.spec
        size = os.path.getsize(source.spec)
        # A big file shows progress at once; any other once it takes a while.
        label, delay = f"reading {source.spec}", 0.0 if size >= PROGRESS_BYTES else PROGRESS_DELAY
    with contextlib.ExitStack() as stack:
        targets = _targets(stack, outputs, options)
        try:
            warnings.showwarning = counting
            with console.progress(label, unit="bytes", total=size, delay=delay):
                done = convert(given, targets, format=source.importer.name,
                               select=_selection(args), max_size=source.max_size,
                               progress=progress, waiting=_waiting(console),
                               **source.options)  # fmt: skip
        except ValidationError as exc:
            if stdin and source.guessed and any("not valid JSON" in p.message
                                                for p in exc.problems):  # fmt: skip
                console.note("standard input is read as JSON; name its format with --from")
            raise
        finally:
            warnings.showwarning = show
    if not done.events:
        console.warning(_nothing(args))
    return done.events, written


def _targets(
    stack: contextlib.ExitStack,
    outputs: Sequence[_Output],
    options: Mapping[str, Mapping[str, Any]],
) -> list[Output]:
    """The outputs as :class:`~timeline.Output` objects, standard output
    opened for the exporters in ``stack``."""
    return [
        Output(stack.enter_context(_stdout()) if o.target == STDIO else o.target,
               o.exporter.name, options[o.exporter.name], name=o.label)
        for o in outputs
    ]  # fmt: skip


def _waiting(console: Console) -> Callable[[str], None]:
    """What is said while a named pipe that no one reads yet is waited for."""

    def waiting(label: str) -> None:
        console.waiting(f"waiting for a reader of {label} (a named pipe)")

    return waiting


@contextlib.contextmanager
def _stdout() -> Iterator[TextIO]:
    """Standard output for an exporter: UTF-8, line endings passed through unchanged
    (so ``\\r\\n`` stays ``\\r\\n``), as in a file."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # replaced by something without bytes underneath
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            stream.detach()


def _report_written(events: int, outputs: Sequence[_Output], console: Console, warned: int) -> None:
    """One line that says what was written from how many events, and how many
    warnings came with it (an exporter warns about each event it leaves out;
    a format may also write fewer events on purpose, as an anniversaries
    calendar does)."""
    files = [o.target for o in outputs if o.target != STDIO]
    if files:
        also = f", with {count(warned, 'warning')}" if warned else ""
        console.note(f"wrote {_and(files)} from {count(events, 'event')}{also}")


# -- errors -----------------------------------------------------------------------------------


def report(exc: BaseException, console: Console) -> int:
    """Print ``exc`` as one line (with details below it); return the exit status."""
    if console.debug:
        console.clear()
        traceback.print_exception(exc, file=console.stream)
    prefix = ""
    cause: BaseException = exc
    if isinstance(exc, ExportError) and exc.__cause__ is not None:
        prefix, cause = f"{exc.name}: ", exc.__cause__
        if isinstance(cause, StreamClosedError):
            prefix = ""  # it names standard output itself
    message, details = _describe(cause, console.debug)
    console.error(prefix + message, details)
    return _exit_status(cause)


def _exit_status(exc: BaseException) -> int:
    if isinstance(exc, UsageError | FormatError | OptionError):
        return EXIT_USAGE
    if isinstance(exc, StreamClosedError) and exc.label == "standard input":
        return EXIT_USAGE  # the input is not there
    return EXIT_INVALID


def _describe(exc: BaseException, debug: bool) -> tuple[str, list[str]]:
    if isinstance(exc, ValidationError):
        head = count(exc.count, "problem")
        details = [str(p) for p in exc.problems]
        if exc.omitted:
            details.append(f"... and {count(exc.omitted, 'more problem')}")
        return (f"{exc.source}: {head}" if exc.source else head), details
    if isinstance(exc, TimelineError | UsageError):
        first, *rest = str(exc).splitlines() or [type(exc).__name__]
        return first, rest
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", []
    # A bug: in timeline, or in plugin code (the guard of read and write names it).
    who = getattr(exc, BLAME, None)
    culprit = f"in {who}" if isinstance(who, str) else "in timeline or in a plugin"
    hint = [] if debug else [f"this is a bug {culprit}; run again with --debug to see where"]
    if isinstance(exc, SystemExit):
        code = "" if exc.code is None else repr(exc.code)
        return f"sys.exit({code}) was called while the command ran", hint
    if isinstance(exc, KeyboardInterrupt):
        return "KeyboardInterrupt was raised, though no Ctrl-C was pressed", hint
    return f"{type(exc).__name__}: {exc}", hint


# -- words ------------------------------------------------------------------------------------


def _and(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
