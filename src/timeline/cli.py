"""The ``timeline`` command: export, show and check timelines from a terminal.

Every format goes through the plugin registry (:func:`timeline.exporters`,
:func:`timeline.importers`), so a format that a plugin adds works here with no
change. ``docs/cli.md`` is the reference; in short:

* ``timeline export INPUT -o OUT [-o OUT ...]`` writes one or more formats from one load;
* ``timeline show INPUT`` prints a compact view; ``timeline validate INPUT`` lists every
  problem; ``timeline formats``, ``timeline plugins`` and ``timeline example`` tell what
  there is.

Exit status: 0 on success, 1 when the data is invalid or an export fails, 2 for a
usage error (a bad argument, an unknown format or option, an input that is not
there), 130 when interrupted (143 and 129 when ended by SIGTERM or SIGHUP). An
error is one line on standard error, with the details below it; ``--debug`` adds
the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import re
import signal
import sys
import textwrap
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NoReturn, TextIO

import attrs

from . import examples
from ._terminal import (
    Console,
    StreamClosedError,
    clip,
    columns,
    count,
    isatty,
    process_streams,
    show_lines,
    standard_output,
)
from .dates import Date, parse_date
from .errors import (
    DateError,
    FormatError,
    OptionError,
    PluginWarning,
    TimelineError,
    TimelineWarning,
    ValidationError,
)
from .files import DEFAULT_MAX_SIZE, AtomicOutputs, OutputError, load, writes_in_place
from .formats import BLAME, Exporter, Importer
from .model import Event
from .plugins import users_interrupt, watching_interrupts
from .registry import PluginInfo
from .timelines import Timeline

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "UsageError", "main"]

EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
"""The data is invalid, or reading or writing it failed."""
EXIT_USAGE: Final = 2
"""The command line is wrong: an argument, a format, an option or an input that is not there."""
EXIT_INTERRUPTED: Final = 130

STDIO: Final = "-"
EXAMPLE_PREFIX: Final = "example:"
PROGRESS_EVENTS: Final = 10_000
"""Writing at least this many events shows progress (when standard error is a terminal)."""
PROGRESS_BYTES: Final = 4 * 1024 * 1024
"""Reading a file at least this big shows progress (when standard error is a terminal)."""
PROGRESS_DELAY: Final = 1.0
"""Reading a smaller file or standard input shows progress once it has taken this long."""


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit status 2)."""


class _ArgumentError(UsageError):
    """What argparse refuses: an unknown argument, a missing one, a bad value."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


# -- the command line -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (``sys.argv[1:]`` when ``None``); return the exit status.

    Called without ``argv``, as the ``timeline`` script and ``python -m timeline``
    call it, the command runs as the process: it guards standard streams that
    were closed, keeps its standard output for its own output (what plugins
    print goes to standard error; see :func:`timeline._terminal.process_streams`)
    and watches for Ctrl-C, so that a KeyboardInterrupt that plugin code raises
    itself is a plugin's error. Called with ``argv`` (from a test, or a program
    of yours), it leaves the process's streams and signal handlers alone.
    """
    if argv is None:  # the command itself: the process's streams and Ctrl-C are its own
        with process_streams(), watching_interrupts(), _ending_on_signals():
            return main(sys.argv[1:])
    parser = _parser()
    console = Console(sys.stderr)
    try:
        args = parser.parse_args(argv)
    except _ArgumentError as exc:
        console.error(str(exc), [f"(see '{exc.prog} --help')"])
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        if standard_output() is None:  # argparse says nothing when it cannot print
            return _report(StreamClosedError("standard output"), console)
        return _finish(exc.code if isinstance(exc.code, int) else EXIT_OK, console)
    except OSError as exc:  # --help or --version, and standard output is closed
        return _report(exc, console)
    console.debug = args.debug
    console.quiet = getattr(args, "quiet", False)
    command: Callable[[argparse.Namespace, Console], int] = args.run
    with warnings.catch_warnings():
        warnings.simplefilter("always", TimelineWarning)
        warnings.showwarning = console.show_warning
        try:
            return _finish(command(args, console), console)
        except KeyboardInterrupt as exc:
            if isinstance(exc, _Signalled):  # SIGTERM, SIGHUP
                return _signalled(exc, console)
            if not users_interrupt():  # raised by plugin code, not by a Ctrl-C
                return _report(exc, console)
            console.error("interrupted")
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader of standard output went away (``timeline show big.json | head``).
            _silence_stdout()
            return EXIT_INVALID
        except (Exception, SystemExit) as exc:  # SystemExit: plugin code called sys.exit()
            return _report(exc, console)


