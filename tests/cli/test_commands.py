"""The ``timeline`` command, run as a user runs it: in a subprocess.

The formats of ``tests/plugins/timeline_cli_testplugin.py`` come from an
installed plugin, as a third-party format would: the ``installed`` fixture lays
out the ``.dist-info`` folder that ``pip install`` would leave, with the
plugin's entry point, on the ``PYTHONPATH`` of the commands. No package is
installed into the environment that runs the tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import pytest

import timeline
from timeline.plugins import DEFAULT_PLUGINS

TESTPLUGIN = "timeline-cli-testplugin"
BROKEN = "timeline-cli-broken"
COMMANDS = "timeline-cli-commands"
BAD_COMMANDS = "timeline-cli-badcommands"
SCO = timeline.example("sco")
BROKEN_WARNING = (
    "warning: plugin 'timeline-cli-broken' cannot be imported: ImportError: "
    "timeline_cli_broken needs a library that is not installed; it is skipped\n"
)


@pytest.fixture(scope="session")
def formats(installed: str) -> dict[str, str]:
    """The formats the commands know (the built-in ones and the test plugin's), as
    the messages that list them spell them: whichever formats timeline has built
    in, and whatever else is installed where the tests run."""
    code = (
        "import json, timeline\n"
        "print(json.dumps({kind: {f.name: f.suffixes for f in table.values()} for kind, table "
        "in (('exporters', timeline.exporters()), ('importers', timeline.importers()))}))"
    )
    env = {**os.environ, "PYTHONPATH": installed, "TIMELINE_LOAD_PLUGINS": TESTPLUGIN}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    found = json.loads(done.stdout)
    return {
        kind: ", ".join(sorted(found[kind])) for kind in ("exporters", "importers")
    } | {
        "all": ", ".join(sorted({*found["exporters"], *found["importers"]}))
    } | {
        f"{kind[:6]}_suffixes": ", ".join(sorted({s for v in found[kind].values() for s in v}))
        for kind in ("exporters", "importers")
    }  # fmt: skip


@pytest.fixture
def env(installed: str) -> dict[str, str]:
    """The environment of a command: the test plugin, and no other installed plugin."""
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES", "PYTHONWARNINGS", "TIMELINE_LOAD_PLUGINS"):
        env.pop(name, None)
    env["PYTHONPATH"] = installed
    env["PYTHONUTF8"] = "1"
    env["TIMELINE_LOAD_PLUGINS"] = TESTPLUGIN
    return env


@pytest.fixture
def run(env: dict[str, str], tmp_path: Path):
    """Run ``python -m timeline ARGS`` in ``tmp_path``; standard input is ``input``."""

    def run(
        *args: str, input: str | bytes = b"", extra: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        data = input.encode("utf-8") if isinstance(input, str) else input
        done = subprocess.run(
            [sys.executable, "-m", "timeline", *args],
            input=data, capture_output=True, cwd=tmp_path, env={**env, **(extra or {})},
            timeout=120, check=False,
        )  # fmt: skip
        return subprocess.CompletedProcess(
            done.args, done.returncode,
            done.stdout.decode("utf-8"), done.stderr.decode("utf-8"),
        )  # fmt: skip

    return run


def lines_of(events: timeline.Timeline | list[timeline.Event], sep: str = "\t") -> str:
    """What the test plugin's ``lines`` exporter writes."""
    return "".join(f"{e.start}{sep}{e.id}{sep}{e.title}\n" for e in events)


def ids(text: str) -> list[str]:
    return [line.split("\t")[1] for line in text.splitlines()]


# -- the command itself -----------------------------------------------------------------------


def test_console_script_runs_the_command(env, tmp_path):
    script = Path(sysconfig.get_path("scripts")) / "timeline"
    assert script.is_file(), f"{script}: the console script is not installed"
    done = subprocess.run([script, "export", "example:sco", "-o", "sco.json"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "", "wrote sco.json from 33 events\n"
    )  # fmt: skip
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO)


def test_version(run):
    done = run("--version")
    assert (done.returncode, done.stdout) == (0, f"timeline {timeline.__version__}\n")


@pytest.mark.parametrize(
    "command", [[], ["export"], ["show"], ["validate"], ["formats"], ["plugins"], ["example"]]
)
def test_every_command_has_help_with_an_example(run, command):
    done = run(*command, "--help")
    assert done.returncode == 0
    assert done.stderr == ""
    name = " ".join(["timeline", *command])
    assert done.stdout.startswith(f"usage: {name} ")
    assert f"\nexamples:\n  {name}" in done.stdout


@pytest.mark.parametrize(
    ("args", "message", "see"),
    [
        ([], "the following arguments are required: COMMAND", "timeline"),
        (["bogus"], "argument COMMAND: invalid choice: 'bogus' (choose from 'export', 'show', "
                    "'validate', 'formats', 'plugins', 'example')", "timeline"),
        (["export"], "the following arguments are required: INPUT, -o/--output",
         "timeline export"),
        (["export", "example:sco", "-o", "x.json", "--bogus"],
         "unrecognized arguments: --bogus", "timeline"),
        (["export", "example:sco", "-o", "x.json", "--option", "compact"],
         "argument --option: expected KEY=VALUE, not 'compact'", "timeline export"),
        (["show", "example:sco", "--since", "yesterday"],
         "argument --since: cannot read date 'yesterday': not a date (write it as 2001-06-15, 15 June 2001, June 2001 or 2001)",
         "timeline show"),
        (["formats", "--bogus"], "unrecognized arguments: --bogus", "timeline"),
    ],
)  # fmt: skip
def test_a_bad_command_line_is_a_usage_error(run, args, message, see):
    done = run(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: {message}\n  (see '{see} --help')\n"


# -- export -----------------------------------------------------------------------------------


def test_export_writes_several_formats_from_one_load(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.json", "-o", "sco.lines")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "wrote sco.json and sco.lines from 33 events\n"
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO)
    assert (tmp_path / "sco.lines").read_text("utf-8") == lines_of(SCO)


def test_format_option_overrides_the_suffixes(run, tmp_path):
    done = run("export", "example:sco", "-f", "lines", "-o", "a.txt", "-o", "b.json")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.txt").read_text("utf-8") == lines_of(SCO)
    assert (tmp_path / "b.json").read_text("utf-8") == lines_of(SCO)


def test_export_reads_a_file_in_the_format_of_its_suffix(run, tmp_path):
    (tmp_path / "in.lines").write_text("2001-06-15\tsco\tSCO founded\n", encoding="utf-8")
    done = run("export", "in.lines", "-o", "out.json", "-q")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert timeline.load(tmp_path / "out.json") == timeline.Timeline(
        events=[timeline.Event(id="sco", title="SCO founded", start="2001-06-15")]
    )


def test_from_names_the_input_format_and_input_options_reach_the_importer(run, tmp_path):
    (tmp_path / "in.txt").write_text("2001;a;First\n2002;b;Second\n", encoding="utf-8")
    done = run("export", "in.txt", "--from", "lines", "--input-option", "separator=;",
               "-o", "-", "-f", "lines")  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "2001\ta\tFirst\n2002\tb\tSecond\n"


def test_export_reads_standard_input_and_writes_standard_output(run):
    done = run("export", "-", "-o", "-", input=timeline.dumps(SCO, compact=True))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == timeline.dumps(SCO)


def test_standard_input_in_another_format(run):
    done = run("export", "-", "--from", "lines", "-f", "lines", "-o", "-",
               input="2001-06-15\tsco\tSCO founded\n")  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "2001-06-15\tsco\tSCO founded\n", ""
    )  # fmt: skip


def test_standard_output_is_utf8_with_line_endings_unchanged_whatever_the_locale(run, installed):
    done = run("export", "example:sco", "-f", "lines", "-o", "-", "--option", "crlf=true",
               "--kind", "founding",
               extra={"PYTHONUTF8": "0", "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"})  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    expected = lines_of(SCO.of_kind("founding")).replace("\n", "\r\n")
    assert done.stdout == expected

    title = "上海合作组织 — Café"
    data = timeline.dumps(timeline.Timeline(events=[timeline.Event(id="u", title=title,
                                                                   start="2006")]))  # fmt: skip
    done = run("export", "-", "-f", "lines", "-o", "-", input=data,
               extra={"PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii", "LC_ALL": "C"})  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, f"2006\tu\t{title}\n", "")


