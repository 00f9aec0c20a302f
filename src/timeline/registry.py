"""What plugins provide: the tables of exporters, importers and kinds, the
checks on what a plugin registers, the lookups, and the listing of plugins.

The tables are built from the registered plugins (:mod:`timeline.plugins`
loads them) on the first lookup, and again after a plugin is registered or
unregistered. See ``docs/plugins.md``.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Final, Literal

import attrs
import pluggy

from .errors import FormatError, PluginError
from .formats import Exporter, Importer
from .interrupts import what_it_did
from .model import Event
from .plugins import (
    DEFAULT_PLUGINS,
    distribution_of,
    failures,
    load_plugins,
    plugin_code,
    pm,
    registered_plugins,
    warn_broken,
)

__all__ = [
    "RESERVED_FIELDS",
    "PluginInfo",
    "exporter_for_suffix",
    "exporters",
    "get_exporter",
    "get_importer",
    "get_plugins",
    "importer_for_suffix",
    "importers",
    "kind_table",
    "kinds",
]

Table = Literal["exporters", "importers", "kinds"]
_TABLES: Final[tuple[Table, ...]] = ("exporters", "importers", "kinds")
_NOUN: Final[dict[Table, str]] = {"exporters": "exporter", "importers": "importer", "kinds": "kind"}
_NAME = re.compile(r"[a-z][a-z0-9_-]*")

RESERVED_FIELDS: Final = frozenset(
    name
    for cls in Event.__mro__[:-1]
    for name, value in vars(cls).items()
    if not name.startswith("_")
    and (callable(value) or isinstance(value, property))
    and name != "online"
) | {"kind", "anniversary"}
"""What a kind's field may not be named: what formats and queries ask of every
event (``parties()``, ``last``, ``kind``, ``translated()``...). ``online`` is
meant to be set by a field."""


@attrs.frozen
class PluginInfo:
    """One plugin as :func:`get_plugins` lists it."""

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


@attrs.frozen
class _Tables:
    generation: int
    """The plugin manager's generation the tables were built at."""
    exporters: dict[str, Exporter]
    importers: dict[str, Importer]
    kinds: dict[str, type[Event]]
    owners: dict[tuple[Table, str], str]
    """The plugin that provides each ``(table, name)``, in the order registered."""
    broken: dict[str, str]
    """Why a registered plugin's hooks were refused, by plugin name."""
    kind_items: tuple[tuple[str, type[Event]], ...]


_cache: _Tables | None = None
"""The tables last built: the registry owns its cache, rebuilt when the plugin
manager's generation has moved on."""


def _tables() -> _Tables:
    global _cache
    load_plugins()
    if _cache is None or _cache.generation != pm.generation:
        _cache = _build()
    return _cache


def _build() -> _Tables:
    generation = pm.generation
    tables: dict[Table, dict[str, Any]] = {table: {} for table in _TABLES}
    owners: dict[tuple[Table, str], str] = {}
    broken: dict[str, str] = {}
    for plugin_name, plugin in registered_plugins():
        staged = _staged(plugin_name, plugin, owners)
        if isinstance(staged, str):
            broken[plugin_name] = staged
            continue
        for table, item in staged:
            name = _registered_name(table, item)
            tables[table][name] = item
            owners[(table, name)] = plugin_name
            if table != "kinds":
                _attach(item, plugin_name)
    return _Tables(
        generation=generation,
        exporters=dict(sorted(tables["exporters"].items())),
        importers=dict(sorted(tables["importers"].items())),
        kinds=tables["kinds"],
        owners=owners,
        broken=broken,
        kind_items=tuple(tables["kinds"].items()),
    )


