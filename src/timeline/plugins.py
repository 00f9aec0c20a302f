"""Loading plugins, and keeping plugin code in bounds while it runs.

The plugin manager, the default plugins, the entry points and ``TIMELINE_LOAD_PLUGINS``. See
docs/plugins.md, "How plugins are found and what happens when one breaks".
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

import attrs
import pluggy

from . import hookspecs
from .errors import PluginError, PluginWarning
from .interrupts import count_interrupt, users_interrupt, watching_interrupts, what_it_did

__all__ = [
    "DEFAULT_PLUGINS",
    "DISTRIBUTION",
    "ENV_LOAD_PLUGINS",
    "ENV_PLUGIN_WAIT",
    "HOOKS",
    "PLUGIN_WAIT",
    "count_interrupt",
    "distribution_of",
    "failures",
    "load_plugins",
    "plugin_code",
    "pm",
    "registered_plugins",
    "reset",
    "unknown_hook",
    "users_interrupt",
    "warn_broken",
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
"""The built-in plugins, registered first and in this order."""
DISTRIBUTION: Final = "timeline-events"
"""The distribution that provides timeline and its default plugins."""
HOOKS: Final = tuple(
    name for name, spec in vars(hookspecs).items() if hasattr(spec, f"{hookspecs.PROJECT}_spec")
)
"""The names of the hooks a plugin may implement."""


class _PluginManager(pluggy.PluginManager):
    """pluggy's manager, counting registrations so that what is built from
    the plugins (the registry) knows when to build itself again."""

    generation = 0
    """Goes up by one at every registration and unregistration."""

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


@attrs.define
class _State:
    loaded: bool = False
    # plugin name -> (distribution name, version)
    distributions: dict[str, tuple[str, str]] = attrs.Factory(dict)
    # plugin name -> (distribution, version, error), for plugins that never got registered
    failed: dict[str, tuple[str | None, str | None, str]] = attrs.Factory(dict)
    warned: set[str] = attrs.Factory(set)


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
            with plugin_code(), _waiting_for(name, others, wait):
                plugin = load()
        except BaseException as exc:
            _fail(name, dist, version, _import_failure(exc), exc)
            continue
        try:
            with plugin_code():
                pm.register(plugin, name=name)
        except BaseException as exc:
            did = str(exc) if isinstance(exc, Exception) else f"it {what_it_did(exc)}"
            _fail(name, dist, version, f"cannot be registered: {did}", exc)
            continue
        _state.distributions[name] = (dist, version)
        unknown = unknown_hook(plugin)
        if unknown:
            pm.unregister(plugin)
            del _state.distributions[name]
            _fail(name, dist, version, unknown)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        unknown = unknown_hook(exc.plugin)
        raise PluginError(f"plugin {name!r} {unknown or exc}") from None


def reset() -> None:
    """Forget every loaded plugin and every warning given about one: the next
    call that needs a plugin loads them again, as the environment then says
    (for tests that change ``TIMELINE_LOAD_PLUGINS``; see
    :func:`timeline.testing.reset_plugins`)."""
    for name, plugin in list(pm.list_name_plugin()):
        if plugin is not None:
            pm.unregister(plugin, name=name)
    global _state
    _state = _State()


def registered_plugins() -> list[tuple[str, object]]:
    """``(name, plugin)`` for every registered plugin: the default plugins
    first, in their order, then the rest by name. The earlier plugin keeps a
    name that a later one registers again. It does not load plugins."""
    pairs = [(n, p) for n, p in pm.list_name_plugin() if p is not None]
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    return sorted(pairs, key=lambda np: (rank.get(np[0], len(rank)), np[0]))


def distribution_of(name: str) -> tuple[str, str] | None:
    """``(distribution, version)`` of the registered plugin ``name``:
    ``timeline-events`` for a default plugin, ``None`` for a plugin that was
    registered by hand (:func:`timeline.testing.register_plugin`)."""
    if name in DEFAULT_PLUGINS:
        return DISTRIBUTION, importlib.metadata.version(DISTRIBUTION)
    return _state.distributions.get(name)


def failures() -> dict[str, tuple[str | None, str | None, str]]:
    """The plugins that could not be registered, by name: ``(distribution,
    version, why)``, the distribution and version ``None`` where unknown
    (a name in ``TIMELINE_LOAD_PLUGINS`` that is not installed)."""
    return dict(sorted(_state.failed.items()))


def unknown_hook(plugin: object) -> str | None:
    """Why ``plugin`` cannot be registered because of a hook that does not
    exist (``implements unknown hook 'register_exporter' (did you mean
    'register_exporters'?)``), or ``None`` when every hook it implements is
    one of :data:`HOOKS`."""
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.spec is None:
            import difflib  # only for the message

            hint = difflib.get_close_matches(caller.name, HOOKS, n=1)
            also = f" (did you mean {hint[0]!r}?)" if hint else ""
            return f"implements unknown hook {caller.name!r}{also}"
    return None


def warn_broken(name: str, reason: str, exc: BaseException | None = None) -> None:
    """Warn once about the broken plugin ``name`` with a
    :class:`~timeline.PluginWarning`: ``plugin 'x' <reason>; it is skipped``.
    The warning's ``__cause__`` is ``exc``, what the plugin raised, so that
    ``--debug`` can show where (the plugin's own frames)."""
    if name in _state.warned:
        return
    _state.warned.add(name)
    warning = PluginWarning(f"plugin {name!r} {reason}; it is skipped")
    warning.__cause__ = exc
    warnings.warn(warning, stacklevel=3)


@contextlib.contextmanager
def plugin_code() -> Iterator[None]:
    """What plugin code prints while the block runs goes to standard error, so
    that it cannot end up in what the program writes to standard output."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


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


def _fail(
    name: str,
    dist: str | None,
    version: str | None,
    reason: str,
    exc: BaseException | None = None,
) -> None:
    _state.failed[name] = (dist, version, reason)
    warn_broken(name, reason, exc)


def _import_failure(exc: BaseException) -> str:
    if isinstance(exc, Exception):
        text = str(exc)
        return f"cannot be imported: {type(exc).__name__}" + (f": {text}" if text else "")
    return f"cannot be imported: it {what_it_did(exc)}"


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