def _finish(status: int, console: Console) -> int:
    """``status``, once what the command printed is flushed to standard output;
    failing to write it (a full disk, a closed stream) is the command's error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_INVALID
    except StreamClosedError as exc:
        return _report(exc, console)
    except OSError as exc:
        return _report(OSError(exc.errno, exc.strerror, "standard output"), console)
    return status


# -- signals: SIGTERM and SIGHUP end the command as Ctrl-C does (issue 13) ----------------------


class _Signalled(KeyboardInterrupt):
    """``SIGTERM`` or ``SIGHUP``, raised where the command is, as Ctrl-C raises
    KeyboardInterrupt: what is being written is cleaned up the same way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_SIGNALS: Final = {"SIGTERM": "terminated", "SIGHUP": "hung up"}
"""The signals that end the command as Ctrl-C does, and what it then says."""


@contextlib.contextmanager
def _ending_on_signals() -> Iterator[None]:
    """While the block runs, ``SIGTERM`` and ``SIGHUP`` raise :class:`_Signalled`,
    so that no temporary file is left, as for Ctrl-C. A second one ends the
    process at once, as the signal does by default: code that swallowed the
    first (a plugin's ``except BaseException``) cannot keep the command
    running. Only in the main thread, and only for a signal whose handling is
    the default: one ignored (``nohup``) or handled by someone else is left
    alone."""
    from .plugins import count_interrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised = False

    def handler(signum: int, frame: object) -> None:
        nonlocal raised
        if raised:  # the second: what the signal does by default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raised = True
        count_interrupt()  # the user's, as a Ctrl-C is: not a plugin's
        raise _Signalled(signum)

    previous = {}
    for name in _SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, handling in previous.items():
            signal.signal(number, handling)


