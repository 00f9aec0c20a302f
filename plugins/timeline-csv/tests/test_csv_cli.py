"""The ``timeline`` command with the plugin installed, run as a user runs it:
in a subprocess, as ``python -m timeline`` and as the ``timeline`` console
script, with ``TIMELINE_LOAD_PLUGINS=timeline-csv``."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import timeline
from timeline.testing import run_command

DISTRIBUTION = "timeline-csv"
COMMANDS = ("python -m timeline", "timeline")
Run = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """``run(*args, plugins="timeline-csv", command="python -m timeline")``:
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


SCO = timeline.example("sco")
LEFT_OUT = (
    "warning: {}: the timeline's title, description, url and translations are left out; "
    "CSV holds only events\n"
)
BAD = "title,start,kind\r\nFine,2001-06-15,\r\nBad,2001-13,\r\nUnknown,2002,treaty\r\n"
BAD_REPORT = (
    "error: bad.csv: 2 problems\n"
    "  row 3, column 'start': cannot read date '2001-13': month 13 is out of range 1..12\n"
    "  row 4, column 'kind': unknown kind 'treaty'; the kinds are event, founding, accession, "
    "summit (a plugin may add others)\n"
)


@pytest.mark.parametrize("command", COMMANDS)
def test_export_the_example(
    run: Run, tmp_path: Path, to_csv: Callable[..., str], command: str
) -> None:
    done = run("export", "example:sco", "-o", "sco.csv", command=command)
    assert (done.returncode, done.stdout) == (0, "")
    assert (
        done.stderr == LEFT_OUT.format("sco.csv") + "wrote sco.csv from 33 events, with 1 warning\n"
    )
    assert (tmp_path / "sco.csv").read_bytes() == to_csv(SCO).encode("utf-8")


def test_export_several_at_once(run: Run, tmp_path: Path, to_csv: Callable[..., str]) -> None:
    done = run("export", "example:sco", "-o", "sco.csv", "-o", "sco.json", "-o", "sco.md")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        LEFT_OUT.format("sco.csv")
        + "wrote sco.csv, sco.json and sco.md from 33 events, with 1 warning\n"
    )
    assert (tmp_path / "sco.csv").read_bytes() == to_csv(SCO).encode("utf-8")
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO, "json")
    assert (tmp_path / "sco.md").read_text("utf-8") == timeline.dumps(SCO, "markdown")


def test_export_with_options(run: Run, tmp_path: Path, to_csv: Callable[..., str]) -> None:
    done = run("export", "example:sco", "-o", "sco.csv", "--option", "delimiter=;",
               "--option", "csv.bom=true", "-q")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == LEFT_OUT.format("sco.csv")
    data = (tmp_path / "sco.csv").read_bytes()
    assert data == to_csv(SCO, delimiter=";", bom=True).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbfkind;id;title;start;end;")
    # And read back with the importer's option.
    done = run("export", "sco.csv", "--input-option", "delimiter=;", "-o", "back.json")
    assert (done.returncode, done.stderr) == (0, "wrote back.json from 33 events\n")
    assert timeline.load(tmp_path / "back.json").events == SCO.events


def test_formats_lists_csv_with_its_options(run: Run) -> None:
    done = run("formats", "csv")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "Exporters (choose with -f NAME or by suffix):\n"
        "\n"
        "  csv  .csv  text/csv  (from timeline-csv)\n"
        "      One row per event, for spreadsheets; lists in a cell separated by '; '.\n"
        "      options (--option KEY=VALUE):\n"
        "        delimiter (,|;, default ,): the separator between cells: ';' for spreadsheets "
        "that expect it\n"
        "        bom (bool, default false): start with a UTF-8 byte-order mark, so that Excel "
        "reads the file as UTF-8\n"
        "        formulas (escape|keep, default escape): escape: put ' before a cell that a "
        "spreadsheet would run as a formula (one that starts with = + - @, a tab or a carriage "
        "return); keep: write every cell as it is\n"
        "\n"
        "Importers (choose with --from NAME or by suffix):\n"
        "\n"
        "  csv  .csv  text/csv  (from timeline-csv)\n"
        "      One row per event, as a spreadsheet saves it; every bad cell is reported.\n"
        "      options (--input-option KEY=VALUE):\n"
        "        delimiter (,|;, default ,): the separator between cells: ';' for files from "
        "spreadsheets that use it\n"
        "        formulas (escape|keep, default escape): escape: take off the ' that the exporter "
        "puts before a cell a spreadsheet would run as a formula; keep: read every cell as it is\n"
        "        language (str, default en): the language of the texts, a BCP 47 tag such as en, "
        "ru or zh-Hans; columns such as title@ru hold their translations\n"
    )
    # In the list of every format, the same entries.
    everything = run("formats").stdout
    assert "  csv  .csv  text/csv  (from timeline-csv)\n" in everything
    assert everything.count("(from timeline-csv)") == 2