def test_standard_output_goes_last_with_files(run, tmp_path):
    done = run("export", "example:sco", "-o", "-", "-f", "lines", "-o", "sco.txt")
    assert (done.returncode, done.stderr) == (0, "wrote sco.txt from 33 events\n")
    assert done.stdout == lines_of(SCO)
    assert (tmp_path / "sco.txt").read_text("utf-8") == lines_of(SCO)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--kind", "summit", "--since", "2020", "--until", "2022"],
         ["sco-summit-2020-moscow", "sco-summit-2021-dushanbe", "sco-summit-2022-samarkand"]),
        (["--tag", "charter"],
         ["sco-charter-signed-2002-saint-petersburg", "sco-charter-in-force-2003"]),
        (["--involving", "India"],
         ["sco-accession-2017-india", "sco-accession-2023-iran", "sco-summit-2023-new-delhi"]),
        (["--involving", "IN", "--involving", "IR"], ["sco-accession-2023-iran"]),
        (["--kind", "accession", "--kind", "founding", "--until", "2017-06"],
         ["sco-precursor-1996-shanghai-five", "sco-founding-2001-shanghai",
          "sco-accession-2017-india", "sco-accession-2017-pakistan"]),
        (["--since", "2025-09-01"], ["sco-summit-2025-tianjin"]),
    ],
)  # fmt: skip
def test_filters(run, filters, expected):
    done = run("export", "example:sco", "-f", "lines", "-o", "-", *filters)
    assert (done.returncode, done.stderr) == (0, "")
    assert ids(done.stdout) == expected


def test_filters_that_keep_nothing_write_an_empty_timeline_with_a_warning(run, tmp_path):
    done = run("export", "example:sco", "--tag", "nothing", "-o", "none.json")
    assert done.returncode == 0
    assert done.stderr == ("warning: no event passes the filters\nwrote none.json from 0 events\n")
    assert timeline.load(tmp_path / "none.json").events == ()
    done = run("export", "-", "-o", "empty.json", input=timeline.dumps(timeline.Timeline()))
    assert (done.returncode, done.stderr) == (
        0,
        "warning: no events\nwrote empty.json from 0 events\n",
    )


