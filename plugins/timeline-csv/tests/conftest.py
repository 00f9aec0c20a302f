"""Fixtures for the CSV plugin's tests; the plugin is used only through
timeline's public API, found through its entry point as any plugin is."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
import timeline


def pytest_configure(config: pytest.Config) -> None:
    if "csv" not in timeline.exporters():
        raise pytest.UsageError(
            "the timeline-csv plugin is not installed: pip install -e plugins/timeline-csv"
        )


@pytest.fixture
def to_csv() -> Callable[..., str]:
    """``timeline.dumps(t, "csv", **options)`` without the warning that the
    timeline's title is left out (tests of that warning use dumps itself)."""

    def to_csv(t: timeline.Timeline, **options: Any) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", timeline.ExportWarning)
            return timeline.dumps(t, "csv", **options)

    return to_csv