def _staged(
    plugin_name: str, plugin: object, owners: dict[tuple[Table, str], str]
) -> list[tuple[Table, Any]] | str:
    """What ``plugin`` registers, checked, in order; or why it is broken (then
    none of it is used, and a warning says why once)."""
    staged: list[tuple[Table, Any]] = []
    hook_name = ""
    try:
        for table in _TABLES:
            hook_name = f"register_{table}"
            for impl in getattr(pm.hook, hook_name).get_hookimpls():
                if impl.plugin is plugin:
                    with plugin_code():
                        _call(impl, table, staged)
        hook_name = ""
        for table, item in staged:
            name = _registered_name(table, item)
            owner = owners.get((table, name))
            if owner is not None:
                raise PluginError(
                    f"registers {_NOUN[table]} {name!r}, which plugin {owner!r} already provides"
                )
    except BaseException as exc:
        if isinstance(exc, PluginError):
            reason = str(exc)
        elif hook_name:
            reason = what_it_did(exc, f"from its {hook_name} hook")
        else:
            reason = what_it_did(exc, "while registering")
        warn_broken(plugin_name, reason, None if isinstance(exc, PluginError) else exc)
        return reason
    return staged


def _attach(fmt: Exporter | Importer, plugin_name: str) -> None:
    """Set the format's :attr:`~timeline.Exporter.plugin`, by which its errors
    name it (a format that keeps no attributes is named by its class)."""
    with contextlib.suppress(AttributeError, TypeError):
        object.__setattr__(fmt, "plugin", plugin_name)


def _call(impl: pluggy.HookImpl, table: Table, sink: list[tuple[Table, Any]]) -> None:
    def register(item: Any) -> None:
        _check(table, item)
        sink.append((table, item))

    impl.function(**dict.fromkeys(impl.argnames, register))


def _registered_name(table: Table, item: Any) -> str:
    return item.kind if table == "kinds" else item.name  # type: ignore[no-any-return]


def _check(table: Table, item: Any) -> None:
    """Refuse with a :class:`~timeline.PluginError` what a plugin registers in
    ``table`` (``"exporters"``, ``"importers"`` or ``"kinds"``) that it may
    not: an exporter that is not a :class:`~timeline.Exporter`, a name that is
    not a lowercase name, a bad suffix, a kind that is not a frozen attrs
    subclass of :class:`~timeline.Event` with its own ``kind``, or a field
    named as one of :data:`RESERVED_FIELDS`."""
    if table == "kinds":
        _check_kind(item)
        return
    base = Exporter if table == "exporters" else Importer
    if not isinstance(item, base):
        raise PluginError(
            f"register_{table}: {item!r} is not an instance of timeline.{base.__name__}"
        )
    name = getattr(item, "name", None)
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise PluginError(
            f"register_{table}: {type(item).__name__}.name {name!r} is not a lowercase name"
        )
    for suffix in item.suffixes:
        if not (isinstance(suffix, str) and suffix.startswith(".") and len(suffix) > 1):
            raise PluginError(f"register_{table}: {name!r} has a bad suffix {suffix!r}")


def _check_kind(item: Any) -> None:
    if not (isinstance(item, type) and issubclass(item, Event)):
        raise PluginError(f"register_kinds: {item!r} is not a subclass of timeline.Event")
    kind = item.kind
    if "__attrs_attrs__" not in item.__dict__:
        raise PluginError(
            f"register_kinds: {item.__qualname__} is not decorated with @attrs.frozen"
        )
    if item is not Event and kind == Event.kind:
        raise PluginError(f"register_kinds: {item.__qualname__} does not set its own 'kind'")
    if not _NAME.fullmatch(kind):
        raise PluginError(f"register_kinds: kind {kind!r} is not a lowercase name")
    for field in attrs.fields(item):
        if field.name in RESERVED_FIELDS:
            raise PluginError(
                f"register_kinds: {item.__name__}'s field {field.name!r} would hide "
                f"Event.{field.name}, which formats and queries use; give it another name"
            )


# -- lookups ------------------------------------------------------------------------------


