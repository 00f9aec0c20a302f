"""The plugin manager: loading plugins, and the registry of what they provide.

(``timeline.plugins`` is the function :func:`plugins`; import names from this
module with ``from timeline.plugins import pm``.)

Plugins are loaded lazily, on the first call that needs a format or a kind,
so ``import timeline`` stays fast. The built-in formats and kinds are default
plugins inside the package, registered through the same hooks as anyone's.

Third-party plugins are found through the ``timeline`` entry-point group. The
environment variable ``TIMELINE_LOAD_PLUGINS`` chooses which: unset loads all,
a comma-separated list of distribution names loads only those, an empty value
loads none (the default plugins are always there).

A plugin that fails to import, implements a hook that does not exist, raises
from a hook or registers a name that is already taken is skipped, reported
once with a :class:`~timeline.PluginWarning`, and listed as broken by
:func:`plugins`; the library and the other plugins go on working. "Raises"
means anything a plugin can raise: ``sys.exit()`` (:class:`SystemExit`) and a
:class:`KeyboardInterrupt` that no Ctrl-C caused too (the command tells
them apart; a program of yours that uses the library takes every
:class:`KeyboardInterrupt` as a Ctrl-C). While a plugin is imported and while its hooks run,
what it prints goes to standard error; a plugin still importing after
``TIMELINE_PLUGIN_WAIT`` seconds (5 unless set) is named in a warning that
says how to start without it.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import importlib.metadata
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import Any, Final

import attrs
import pluggy

from . import hookspecs
from .errors import FormatError, PluginError, PluginWarning
from .formats import Exporter, Importer
from .model import Event

__all__ = [
    "DEFAULT_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "ENV_PLUGIN_WAIT",
    "PLUGIN_WAIT",
    "PluginInfo",
    "count_interrupt",
    "exporters",
    "get_exporter",
    "get_importer",
    "importers",
    "kinds",
    "load_plugins",
    "pm",
    "plugins",
    "users_interrupt",
    "watching_interrupts",
]

ENV_LOAD_PLUGINS: Final = "TIMELINE_LOAD_PLUGINS"
ENV_PLUGIN_WAIT: Final = "TIMELINE_PLUGIN_WAIT"
PLUGIN_WAIT: Final = 5.0
"""Seconds a plugin may take to import before a warning names it (unless
``TIMELINE_PLUGIN_WAIT`` says otherwise)."""
DEFAULT_PLUGINS: Final = (
    "timeline.default_plugins.kinds",
    "timeline.default_plugins.organisations",
    "timeline.default_plugins.json_format",
    "timeline.default_plugins.ics",
    "timeline.default_plugins.markdown_format",
)
_DISTRIBUTION: Final = "timeline-events"
_KIND = re.compile(r"[a-z][a-z0-9_-]*")


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, counting registrations so the registry knows when
    to rebuild itself."""

    generation = 0

    def register(self, plugin: object, name: str | None = None) -> str | None:
        result = super().register(plugin, name)
        self.generation += 1
        return result

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any:
        result = super().unregister(plugin, name)
        self.generation += 1
        return result


pm = _PluginManager(hookspecs.PROJECT)
pm.add_hookspecs(hookspecs)

_HOOKS: Final = ("register_exporters", "register_importers", "register_kinds")


@attrs.frozen
class PluginInfo:
    """One plugin as :func:`plugins` lists it."""

    name: str
    """The plugin's name: the module of a default plugin, else the distribution."""
    distribution: str | None
    """The installed distribution that provides it (``timeline-events`` for ours)."""
    version: str | None
    hooks: tuple[str, ...]
    """The hooks it implements."""
    exporters: tuple[str, ...] = ()
    importers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    builtin: bool = False
    error: str | None = None
    """Why the plugin is broken, or ``None`` when it works."""

    @property
    def broken(self) -> bool:
        """Whether the plugin was skipped."""
        return self.error is not None


@attrs.define
class _State:
    loaded: bool = False
    # plugin name -> (distribution name, version)
    distributions: dict[str, tuple[str, str]] = attrs.Factory(dict)
    # plugin name -> error, for plugins that never got registered
    failed: dict[str, tuple[str | None, str | None, str]] = attrs.Factory(dict)
    warned: set[str] = attrs.Factory(set)
    generation: int = -1
    registry: _Registry | None = None


_state = _State()