def _signalled(exc: _Signalled, console: Console) -> int:
    """``error: terminated (SIGTERM)``; the exit status a shell gives a command
    that the signal ended: 128 + its number (143, 129)."""
    name = signal.Signals(exc.signum).name
    with contextlib.suppress(OSError, ValueError):  # a terminal that hung up
        console.error(f"{_SIGNALS[name]} ({name})")
    return 128 + exc.signum


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are raised, so that :func:`main` reports them
    in the same style as every other error and returns instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise _ArgumentError(message, self.prog)


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions, and keeps indented lines (the examples) as they are."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            if line.startswith("  ") or not line:
                lines.append(indent + line)
            else:
                lines.append(textwrap.fill(line, width, initial_indent=indent,
                                           subsequent_indent=indent))  # fmt: skip
        return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="timeline",
        description="Dated events as typed data, published as calendars, data files and "
        "readable documents.",
        epilog=_examples(
            "timeline export example:sco -o sco.ics -o sco.json -o sco.md",
            "timeline show example:sco --kind accession",
            "timeline validate events.json",
        )
        + "\nRun 'timeline COMMAND --help' for the options of a command.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    _add_debug(parser, False)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    export = _command(
        commands, "export", _export,
        "write a timeline in one or more formats",
        "Read INPUT once and write it to every OUT. Each OUT's suffix picks its format "
        "unless -f is given; '-' is standard output (JSON unless -f is given). The files "
        "are written together: if one export fails, no file is changed.",
        "timeline export example:sco -o sco.ics -o sco.json -o sco.md",
        "timeline export events.json -o summits.ics --kind summit --since 2020",
        "timeline export events.json -f json -o - --option compact=true",
        "cat events.json | timeline export - -o events.md",
    )  # fmt: skip
    _add_input(export)
    _add_outputs(export, required=True)
    _add_filters(export)
    _add_quiet(export)

    show = _command(
        commands, "show", _show,
        "print a compact view of a timeline",
        "Print the events of INPUT by year: date, kind, title and place. Lines are cut "
        "to the width of the terminal.",
        "timeline show example:sco",
        "timeline show events.json --involving India --since 2017",
    )  # fmt: skip
    _add_input(show)
    _add_filters(show)

    validate = _command(
        commands, "validate", _validate,
        "check timelines and list every problem",
        "Read each INPUT and report every problem with its path, or 'ok'; the exit "
        "status is 1 when there is a problem.",
        "timeline validate events.json",
        "timeline validate data/*.json",
        "timeline validate - < events.json",
    )  # fmt: skip
    _add_input(validate, several=True)

    formats = _command(
        commands, "formats", _formats,
        "list the formats, their suffixes and their options",
        "List every exporter and importer, built in or from a plugin, with its suffixes "
        "and options.",
        "timeline formats",
        "timeline formats json",
        "timeline formats --json",
    )  # fmt: skip
    formats.add_argument("name", nargs="?", metavar="NAME", help="show only this format")
    formats.add_argument("--json", action="store_true", help="print JSON")

    plugins = _command(
        commands, "plugins", _plugins,
        "list the plugins and what they provide",
        "List every plugin, built in or installed, with its version, hooks and what it "
        "provides; a broken plugin is listed with its error.",
        "timeline plugins",
        "timeline plugins --json",
        "timeline plugins --check",
    )  # fmt: skip
    listing = plugins.add_mutually_exclusive_group()
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--check", action="store_true",
                         help="list nothing; exit with status 1 if a plugin is broken, "
                              "with an error line for each")  # fmt: skip

    example = _command(
        commands, "example", _example,
        "write a built-in example timeline",
        "Write the example NAME (JSON to standard output unless -o or -f says otherwise); "
        "with no NAME, list the examples.",
        "timeline example",
        "timeline example sco -o sco.md",
        "timeline example sco | timeline show -",
    )  # fmt: skip
    example.add_argument("name", nargs="?", metavar="NAME", help="the example's name")
    _add_outputs(example, required=False)
    _add_quiet(example)
    return parser


def _command(
    commands: Any,
    name: str,
    run: Callable[[argparse.Namespace, Console], int],
    summary: str,
    description: str,
    *examples: str,
) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=_examples(*examples),
        formatter_class=_HelpFormatter,
    )
    sub.set_defaults(run=run)
    _add_debug(sub, argparse.SUPPRESS)
    return sub


def _examples(*lines: str) -> str:
    return "examples:\n" + "".join(f"  {line}\n" for line in lines)


def _add_debug(parser: argparse.ArgumentParser, default: Any) -> None:
    # The subcommands' copy defaults to SUPPRESS so it does not reset a --debug
    # given before the command name.
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the traceback of an error")  # fmt: skip


def _add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors and warnings")  # fmt: skip


def _add_input(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    parser.add_argument(
        "input", metavar="INPUT", nargs="+" if several else None,
        help=f"a file, '{STDIO}' for standard input, or {EXAMPLE_PREFIX}NAME for an example",
    )  # fmt: skip
    parser.add_argument(
        "--from", dest="input_format", metavar="FORMAT",
        help="the format of INPUT (default: from its suffix; JSON for standard input)",
    )  # fmt: skip
    parser.add_argument(
        "--input-option", action="append", default=[], metavar="KEY=VALUE", type=_pair,
        help="an option of the input format (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--max-size", metavar="SIZE", type=_max_size, default=DEFAULT_MAX_SIZE,
        help="refuse an input larger than this: bytes, or with K, M, G or T "
        "(KiB, MiB...), as in 500M or 2G; 'none' for no limit (default: 1G)",
    )  # fmt: skip


def _add_outputs(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "-o", "--output", action="append", required=required, default=[], metavar="OUT",
        help=f"a file to write, or '{STDIO}' for standard output (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "-f", "--format", metavar="FORMAT",
        help="the format of every output (default: from each output's suffix)",
    )  # fmt: skip
    parser.add_argument(
        "--option", action="append", default=[], metavar="[FORMAT.]KEY=VALUE", type=_pair,
        help="an option of the output formats, for every output whose format has it, or "
        "for FORMAT only (repeatable; see 'timeline formats')",
    )  # fmt: skip


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "filters", "Keep only some events. Dates may be years, months or days, and count "
        "whole: --until 2001 keeps everything up to 31 December 2001.",
    )  # fmt: skip
    group.add_argument("--kind", action="append", default=[], metavar="KIND",
                       help="events of this kind (repeat for any of several)")  # fmt: skip
    group.add_argument("--since", type=_date, metavar="DATE",
                       help="events that end on or after DATE")  # fmt: skip
    group.add_argument("--until", type=_date, metavar="DATE",
                       help="events that start on or before DATE")  # fmt: skip
    group.add_argument("--tag", action="append", default=[], metavar="TAG",
                       help="events with this tag (repeat: with every tag)")  # fmt: skip
    group.add_argument("--involving", action="append", default=[], metavar="PARTY",
                       help="events that involve PARTY, a country code or name, or another "
                       "party (repeat: every party)")  # fmt: skip


