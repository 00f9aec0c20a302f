"""The command line as click reads it, with argparse's words: the errors of a
bad command line (``the following arguments are required: INPUT``, ``argument
--since: ...``) and ``--help`` pages in sections (positional arguments,
options, filters, examples, commands). See ``docs/cli.md``.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, Final

import click

from timeline import Date, DateError, parse_date

__all__ = ["Argument", "Command", "Group", "Option", "UsageError"]

HELP: Final = "show this help message and exit"
"""What ``-h, --help`` says it does."""


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit status 2)."""


class ArgumentError(UsageError):
    """What the parser refuses: an unknown argument, a missing one, a bad value;
    ``prog`` is the command whose ``--help`` the message points to."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


class Argument(click.Argument):
    """A positional argument with a help text (click's have none)."""

    def __init__(self, decls: Sequence[str], *, help: str, **kwargs: Any) -> None:
        super().__init__(decls, **kwargs)
        self.help: str | None = help


class Option(click.Option):
    """An option listed in a section of ``--help`` (``options`` unless said)."""

    def __init__(self, decls: Sequence[str], *, section: str = "options", **kwargs: Any) -> None:
        super().__init__(decls, **kwargs)
        self.section = section


def _flags(param: click.Parameter) -> str:
    """``-o/--output``: an option as an error names it."""
    return "/".join(param.opts) if isinstance(param, click.Option) else str(param.metavar)


def _entry(param: click.Parameter) -> str:
    """``-o OUT, --output OUT``: an option as ``--help`` lists it."""
    if isinstance(param, click.Argument):
        return str(param.metavar)
    assert isinstance(param, click.Option)
    if param.is_flag:
        return ", ".join(param.opts)
    return ", ".join(f"{opt} {param.metavar}" for opt in param.opts)


class _Help:
    """What both commands and the group draw in ``--help``."""

    description: str
    examples: Sequence[str]

    def _write_head(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        command: Any = self
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="usage: ")
        formatter.write_paragraph()
        formatter.write_text(self.description)

    def _write_examples(self, formatter: click.HelpFormatter, *after: str) -> None:
        with formatter.section("examples"):
            for line in self.examples:
                formatter.write(f"{'':{formatter.current_indent}}{line}\n")
        for line in after:
            formatter.write_paragraph()
            formatter.write_text(line)


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = HELP
    return option


class Command(_Help, click.Command):
    """A command whose errors and help read as the argparse command's did.

    ``required`` are the names of the parameters that must be given (checked
    together, so that the error lists them all); ``exclusive`` pairs of flags
    that cannot be given together."""

    def __init__(
        self,
        name: str,
        *,
        summary: str,
        description: str,
        examples: Sequence[str],
        required: Sequence[str] = (),
        exclusive: Sequence[tuple[str, str]] = (),
        filters: str = "",
        **kwargs: Any,
    ) -> None:
        settings = {"ignore_unknown_options": True, "allow_extra_args": True,
                    "help_option_names": ["-h", "--help"]}  # fmt: skip
        super().__init__(name, short_help=summary, context_settings=settings, **kwargs)
        self.description = description
        self.examples = examples
        self.required = tuple(required)
        self.exclusive = tuple(exclusive)
        self.filters = filters

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        prog = ctx.command_path
        given = list(args)
        args, unknown = self._split_unknown(ctx, given)
        try:
            rest = super().parse_args(ctx, args)
        except click.BadParameter as exc:
            where = f"argument {_flags(exc.param)}: " if exc.param is not None else ""
            raise ArgumentError(f"{where}{exc.message}", prog) from None
        except click.BadOptionUsage as exc:
            param = next((p for p in self.params if exc.option_name in p.opts), None)
            name = exc.option_name if param is None else _flags(param)
            raise ArgumentError(f"argument {name}: expected one argument", prog) from None
        missing = [_flags(p) for p in self.params if p.name in self.required
                   and ctx.params.get(p.name) in (None, ())]  # fmt: skip
        if missing:
            raise ArgumentError(f"the following arguments are required: {', '.join(missing)}", prog)
        if unknown or rest:  # argparse's words, and its pointer at the top-level help
            raise ArgumentError(f"unrecognized arguments: {' '.join([*unknown, *rest])}",
                                "timeline")  # fmt: skip
        for first, second in self.exclusive:
            if ctx.params.get(first) and ctx.params.get(second):
                positions = {n: _position(given, self._param(n)) for n in (first, second)}
                earlier, later = sorted((first, second), key=positions.__getitem__)
                raise ArgumentError(
                    f"argument {_flags(self._param(later))}: not allowed with argument "
                    f"{_flags(self._param(earlier))}",
                    prog,
                )
        return rest

    def _split_unknown(self, ctx: click.Context, args: list[str]) -> tuple[list[str], list[str]]:
        """The arguments without the options this command does not have, and those."""
        options = {opt: p for p in [self.get_help_option(ctx), *self.params]
                   if isinstance(p, click.Option) for opt in p.opts}  # fmt: skip
        kept: list[str] = []
        unknown: list[str] = []
        tokens = iter(args)
        for token in tokens:
            if token == "--":
                kept.extend([token, *tokens])
                break
            name = token.partition("=")[0]
            if not token.startswith("-") or token == "-":
                kept.append(token)
            elif name not in options and not (token[1] != "-" and token[:2] in options):
                unknown.append(token)
            else:
                kept.append(token)
                option = options[name]
                if "=" not in token and not option.is_flag:
                    kept.extend(itertools.islice(tokens, 1))
        return kept, unknown

    def _param(self, name: str) -> click.Parameter:
        return next(p for p in self.params if p.name == name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._write_head(ctx, formatter)
        positional = [p for p in self.params if isinstance(p, Argument)]
        if positional:
            with formatter.section("positional arguments"):
                formatter.write_dl([(_entry(p), p.help or "") for p in positional])
        options: list[click.Parameter] = [p for p in [self.get_help_option(ctx), *self.params]
                                          if isinstance(p, click.Option)]  # fmt: skip
        for section in ("options", "filters"):
            rows = [(_entry(p), p.help or "") for p in options
                    if getattr(p, "section", "options") == section]  # fmt: skip
            if rows:
                with formatter.section(section):
                    if section == "filters" and self.filters:
                        _write_paragraph(formatter, self.filters)
                        formatter.write_paragraph()
                    formatter.write_dl(rows, col_max=22)
        self._write_examples(formatter)


def _write_paragraph(formatter: click.HelpFormatter, text: str) -> None:
    """``text`` wrapped, with no line that starts with an option's dash (which
    would read as an option of the list below)."""
    indent = formatter.current_indent
    lines = [line.split(" ") for line in
             textwrap.wrap(text, max(formatter.width - indent, 20))]  # fmt: skip
    for before, line in itertools.pairwise(lines):
        while line[0].startswith("-") and len(before) > 1:
            line.insert(0, before.pop())
    for line in lines:
        formatter.write(f"{'':{indent}}{' '.join(line)}\n")


def _position(args: Sequence[str], param: click.Parameter) -> int:
    return min((i for i, a in enumerate(args) if a in param.opts), default=len(args))


class Group(_Help, click.Group):
    """The ``timeline`` command: its commands, and argparse's words for a
    missing or an unknown one."""

    def __init__(
        self,
        name: str,
        *,
        description: str,
        examples: Sequence[str],
        after: str,
        more: Callable[..., None] | None = None,
        **kwargs: Any,
    ) -> None:
        settings = {"help_option_names": ["-h", "--help"]}
        given = kwargs.pop("callback", None)

        def callback(**params: Any) -> Any:
            # Run without a command (to say it is missing), as argparse said it.
            if click.get_current_context().invoked_subcommand is None:
                raise ArgumentError("the following arguments are required: COMMAND", "timeline")
            return given(**params) if given is not None else None

        super().__init__(name, context_settings=settings, no_args_is_help=False,
                         invoke_without_command=True, callback=callback, **kwargs)  # fmt: skip
        self.description = description
        self.examples = examples
        self.after = after
        self._more = more
        """Adds the commands of plugins, once, when a command is not built in or
        ``--help`` lists them: running a built-in command loads no plugin first."""

    def _add_more(self, *, listing: bool = False) -> None:
        more = self._more
        if more is not None:
            more(self, listing=listing)
            if not listing:
                self._more = None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            rest = super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            raise ArgumentError(f"unrecognized arguments: {exc.option_name}", "timeline") from None
        except click.UsageError as exc:
            raise ArgumentError(exc.message, "timeline") from None
        return rest

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if name not in self.commands:
            self._add_more()
        if name not in self.commands:
            choices = ", ".join(repr(n) for n in self.commands)
            raise ArgumentError(
                f"argument COMMAND: invalid choice: {name!r} (choose from {choices})", "timeline"
            )
        return name, self.commands[name], args[1:]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._add_more(listing=True)
        self._write_head(ctx, formatter)
        with formatter.section("options"):
            options = [p for p in [self.get_help_option(ctx), *self.params]
                       if isinstance(p, click.Option)]  # fmt: skip
            formatter.write_dl([(_entry(p), p.help or "") for p in options])
        with formatter.section("commands"):
            formatter.write_dl(
                [(n, c.get_short_help_str(limit=200)) for n, c in self.commands.items()]
            )
        self._write_examples(formatter, self.after)


# -- values -----------------------------------------------------------------------------------


class _Type(click.ParamType):  # type: ignore[type-arg]
    """A value read by a function that raises ``ValueError`` with the message."""

    def __init__(self, name: str, read: Callable[[str], Any]) -> None:
        self.name = name
        self._read = read

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self._read(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


_SIZE = re.compile(r"(\d+)\s*(?:([KMGT])(?:I?B)?|B)?", re.IGNORECASE)
_UNITS: Final = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _max_size(text: str) -> int | None:
    """``--max-size``: ``500M``, ``2G``, ``1048576``, or ``none``."""
    if text.strip().lower() == "none":
        return None
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not a size: give bytes, or a number with K, M, G or T (500M, 2G), "
            "or 'none'"
        )
    number, unit = match.groups()
    return int(number) * (_UNITS[unit.upper()] if unit else 1)


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"expected KEY=VALUE, not {text!r}")
    return key.strip(), value


def _date(text: str) -> Date:
    try:
        return parse_date(text)
    except DateError as exc:
        raise ValueError(str(exc)) from None


def _locale(text: str) -> str:
    from timeline.locales import canonical_tag

    return canonical_tag(text)  # a LocaleError is a ValueError, with close matches


SIZE: Final = _Type("size", _max_size)
LOCALE: Final = _Type("locale", _locale)
PAIR: Final = _Type("pair", _pair)
DATE: Final = _Type("date", _date)
