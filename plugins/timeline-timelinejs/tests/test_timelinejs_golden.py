"""The golden files: the SCO example and the sample timeline as TimelineJS
JSON, byte for byte. ``TIMELINE_REGENERATE=1`` writes them anew (look at
the diff before committing it); otherwise a difference fails with the diff."""

from __future__ import annotations

import difflib
import os
import warnings
from pathlib import Path

import pytest
import timeline
from losses import allow_losses
from timeline.testing import sample_timeline

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "sco.timelinejs.json": lambda: timeline.example("sco"),
    "sample.timelinejs.json": sample_timeline,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        allow_losses()
        text = timeline.dumps(CASES[name](), "timelinejs")
    path = GOLDEN / name
    if os.environ.get("TIMELINE_REGENERATE") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), text.splitlines(keepends=True),
            f"golden/{name}", "exported now",
        ))  # fmt: skip
        pytest.fail(f"the export differs from golden/{name} "
                    f"(TIMELINE_REGENERATE=1 writes it anew):\n{diff}")  # fmt: skip