def test_options_go_to_every_output_format_that_has_them(run, tmp_path):
    done = run("export", "example:sco", "--kind", "founding", "-o", "a.json", "-o", "a.lines",
               "-o", "b.lines", "--option", "compact=true", "--option", "numbered=yes",
               "--option", "lines.separator=|")  # fmt: skip
    assert done.returncode == 0, done.stderr
    foundings = SCO.of_kind("founding")
    assert (tmp_path / "a.json").read_text("utf-8") == timeline.dumps(foundings, compact=True)
    numbered = "".join(f"{n}|{line}" for n, line in
                       enumerate(lines_of(foundings, "|").splitlines(True), 1))  # fmt: skip
    assert (tmp_path / "a.lines").read_text("utf-8") == numbered
    assert (tmp_path / "b.lines").read_text("utf-8") == numbered


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["nope=1"], "--option nope: no output format has an option 'nope' "
                     "(the options are json: compact; lines: separator, numbered, crlf)"),
        (["json.numbered=1"], "--option json.numbered: the format 'json' has no option "
                              "'numbered' (its options: compact)"),
        (["ics.x=1"], "--option ics.x: no output is in the format 'ics' "
                      "(the outputs are in: json, lines)"),
        (["compact=maybe"], "--option compact=maybe: json: option 'compact' is true or "
                            "false, not 'maybe'"),
    ],
)  # fmt: skip
def test_a_bad_option_is_a_usage_error_that_lists_the_valid_ones(run, tmp_path, options, message):
    args = [arg for option in options for arg in ("--option", option)]
    done = run("export", "example:sco", "-o", "a.json", "-o", "a.lines", *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"error: {message}\n")
    assert sorted(os.listdir(tmp_path)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["example:sco", "-o", "a.xyz"], "cannot tell the format to export from suffix "
         "'.xyz'; name it (format= in Python, -f on the command line; known suffixes: "
         "{export_suffixes}; a plugin may add others)"),
        (["example:sco", "-f", "yaml", "-o", "a.json"], "no format 'yaml' to export; available: "
         "{exporters} (a plugin may provide it: see 'timeline plugins')"),
        (["example:sco", "-o", "missing/a.json"], "missing/a.json: the folder 'missing' does "
         "not exist"),
        (["example:sco", "-o", "a.json", "-o", "./a.json"], "-o ./a.json: ./a.json is given "
         "twice"),
        (["example:sco", "-o", "-", "-o", "-"], "-o -: standard output is given twice"),
        (["example:sco", "-o", "."], ".: is a folder, not a file"),
        (["missing.json", "-o", "a.json"], "missing.json: no such file"),
        ([".", "-o", "a.json"], ".: is a folder, not a file"),
        (["data.xyz", "-o", "a.json"], "cannot tell the format to import from suffix '.xyz'; "
         "name it (format= in Python, --from on the command line; known suffixes: "
         "{import_suffixes}; a plugin may add others)"),
        (["data.xyz", "--from", "yaml", "-o", "a.json"], "no format 'yaml' to import; "
         "available: {importers} (a plugin may provide it: see 'timeline plugins')"),
        (["data.xyz", "--from", "json", "--input-option", "x=1", "-o", "a.json"],
         "--input-option: format 'json' has no option 'x'; its options are: none"),
        (["example:nope", "-o", "a.json"], "no example 'nope'; the examples are: example:sco"),
        (["example:sco", "--from", "json", "-o", "a.json"], "--from and --input-option do not "
         "apply to an example"),
        (["example:sco", "--kind", "meeting", "-o", "a.json"], "--kind: no kind 'meeting'; the "
         "kinds are: accession, event, founding, summit"),
        (["data.xyz", "--from", "json", "--kind", "meeting", "-o", "a.json"], "--kind: no kind "
         "'meeting'; the kinds are: accession, event, founding, summit"),
        (["example:sco", "--since", "2003", "--until", "2002", "-o", "a.json"],
         "--since 2003 comes after --until 2002"),
    ],
)  # fmt: skip
def test_usage_errors_are_found_before_anything_is_written(run, tmp_path, formats, args, message):
    (tmp_path / "data.xyz").write_text("{}", encoding="utf-8")
    message = message.format(**formats)
    done = run("export", *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"error: {message}\n")
    assert os.listdir(tmp_path) == ["data.xyz"]


BAD = """{"format": "timeline-events", "version": 1, "events": [
  {"title": "A", "start": "2001-13"},
  {"start": 3}
]}
"""
BAD_PROBLEMS = (
    "  $.events[0].start: cannot read date '2001-13': month 13 is out of range 1..12\n"
    "  $.events[1].title: required field missing\n"
    "  $.events[1].start: expected a date string, not a number (3)\n"
)


def test_invalid_data_lists_every_problem_and_exits_1(run, tmp_path):
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("export", "bad.json", "-o", "out.json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "error: bad.json: 3 problems\n" + BAD_PROBLEMS
    assert sorted(os.listdir(tmp_path)) == ["bad.json"]


def test_invalid_standard_input(run):
    done = run("export", "-", "-o", "-", input='{"format": "timeline-events", "version": 1,')
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "standard input is read as JSON; name its format with --from\n"
        "error: <stdin>: 1 problem\n"
        "  line 1, column 44: not valid JSON: Expecting property name enclosed in double quotes\n"
    )


