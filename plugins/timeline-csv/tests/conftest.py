"""Fixtures for the CSV plugin's tests; the plugin is used only through
timeline's public API, found through its entry point as any plugin is."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import timeline
from hypothesis import HealthCheck, settings

# As in timeline's own suite: no property test depends on the machine's speed
# (no deadline, no too-slow check), whichever file runs it.
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    if "csv" not in timeline.exporters():
        chosen = os.environ.get("TIMELINE_LOAD_PLUGINS")
        if chosen is not None:
            raise pytest.UsageError(
                f"TIMELINE_LOAD_PLUGINS={chosen!r} leaves the timeline-csv plugin out: "
                "unset it, or name timeline-csv in it"
            )
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