def test_formats_json(run: Run) -> None:
    done = run("formats", "csv", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    found = json.loads(done.stdout)
    (exporter,) = found["exporters"]
    (importer,) = found["importers"]
    assert (exporter["name"], exporter["suffixes"], exporter["media_type"]) == (
        "csv", [".csv"], "text/csv",
    )  # fmt: skip
    assert [(o["name"], o["type"], o["default"], o["choices"]) for o in exporter["options"]] == [
        ("delimiter", "str", ",", [",", ";"]),
        ("bom", "bool", False, None),
        ("formulas", "str", "escape", ["escape", "keep"]),
    ]
    assert [(o["name"], o["default"]) for o in importer["options"]] == [
        ("delimiter", ","),
        ("formulas", "escape"),
        ("language", "en"),
    ]


def test_plugins_lists_the_plugin(run: Run) -> None:
    version = importlib.metadata.version("timeline-csv")
    done = run("plugins")
    assert (done.returncode, done.stderr) == (0, "")
    assert (
        f"\n\ntimeline-csv {version}\n"
        "  hooks:     register_exporters, register_importers\n"
        "  exporters: csv\n"
        "  importers: csv\n"
    ) in done.stdout
    done = run("plugins", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    installed = [p for p in json.loads(done.stdout) if not p["builtin"]]
    assert installed == [
        {
            "name": "timeline-csv",
            "distribution": "timeline-csv",
            "version": version,
            "hooks": ["register_exporters", "register_importers"],
            "exporters": ["csv"],
            "importers": ["csv"],
            "kinds": [],
            "builtin": False,
            "error": None,
        }
    ]


def test_the_plugin_is_loaded_only_when_chosen(run: Run, tmp_path: Path) -> None:
    # TIMELINE_LOAD_PLUGINS="" loads no installed plugin: no csv then.
    done = run("export", "example:sco", "-o", "sco.csv", plugins="")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "error: cannot tell the format to export from suffix '.csv'; name it (format= in "
        "Python, -f on the command line; known suffixes: "
    )
    assert not (tmp_path / "sco.csv").exists()
    assert [p["name"] for p in json.loads(run("plugins", "--json", plugins="").stdout)
            if not p["builtin"]] == []  # fmt: skip
    # Its distribution's name, in any case, loads it.
    done = run("formats", "csv", plugins="Timeline_CSV")
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("command", COMMANDS)
def test_read_a_csv_file(
    run: Run, tmp_path: Path, to_csv: Callable[..., str], command: str
) -> None:
    (tmp_path / "sco.csv").write_bytes(to_csv(SCO).encode("utf-8"))
    done = run("validate", "sco.csv", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok: sco.csv: 33 events\n", "")
    done = run("show", "sco.csv", command=command)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("33 events, 1996 to 2025\n\n1996\n  26 Apr ")
    assert done.stdout.count("\n  ") == 33
    done = run("export", "sco.csv", "-o", "sco.json", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "wrote sco.json from 33 events\n")
    back = timeline.load(tmp_path / "sco.json")
    assert back.events == SCO.events
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(back, "json")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_csv_file(run: Run, tmp_path: Path, command: str) -> None:
    (tmp_path / "bad.csv").write_bytes(BAD.encode("utf-8"))
    done = run("validate", "bad.csv", command=command)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", BAD_REPORT)
    for args in (["show", "bad.csv"], ["export", "bad.csv", "-o", "bad.json"]):
        done = run(*args, command=command)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", BAD_REPORT)
    assert not (tmp_path / "bad.json").exists()


def test_validate_good_and_bad(run: Run, tmp_path: Path, to_csv: Callable[..., str]) -> None:
    (tmp_path / "sco.csv").write_bytes(to_csv(SCO).encode("utf-8"))
    (tmp_path / "bad.csv").write_bytes(BAD.encode("utf-8"))
    done = run("validate", "sco.csv", "bad.csv")
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "ok: sco.csv: 33 events\n", BAD_REPORT,
    )  # fmt: skip