def test_a_failed_export_leaves_every_output_untouched(run, tmp_path):
    (tmp_path / "sco.json").write_text("the old JSON\n", encoding="utf-8")
    (tmp_path / "sco.fail").write_text("the old file\n", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    done = run("export", "example:sco", "-o", "-", "-o", "sco.json", "-o", "new.lines",
               "-o", "sco.fail", "--option", "after=5")  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")  # standard output comes after the files
    assert done.stderr == "error: sco.fail: the failing exporter gave up after 5 events\n"
    # The JSON was complete when the failing exporter gave up, and is not written either.
    assert (tmp_path / "sco.json").read_text("utf-8") == "the old JSON\n"
    assert (tmp_path / "sco.fail").read_text("utf-8") == "the old file\n"
    assert sorted(os.listdir(tmp_path)) == before  # no new file, no temporary file left


def test_a_bug_in_an_exporter_is_one_line_without_debug_and_a_traceback_with_it(run, tmp_path):
    args = ["example:sco", "-o", "sco.fail", "--option", "error=bug"]
    done = run("export", *args)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: sco.fail: RuntimeError: the failing exporter has a bug\n"
        "  this is a bug in the exporter 'failing' of plugin 'timeline-cli-testplugin'; "
        "run again with --debug to see where\n"
    )
    for debug in (["--debug", "export", *args], ["export", *args, "--debug"]):
        done = run(*debug)
        assert done.returncode == 1
        assert done.stderr.startswith("Traceback (most recent call last):\n")
        assert 'timeline_cli_testplugin.py", line ' in done.stderr
        assert "RuntimeError: the failing exporter has a bug\n" in done.stderr
        assert done.stderr.endswith(
            "error: sco.fail: RuntimeError: the failing exporter has a bug\n"
        )
    assert os.listdir(tmp_path) == []


def test_debug_shows_the_traceback_of_invalid_data_too(run, tmp_path):
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("--debug", "validate", "bad.json")
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):\n")
    assert "timeline.errors.ValidationError: bad.json: 3 problems\n" in done.stderr
    assert done.stderr.endswith("error: bad.json: 3 problems\n" + BAD_PROBLEMS)


def test_export_warnings_name_the_output(run, tmp_path):
    recurring = timeline.Timeline(events=[
        timeline.Event(id="anniversary", title="Anniversary", start="2002-06-15",
                       recurrence="FREQ=YEARLY"),
    ])  # fmt: skip
    (tmp_path / "in.json").write_text(timeline.dumps(recurring), encoding="utf-8")
    done = run("export", "in.json", "-o", "out.lines", "-o", "out.json")
    assert done.returncode == 0
    assert done.stderr == (
        "warning: out.lines: event 'anniversary': its recurrence is left out\n"
        "wrote out.lines and out.json from 1 event, with 1 warning\n"
    )


def test_a_broken_plugin_is_a_warning_and_the_rest_works(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.lines",
               extra={"TIMELINE_LOAD_PLUGINS": f"{TESTPLUGIN},{BROKEN}"})  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == BROKEN_WARNING + "wrote sco.lines from 33 events\n"


# -- show, validate ---------------------------------------------------------------------------

SHOW_ACCESSIONS = """\
Shanghai Cooperation Organisation
4 of 33 events, 2017 to 2024

2017
  9 Jun  accession  India becomes a full SCO member — Astana, Kazakhstan
  9 Jun  accession  Pakistan becomes a full SCO member — Astana, Kazakhstan

2023
  4 Jul  accession  Iran becomes a full SCO member — New Delhi, India

2024
  4 Jul  accession  Belarus becomes a full SCO member — Astana, Kazakhstan
"""


def test_show(run):
    done = run("show", "example:sco", "--kind", "accession")
    assert (done.returncode, done.stdout, done.stderr) == (0, SHOW_ACCESSIONS, "")


def test_show_reads_standard_input(run):
    done = run("show", "-", "--from", "lines", input="-0476~\tfall\tFall of Rome\n")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "1 event, 477 BCE\n\n477 BCE\n  c. 477 BCE  event  Fall of Rome\n"


def test_show_of_nothing(run):
    done = run("show", "example:sco", "--until", "1990")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Shanghai Cooperation Organisation\n0 of 33 events\n"


def test_show_invalid_data(run, tmp_path):
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("show", "bad.json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "error: bad.json: 3 problems\n" + BAD_PROBLEMS


def test_validate(run, tmp_path):
    (tmp_path / "sco.json").write_text(timeline.dumps(SCO), encoding="utf-8")
    done = run("validate", "sco.json")
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok: sco.json: 33 events\n", "")
    done = run("validate", "-", input=timeline.dumps(SCO))
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok: <stdin>: 33 events\n", "")


def test_validate_lists_every_problem_and_exits_1(run, tmp_path):
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("validate", "bad.json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "error: bad.json: 3 problems\n" + BAD_PROBLEMS
    (tmp_path / "bad.lines").write_text("2001\ta\n2001-02-30\tb\tB\n", encoding="utf-8")
    done = run("validate", "bad.lines")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: bad.lines: 2 problems\n"
        "  line 1: expected 3 fields, not 2\n"
        "  line 2: cannot read date '2001-02-30': day 30 is out of range for February 2001\n"
    )


def test_validate_checks_every_input_and_exits_1_if_one_is_invalid(run, tmp_path):
    (tmp_path / "sco.json").write_text(timeline.dumps(SCO), encoding="utf-8")
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("validate", "bad.json", "sco.json", "-", input=timeline.dumps(SCO))
    assert done.returncode == 1
    assert done.stdout == "ok: sco.json: 33 events\nok: <stdin>: 33 events\n"
    assert done.stderr == "error: bad.json: 3 problems\n" + BAD_PROBLEMS


def test_validate_goes_on_past_a_missing_file(run, tmp_path):
    """Every input is reported; the worst status wins (2 for a missing file)."""
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    done = run("validate", "bad.json", "missing.json", "example:sco")
    assert (done.returncode, done.stdout) == (2, "ok: example:sco: 33 events\n")
    assert done.stderr.startswith("error: bad.json: 3 problems\n")
    assert done.stderr.endswith("error: missing.json: no such file\n")
    done = run("validate", "-", "-")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: standard input ('-') is given twice\n"
    )  # fmt: skip


# -- formats, plugins, example ----------------------------------------------------------------