def load_plugins() -> None:
    """Register the default plugins and the installed ones; runs once."""
    if _state.loaded:
        return
    _state.loaded = True
    for module_name in DEFAULT_PLUGINS:
        if pm.get_plugin(module_name) is None:
            pm.register(importlib.import_module(module_name), name=module_name)
    selected = list(_entry_points())
    wait = _plugin_wait() if selected else PLUGIN_WAIT
    for name, dist, version, load in selected:
        others = sorted({d for _, d, _, _ in selected if d != dist}, key=_canonical)
        try:
            with _plugin_code(), _waiting_for(name, others, wait):
                plugin = load()
        except BaseException as exc:
            _fail(name, dist, version, _import_failure(exc), exc)
            continue
        try:
            with _plugin_code():
                pm.register(plugin, name=name)
        except BaseException as exc:
            did = str(exc) if isinstance(exc, Exception) else f"it {_what_it_did(exc)}"
            _fail(name, dist, version, f"cannot be registered: {did}", exc)
            continue
        _state.distributions[name] = (dist, version)
        unknown = _unknown_hooks(plugin)
        if unknown:
            pm.unregister(plugin)
            del _state.distributions[name]
            _fail(name, dist, version, unknown)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        unknown = _unknown_hooks(exc.plugin)
        raise PluginError(f"plugin {name!r} {unknown or exc}") from None


def _entry_points() -> Iterable[tuple[str, str, str, Callable[[], Any]]]:
    """(plugin name, distribution, version, loader) for the plugins to load."""
    selected = os.environ.get(ENV_LOAD_PLUGINS)
    wanted: set[str] | None = None
    if selected is not None:
        wanted = {_canonical(n) for n in selected.split(",") if n.strip()}
    found: set[str] = set()
    by_dist: dict[str, list[importlib.metadata.EntryPoint]] = {}
    for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        dist = ep.dist.name if ep.dist is not None else ep.name
        if wanted is not None and _canonical(dist) not in wanted:
            continue
        found.add(_canonical(dist))
        by_dist.setdefault(dist, []).append(ep)
    if wanted is not None:
        for missing in sorted(wanted - found):
            _fail(missing, missing, None, f"is named in {ENV_LOAD_PLUGINS} but is not installed")
    for dist in sorted(by_dist, key=_canonical):
        eps = sorted(by_dist[dist], key=lambda e: e.name)
        for ep in eps:
            version = ep.dist.version if ep.dist is not None else ""
            name = dist if len(eps) == 1 else f"{dist}:{ep.name}"
            yield name, dist, version, ep.load


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _unknown_hooks(plugin: object) -> str | None:
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.spec is None:
            hint = difflib.get_close_matches(caller.name, _HOOKS, n=1)
            also = f" (did you mean {hint[0]!r}?)" if hint else ""
            return f"implements unknown hook {caller.name!r}{also}"
    return None


def _fail(
    name: str,
    dist: str | None,
    version: str | None,
    reason: str,
    exc: BaseException | None = None,
) -> None:
    _state.failed[name] = (dist, version, reason)
    _warn(name, reason, exc)


def _warn(name: str, reason: str, exc: BaseException | None = None) -> None:
    """Warn once about a broken plugin. The warning's ``__cause__`` is what the
    plugin raised, so that ``--debug`` can show where (the plugin's own frames)."""
    if name in _state.warned:
        return
    _state.warned.add(name)
    warning = PluginWarning(f"plugin {name!r} {reason}; it is skipped")
    warning.__cause__ = exc
    warnings.warn(warning, stacklevel=3)


# -- keeping plugin code in bounds --------------------------------------------------------


@attrs.define
class _Interrupts:
    watched: bool = False
    """Whether Ctrl-C is being watched for (the command does; a program that
    uses the library does not, and every KeyboardInterrupt is then a Ctrl-C)."""
    received: int = 0
    """How many SIGINTs have come since watching started."""


_interrupts = _Interrupts()


def users_interrupt() -> bool:
    """Whether a :class:`KeyboardInterrupt` just caught is the user's: a Ctrl-C
    (SIGINT) was received, or nobody is watching to tell. Plugin code that
    raises KeyboardInterrupt itself, with no SIGINT, is a broken plugin."""
    return not _interrupts.watched or _interrupts.received > 0


def count_interrupt() -> None:
    """Count a signal that ends the command as a Ctrl-C does (SIGTERM, SIGHUP),
    so that the KeyboardInterrupt it raises is known to be the user's."""
    _interrupts.received += 1


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    count_interrupt()
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt


