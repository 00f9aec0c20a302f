"""The fuzz harness runs (briefly) in every test run, so it cannot rot; run it
for longer with ``python tests/helpers/fuzz.py --seconds 600``."""

from __future__ import annotations

import re
import threading

import pytest
from helpers.fuzz import Found, fuzz
from helpers.plugins import csv_plugin

import timeline


@pytest.mark.parametrize("name", sorted(timeline.importers()))
def test_fuzz_briefly(name):
    assert fuzz(name, seconds=0, examples=60, save=False) == 1


def test_fuzz_the_csv_plugin_briefly():
    with csv_plugin():
        assert fuzz("csv", seconds=0, examples=60, save=False) == 1


def test_a_hang_is_a_find(monkeypatch):
    """An input that takes longer than the limit is reported, not waited for. The
    load never ends on its own (it waits for an event that nothing sets), so only
    the limit can end it, however slow the machine."""

    def hang(*args, **kwargs):
        threading.Event().wait(600)  # a safety net, never reached: the limit ends the wait
        raise AssertionError("the limit did not stop a load that hangs")

    monkeypatch.setattr(timeline, "load", hang)
    # The limit is long enough that it can only end in the load's wait, never in
    # the few lines around it (10 ms did, on a loaded machine: two failures).
    # Without shrinking, the hang is run twice (found, then replayed), not a
    # hundred times (209 s).
    with pytest.raises(Found, match=re.escape("json: Hang: no answer within 2.0 s")):
        fuzz("json", seconds=0, examples=1, save=False, limit=2.0, shrink=False)