FORMATS_LINES = """\
Exporters (choose with -f NAME or by suffix):

  lines  .lines  text/plain  (from timeline-cli-testplugin)
      One event per line: start, id and title.
      options (--option KEY=VALUE):
        separator (str, default \t): what goes between the fields
        numbered (bool, default false): number the lines
        crlf (bool, default false): end lines with CR LF

Importers (choose with --from NAME or by suffix):

  lines  .lines  text/plain  (from timeline-cli-testplugin)
      One event per line: start, id and title.
      options (--input-option KEY=VALUE):
        separator (str, default \t): what goes between the fields
"""


def test_formats_lists_every_exporter_and_importer(run, formats):
    done = run("formats")
    assert (done.returncode, done.stderr) == (0, "")
    exporters, importers = done.stdout.split("\n\nImporters (choose with --from NAME or by "
                                             "suffix):\n\n")  # fmt: skip
    assert exporters.startswith("Exporters (choose with -f NAME or by suffix):\n\n")
    for name in formats["exporters"].split(", "):
        assert f"\n  {name}  " in exporters
    assert "\n  failing  .fail  text/plain  (from timeline-cli-testplugin)\n" in exporters
    assert FORMATS_LINES.split("\n\nImporters", maxsplit=1)[0].split("\n\n")[1] in exporters
    assert "  json  .json  application/json  (built in)\n" in importers
    assert "  lines  .lines  text/plain  (from timeline-cli-testplugin)\n" in importers


def test_formats_of_one_format(run, formats):
    done = run("formats", "lines")
    assert (done.returncode, done.stdout, done.stderr) == (0, FORMATS_LINES, "")
    done = run("formats", "failing")
    assert done.stdout.startswith("Exporters (choose with -f NAME or by suffix):\n\n  failing")
    assert "Importers" not in done.stdout
    done = run("formats", "nope")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"error: no format 'nope'; the formats are: {formats['all']}\n"


def test_formats_as_json(run, formats):
    done = run("formats", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    document = json.loads(done.stdout)
    assert ", ".join(f["name"] for f in document["exporters"]) == formats["exporters"]
    assert ", ".join(f["name"] for f in document["importers"]) == formats["importers"]
    lines = next(f for f in document["importers"] if f["name"] == "lines")
    assert lines == {
        "name": "lines", "suffixes": [".lines"], "media_type": "text/plain",
        "description": "One event per line: start, id and title.",
        "options": [{"name": "separator", "type": "str", "default": "\t",
                     "help": "what goes between the fields", "choices": None}],
    }  # fmt: skip
    failing = next(f for f in document["exporters"] if f["name"] == "failing")
    assert failing["options"][1] == {
        "name": "error", "type": "str", "default": "timeline", "choices": ["timeline", "bug"],
        "help": "raise a TimelineError, or a RuntimeError as a bug would",
    }  # fmt: skip


PLUGINS_TAIL = """
timeline-cli-broken 0.1  BROKEN
  error:     cannot be imported: ImportError: timeline_cli_broken needs a library that is not \
installed

timeline-cli-testplugin 1.0
  hooks:     register_exporters, register_importers
  exporters: lines, failing
  importers: lines
"""


def test_plugins_lists_versions_hooks_what_they_provide_and_errors(run):
    done = run("plugins", extra={"TIMELINE_LOAD_PLUGINS": f"{TESTPLUGIN},{BROKEN}"})
    assert (done.returncode, done.stderr) == (0, "")  # the broken one is listed, not warned
    version = timeline.__version__
    assert done.stdout.startswith(
        f"timeline.default_plugins.kinds {version} (built in)\n"
        "  hooks:     register_kinds\n"
        "  kinds:     event\n\n"
        f"timeline.default_plugins.organisations {version} (built in)\n"
        "  hooks:     register_kinds\n"
        "  kinds:     founding, accession, summit\n\n"
    )
    assert (
        f"\ntimeline.default_plugins.json_format {version} (built in)\n"
        "  hooks:     register_exporters, register_importers\n"
        "  exporters: json\n"
        "  importers: json\n"
    ) in done.stdout
    assert done.stdout.endswith(PLUGINS_TAIL)


def test_plugins_as_json(run):
    done = run("plugins", "--json", extra={"TIMELINE_LOAD_PLUGINS": f"{TESTPLUGIN},{BROKEN}"})
    assert (done.returncode, done.stderr) == (0, "")
    document = json.loads(done.stdout)
    assert [p["name"] for p in document if p["builtin"]] == list(DEFAULT_PLUGINS)
    assert document[-2:] == [
        {"name": BROKEN, "distribution": BROKEN, "version": "0.1", "hooks": [],
         "exporters": [], "importers": [], "kinds": [], "builtin": False,
         "error": "cannot be imported: ImportError: timeline_cli_broken needs a library that "
                  "is not installed"},
        {"name": TESTPLUGIN, "distribution": TESTPLUGIN, "version": "1.0",
         "hooks": ["register_exporters", "register_importers"],
         "exporters": ["lines", "failing"], "importers": ["lines"], "kinds": [],
         "builtin": False, "error": None},
    ]  # fmt: skip


def test_no_plugins_loaded(run):
    done = run("plugins", "--json", extra={"TIMELINE_LOAD_PLUGINS": ""})
    assert done.returncode == 0
    assert all(p["builtin"] for p in json.loads(done.stdout))
    done = run("export", "example:sco", "-o", "x.lines", extra={"TIMELINE_LOAD_PLUGINS": ""})
    assert done.returncode == 2
    assert done.stderr.startswith("error: cannot tell the format to export from suffix '.lines'")


def test_example(run, tmp_path):
    done = run("example")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "".join(
        f"{name}  {text}\n" for name, text in timeline.examples.example_names().items()
    )
    done = run("example", "sco")
    assert (done.returncode, done.stdout, done.stderr) == (0, timeline.dumps(SCO), "")
    done = run("example", "sco", "-o", "sco.lines", "-o", "-", "--option", "compact=true")
    assert (done.returncode, done.stderr) == (0, "wrote sco.lines from 33 events\n")
    assert done.stdout == timeline.dumps(SCO, compact=True)
    assert (tmp_path / "sco.lines").read_text("utf-8") == lines_of(SCO)


def test_example_errors(run):
    done = run("example", "nope")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: no example 'nope'; the examples are: sco\n"
    )  # fmt: skip
    done = run("example", "-o", "x.json")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: name the example to write: timeline example NAME -o OUT\n"
    )  # fmt: skip


