"""Plugins the core tests register for a while: a plugin of a format of each
kind and a kind (``Plugin``, for the tests of the hooks and of the registry),
and the repository's CSV plugin, from its source (the core suite loads no
installed plugin); and the single-module plugins of ``tests/plugins/`` laid
out as installed for the commands that the tests run (the ``installed``
fixture of ``tests/conftest.py``)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TextIO

import attrs
import pytest

import timeline
from timeline import Event, Exporter, Importer, Option, Timeline
from timeline.testing import register_plugin

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""
TEST_PLUGINS = ROOT / "tests" / "plugins"
"""The test plugins' source (see its README)."""
INSTALLED: tuple[tuple[str, str, str], ...] = (
    ("timeline-cli-testplugin", "1.0", "timeline_cli_testplugin"),
    ("timeline-cli-broken", "0.1", "timeline_cli_broken"),
    ("timeline-cli-commands", "1.0", "timeline_cli_commands"),
    ("timeline-cli-badcommands", "1.0", "timeline_cli_badcommands"),
    ("timeline-cli-rogue", "0.1", "timeline_cli_rogue"),
)
"""The single-module plugins of ``tests/plugins/`` as installed distributions:
(distribution, version, module)."""


def install(site: Path) -> str:
    """Lay out in ``site`` the ``.dist-info`` folder of each plugin of
    :data:`INSTALLED` that ``pip install`` would leave (its name, version and
    entry point), and return a ``PYTHONPATH`` of ``site`` and the plugins'
    source. A command run with it chooses among them with ``TIMELINE_LOAD_PLUGINS``."""
    for dist, version, module in INSTALLED:
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[timeline]\n{module.rsplit('_', 1)[-1]} = {module}\n", encoding="utf-8"
        )
    return os.pathsep.join([str(site), str(TEST_PLUGINS)])


@contextmanager
def csv_plugin() -> Iterator[None]:
    """The repository's CSV plugin, registered from its source."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "plugins" / "timeline-csv" / "src"))
        with register_plugin(importlib.import_module("timeline_csv"), name="timeline-csv"):
            yield


class Upper(Exporter):
    """The titles in capitals, one after another."""

    name = "upper"
    suffixes = (".upper", ".json")  # claims .json too, after the built-in format
    media_type = "text/plain"
    description = "Titles in capitals."
    options = (Option("sep", str, default="\n", help="between titles"),)

    def write(self, tl: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        for event in tl:
            out.write(event.title.upper() + options["sep"])


class Lines(Importer):
    """One event per line: ``2001-06-15 SCO founded``."""

    name = "lines"
    suffixes = (".lines",)
    media_type = "text/plain"
    description = "One event per line: date, a space, the title."

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        events = []
        for line in stream:
            date, _, title = line.rstrip("\n").partition(" ")
            events.append(Event(title=title, start=date))
        return Timeline(events=events)


@attrs.frozen(kw_only=True)
class Election(Event):
    kind: ClassVar[str] = "election"
    winner: str = attrs.field(metadata={"label": "Winner"})


class Plugin:
    """Registers ``Upper``, ``Lines`` and ``Election``; register it as
    ``test-plugin``: ``register_plugin(Plugin(), name="test-plugin")``."""

    __name__ = "test-plugin"

    @timeline.hookimpl
    def register_exporters(self, register: Any) -> None:
        register(Upper())

    @timeline.hookimpl
    def register_importers(self, register: Any) -> None:
        register(Lines())

    @timeline.hookimpl
    def register_kinds(self, register: Any) -> None:
        register(Election)
