"""The contracts of exporters and importers (:class:`Exporter`,
:class:`Importer`), their options (:class:`Option`), and the streaming
contract that either may also keep (:class:`EventWriter`,
:class:`EventSource`; ``docs/streaming.md``).

Every subclass's ``write`` and ``read`` runs inside a guard that keeps plugin
code from ending the program or returning the wrong thing unnoticed. The
contract and the guard are explained in ``docs/plugins.md``.
"""

from __future__ import annotations

import abc
import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, TextIO

import attrs

from .errors import OptionError, PluginError, TimelineError
from .interrupts import what_it_did

if TYPE_CHECKING:
    from .model import Event
    from .timelines import Timeline

__all__ = [
    "EventSource",
    "EventWriter",
    "Exporter",
    "Importer",
    "Option",
    "locale_option",
    "text_position",
]

_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_TYPES: tuple[type[Any], ...] = (str, int, float, bool)
_TYPE_WORDS: dict[type[Any], str] = {
    str: "text", int: "a whole number", float: "a number", bool: "true or false"
}  # fmt: skip
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _to_choices(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """Any iterable of choices becomes a tuple (typed, so that callers type-check)."""
    return None if value is None else tuple(value)


@attrs.frozen
class Option:
    """An option a format accepts.

    ``type`` is ``str``, ``int``, ``float`` or ``bool``; ``choices`` limits a
    string to a few values. ``help`` is shown by ``timeline formats``.
    """

    name: str = attrs.field(validator=attrs.validators.matches_re(_NAME))
    type: type[Any] = attrs.field(default=str, validator=attrs.validators.in_(_TYPES))
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] | None = attrs.field(default=None, converter=_to_choices)
    validate: Callable[[Any], Any] | None = attrs.field(default=None, eq=False)
    """Checks a value of the right type further, and may write it the one
    way (a locale tag ``zh_hans`` is ``zh-Hans``); raises
    :class:`~timeline.OptionError` with the reason."""

    def check(self, value: Any) -> Any:
        """The value, checked, or :class:`~timeline.OptionError`. Strings are
        converted, as they come from the command line (``--option key=value``)."""
        if value is None:
            return None
        if isinstance(value, str) and self.type is not str:
            value = self.parse(value)
        if self.type is float and type(value) is int:
            value = float(value)
        if type(value) is not self.type:
            raise OptionError(
                f"option {self.name!r} takes {_TYPE_WORDS[self.type]}, not {type(value).__name__} "
                f"({value!r})"
            )
        if self.choices is not None and value not in self.choices:
            raise OptionError(
                f"option {self.name!r} is one of {', '.join(self.choices)}; not {value!r}"
            )
        if self.validate is not None:
            try:
                value = self.validate(value)
            except OptionError as exc:
                raise type(exc)(f"option {self.name!r}: {exc}") from None
        return value

    def parse(self, text: str) -> Any:
        """Convert command-line text to the option's type."""
        if self.type is bool:
            lowered = text.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise OptionError(f"option {self.name!r} is true or false, not {text!r}")
        if self.type is str:
            return text
        try:
            return self.type(text)
        except ValueError:
            raise OptionError(
                f"option {self.name!r} takes {_TYPE_WORDS[self.type]}, not {text!r}"
            ) from None

    def describe(self) -> str:
        """One line for listings: ``name (type, default ...): help``."""
        kind = "|".join(self.choices) if self.choices else self.type.__name__
        default = "" if self.default is None else f", default {_show(self.default)}"
        return f"{self.name} ({kind}{default}): {self.help}".rstrip(": ")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def locale_option(help: str = "") -> Option:
    """The ``locale`` option of an exporter that writes words: a BCP 47 tag
    (``ru``, ``zh-Hans``, ``fa``, ``en-GB``), written the one way; an unknown
    one is an :class:`~timeline.OptionError` naming close matches. ``None``
    (the default) is the library's own English. See docs/languages.md."""
    from .locales import canonical_tag

    return Option(
        "locale", str, default=None, validate=canonical_tag,
        help=help or "the language and conventions of the words written, a BCP 47 tag "
        "such as ru, zh-Hans, fa or en-GB; default: English",
    )  # fmt: skip