# -- terminals: progress, width, pipes --------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON file of as many events as make the command show progress."""
    from timeline.cli import PROGRESS_BYTES, PROGRESS_EVENTS
    from timeline.testing import synthetic_timeline

    path = tmp_path_factory.mktemp("big") / "big.json"
    timeline.dump(synthetic_timeline(PROGRESS_EVENTS), path)
    assert path.stat().st_size >= PROGRESS_BYTES, "make the file big enough to show reading"
    return path


def on_terminal(
    args: list[str], env: dict[str, str], cwd: Path, *, stream: str, columns: int = 80
) -> tuple[int, str, str]:
    """Run the command with ``stream`` ("stdout" or "stderr") on a terminal of
    ``columns`` columns and the other one on a pipe; (status, terminal, pipe)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.ONLCR  # keep "\n" as it is written, not "\r\n"
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: slave}
    process = subprocess.Popen([sys.executable, "-m", "timeline", *args], cwd=cwd, env=env,
                               stdin=subprocess.DEVNULL, **pipes)  # type: ignore[call-overload]  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every end of the terminal in the child is closed
            break
        if not data:
            break
        chunks.append(data)
    other = process.stderr if stream == "stdout" else process.stdout
    piped = b""
    if other is not None:
        with other:
            piped = other.read()
    status = process.wait(timeout=120)
    os.close(master)
    return status, b"".join(chunks).decode("utf-8"), piped.decode("utf-8")


def frames(shown: str) -> list[str]:
    """What a terminal showed, line by line as each was redrawn: the text of
    every drawing of a line, without the codes that move the cursor or colour
    the text (rich draws the progress line; see docs/cli.md, Progress)."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    return [frame for frame in re.split(r"[\r\n]", plain) if frame]


def screen(shown: str, columns: int = 80) -> list[str]:
    """The lines a terminal of ``columns`` columns holds once ``shown`` has been
    written to it, as pyte (a terminal emulator) draws them, and whether the
    cursor is visible."""
    import pyte

    terminal = pyte.Screen(columns, 24)
    pyte.Stream(terminal).feed(shown.replace("\n", "\r\n"))
    return [line.rstrip() for line in terminal.display if line.strip()] + (
        ["(cursor hidden)"] if terminal.cursor.hidden else []
    )


def test_progress_on_a_terminal(env, tmp_path, big):
    size = f"{big.stat().st_size / 1_000_000:.1f}"
    (tmp_path / "big.json").symlink_to(big)  # a short name, that the line shows whole
    status, stderr, stdout = on_terminal(["export", "big.json", "-o", "out.json", "-o", "out.lines"],
                                         env, tmp_path, stream="stderr")  # fmt: skip
    assert (status, stdout) == (0, "")
    # Once the command has ended, the terminal shows only what it did.
    assert screen(stderr) == ["wrote out.json and out.lines from 10,000 events"]
    # Before: a bar for reading (in bytes) and then one for each output (in events).
    bar = r"━*╸?╺?━* "
    reading = rf"reading big\.json {bar}\s*(\d+)% ([\d.]+)/{size} MB \d:\d\d:\d\d"
    writing = (
        rf"writing (out\.json|out\.lines) {bar}\s*(\d+)% ([\d,]+) of 10,000 events \d:\d\d:\d\d"
    )
    shown = frames(stderr)
    assert shown[-1] == "wrote out.json and out.lines from 10,000 events"
    drawn = []
    for frame in shown[:-1]:
        match = re.fullmatch(reading, frame) or re.fullmatch(writing, frame)
        assert match, frame
        drawn.append(match.groups()[-2:] if match.re.pattern == reading else match.groups())
    first, last = drawn.index(("0", "0.0")), drawn.index(("100", size))
    assert first == 0 < last
    assert ("out.json", "0", "0") in drawn
    assert ("out.json", "100", "10,000") in drawn
    assert drawn[-1] == ("out.lines", "100", "10,000")
    assert timeline.load(tmp_path / "out.json") == timeline.load(big)


def test_no_progress_when_standard_error_is_not_a_terminal_or_with_quiet(run, env, tmp_path, big):
    done = run("export", str(big), "-o", "out.json")
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "", "wrote out.json from 10,000 events\n"
    )  # fmt: skip
    status, stderr, stdout = on_terminal(["export", str(big), "-o", "out.json", "-q"],
                                         env, tmp_path, stream="stderr")  # fmt: skip
    assert (status, stderr, stdout) == (0, "", "")


def test_show_cuts_lines_to_the_width_of_the_terminal(env, tmp_path):
    status, stdout, stderr = on_terminal(["show", "example:sco", "--kind", "accession"],
                                         env, tmp_path, stream="stdout", columns=50)  # fmt: skip
    assert (status, stderr) == (0, "")
    expected = "".join((line if len(line) <= 50 else line[:49] + "…") + "\n"
                       for line in SHOW_ACCESSIONS.splitlines())  # fmt: skip
    assert stdout == expected
    assert "  9 Jun  accession  India becomes a full SCO memb…\n" in stdout


