"""Our JSON in TimelineJS3 itself (the npm package @knight-lab/timelinejs
3.9.11, from tests/js), in headless Chromium: no console error and no
request to the network, a slide per event and the title slide, each slide's
dates as TimelineJS parsed them equal to ours, and the dates it shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import timeline
from timeline.testing import sample_timeline

from conftest import Shown

Show = Callable[..., Shown]


def _parts(written: dict[str, str]) -> dict[str, int]:
    """What TimelineJS's JavaScript Date should hold for the parts we wrote."""
    return {name: int(value) for name, value in written.items()}


def test_sco(show: Show) -> None:
    document = timeline.dumps(timeline.example("sco"), "timelinejs")
    shown = show(document)
    slides = shown.slides()
    print(json.dumps(slides[:3], indent=1, ensure_ascii=False))
    assert shown.errors == []
    assert shown.requests == []