@contextlib.contextmanager
def watching_interrupts() -> Iterator[None]:
    """Count SIGINTs while the block runs, to tell a Ctrl-C from a
    KeyboardInterrupt that plugin code raised itself. Only where Python's
    own handler is in place, in the main thread: SIGINT ignored (a command
    started in the background) means that no KeyboardInterrupt is a Ctrl-C;
    a handler of someone else's is left alone, and nothing is watched."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous not in (signal.default_int_handler, signal.SIG_IGN):
        yield
        return
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    _interrupts.watched, _interrupts.received = True, 0
    try:
        yield
    finally:
        _interrupts.watched = False
        if previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous)


def _what_it_did(exc: BaseException, where: str = "") -> str:
    """What plugin code did, for a message: ``raised RuntimeError from its
    register_exporters hook: text``, ``called sys.exit(7)``. A Ctrl-C is
    raised again: it is the user's, not the plugin's."""
    at = f" {where}" if where else ""
    if isinstance(exc, KeyboardInterrupt):
        if users_interrupt():
            raise exc
        return f"raised KeyboardInterrupt{at}, though no Ctrl-C was pressed"
    if isinstance(exc, SystemExit):
        return f"called sys.exit({'' if exc.code is None else repr(exc.code)}){at}"
    text = str(exc)
    return f"raised {type(exc).__name__}{at}" + (f": {text}" if text else "")


def _import_failure(exc: BaseException) -> str:
    if isinstance(exc, Exception):
        text = str(exc)
        return f"cannot be imported: {type(exc).__name__}" + (f": {text}" if text else "")
    return f"cannot be imported: it {_what_it_did(exc)}"


@contextlib.contextmanager
def _plugin_code() -> Iterator[None]:
    """What plugin code prints while the block runs goes to standard error, so
    that it cannot end up in what the program writes to standard output."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def _plugin_wait() -> float:
    text = os.environ.get(ENV_PLUGIN_WAIT, "").strip()
    if not text:
        return PLUGIN_WAIT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        warnings.warn(
            f"{ENV_PLUGIN_WAIT}={text!r} is not a number of seconds; {PLUGIN_WAIT:g} is used",
            PluginWarning,
            stacklevel=3,
        )
        return PLUGIN_WAIT
    return seconds


@contextlib.contextmanager
def _waiting_for(name: str, others: list[str], wait: float) -> Iterator[None]:
    """While plugin ``name`` imports: once it has taken more than ``wait``
    seconds, one warning names it and says how to start without it
    (``others`` are the distributions that would still load)."""
    without = (
        f"{ENV_LOAD_PLUGINS}={','.join(others)} (the other plugins)"
        if others
        else f"{ENV_LOAD_PLUGINS}='' (no plugins)"
    )
    message = (
        f"plugin {name!r} is still being imported after {wait:g} s; "
        f"to start without it, set {without}"
    )
    lock = threading.Lock()
    done = False

    def say() -> None:
        with lock:
            if not done:
                warnings.warn(message, PluginWarning, stacklevel=1)

    timer = threading.Timer(wait, say)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done = True
        timer.cancel()


def _reset() -> None:
    """Forget every loaded plugin (for tests that change the environment)."""
    for name, plugin in list(pm.list_name_plugin()):
        if plugin is not None:
            pm.unregister(plugin, name=name)
    global _state
    _state = _State()


# -- the registry -------------------------------------------------------------------------


@attrs.frozen
class _Registry:
    exporters: dict[str, Exporter]
    importers: dict[str, Importer]
    kinds: dict[str, type[Event]]
    provided: dict[str, dict[str, list[str]]]
    broken: dict[str, str]
    owners: dict[int, str] = attrs.Factory(dict)
    """The plugin of each exporter and importer, by ``id()`` (the registry
    holds them, so the ids stay theirs)."""


def _registry() -> _Registry:
    load_plugins()
    if _state.registry is None or _state.generation != pm.generation:
        _state.registry = _build_registry()
        _state.generation = pm.generation
    return _state.registry


def _ordered_plugins() -> list[tuple[str, object]]:
    """Default plugins first, in their order, then the rest by name: the
    earlier plugin keeps a name that a later one registers again."""
    pairs = [(n, p) for n, p in pm.list_name_plugin() if p is not None]
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    return sorted(pairs, key=lambda np: (rank.get(np[0], len(rank)), np[0]))