@pytest.mark.parametrize("command", [["export", "{big}", "-o", "-"], ["show", "{big}"]])
def test_a_closed_pipe_ends_the_command_quietly(env, tmp_path, big, command):
    args = [arg.format(big=big) for arg in command]
    process = subprocess.Popen([sys.executable, "-m", "timeline", *args], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()  # as `| head` does
    stderr = process.stderr.read()
    assert (process.wait(timeout=120), stderr) == (1, b"")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """What a Console's delayed progress line waits on, decided by the test
    instead of by time: the delay passes at once (``slow``) or never."""

    def __init__(self, *, slow: bool) -> None:
        self.slow = slow
        self.waits: list[float] = []

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        self.waits.append(seconds)
        return False if self.slow else stop.wait()


def test_a_delayed_progress_line_shows_only_once_the_work_takes_that_long():
    """docs/cli.md, Progress: a small file or standard input shows progress only
    when reading it takes more than a second. The test says when the second has
    passed: no clock is read, so the machine's speed does not matter."""
    from timeline.cli.console import Console

    quick, clock = _Terminal(), _Clock(slow=False)
    with Console(quick, wait=clock.wait).progress("reading", unit="bytes", delay=1):
        pass
    assert (quick.getvalue(), clock.waits) == ("", [1])
    slow, clock = _Terminal(), _Clock(slow=True)
    with Console(slow, wait=clock.wait).progress("reading", unit="bytes", delay=1) as advance:
        advance(2_000_000, None)
    assert clock.waits == [1]
    # The line may first show before or after the 2 MB; it ends with them.
    drawn = [re.fullmatch(r"reading ━+ (0 bytes|2\.0 MB) \d:\d\d:\d\d", frame)
             for frame in frames(slow.getvalue())]  # fmt: skip
    assert all(drawn), frames(slow.getvalue())
    assert drawn[-1]
    assert drawn[-1][1] == "2.0 MB"
    assert screen(slow.getvalue()) == []


def test_warnings_show_above_the_progress_line():
    """A warning written while the line shows goes above it, and stays once the
    line is erased."""
    from timeline.cli.console import Console

    terminal = _Terminal()
    console = Console(terminal)
    with console.progress("writing big.ics", unit="events", total=100) as advance:
        advance(50, 100)
        console.warning("event 'x': left out")
    assert screen(terminal.getvalue()) == ["warning: event 'x': left out"]
    assert "warning: event 'x': left out" in frames(terminal.getvalue())


def test_standard_input_read_slowly_on_a_terminal_shows_progress(env, tmp_path):
    """The command reads standard input that comes slowly (from a pipe), with
    standard error on a terminal: after a second, the progress line. The input
    is written only once the line has shown, so the read takes as long as the
    line needs, however slow the machine."""
    import pty
    import select

    master, slave = pty.openpty()
    stdin, feeder = os.pipe()
    sco = timeline.dumps(timeline.example("sco")).encode("utf-8")
    with subprocess.Popen([sys.executable, "-m", "timeline", "validate", "-"], cwd=tmp_path,
                          env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=slave) as process:  # fmt: skip
        os.close(stdin)
        os.close(slave)
        shown = b""
        with open(feeder, "wb") as feed:
            while b"reading standard input" not in shown:
                # A safety net against a hang, never reached: the line shows after a second.
                assert select.select([master], [], [], 120)[0], f"no progress line: {shown!r}"
                shown += os.read(master, 65536)
            feed.write(sco)
        with contextlib.suppress(OSError):  # EIO: the command has closed the terminal
            while chunk := os.read(master, 65536):
                shown += chunk
        os.close(master)
        stdout, _ = process.communicate(timeout=120)
    assert (process.returncode, stdout) == (0, b"ok: <stdin>: 33 events\n")
    text = shown.decode("utf-8")
    assert re.fullmatch(
        r"reading standard input \S* ?0 bytes (?!0:00:00)\d:\d\d:\d\d", frames(text)[0]
    ), text
    assert screen(text) == []


# -- bounded input ------------------------------------------------------------------------------


def test_max_size_refuses_a_larger_input(run, tmp_path):
    (tmp_path / "big.json").write_text(
        '{"format": "timeline-events", "version": 1, "events": []}' + " " * 2000
    )
    done = run("validate", "--max-size", "1K", "big.json")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: big.json: 1 problem\n"
        "  larger than the input size limit of 1,024 bytes (1 KiB); raise it with --max-size "
        "on the command line, max_size= in Python\n"
    )
    assert run("validate", "--max-size", "3k", "big.json").stdout == "ok: big.json: 0 events\n"
    assert run("validate", "--max-size", "none", "big.json").returncode == 0
    assert run("validate", "--max-size", "2058", "big.json").returncode == 0


def test_max_size_on_standard_input(run):
    done = run("show", "--max-size", "100", "-", input="{" + " " * 200)
    assert done.returncode == 1
    assert "larger than the input size limit of 100 bytes" in done.stderr


@pytest.mark.parametrize("size", ["1X", "M", "-5", "1.5G"])
def test_max_size_that_is_not_a_size(run, size):
    done = run("export", "--max-size", size, "example:sco", "-o", "x.json")
    assert done.returncode == 2
    assert f"argument --max-size: {size!r} is not a size" in done.stderr


def test_max_size_is_documented_in_help(run):
    help_text = run("export", "--help").stdout
    assert "--max-size SIZE" in help_text
    assert "500M or 2G" in help_text


