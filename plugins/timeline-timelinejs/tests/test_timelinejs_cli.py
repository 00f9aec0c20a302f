"""The plugin as a user has it: found through its entry point, picked by the
double suffix ``.timelinejs.json`` (``.json`` stays timeline's own JSON), and
the ``timeline`` command run in a subprocess, as ``python -m timeline`` and
as the console script, with ``TIMELINE_LOAD_PLUGINS=timeline-timelinejs``."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import timeline
from timeline.files import resolve_format
from timeline.testing import run_command

import timeline_timelinejs

DISTRIBUTION = "timeline-timelinejs"
COMMANDS = ("python -m timeline", "timeline")
Run = Callable[..., "subprocess.CompletedProcess[str]"]
SCO = timeline.example("sco")
BAD = '{"events": [{"start_date": {"year": 2001, "month": 13}, "text": {"headline": "Bad"}}, 5]}'
BAD_SAID = (
    "warning: bad.timelinejs.json: $.events[0].start_date.month: 13 is out of its range 1..12; "
    "left out, and every finer part\n"
    "warning: bad.timelinejs.json: $.events[1]: is a number, not a slide; left out\n"
)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    def run(*args: str, command: str = "python -m timeline") -> subprocess.CompletedProcess[str]:
        return run_command(*args, plugins=DISTRIBUTION, cwd=tmp_path, script=command == "timeline")

    return run


def test_found_through_the_entry_point() -> None:
    (info,) = [p for p in timeline.get_plugins() if p.name == DISTRIBUTION]
    assert info.distribution == DISTRIBUTION
    version = importlib.metadata.version(DISTRIBUTION)
    assert info.version == version == timeline_timelinejs.__version__ == "0.1.0"
    assert info.hooks == ("register_exporters", "register_importers")
    assert (info.exporters, info.importers) == (("timelinejs",), ("timelinejs",))
    assert not info.builtin
    assert info.error is None


def test_the_double_suffix_picks_the_format(tmp_path: Path) -> None:
    assert resolve_format("export", target="sco.timelinejs.json").name == "timelinejs"
    assert resolve_format("import", target="x.TimelineJS.json").name == "timelinejs"
    assert resolve_format("export", target="sco.json").name == "json"
    assert resolve_format("import", target="sco.json").name == "json"
    timeline.dump(SCO, tmp_path / "sco.timelinejs.json")
    text = (tmp_path / "sco.timelinejs.json").read_text(encoding="utf-8")
    assert text == timeline.dumps(SCO, "timelinejs")
    assert len(timeline.load(tmp_path / "sco.timelinejs.json")) == 33


@pytest.mark.parametrize("command", COMMANDS)
def test_export_the_example(run: Run, tmp_path: Path, command: str) -> None:
    done = run("export", "example:sco", "-o", "sco.timelinejs.json", "-o", "sco.json",
               command=command)  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "warning: sco.timelinejs.json: 2 events have tags that TimelineJS cannot hold (a slide "
        "has one group; group=tag makes it the first tag): 'charter'; left out\n"
        "warning: sco.timelinejs.json: the translations into ru, zh are left out: TimelineJS "
        "shows one language (the locale option chooses it)\n"
        "wrote sco.timelinejs.json and sco.json from 33 events, with 2 warnings\n"
    )
    written = (tmp_path / "sco.timelinejs.json").read_text(encoding="utf-8")
    assert written == timeline.dumps(SCO, "timelinejs")
    assert (tmp_path / "sco.json").read_text(encoding="utf-8") == timeline.dumps(SCO, "json")


def test_export_with_options_and_a_locale(run: Run, tmp_path: Path) -> None:
    done = run("export", "example:sco", "-o", "sco.timelinejs.json", "--locale", "zh",
               "--option", "group=host", "-q")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "warning: sco.timelinejs.json: 35 texts have no Chinese translation and are in English "
        "(description 2, notes 33)\n"
        "warning: sco.timelinejs.json: 2 events have tags that TimelineJS cannot hold (a slide "
        "has one group; group=tag makes it the first tag): 'charter'; left out\n"
        "warning: sco.timelinejs.json: the translations into ru are left out: TimelineJS shows "
        "one language (the locale option chooses it)\n"
    )
    document = json.loads((tmp_path / "sco.timelinejs.json").read_text(encoding="utf-8"))
    assert document["title"]["text"]["headline"] == "上海合作组织"
    assert document["events"][-1]["group"] == "中国"
    done = run("export", "example:sco", "-o", "sco.timelinejs.json", "--option", "group=colour")
    assert done.returncode == 2
    assert done.stderr == (
        "error: --option group=colour: timelinejs: option 'group': is kind, tag, country, none "
        "or the name of a kind's attribute (organisation, members, member, status, format, host, "
        "participants), not 'colour'\n"
    )
    assert json.loads((tmp_path / "sco.timelinejs.json").read_text("utf-8")) == document


@pytest.mark.parametrize("command", COMMANDS)
def test_validate(run: Run, tmp_path: Path, command: str) -> None:
    (tmp_path / "sco.timelinejs.json").write_text(timeline.dumps(SCO, "timelinejs"), "utf-8")
    done = run("validate", "sco.timelinejs.json", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "ok: sco.timelinejs.json: 33 events\n", ""
    )  # fmt: skip
    (tmp_path / "bad.timelinejs.json").write_text(BAD, "utf-8")
    done = run("validate", "bad.timelinejs.json", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "ok: bad.timelinejs.json: 1 event\n", BAD_SAID
    )  # fmt: skip
    done = run("validate", "bad.timelinejs.json", "--input-option", "strict=true", command=command)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: bad.timelinejs.json: 2 problems\n"
        "  $.events[0].start_date.month: 13 is out of its range 1..12; left out, and every finer "
        "part\n"
        "  $.events[1]: is a number, not a slide; left out\n"
    )


def test_export_what_was_read(run: Run, tmp_path: Path) -> None:
    (tmp_path / "sco.timelinejs.json").write_text(timeline.dumps(SCO, "timelinejs"), "utf-8")
    done = run("export", "sco.timelinejs.json", "-o", "back.timelinejs.json", "--option",
               "group=tag")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "wrote back.timelinejs.json from 33 events\n"
    back = (tmp_path / "back.timelinejs.json").read_text(encoding="utf-8")
    assert back == (tmp_path / "sco.timelinejs.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_plugins_and_formats_list_it(run: Run, command: str) -> None:
    done = run("plugins", command=command)
    assert done.returncode == 0
    assert (
        "timeline-timelinejs 0.1.0\n"
        "  hooks:     register_exporters, register_importers\n"
        "  exporters: timelinejs\n"
        "  importers: timelinejs\n"
    ) in done.stdout
    listing = json.loads(run("plugins", "--json", command=command).stdout)
    (ours,) = [p for p in listing if p["name"] == DISTRIBUTION]
    assert (ours["version"], ours["exporters"], ours["importers"]) == (
        "0.1.0", ["timelinejs"], ["timelinejs"]
    )  # fmt: skip
    formats = run("formats", command=command).stdout
    assert (
        "  timelinejs  .timelinejs.json  application/json  (from timeline-timelinejs)\n" in formats
    )
    assert "        group (str, default kind): the row of the time axis" in formats
    assert "        strict (bool, default false): fail on anything" in formats