_SIZE = re.compile(r"(\d+)\s*(?:([KMGT])(?:I?B)?|B)?", re.IGNORECASE)
_UNITS: Final = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _max_size(text: str) -> int | None:
    """``--max-size``: ``500M``, ``2G``, ``1048576``, or ``none``."""
    if text.strip().lower() == "none":
        return None
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size: give bytes, or a number with K, M, G or T (500M, 2G), "
            "or 'none'"
        )
    number, unit = match.groups()
    return int(number) * (_UNITS[unit.upper()] if unit else 1)


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value


def _date(text: str) -> Date:
    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("timeline-events")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# -- the commands -----------------------------------------------------------------------------


def _export(args: argparse.Namespace, console: Console) -> int:
    outputs = _plan_outputs(args.output, args.format)
    options = _output_options(args.option, outputs)
    source = _plan_input(args, args.input)
    _check_filters(args)
    timeline = _select(_read(source, console), args)
    if not timeline.events:
        console.warning("no event passes the filters" if _filtered(args) else "no events")
    warned = _write(timeline, outputs, options, console)
    _report_written(timeline, outputs, console, warned)
    return EXIT_OK


def _show(args: argparse.Namespace, console: Console) -> int:
    source = _plan_input(args, args.input)
    _check_filters(args)
    everything = _read(source, console)
    timeline = _select(everything, args)
    out = sys.stdout
    width = columns(out) if isatty(out) else None
    for line in show_lines(timeline, len(everything)):
        out.write((line if width is None else clip(line, width)) + "\n")
    return EXIT_OK


def _validate(args: argparse.Namespace, console: Console) -> int:
    if args.input.count(STDIO) > 1:
        raise UsageError("standard input ('-') is given twice")
    status = EXIT_OK
    for spec in args.input:  # each input in turn: one that cannot be read stops nothing
        try:
            source = _plan_input(args, spec)
            timeline = _read(source, console)
        except (UsageError, TimelineError) as exc:
            status = max(status, _report(exc, console))
            continue
        print(f"ok: {source.label}: {count(len(timeline), 'event')}")
    return status


def _formats(args: argparse.Namespace, console: Console) -> int:
    from .registry import exporters, importers

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
    from .registry import get_plugins as plugins

    provider = {}
    for info in plugins():
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


def _plugins(args: argparse.Namespace, console: Console) -> int:
    from .registry import get_plugins as plugins

    with warnings.catch_warnings():
        if not console.debug:
            # A broken plugin is listed with its error; no need to warn about it too
            # (--debug warns, with the traceback of what the plugin raised).
            warnings.filterwarnings("ignore", "plugin .*; it is skipped$", PluginWarning)
        infos = plugins()
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