def _build_registry() -> _Registry:
    tables: dict[str, dict[str, Any]] = {"exporters": {}, "importers": {}, "kinds": {}}
    owners: dict[tuple[str, str], str] = {}
    provided: dict[str, dict[str, list[str]]] = {}
    broken: dict[str, str] = {}
    by_id: dict[int, str] = {}
    for plugin_name, plugin in _ordered_plugins():
        staged: dict[str, list[Any]] = {"exporters": [], "importers": [], "kinds": []}
        hook_name = ""
        try:
            for hook_name, table in zip(_HOOKS, staged, strict=True):
                for impl in getattr(pm.hook, hook_name).get_hookimpls():
                    if impl.plugin is plugin:
                        with _plugin_code():
                            _call(impl, table, staged[table])
            hook_name = ""
            for table, items in staged.items():
                for item in items:
                    name = _registered_name(table, item)
                    owner = owners.get((table, name))
                    if owner is not None:
                        noun = {"exporters": "exporter", "importers": "importer", "kinds": "kind"}
                        raise PluginError(
                            f"registers {noun[table]} {name!r}, which plugin {owner!r} "
                            "already provides"
                        )
        except BaseException as exc:
            if isinstance(exc, PluginError):
                reason = str(exc)
            elif hook_name:
                reason = _what_it_did(exc, f"from its {hook_name} hook")
            else:
                reason = _what_it_did(exc, "while registering")
            broken[plugin_name] = reason
            _warn(plugin_name, reason, None if isinstance(exc, PluginError) else exc)
            continue
        summary: dict[str, list[str]] = {}
        for table, items in staged.items():
            for item in items:
                name = _registered_name(table, item)
                tables[table][name] = item
                owners[(table, name)] = plugin_name
                by_id[id(item)] = plugin_name
                summary.setdefault(table, []).append(name)
        provided[plugin_name] = summary
    return _Registry(
        exporters=dict(sorted(tables["exporters"].items())),
        importers=dict(sorted(tables["importers"].items())),
        kinds=tables["kinds"],
        provided=provided,
        broken=broken,
        owners=by_id,
    )


def _owner(fmt: object) -> str | None:
    """The plugin that registered an exporter or importer, if one did; it does
    not load plugins (a format at work is already registered, or never was)."""
    registry = _state.registry
    if registry is None:
        return None
    owner = registry.owners.get(id(fmt))
    kind = "exporters" if isinstance(fmt, Exporter) else "importers"
    if owner is None or getattr(registry, kind).get(getattr(fmt, "name", None)) is not fmt:
        return None
    return owner


def _describe_format(fmt: object) -> str:
    """``the exporter 'shout' of plugin 'timeline-shout'``, ``timeline's
    exporter 'json'``, or for a format no plugin registered, its class."""
    role = "exporter" if isinstance(fmt, Exporter) else "importer"
    name = getattr(fmt, "name", "?")
    owner = _owner(fmt)
    if owner in DEFAULT_PLUGINS:
        return f"timeline's {role} {name!r}"
    if owner is not None:
        return f"the {role} {name!r} of plugin {owner!r}"
    cls = type(fmt)
    return f"the {role} {name!r} ({cls.__module__}.{cls.__qualname__})"


def _format_failure(
    fmt: object, doing: str, exc: BaseException, source: str | None = None
) -> PluginError:
    """The error for what an exporter's ``write`` or an importer's ``read``
    raised that is not an ``Exception``: ``sys.exit()``, a KeyboardInterrupt
    that no Ctrl-C caused (a Ctrl-C is raised again). ``source`` is the input
    being read."""
    where = f"{source}: " if source else ""
    return PluginError(f"{where}{_describe_format(fmt)} {_what_it_did(exc, doing)}")


def _call(impl: pluggy.HookImpl, table: str, sink: list[Any]) -> None:
    def register(item: Any) -> None:
        _check_item(table, item)
        sink.append(item)

    impl.function(**dict.fromkeys(impl.argnames, register))


def _registered_name(table: str, item: Any) -> str:
    return item.kind if table == "kinds" else item.name  # type: ignore[no-any-return]


# What a kind's field may not be named: what formats and queries ask of every
# event (``parties()``, ``last``...). ``online`` is meant to be set by a field.
_RESERVED: Final = frozenset(
    name
    for name, value in vars(Event).items()
    if not name.startswith("_")
    and (callable(value) or isinstance(value, property))
    and name != "online"
) | {"kind", "anniversary"}


