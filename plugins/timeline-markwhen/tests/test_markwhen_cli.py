"""The ``timeline`` command with the plugin installed, run as a user runs it:
in a subprocess, with ``TIMELINE_LOAD_PLUGINS=timeline-markwhen``."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import timeline
from timeline.testing import run_command

DISTRIBUTION = "timeline-markwhen"
COMMANDS = ("python -m timeline", "timeline")
Run = Callable[..., "subprocess.CompletedProcess[str]"]
STORY = "---\ntitle: Story\n---\n\n2024-07-04: A day #x\nfee: $4\nnow: Later\n"
WARNINGS = (
    "warning: story.mw:6: property 'fee' has no place in a timeline (an event has no "
    "attributes); left out\n"
    "warning: story.mw:7: 'now': 'now' is the time the document is read, which no timeline "
    "holds; the event is left out\n"
)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    def run(*args: str, command: str = "python -m timeline") -> subprocess.CompletedProcess[str]:
        return run_command(*args, plugins=DISTRIBUTION, cwd=tmp_path, script=command == "timeline")

    return run


@pytest.mark.parametrize("command", COMMANDS)
def test_export_the_example(run: Run, tmp_path: Path, command: str) -> None:
    done = run("export", "example:sco", "-o", "sco.mw", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "wrote sco.mw from 33 events\n")
    written = (tmp_path / "sco.mw").read_text("utf-8")
    assert written == timeline.dumps(timeline.example("sco"), "markwhen")


def test_the_plugin_is_listed(run: Run) -> None:
    done = run("plugins", "--json")
    assert done.returncode == 0
    [ours] = [p for p in json.loads(done.stdout) if p["name"] == DISTRIBUTION]
    assert ours["exporters"] == ["markwhen"]
    assert ours["importers"] == ["markwhen"]


def test_validate_warns_with_the_line(run: Run, tmp_path: Path) -> None:
    (tmp_path / "story.mw").write_text(STORY, encoding="utf-8")
    done = run("validate", "story.mw")
    assert (done.returncode, done.stdout) == (0, "ok: story.mw: 1 event\n")
    assert done.stderr == WARNINGS


def test_strict_validation_fails_naming_each_line(run: Run, tmp_path: Path) -> None:
    (tmp_path / "story.mw").write_text(STORY, encoding="utf-8")
    done = run("validate", "story.mw", "--input-option", "strict=true")
    assert done.returncode == 1
    assert done.stderr == (
        "error: story.mw: 2 problems\n"
        "  line 6: property 'fee' has no place in a timeline (an event has no attributes); "
        "left out\n"
        "  line 7: 'now': 'now' is the time the document is read, which no timeline holds; the "
        "event is left out\n"
    )


def test_a_timeline_moves_from_markwhen_to_json_and_back(run: Run, tmp_path: Path) -> None:
    (tmp_path / "story.mw").write_text(STORY, encoding="utf-8")
    done = run("export", "story.mw", "-o", "story.json")
    assert (done.returncode, done.stderr) == (0, WARNINGS + "wrote story.json from 1 event\n")
    done = run("export", "story.json", "-o", "again.mw")
    assert (done.returncode, done.stderr) == (0, "wrote again.mw from 1 event\n")
    again = timeline.load(tmp_path / "again.mw")
    assert [(e.title, str(e.start), e.tags) for e in again] == [("A day", "2024-07-04", ("x",))]


def test_the_plugin_is_listed_in_words(run: Run) -> None:
    done = run("plugins")
    assert done.returncode == 0
    assert (
        "timeline-markwhen 0.1.0\n"
        "  hooks:     register_exporters, register_importers\n"
        "  exporters: markwhen\n"
        "  importers: markwhen\n"
    ) in done.stdout
