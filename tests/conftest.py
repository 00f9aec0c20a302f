"""Shared fixtures.

The core tests run with no third-party plugins (``TIMELINE_LOAD_PLUGINS=""``),
so that the first-party plugins installed beside the library for their own
tests cannot change what these tests see. Tests of plugin loading set the
variable themselves and reset the plugin manager.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

os.environ["TIMELINE_LOAD_PLUGINS"] = ""

# Ctrl-C as in a terminal, whoever started the tests: a shell that starts a
# command in the background (``pytest &``, a CI runner's script) starts it
# with SIGINT ignored, and the commands the tests run would inherit that and
# ignore the SIGINT a test sends them (as they should: the command keeps a
# signal that its parent ignores). A handler, unlike an ignored signal, is not
# inherited: the commands start with SIGINT as Python sets it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
# The helpers shared by the tests (tests/helpers/) report their values as test modules do.
pytest.register_assert_rewrite("helpers")
from helpers import plugins  # noqa: E402  (after the line above)
from helpers.data import MARK, data_fixtures  # noqa: E402

# Property tests: a quick profile by default (and in CI), a long one on demand:
#   HYPOTHESIS_PROFILE=thorough python -m pytest tests/properties/test_core.py
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARK}(pattern): run the test once per data file of the pattern (see "
        "tests/helpers/data.py)",
    )


# The hostile corpus (tests/corpus/hostile/), which tests of several folders read:
# the fixture ``hostile_files``, and ``hostile_file`` with the data_files mark.
hostile_files, pytest_generate_tests = data_fixtures(__file__, "hostile", "corpus", "hostile")


@pytest.fixture
def fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Forget loaded plugins before and after the test; the test may set
    ``TIMELINE_LOAD_PLUGINS`` through the monkeypatch it gets."""
    from timeline.testing import reset_plugins

    reset_plugins()
    yield monkeypatch
    monkeypatch.undo()
    reset_plugins()


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ``PYTHONPATH`` on which the single-module test plugins of
    ``tests/plugins/`` are installed distributions, for the commands a test runs
    (which name the plugins they load in ``TIMELINE_LOAD_PLUGINS``)."""
    return plugins.install(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def sco():
    import timeline

    return timeline.example("sco")


@pytest.fixture(scope="session")
def sample():
    from timeline.testing import sample_timeline

    return sample_timeline()