def _check_item(table: str, item: Any) -> None:
    if table == "kinds":
        if not (isinstance(item, type) and issubclass(item, Event)):
            raise PluginError(f"register_kinds: {item!r} is not a subclass of timeline.Event")
        kind = item.kind
        if "__attrs_attrs__" not in item.__dict__:
            raise PluginError(
                f"register_kinds: {item.__qualname__} is not decorated with @attrs.frozen"
            )
        if item is not Event and kind == Event.kind:
            raise PluginError(f"register_kinds: {item.__qualname__} does not set its own 'kind'")
        if not _KIND.fullmatch(kind):
            raise PluginError(f"register_kinds: kind {kind!r} is not a lowercase name")
        for field in attrs.fields(item):
            if field.name in _RESERVED:
                raise PluginError(
                    f"register_kinds: {item.__name__}'s field {field.name!r} would hide "
                    f"Event.{field.name}, which formats and queries use; give it another name"
                )
        return
    base = Exporter if table == "exporters" else Importer
    if not isinstance(item, base):
        raise PluginError(
            f"register_{table}: {item!r} is not an instance of timeline.{base.__name__}"
        )
    name = getattr(item, "name", None)
    if not isinstance(name, str) or not _KIND.fullmatch(name):
        raise PluginError(
            f"register_{table}: {type(item).__name__}.name {name!r} is not a lowercase name"
        )
    for suffix in item.suffixes:
        if not (isinstance(suffix, str) and suffix.startswith(".") and len(suffix) > 1):
            raise PluginError(f"register_{table}: {name!r} has a bad suffix {suffix!r}")


# -- public lookups -----------------------------------------------------------------------


def exporters() -> dict[str, Exporter]:
    """Every registered exporter, by name."""
    return dict(_registry().exporters)


def importers() -> dict[str, Importer]:
    """Every registered importer, by name."""
    return dict(_registry().importers)


def kinds() -> dict[str, type[Event]]:
    """Every registered kind of event, by its ``kind`` name."""
    return dict(_registry().kinds)


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``, or a :class:`~timeline.FormatError` that
    lists the available ones."""
    exporter: Exporter = _lookup(_registry().exporters, name, "export")
    return exporter


def get_importer(name: str) -> Importer:
    """The importer called ``name``, or a :class:`~timeline.FormatError`."""
    importer: Importer = _lookup(_registry().importers, name, "import")
    return importer


def exporter_for_suffix(suffix: str) -> Exporter:
    """The exporter that claims a file suffix such as ``.ics``."""
    exporter: Exporter = _by_suffix(_registry().exporters, suffix, "export")
    return exporter


def importer_for_suffix(suffix: str) -> Importer:
    """The importer that claims a file suffix such as ``.json``."""
    importer: Importer = _by_suffix(_registry().importers, suffix, "import")
    return importer


def _lookup(table: dict[str, Any], name: str, verb: str) -> Any:
    try:
        return table[name]
    except KeyError:
        available = ", ".join(table) or "none"
        raise FormatError(
            f"no format {name!r} to {verb}; available: {available} "
            "(a plugin may provide it: see 'timeline plugins')"
        ) from None


def _by_suffix(table: dict[str, Any], suffix: str, verb: str) -> Any:
    wanted = suffix.lower()
    for fmt in _ordered_formats(table):
        if wanted in (s.lower() for s in fmt.suffixes):
            return fmt
    known = ", ".join(sorted({s for f in table.values() for s in f.suffixes})) or "none"
    shown = f"suffix {suffix!r}" if suffix else "no suffix"
    raise FormatError(
        f"cannot tell the format to {verb} from {shown}; name it (format= in Python, "
        f"{'-f' if verb == 'export' else '--from'} on the command line; "
        f"known suffixes: {known}; a plugin may add others)"
    )


def _ordered_formats(table: dict[str, Any]) -> list[Any]:
    """Built-in formats claim a suffix before plugins do."""
    reg = _registry()
    owner = {
        name: plugin for plugin, p in reg.provided.items() for names in p.values() for name in names
    }
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    return sorted(table.values(), key=lambda f: (rank.get(owner.get(f.name, ""), 99), f.name))


def plugins() -> list[PluginInfo]:
    """Every plugin, default and installed, working or broken, by name."""
    reg = _registry()
    ours = importlib.metadata.version(_DISTRIBUTION)
    infos: list[PluginInfo] = []
    for name, plugin in _ordered_plugins():
        dist, version = _state.distributions.get(name, (None, None))
        builtin = name in DEFAULT_PLUGINS
        if builtin:
            dist, version = _DISTRIBUTION, ours
        hooks = tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ()))
        provided = reg.provided.get(name, {})
        infos.append(
            PluginInfo(
                name=name,
                distribution=dist,
                version=version,
                hooks=hooks,
                exporters=tuple(provided.get("exporters", ())),
                importers=tuple(provided.get("importers", ())),
                kinds=tuple(provided.get("kinds", ())),
                builtin=builtin,
                error=reg.broken.get(name),
            )
        )
    for name, (dist, version, reason) in sorted(_state.failed.items()):
        infos.append(
            PluginInfo(name=name, distribution=dist, version=version, hooks=(), error=reason)
        )
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    return sorted(infos, key=lambda i: (rank.get(i.name, len(rank)), i.name))