def exporters() -> dict[str, Exporter]:
    """Every registered exporter, by name."""
    return dict(_tables().exporters)


def importers() -> dict[str, Importer]:
    """Every registered importer, by name."""
    return dict(_tables().importers)


def kinds() -> dict[str, type[Event]]:
    """Every registered kind of event, by its ``kind`` name."""
    return dict(_tables().kinds)


def kind_table() -> tuple[tuple[str, type[Event]], ...]:
    """``(kind name, class)`` for every registered kind, in the order
    registered: the same tuple object for as long as no plugin is registered
    or unregistered, so that what is built from the kinds (the converter of
    :mod:`timeline.structuring`) can be cached on it."""
    return _tables().kind_items


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``, or a :class:`~timeline.FormatError` that
    lists the available ones."""
    exporter: Exporter = _lookup(_tables().exporters, name, "export")
    return exporter


def get_importer(name: str) -> Importer:
    """The importer called ``name``, or a :class:`~timeline.FormatError`."""
    importer: Importer = _lookup(_tables().importers, name, "import")
    return importer


def exporter_for_suffix(suffix: str) -> Exporter:
    """The exporter that claims a file suffix such as ``.ics``; the built-in
    formats claim a suffix before plugins do."""
    exporter: Exporter = _by_suffix("exporters", suffix, "export")
    return exporter


def importer_for_suffix(suffix: str) -> Importer:
    """The importer that claims a file suffix such as ``.json``."""
    importer: Importer = _by_suffix("importers", suffix, "import")
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


def _by_suffix(table: Literal["exporters", "importers"], suffix: str, verb: str) -> Any:
    tables = _tables()
    formats: dict[str, Exporter | Importer] = dict(getattr(tables, table))
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}

    def order(fmt: Exporter | Importer) -> tuple[int, str]:
        owner = tables.owners.get((table, fmt.name), "")
        return rank.get(owner, len(rank)), fmt.name

    wanted = suffix.lower()
    for fmt in sorted(formats.values(), key=order):
        if wanted in (s.lower() for s in fmt.suffixes):
            return fmt
    known = ", ".join(sorted({s for f in formats.values() for s in f.suffixes})) or "none"
    shown = f"suffix {suffix!r}" if suffix else "no suffix"
    raise FormatError(
        f"cannot tell the format to {verb} from {shown}; name it (format= in Python, "
        f"{'-f' if verb == 'export' else '--from'} on the command line; "
        f"known suffixes: {known}; a plugin may add others)"
    )


# -- the listing --------------------------------------------------------------------------


def get_plugins() -> list[PluginInfo]:
    """Every plugin, default and installed, working or broken: the default
    plugins first, in their order, then the others by name.

    >>> import timeline
    >>> [p.name for p in timeline.get_plugins() if p.builtin][:2]
    ['timeline.default_plugins.kinds', 'timeline.default_plugins.organisations']
    """
    tables = _tables()
    provided: dict[str, dict[Table, list[str]]] = {}
    for (table, name), owner in tables.owners.items():
        provided.setdefault(owner, {}).setdefault(table, []).append(name)
    infos: list[PluginInfo] = []
    for name, plugin in registered_plugins():
        dist, version = distribution_of(name) or (None, None)
        mine = provided.get(name, {})
        infos.append(
            PluginInfo(
                name=name,
                distribution=dist,
                version=version,
                hooks=tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ())),
                exporters=tuple(mine.get("exporters", ())),
                importers=tuple(mine.get("importers", ())),
                kinds=tuple(mine.get("kinds", ())),
                builtin=name in DEFAULT_PLUGINS,
                error=tables.broken.get(name),
            )
        )
    for name, (dist, version, reason) in failures().items():
        infos.append(
            PluginInfo(name=name, distribution=dist, version=version, hooks=(), error=reason)
        )
    rank = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    return sorted(infos, key=lambda i: (rank.get(i.name, len(rank)), i.name))