class _Format(abc.ABC):
    """What exporters and importers share."""

    name: ClassVar[str]
    """The format's name, as in ``format="ics"`` and ``-f ics``."""
    suffixes: ClassVar[tuple[str, ...]] = ()
    """File suffixes, with the dot, the first one preferred: ``(".ics", ".ical")``."""
    media_type: ClassVar[str] = "text/plain"
    """The IANA media type of the format."""
    description: ClassVar[str] = ""
    """One line that says what the format is for."""
    options: ClassVar[tuple[Option, ...]] = ()
    """The options the format accepts."""
    plugin: str | None = None
    """The plugin that registered the format, as :func:`timeline.get_plugins`
    names it; set when it is registered, ``None`` for a format no plugin
    registered. Errors from ``write`` and ``read`` name the format by it."""

    def resolve_options(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Check ``given`` against :attr:`options`; return every option with
        defaults filled in. An unknown option lists the valid ones."""
        declared = {o.name: o for o in self.options}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            valid = ", ".join(sorted(declared)) or "none"
            raise OptionError(
                f"format {self.name!r} has no option {unknown[0]!r}; its options are: {valid}"
            )
        resolved = {name: option.default for name, option in declared.items()}
        for name, value in given.items():
            resolved[name] = declared[name].check(value)
        return resolved

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'name', '?')!r}>"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for method, doing in (("write", "while writing"), ("read", "while reading")):
            function = cls.__dict__.get(method)
            if (
                callable(function)
                and not getattr(function, "__isabstractmethod__", False)
                and not hasattr(function, _GUARDED)
            ):
                setattr(cls, method, _guard(function, doing))


_GUARDED: Final = "_timeline_guarded"
BLAME: Final = "_timeline_blame"
"""The attribute that the guard sets on an error from ``write`` or ``read``
that is not a :class:`~timeline.TimelineError`: who raised it, in words
(``the exporter 'shout' of plugin 'timeline-shout'``)."""


def _guard(function: Callable[..., Any], doing: str) -> Callable[..., Any]:
    """``function`` (a subclass's ``write`` or ``read``), called so that plugin
    code cannot end the program or return the wrong thing unnoticed."""

    @functools.wraps(function)
    def guarded(self: _Format, *args: Any, **kwargs: Any) -> Any:
        try:
            result = function(self, *args, **kwargs)
        except TimelineError:
            raise
        except Exception as exc:
            if not hasattr(exc, BLAME):
                who = _described(self)
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(exc, BLAME, who)
                    exc.add_note(f"(raised by {who} {doing})")
            raise
        except BaseException as exc:
            source = _source(doing, args, kwargs)
            where = f"{source}: " if source else ""
            did = what_it_did(exc, doing)  # a Ctrl-C is raised again here
            raise PluginError(f"{where}{_described(self)} {did}") from exc
        if doing == "while reading":
            _check_timeline(self, result, _source(doing, args, kwargs))
        return result

    setattr(guarded, _GUARDED, True)
    return guarded


def _source(doing: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The ``source`` that ``read(stream, options, source)`` was given."""
    if doing != "while reading":
        return None
    source = kwargs.get("source", args[2] if len(args) > 2 else None)
    return source if isinstance(source, str) and source else None


_DEFAULT_PLUGINS: Final = f"{__package__}.default_plugins."
"""What the names of timeline's own plugins start with."""


def _described(fmt: _Format) -> str:
    """``the exporter 'shout' of plugin 'timeline-shout'``, ``timeline's
    exporter 'json'``, or for a format no plugin registered, its class."""
    role = "exporter" if isinstance(fmt, Exporter) else "importer"
    name = getattr(fmt, "name", "?")
    owner = getattr(fmt, "plugin", None)
    if isinstance(owner, str) and owner.startswith(_DEFAULT_PLUGINS):
        return f"timeline's {role} {name!r}"
    if isinstance(owner, str):
        return f"the {role} {name!r} of plugin {owner!r}"
    cls = type(fmt)
    return f"the {role} {name!r} ({cls.__module__}.{cls.__qualname__})"


def _check_timeline(importer: _Format, result: Any, source: str | None) -> None:
    from .timelines import Timeline

    if isinstance(result, Timeline):
        return
    what = "None" if result is None else f"a value of type {type(result).__name__}"
    raise PluginError(
        f"{source + ': ' if source else ''}{_described(importer)} returned {what}, "
        "not a timeline.Timeline"
    )


class Exporter(_Format):
    """Writes timelines in one format. Subclass it, set the class attributes,
    implement :meth:`write`, and register an instance from a plugin's
    ``register_exporters`` hook."""

    @abc.abstractmethod
    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        """Write ``timeline`` to ``out``, event by event.

        ``out`` is a text stream that passes line endings through unchanged
        (the file is opened with ``newline=""``), so write ``"\\r\\n"`` where
        the format wants it. ``options`` holds every declared option.
        Warn with :class:`~timeline.ExportWarning` about anything left out.
        """

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> EventWriter | None:
        """A writer that takes the events one at a time, for
        :func:`timeline.convert` to write a file without holding a
        timeline; ``None`` (the default) when the format, with these
        ``options``, needs the whole timeline (then it gets one, and
        :meth:`write` is called).

        ``header`` is the timeline without its events (title, description,
        URL, language, translations). The events come in the timeline's
        order (by start, then id), each id once; :meth:`EventWriter.close`
        comes after the last. What the writer writes to ``out`` must be
        exactly what :meth:`write` writes for the timeline of those events:
        :func:`timeline.testing.check_exporter` checks it. Making the writer
        writes nothing: what comes before the first event is written by the
        first :meth:`EventWriter.write` (or by :meth:`EventWriter.close`,
        for no events), so that when another output needs the whole
        timeline, nothing is to be undone.
        """
        return None


class EventWriter(abc.ABC):
    """Writes one output event by event: what
    :meth:`Exporter.event_writer` returns."""

    @abc.abstractmethod
    def write(self, event: Event) -> None:
        """Write ``event``, the next in the timeline's order."""

    @abc.abstractmethod
    def close(self) -> None:
        """Write what comes after the last event; warn (with
        :class:`~timeline.ExportWarning`) as :meth:`Exporter.write` would."""


@attrs.frozen
class EventSource:
    """What :meth:`Importer.read_events` gives: the timeline's header and
    its events, one at a time, in the order of the file."""

    header: Timeline
    """The timeline without its events: title, description, URL, language,
    translations (as much of it as comes before the first event)."""
    events: Iterator[Event]
    """The events, each read when it is asked for."""
    lenient: bool = False
    """How a second event with an id already seen is met: ``False`` (as
    timeline's JSON does) is an error, ``True`` (as a foreign format's
    reader does) leaves it out with an :class:`~timeline.ImporterWarning`."""
    unique: bool = False
    """Whether the reader itself never gives a second event with an id (it
    refuses it, as timeline's JSON does with ``load``'s message), so that the
    caller need not keep the ids again."""


_SPACE: Final = " \t\r\n"


class Importer(_Format):
    """Reads timelines in one format. Subclass it like :class:`Exporter` and
    register an instance from a plugin's ``register_importers`` hook."""

    starts_with: ClassVar[tuple[str, ...]] = ()
    """What a text in this format starts with, after any white space (spaces,
    tabs, line breaks): one of these strings, compared without regard to case,
    as ``("{",)`` for JSON or ``("BEGIN:",)`` for iCalendar. Empty (the
    default) takes any text. Input that cannot start so is refused before
    :meth:`read` is called, having read only its first bytes."""

    def check_start(self, head: str) -> tuple[str, str] | None:
        """Why a text that starts with ``head`` cannot be in this format, as a
        problem's ``(path, message)``; ``None`` when it may be. ``head`` is
        the start of the text (without its byte-order mark); it is the whole
        text when that is short. The default checks :attr:`starts_with`;
        override it for a test of your own, and take anything you are not
        sure of: :meth:`read` reports it then."""
        if not self.starts_with:
            return None
        rest = head.lstrip(_SPACE)
        if not rest:
            return None  # only white space so far: it may start later
        for start in self.starts_with:
            n = min(len(start), len(rest))
            if rest[:n].casefold() == start[:n].casefold():
                return None
        expected = " or ".join(repr(start) for start in self.starts_with)
        found = rest[: max(map(len, self.starts_with))]
        return (
            text_position(head, len(head) - len(rest)),
            f"this is not {self.name} text, which starts with {expected}; it starts with {found!r}",
        )

    @abc.abstractmethod
    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        """Read a timeline from ``stream``; ``source`` names it for messages
        (a path, ``<stdin>`` or ``<string>``). Raise
        :class:`~timeline.ValidationError` listing every problem."""

    def read_events(
        self, stream: TextIO, options: Mapping[str, Any], source: str
    ) -> EventSource | None:
        """The events of ``stream`` one at a time, for
        :func:`timeline.convert` and :func:`timeline.read_events`, without
        holding them all; ``None`` (the default) when the format is read
        whole (then :meth:`read` is called).

        Read the header first (what comes before the first event), then
        return an :class:`EventSource` whose ``events`` reads on as it is
        iterated, warning and raising exactly as :meth:`read` does, event by
        event. Order and ids are checked by the caller.
        """
        return None


def text_position(text: str, index: int) -> str:
    """``line L, column C`` of ``text[index]``, counted as the json module
    counts them (from 1, lines ended by ``\\n``)."""
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index)
    return f"line {line}, column {column}"
