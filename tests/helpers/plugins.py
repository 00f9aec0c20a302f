"""Plugins the core tests register for a while: the repository's CSV plugin,
from its source (the core suite loads no installed plugin)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from timeline.testing import register_plugin

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""


@contextmanager
def csv_plugin() -> Iterator[None]:
    """The repository's CSV plugin, registered from its source."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "plugins" / "timeline-csv" / "src"))
        with register_plugin(importlib.import_module("timeline_csv"), name="timeline-csv"):
            yield
