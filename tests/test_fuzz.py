"""The fuzz harness runs (briefly) in every test run, so it cannot rot; run it
for longer with ``python tests/fuzz/fuzz_loaders.py --seconds 600``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import timeline

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))
from fuzz_loaders import fuzz


@pytest.mark.parametrize("name", sorted(timeline.importers()))
def test_fuzz_briefly(name):
    assert fuzz(name, seconds=0, examples=60, save=False) == 1
