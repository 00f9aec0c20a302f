"""Shared fixtures.

The core tests run with no third-party plugins (``TIMELINE_LOAD_PLUGINS=""``),
so that the first-party plugins installed beside the library for their own
tests cannot change what these tests see. Tests of plugin loading set the
variable themselves and reset the plugin manager.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ["TIMELINE_LOAD_PLUGINS"] = ""
# The checks shared by the trust tests report their values as test modules do.
pytest.register_assert_rewrite("format_checks")

# Property tests: a quick profile by default (and in CI), a long one on demand:
#   HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_properties.py
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Forget loaded plugins before and after the test; the test may set
    ``TIMELINE_LOAD_PLUGINS`` through the monkeypatch it gets."""
    from timeline.plugins import _reset

    _reset()
    yield monkeypatch
    monkeypatch.undo()
    _reset()


@pytest.fixture(scope="session")
def sco():
    import timeline

    return timeline.example("sco")


@pytest.fixture(scope="session")
def sample():
    from timeline.testing import sample_timeline

    return sample_timeline()
