"""The ``timeline`` command with the plugin installed, run as a user runs it:
in a subprocess, as ``python -m timeline`` and as the ``timeline`` console
script, with ``TIMELINE_LOAD_PLUGINS=timeline-html``."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import timeline
from timeline.testing import run_command

DISTRIBUTION = "timeline-html"
COMMANDS = ("python -m timeline", "timeline")
Run = Callable[..., "subprocess.CompletedProcess[str]"]
SCO = timeline.example("sco")


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """``run(*args, plugins="timeline-html", command="python -m timeline")``:
    the command in ``tmp_path``, as ``python -m timeline`` or as the
    ``timeline`` console script. ``TIMELINE_LOAD_PLUGINS`` is ``plugins``,
    whatever the tests' own environment says (timeline's suite sets it
    empty), so the command loads this plugin, and no other, from its entry
    point."""

    def run(
        *args: str, plugins: str = DISTRIBUTION, command: str = "python -m timeline"
    ) -> subprocess.CompletedProcess[str]:
        return run_command(*args, plugins=plugins, cwd=tmp_path, script=command == "timeline")

    return run


@pytest.mark.parametrize("command", COMMANDS)
def test_export_the_example(run: Run, tmp_path: Path, command: str) -> None:
    # The command of issue 7: `timeline export example:sco -o sco.html`.
    done = run("export", "example:sco", "-o", "sco.html", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "wrote sco.html from 33 events\n")
    page = (tmp_path / "sco.html").read_text("utf-8")
    assert page == timeline.dumps(SCO, "html")
    assert page.count('<a class="mark ') == 33


def test_export_the_example_in_russian(run: Run, tmp_path: Path) -> None:
    done = run("export", "example:sco", "-o", "sco.ru.html", "--option", "locale=ru")
    assert (done.returncode, done.stderr) == (
        0,
        "warning: sco.ru.html: 35 texts have no Russian translation and are in English "
        "(description 2, notes 33)\n"
        "wrote sco.ru.html from 33 events, with 1 warning\n",
    )
    page = (tmp_path / "sco.ru.html").read_text("utf-8")
    with pytest.warns(timeline.ExportWarning, match="35 texts have no Russian translation"):
        assert page == timeline.dumps(SCO, "html", locale="ru")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru" dir="ltr">\n')


def test_export_several_at_once(run: Run, tmp_path: Path) -> None:
    done = run("export", "example:sco", "-o", "sco.html", "-o", "sco.json", "-o", "sco.md")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "wrote sco.html, sco.json and sco.md from 33 events\n"
    assert (tmp_path / "sco.html").read_text("utf-8") == timeline.dumps(SCO, "html")
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO, "json")
    assert (tmp_path / "sco.md").read_text("utf-8") == timeline.dumps(SCO, "markdown")


def test_export_with_the_csv_plugin_too(run: Run, tmp_path: Path) -> None:
    # Both first-party plugins at once. This test needs timeline-csv installed
    # too (pip install ./plugins/timeline-csv), as CI installs it.
    try:
        importlib.metadata.distribution("timeline-csv")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("install timeline-csv too: pip install -e plugins/timeline-csv")
    done = run("export", "example:sco", "-o", "sco.csv", "-o", "sco.html", "-o", "sco.json",
               plugins="timeline-csv,timeline-html")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "warning: sco.csv: the timeline's title, description, url and translations are left "
        "out; CSV holds only events\n"
        "wrote sco.csv, sco.html and sco.json from 33 events, with 1 warning\n"
    )
    assert (tmp_path / "sco.html").read_text("utf-8") == timeline.dumps(SCO, "html")
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO, "json")
    assert timeline.load(tmp_path / "sco.csv").events == SCO.events


def test_export_to_standard_output_and_htm(run: Run, tmp_path: Path) -> None:
    done = run("export", "example:sco", "-f", "html", "-o", "-")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == timeline.dumps(SCO, "html")
    done = run("export", "example:sco", "-o", "summits.htm", "--kind", "summit")
    assert (done.returncode, done.stderr) == (0, "wrote summits.htm from 25 events\n")
    page = (tmp_path / "summits.htm").read_text("utf-8")
    assert page == timeline.dumps(SCO.of_kind("summit"), "html")
    assert page.count('<a class="mark ') == 25


def test_formats_lists_html(run: Run) -> None:
    done = run("formats", "html")
    assert (done.returncode, done.stderr) == (0, "")
    # An exporter with one option, the reader's language, and no importer.
    assert done.stdout == (
        "Exporters (choose with -f NAME or by suffix):\n"
        "\n"
        "  html  .html .htm  text/html  (from timeline-html)\n"
        "      One self-contained web page: the events to scale on a time axis, with details.\n"
        "      options (--option KEY=VALUE):\n"
        "        locale (str): the language and conventions of the words written, a BCP 47 "
        "tag such as ru, zh-Hans, fa or en-GB; default: English\n"
    )
    assert "\n  html  .html .htm  text/html  (from timeline-html)\n" in run("formats").stdout
    done = run("formats", "html", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == {
        "exporters": [
            {
                "name": "html",
                "suffixes": [".html", ".htm"],
                "media_type": "text/html",
                "description": (
                    "One self-contained web page: the events to scale on a time axis, with details."
                ),
                "options": [
                    {
                        "name": "locale",
                        "type": "str",
                        "default": None,
                        "help": (
                            "the language and conventions of the words written, a BCP 47 tag "
                            "such as ru, zh-Hans, fa or en-GB; default: English"
                        ),
                        "choices": None,
                    }
                ],
            }
        ],
        "importers": [],
    }


def test_plugins_lists_the_plugin(run: Run) -> None:
    version = importlib.metadata.version("timeline-html")
    done = run("plugins")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith(
        f"\n\ntimeline-html {version}\n  hooks:     register_exporters\n  exporters: html\n"
    )
    done = run("plugins", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    installed = [p for p in json.loads(done.stdout) if not p["builtin"]]
    assert installed == [
        {
            "name": "timeline-html",
            "distribution": "timeline-html",
            "version": version,
            "hooks": ["register_exporters"],
            "exporters": ["html"],
            "importers": [],
            "kinds": [],
            "builtin": False,
            "error": None,
        }
    ]


def test_the_plugin_is_loaded_only_when_chosen(run: Run, tmp_path: Path) -> None:
    # TIMELINE_LOAD_PLUGINS="" loads no installed plugin: no html then.
    done = run("export", "example:sco", "-o", "sco.html", plugins="")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "error: cannot tell the format to export from suffix '.html'; name it (format= in "
        "Python, -f on the command line; known suffixes: "
    )
    assert not (tmp_path / "sco.html").exists()
    done = run("formats", "html", plugins="")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no format 'html'; the formats are: ")
    # Its distribution's name, in any case, loads it.
    done = run("formats", "html", plugins="Timeline_HTML")
    assert (done.returncode, done.stderr) == (0, "")