def _example(args: argparse.Namespace, console: Console) -> int:
    names = examples.example_names()
    if args.name is None:
        if args.output:
            raise UsageError("name the example to write: timeline example NAME -o OUT")
        for name, description in names.items():
            print(f"{name}  {description}")
        return EXIT_OK
    outputs = _plan_outputs(args.output or [STDIO], args.format)
    options = _output_options(args.option, outputs)
    timeline = examples.example(args.name)
    warned = _write(timeline, outputs, options, console)
    _report_written(timeline, outputs, console, warned)
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


def _plan_input(args: argparse.Namespace, spec: str) -> _Input:
    """Check an input before anything is read: it exists and its format is known."""
    from .registry import get_importer, importer_for_suffix

    given = dict(args.input_option)
    if spec.startswith(EXAMPLE_PREFIX):
        name = spec.removeprefix(EXAMPLE_PREFIX)
        if args.input_format is not None or given:
            raise UsageError("--from and --input-option do not apply to an example")
        if name not in examples.example_names():
            known = ", ".join(EXAMPLE_PREFIX + n for n in examples.example_names())
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
    if args.input_format is not None:
        importer = get_importer(args.input_format)
    elif spec == STDIO:
        importer = get_importer("json")
    else:
        importer = importer_for_suffix(Path(spec).suffix)
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
        return examples.example(source.spec.removeprefix(EXAMPLE_PREFIX))
    name = source.importer.name
    started = time.monotonic()
    if source.spec == STDIO:

        def reading_input() -> str:
            return f"reading standard input {time.monotonic() - started:.0f}s"

        try:
            with console.status(reading_input, delay=PROGRESS_DELAY):
                return load(sys.stdin.buffer, name, max_size=source.max_size, **source.options)
        except ValidationError as exc:
            if source.guessed and any("not valid JSON" in p.message for p in exc.problems):
                console.note("standard input is read as JSON; name its format with --from")
            raise
    size = os.path.getsize(source.spec)

    def reading() -> str:
        return f"reading {source.spec} ({_size(size)}) {time.monotonic() - started:.0f}s"

    # A big file shows progress at once; any other once it takes a while.
    delay = 0.0 if size >= PROGRESS_BYTES else PROGRESS_DELAY
    with console.status(reading, delay=delay):
        return load(source.spec, name, max_size=source.max_size, **source.options)


def _check_filters(args: argparse.Namespace) -> None:
    """Refuse filters that cannot keep anything, before anything is read."""
    from .registry import kinds

    known = kinds()
    for kind in args.kind:
        if kind not in known:
            raise UsageError(f"--kind: no kind {kind!r}; the kinds are: {', '.join(sorted(known))}")
    since, until = args.since, args.until
    if since and until and since.first_day_number() > until.last_day_number():
        raise UsageError(f"--since {since} comes after --until {until}")


def _select(timeline: Timeline, args: argparse.Namespace) -> Timeline:
    """The events that pass the filters."""
    if args.kind:
        timeline = timeline.of_kind(*args.kind)
    if args.since is not None or args.until is not None:
        timeline = timeline.between(args.since, args.until)
    if args.tag:
        timeline = timeline.tagged(*args.tag)
    for party in args.involving:
        timeline = timeline.involving(party)
    return timeline


def _filtered(args: argparse.Namespace) -> bool:
    return bool(args.kind or args.tag or args.involving or args.since or args.until)


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
    from .registry import exporter_for_suffix, get_exporter

    outputs: list[_Output] = []
    seen: set[str] = set()
    for target in targets:
        if not target:
            raise UsageError("-o '': the name of the output is empty")
        if target == STDIO:
            if standard_output() is None:  # >&-: refused before any file is written
                raise StreamClosedError("standard output")
            exporter = get_exporter(format or "json")
            key = STDIO
        else:
            path = Path(target)
            if not path.parent.is_dir():
                raise UsageError(f"{target}: the folder {str(path.parent)!r} does not exist")
            if path.is_dir():
                raise UsageError(f"{target}: is a folder, not a file")
            exporter = get_exporter(format) if format else exporter_for_suffix(path.suffix)
            key = os.path.realpath(path)
        if key in seen:
            what = "standard output" if target == STDIO else target
            raise UsageError(f"-o {target}: {what} is given twice")
        seen.add(key)
        outputs.append(_Output(target, exporter))
    return outputs


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
    return {name: fmt.resolve_options(given[name]) for name, fmt in formats.items()}


