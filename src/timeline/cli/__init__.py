"""The ``timeline`` command: export, show and check timelines from a terminal.

The click group with its commands and the plugins' ones, the exit statuses and the signals,
through the public API only. See ``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import click

from timeline import PluginWarning, TimelineWarning
from timeline.files import DEFAULT_MAX_SIZE
from timeline.plugins import count_interrupt, users_interrupt, watching_interrupts
from timeline.streams import StreamClosedError, process_streams, standard_output

from . import commands
from .commands import (
    EXAMPLE_PREFIX,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    PROGRESS_BYTES,
    PROGRESS_EVENTS,
    STDIO,
    Args,
    report,
)
from .console import Console
from .parsing import (
    DATE,
    LOCALE,
    PAIR,
    SIZE,
    Argument,
    ArgumentError,
    Command,
    Group,
    Option,
    UsageError,
)

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROGRESS_BYTES",
    "PROGRESS_EVENTS",
    "UsageError",
    "cli",
    "main",
]

EXIT_INTERRUPTED: Final = 130


# -- the command line -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (``sys.argv[1:]`` when ``None``); return the exit status.

    Called without ``argv``, as the ``timeline`` script and ``python -m timeline``
    call it, the command runs as the process: it guards standard streams that
    were closed, keeps its standard output for its own output (what plugins
    print goes to standard error; see :func:`timeline.streams.process_streams`)
    and watches for Ctrl-C, so that a KeyboardInterrupt that plugin code raises
    itself is a plugin's error. Called with ``argv`` (from a test, or a program
    of yours), it leaves the process's streams and signal handlers alone.
    """
    if argv is None:  # the command itself: the process's streams and Ctrl-C are its own
        with process_streams(), watching_interrupts(), _ending_on_signals():
            return main(sys.argv[1:])
    console = Console(sys.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("always", TimelineWarning)
        warnings.showwarning = console.show_warning
        try:
            return _run(argv, console)
        except ArgumentError as exc:
            console.error(str(exc), [f"(see '{exc.prog} --help')"])
            return EXIT_USAGE
        except click.UsageError as exc:  # of a command that a plugin adds
            prog = exc.ctx.command_path if exc.ctx is not None else "timeline"
            console.error(exc.format_message(), [f"(see '{prog} --help')"])
            return EXIT_USAGE
        except click.ClickException as exc:
            console.error(exc.format_message())
            return exc.exit_code
        except click.Abort:  # Ctrl-C in a command that a plugin adds
            console.error("interrupted")
            return EXIT_INTERRUPTED
        except KeyboardInterrupt as exc:
            if isinstance(exc, _Signalled):  # SIGTERM, SIGHUP
                return _signalled(exc, console)
            if not users_interrupt():  # raised by plugin code, not by a Ctrl-C
                return report(exc, console)
            console.error("interrupted")
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader of standard output went away (``timeline show big.json | head``).
            _silence_stdout()
            return EXIT_INVALID
        except (Exception, SystemExit) as exc:  # SystemExit: plugin code called sys.exit()
            return report(exc, console)


def _run(argv: Sequence[str], console: Console) -> int:
    """Read the command line with click, then run the command it names."""
    planned = cli().main(list(argv), prog_name="timeline", standalone_mode=False)
    if not isinstance(planned, tuple):  # --help, --version, or a plugin's command ran
        if standard_output() is None:  # click says nothing when it cannot print
            raise StreamClosedError("standard output")
        return _finish(planned if isinstance(planned, int) else EXIT_OK, console)
    command, args = planned
    console.debug = args.debug
    console.quiet = getattr(args, "quiet", False)
    return _finish(command(args, console), console)


def _finish(status: int, console: Console) -> int:
    """``status``, once what the command printed is flushed to standard output;
    failing to write it (a full disk, a closed stream) is the command's error."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_INVALID
    except StreamClosedError as exc:
        return report(exc, console)
    except OSError as exc:
        return report(OSError(exc.errno, exc.strerror, "standard output"), console)
    return status


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's final flush of
    a closed pipe does not print an error on the way out."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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


# -- the commands, as click reads them ---------------------------------------------------------

_INPUT_HELP: Final = f"a file, '{STDIO}' for standard input, or {EXAMPLE_PREFIX}NAME for an example"
_FILTERS: Final = (
    "Keep only some events. Dates may be years, months or days, and count whole: "
    "--until 2001 keeps everything up to 31 December 2001."
)


def _debug() -> Option:
    return Option(["--debug"], is_flag=True, help="show the traceback of an error")


def _locale() -> Option:
    return Option(["--locale"], metavar="TAG", type=LOCALE,
                  help="the language of the words written, a BCP 47 tag such as ru, zh-Hans, "
                  "fa or en-GB (default: English; see docs/languages.md)")  # fmt: skip


def _quiet() -> Option:
    return Option(["-q", "--quiet"], is_flag=True, help="print nothing but errors and warnings")


def _input(*, several: bool = False) -> list[click.Parameter]:
    return [
        Argument(["input"], metavar="INPUT", nargs=-1 if several else 1, required=False,
                 help=_INPUT_HELP),
        Option(["--from", "input_format"], metavar="FORMAT",
               help="the format of INPUT (default: from its suffix; JSON for standard input)"),
        Option(["--input-option", "input_option"], multiple=True, metavar="KEY=VALUE",
               type=PAIR, help="an option of the input format (repeatable)"),
        Option(["--max-size", "max_size"], metavar="SIZE", type=SIZE,
               default=DEFAULT_MAX_SIZE,
               help="refuse an input larger than this: bytes, or with K, M, G or T "
               "(KiB, MiB...), as in 500M or 2G; 'none' for no limit (default: 1G)"),
    ]  # fmt: skip


def _outputs() -> list[click.Parameter]:
    return [
        Option(["-o", "--output"], multiple=True, metavar="OUT",
               help=f"a file to write, or '{STDIO}' for standard output (repeatable)"),
        Option(["-f", "--format"], metavar="FORMAT",
               help="the format of every output (default: from each output's suffix)"),
        Option(["--option"], multiple=True, metavar="[FORMAT.]KEY=VALUE", type=PAIR,
               help="an option of the output formats, for every output whose format has it, "
               "or for FORMAT only (repeatable; see 'timeline formats')"),
    ]  # fmt: skip


def _filters() -> list[click.Parameter]:
    def option(name: str, metavar: str, text: str, **kwargs: Any) -> Option:
        return Option([name], metavar=metavar, help=text, section="filters", **kwargs)

    return [
        option("--kind", "KIND", "events of this kind (repeat for any of several)", multiple=True),
        option("--since", "DATE", "events that end on or after DATE", type=DATE),
        option("--until", "DATE", "events that start on or before DATE", type=DATE),
        option("--tag", "TAG", "events with this tag (repeat: with every tag)", multiple=True),
        option("--involving", "PARTY", "events that involve PARTY, a country code or name, or "
               "another party (repeat: every party)", multiple=True),
    ]  # fmt: skip


Run = Callable[[Args, Console], int]


def _command(  # noqa: PLR0917 - the table of commands reads best by position
    name: str,
    run: Run,
    summary: str,
    description: str,
    examples: Sequence[str],
    params: Sequence[click.Parameter],
    **kwargs: Any,
) -> Command:
    """A command of ``timeline``; what it does is planned when the command line
    is read, and run by :func:`main`."""

    def plan(**values: Any) -> tuple[Run, Args]:
        parent = click.get_current_context().find_root().params
        values["debug"] = bool(values.get("debug") or parent.get("debug"))
        return run, Args(**values)

    return Command(name, summary=summary, description=description, examples=examples,
                   params=[_debug(), *params], callback=plan, **kwargs)  # fmt: skip


def _built_in() -> list[Command]:
    return [
        _command(
            "export", commands.export, "write a timeline in one or more formats",
            "Read INPUT once and write it to every OUT. Each OUT's suffix picks its format "
            "unless -f is given; '-' is standard output (JSON unless -f is given). The files "
            "are written together: if one export fails, no file is changed.",
            ["timeline export example:sco -o sco.ics -o sco.json -o sco.md",
             "timeline export events.json -o summits.ics --kind summit --since 2020",
             "timeline export events.json -f json -o - --option compact=true",
             "timeline export example:sco -o sco.ru.ics -o sco.ru.md --locale ru",
             "cat events.json | timeline export - -o events.md"],
            [*_input(), *_outputs(), _locale(), _quiet(), *_filters()],
            required=["input", "output"], filters=_FILTERS,
        ),
        _command(
            "show", commands.show, "print a compact view of a timeline",
            "Print the events of INPUT by year: date, kind, title and place. Lines are cut "
            "to the width of the terminal.",
            ["timeline show example:sco",
             "timeline show events.json --involving India --since 2017",
             "timeline show example:sco --locale zh-Hans"],
            [*_input(), _locale(), *_filters()], required=["input"], filters=_FILTERS,
        ),
        _command(
            "validate", commands.validate, "check timelines and list every problem",
            "Read each INPUT and report every problem with its path, or 'ok'; the exit "
            "status is 1 when there is a problem.",
            ["timeline validate events.json", "timeline validate data/*.json",
             "timeline validate - < events.json"],
            _input(several=True), required=["input"],
        ),
        _command(
            "formats", commands.formats, "list the formats, their suffixes and their options",
            "List every exporter and importer, built in or from a plugin, with its suffixes "
            "and options.",
            ["timeline formats", "timeline formats json", "timeline formats --json"],
            [Argument(["name"], metavar="NAME", required=False, help="show only this format"),
             Option(["--json"], is_flag=True, help="print JSON")],
        ),
        _command(
            "plugins", commands.plugins_, "list the plugins and what they provide",
            "List every plugin, built in or installed, with its version, hooks and what it "
            "provides; a broken plugin is listed with its error.",
            ["timeline plugins", "timeline plugins --json", "timeline plugins --check"],
            [Option(["--json"], is_flag=True, help="print JSON"),
             Option(["--check"], is_flag=True, help="list nothing; exit with status 1 if a "
                    "plugin is broken, with an error line for each")],
            exclusive=[("json", "check")],
        ),
        _command(
            "example", commands.example_, "write a built-in example timeline",
            "Write the example NAME (JSON to standard output unless -o or -f says otherwise); "
            "with no NAME, list the examples.",
            ["timeline example", "timeline example sco -o sco.md",
             "timeline example sco | timeline show -"],
            [Argument(["name"], metavar="NAME", required=False, help="the example's name"),
             *_outputs(), _quiet()],
        ),
    ]  # fmt: skip


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("timeline-events")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        number = "unknown"
    click.echo(f"timeline {number}")
    ctx.exit()


def cli() -> Group:
    """The ``timeline`` command as a click group: the built-in commands, then
    those that plugins add with the ``register_commands`` hook."""
    group = Group(
        "timeline",
        description="Dated events as typed data, published as calendars, data files and "
        "readable documents.",
        examples=["timeline export example:sco -o sco.ics -o sco.json -o sco.md",
                  "timeline show example:sco --kind accession",
                  "timeline validate events.json"],
        after="Run 'timeline COMMAND --help' for the options of a command.",
        params=[
            Option(["--version"], is_flag=True, expose_value=False, is_eager=True,
                   callback=_show_version, help="show program's version number and exit"),
            _debug(),
        ],
        callback=lambda debug: None,
        more=_add_plugin_commands,
    )  # fmt: skip
    for command in _built_in():
        group.add_command(command)
    return group


def _add_plugin_commands(group: Group, *, listing: bool = False) -> None:
    """Let every plugin add its commands; a plugin whose hook fails is named
    in a warning, and the other commands work. To list them (``--help``),
    nothing is loaded when ``TIMELINE_LOAD_PLUGINS`` selects no installed
    plugin: the built-in ones add no command, and ``--help`` stays quick."""
    from timeline.plugins import ENV_LOAD_PLUGINS, load_plugins, pm

    if listing and not os.environ.get(ENV_LOAD_PLUGINS, "unset").strip(" ,"):
        return
    load_plugins()
    for impl in pm.hook.register_commands.get_hookimpls():
        try:
            impl.function(cli=group)
        except Exception as exc:
            warning = PluginWarning(
                f"plugin {impl.plugin_name!r} failed in register_commands: "
                f"{type(exc).__name__}: {exc}; its commands are skipped"
            )
            warning.__cause__ = exc
            warnings.warn(warning, stacklevel=2)