def test_dev_zero_is_refused_at_once(run):
    done = run("validate", "--from", "json", "/dev/zero")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: /dev/zero: 1 problem\n  line 1, byte offset 0: a NUL byte"
    )


def test_a_file_that_is_not_utf8_on_standard_input_says_where(run):
    done = run("validate", "-", input=b'{"format": "timeline-events",\n "version": \xff1}')
    assert done.stderr == (
        "error: <stdin>: 1 problem\n  line 2, byte offset 42: the file is not valid UTF-8\n"
    )


def test_a_calendar_on_standard_input_without_from(run):
    done = run("validate", "-", input="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert done.stderr == (
        "standard input is read as JSON; name its format with --from\n"
        "error: <stdin>: 1 problem\n"
        "  line 1, column 1: not valid JSON: a timeline document starts with '{', not 'B'\n"
    )


def test_the_problems_shown_are_capped(run, tmp_path):
    events = ",".join(["null"] * 1500)
    (tmp_path / "bad.json").write_text(
        '{"format": "timeline-events", "version": 1, "events": [' + events + "]}"
    )
    done = run("validate", "bad.json")
    lines = done.stderr.splitlines()
    assert lines[0] == "error: bad.json: 1,500 problems"
    assert lines[1] == "  $.events[0]: expected an object, not null"
    assert lines[1000] == "  $.events[999]: expected an object, not null"
    assert lines[1001:] == ["  ... and 500 more problems"]


def test_a_number_too_long_is_not_a_bug(run, tmp_path):
    (tmp_path / "long.json").write_text(
        '{"format": "timeline-events", "version": ' + "1" * 5000 + ', "events": []}'
    )
    done = run("validate", "long.json")
    assert done.stderr == (
        "error: long.json: 1 problem\n"
        "  line 1, column 42: number too long: 5000 digits, and the most is 4300\n"
    )


# -- commands from plugins (the register_commands hook) ---------------------------------------


def test_a_plugin_adds_a_command(run):
    """docs/cli.md, Adding a command from a plugin."""
    extra = {"TIMELINE_LOAD_PLUGINS": COMMANDS}
    done = run("count", "example:sco", "--kind", "summit", extra=extra)
    assert (done.returncode, done.stdout, done.stderr) == (0, "25 events\n", "")
    listed = run("--help", extra=extra).stdout
    assert "\n  count     print how many events a timeline has\n" in listed
    done = run("count", extra=extra)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: Missing argument 'INPUT'.\n  (see 'timeline count --help')\n"


def test_a_built_in_command_loads_no_plugin_commands(run):
    """A broken register_commands hook does not touch the built-in commands,
    which do not ask plugins for commands."""
    done = run("example", extra={"TIMELINE_LOAD_PLUGINS": BAD_COMMANDS})
    assert (done.returncode, done.stderr) == (0, "")


def test_a_broken_register_commands_hook_is_a_warning_and_the_rest_works(run):
    extra = {"TIMELINE_LOAD_PLUGINS": f"{BAD_COMMANDS},{COMMANDS}"}
    warning = (
        f"warning: plugin '{BAD_COMMANDS}' failed in register_commands: RuntimeError: "
        "the commands plugin has a bug; its commands are skipped\n"
    )
    done = run("count", "example:sco", extra=extra)
    assert (done.returncode, done.stdout, done.stderr) == (0, "33 events\n", warning)
    done = run("bogus", extra=extra)
    assert done.returncode == 2
    assert done.stderr == warning + (
        "error: argument COMMAND: invalid choice: 'bogus' (choose from 'export', 'show', "
        "'validate', 'formats', 'plugins', 'example', 'count')\n  (see 'timeline --help')\n"
    )


# -- --locale (docs/languages.md) --------------------------------------------------------------


def test_show_in_a_locale(run):
    done = run("show", "example:sco", "--kind", "summit", "--since", "2024", "--locale", "ru")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1:5] == [
        "2 из 33 событий, 2024 — 2025", "", "2024",
        "  3—4 июл.           Саммит  Заседание Совета глав государств — членов ШОС "
        "(Астана, 2024) — Астана, Казахстан",
    ]  # fmt: skip


def test_export_sets_the_locale_of_every_format_that_has_one(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.md", "-o", "sco.json", "--locale", "zh_hans",
               "--option", "markdown.group=none")  # fmt: skip
    assert (done.returncode, done.stderr) == (0, (
        "warning: sco.md: 35 texts have no Chinese (Simplified) translation and are in English "
        "(description 2, notes 33)\n"
        "wrote sco.md and sco.json from 33 events, with 1 warning\n"
    ))  # fmt: skip
    assert (
        "- **2024年7月3日\u2009–\u20094日** — 上海合作组织成员国元首理事会会议（阿斯塔纳，2024年）\n"
        in (tmp_path / "sco.md").read_text("utf-8")
    )
    assert timeline.load(tmp_path / "sco.json") == timeline.example("sco")  # JSON has no locale


def test_an_option_for_one_format_wins_over_locale(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.md", "--locale", "ru",
               "--option", "markdown.locale=fa")  # fmt: skip
    assert done.returncode == 0
    assert "۲۰۲۴" in (tmp_path / "sco.md").read_text("utf-8")


def test_an_unknown_locale_names_close_matches(run):
    done = run("show", "example:sco", "--locale", "zh-Hanz")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: argument --locale: unknown locale 'zh-Hanz'; did you mean zh-Hant, zh-Hans, "
        "zh-Latn or zh-Hant-TW?\n  (see 'timeline show --help')\n"
    )