class _ExportFailed(Exception):
    """An exporter raised while writing ``label``; the cause is the exporter's error."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label


def _write(
    timeline: Timeline,
    outputs: Sequence[_Output],
    options: Mapping[str, Mapping[str, Any]],
    console: Console,
) -> int:
    """Write every output, all or nothing for files (see :class:`AtomicOutputs`):
    each file is written to a temporary file beside it, and they replace their
    targets together once every export has finished. Standard output, devices
    and named pipes are written after the files are replaced. Return how many
    warnings the exporters gave."""
    warned = console.warnings
    # The files first: when one fails, the others' work is not done for nothing.
    ordered = sorted(outputs, key=lambda o: o.target == STDIO or writes_in_place(o.target))

    def waiting(label: str) -> None:
        console.waiting(f"waiting for a reader of {label} (a named pipe)")

    with contextlib.ExitStack() as stack:
        targets = [stack.enter_context(_stdout()) if o.target == STDIO else o.target
                   for o in ordered]  # fmt: skip
        written = AtomicOutputs(targets, names=[o.label for o in ordered], waiting=waiting)
        with written as streams:
            for output, stream in zip(ordered, streams, strict=True):
                _export_one(timeline, output, stream, options[output.exporter.name], console)
    return console.warnings - warned


def _export_one(
    timeline: Timeline,
    output: _Output,
    stream: TextIO,
    options: Mapping[str, Any],
    console: Console,
) -> None:
    exporter = output.exporter
    total = len(timeline)
    console.context = output.label
    try:
        if not console.shows_progress or total < PROGRESS_EVENTS:
            exporter.write(timeline, stream, options)
            return
        counted, events = _counted(timeline)

        def status() -> str:
            done = min(events.done, total)
            return f"writing {output.label}: {done * 100 // total}% ({done:,} of {total:,} events)"

        with console.status(status):
            exporter.write(counted, stream, options)
    except (BrokenPipeError, OutputError):
        # The reader of standard output went away, or writing the output failed
        # (a full disk), which names it: not the exporter's fault.
        raise
    except Exception as exc:
        raise _ExportFailed(output.label) from exc
    finally:
        console.context = None


class _CountedEvents(tuple[Event, ...]):
    """The events of a timeline, counting how many an iteration has handed out."""

    done: int = 0

    def __iter__(self) -> Iterator[Event]:
        self.done = 0
        for done, event in enumerate(tuple.__iter__(self), 1):
            self.done = done
            yield event


def _counted(timeline: Timeline) -> tuple[Timeline, _CountedEvents]:
    """A copy of ``timeline`` whose events count how far an exporter has got.

    Exporters stream, event by event, over ``timeline.events``; the count is what
    the progress line shows. The copy shares everything else with the original.
    """
    events = _CountedEvents(timeline.events)
    counted = copy.copy(timeline)
    object.__setattr__(counted, "events", events)  # a frozen class: set the slot directly
    return counted, events


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


def _report_written(
    timeline: Timeline, outputs: Sequence[_Output], console: Console, warned: int
) -> None:
    """One line that says what was written from how many events, and how many
    warnings came with it (an exporter warns about each event it leaves out;
    a format may also write fewer events on purpose, as an anniversaries
    calendar does)."""
    files = [o.target for o in outputs if o.target != STDIO]
    if files:
        also = f", with {count(warned, 'warning')}" if warned else ""
        console.note(f"wrote {_and(files)} from {count(len(timeline), 'event')}{also}")


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's final flush of
    a closed pipe does not print an error on the way out."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# -- errors -----------------------------------------------------------------------------------


def _report(exc: BaseException, console: Console) -> int:
    """Print ``exc`` as one line (with details below it); return the exit status."""
    if console.debug:
        console.clear()
        traceback.print_exception(exc, file=console.stream)
    prefix = ""
    cause: BaseException = exc
    if isinstance(exc, _ExportFailed) and exc.__cause__ is not None:
        prefix, cause = f"{exc.label}: ", exc.__cause__
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


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"
