"""Plugins kept in bounds: whatever they raise, print or wait for, and closed standard streams.

The misbehaving plugin is ``tests/plugins/timeline_cli_rogue.py``, an installed
distribution (``timeline-cli-rogue``) for the commands run here, told what to do by
``TIMELINE_ROGUE``. The commands run in a subprocess, as a user runs them: the
process's standard streams and its handling of Ctrl-C are what is tested. The
library's side (what ``dump``, ``dumps`` and ``loads`` raise) is tested in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import pytest
from helpers.plugins import TEST_PLUGINS

import timeline
from timeline import Exporter, Importer, PluginError, Timeline
from timeline.plugins import DEFAULT_PLUGINS, watching_interrupts
from timeline.testing import register_plugin, sample_timeline

PLUGIN_SOURCE = TEST_PLUGINS  # on the PYTHONPATH of the commands (the fixture installed)
ROGUE = "timeline-cli-rogue"
TESTPLUGIN = "timeline-cli-testplugin"
BROKEN = "timeline-cli-broken"
SCO = timeline.example("sco")


@pytest.fixture
def env(installed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "PYTHONWARNINGS"}}
    env |= {"PYTHONPATH": installed, "PYTHONUTF8": "1", "TIMELINE_LOAD_PLUGINS": ROGUE}
    env.pop("TIMELINE_PLUGIN_WAIT", None)
    env.pop("TIMELINE_ROGUE", None)
    return env


def command(script: bool) -> list[str]:
    if script:
        return [str(Path(sysconfig.get_path("scripts")) / "timeline")]
    return [sys.executable, "-m", "timeline"]


@pytest.fixture
def run(env: dict[str, str], tmp_path: Path):
    """Run the command in ``tmp_path`` with the rogue plugin doing ``rogue``;
    ``closed`` are the standard descriptors closed in the child before it starts."""

    def run(
        *args: str,
        rogue: str = "",
        load: str = ROGUE,
        script: bool = False,
        closed: tuple[int, ...] = (),
        extra: Mapping[str, str] = {},
    ) -> subprocess.CompletedProcess[str]:
        def close() -> None:
            for fd in closed:
                os.close(fd)

        return subprocess.run(
            [*command(script), *args], cwd=tmp_path, capture_output=True,
            stdin=subprocess.DEVNULL, preexec_fn=close if closed else None,
            env={**env, "TIMELINE_ROGUE": rogue, "TIMELINE_LOAD_PLUGINS": load, **extra},
            encoding="utf-8", timeout=120, check=False,
        )  # fmt: skip

    return run


def skipped(reason: str) -> str:
    return f"warning: plugin '{ROGUE}' {reason}; it is skipped\n"


# -- at import and in hooks: the plugin is skipped, the command goes on --------------------------


@pytest.mark.parametrize(
    ("rogue", "reason"),
    [
        ("exit-at-import", "cannot be imported: it called sys.exit(7)"),
        (
            "interrupt-at-import",
            "cannot be imported: it raised KeyboardInterrupt, though no Ctrl-C was pressed",
        ),
        ("exit-in-hook", "called sys.exit(5) from its register_exporters hook"),
        (
            "interrupt-in-hook",
            "raised KeyboardInterrupt from its register_exporters hook, "
            "though no Ctrl-C was pressed",
        ),
    ],
)
def test_a_plugin_that_exits_or_interrupts_is_skipped_and_the_command_goes_on(
    run, tmp_path, rogue, reason
):
    done = run("export", "example:sco", "-o", "sco.json", rogue=rogue)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == skipped(reason) + "wrote sco.json from 33 events\n"
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO)
    done = run("plugins", "--json", rogue=rogue)
    assert (done.returncode, done.stderr) == (0, "")
    (rogue_info,) = [p for p in json.loads(done.stdout) if p["name"] == ROGUE]
    assert rogue_info["error"] == reason


def test_debug_shows_where_a_plugin_failed_to_import(run):
    done = run("--debug", "formats", "json", load=BROKEN)
    assert done.returncode == 0
    trace, _, warning = done.stderr.partition("warning: ")
    assert trace.startswith("Traceback (most recent call last):\n")
    assert f'{PLUGIN_SOURCE / "timeline_cli_broken.py"}", line 3, in <module>\n' in trace
    assert trace.endswith(
        "ImportError: timeline_cli_broken needs a library that is not installed\n"
    )
    assert warning == (
        f"plugin '{BROKEN}' cannot be imported: ImportError: "
        "timeline_cli_broken needs a library that is not installed; it is skipped\n"
    )


# -- what a plugin prints reaches standard error -------------------------------------------------

PRINTED_AT_IMPORT = "rogue print at import\nrogue fd 1 at import\n"
PRINTED_AT_EXIT = "rogue print at exit\nrogue fd 1 at exit\n"


@pytest.mark.parametrize("script", [False, True])
def test_what_a_plugin_prints_at_import_and_at_exit_goes_to_standard_error(run, script):
    done = run("export", "example:sco", "-o", "-", rogue="print-at-import", script=script)
    assert (done.returncode, done.stdout) == (0, timeline.dumps(SCO))
    assert done.stderr == PRINTED_AT_IMPORT + PRINTED_AT_EXIT
    done = run("plugins", "--json", rogue="print-at-import", script=script)
    assert done.returncode == 0
    assert [p["name"] for p in json.loads(done.stdout) if not p["builtin"]] == [ROGUE]
    assert done.stderr == PRINTED_AT_IMPORT + PRINTED_AT_EXIT
    done = run("formats", "--json", rogue="print-at-import", script=script)
    assert done.returncode == 0
    assert [f["name"] for f in json.loads(done.stdout)["exporters"]] == sorted(
        [*timeline.exporters(), "rogue"]
    )
    assert done.stderr == PRINTED_AT_IMPORT + PRINTED_AT_EXIT


def test_standard_output_named_by_a_path_is_the_commands_not_the_plugins(run, tmp_path):
    done = run("export", "example:sco", "-f", "json", "-o", "/dev/stdout",
               rogue="print-at-import")  # fmt: skip
    assert (done.returncode, done.stdout) == (0, timeline.dumps(SCO))
    assert done.stderr == PRINTED_AT_IMPORT + "wrote /dev/stdout from 33 events\n" + PRINTED_AT_EXIT


def test_a_plugin_that_prints_in_process_prints_to_standard_error(capsys, fresh_plugins):
    class Chatty:
        __name__ = "chatty"

        @timeline.hookimpl
        def register_kinds(self, register):
            print("registering my kinds")

    fresh_plugins.setenv("TIMELINE_LOAD_PLUGINS", "")
    with register_plugin(Chatty(), name="chatty"):
        assert "event" in timeline.kinds()
    assert capsys.readouterr() == ("", "registering my kinds\n")


# -- a plugin that takes long to import ----------------------------------------------------------


def test_a_plugin_that_hangs_at_import_is_named_with_the_way_to_skip_it(env, tmp_path):
    """The plugin waits on a pipe that the test writes to once the warning has come."""
    gate_out, gate_in = os.pipe()
    env |= {
        "TIMELINE_ROGUE": "hang-at-import", "TIMELINE_ROGUE_GATE": str(gate_out),
        "TIMELINE_PLUGIN_WAIT": "0.01", "TIMELINE_LOAD_PLUGINS": f"{ROGUE},{TESTPLUGIN}",
    }  # fmt: skip
    process = subprocess.Popen(
        [*command(False), "formats", "rogue"], cwd=tmp_path, env=env, pass_fds=[gate_out],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        encoding="utf-8",
    )  # fmt: skip
    os.close(gate_out)
    guard = threading.Timer(60, os.write, (gate_in, b"!"))  # only if the warning never comes
    guard.start()
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        os.write(gate_in, b"!")
        stdout, rest = process.communicate(timeout=120)
    finally:
        guard.cancel()
        os.close(gate_in)
    assert first == (
        f"warning: plugin '{ROGUE}' is still being imported after 0.01 s; to start without "
        f"it, set TIMELINE_LOAD_PLUGINS={TESTPLUGIN} (the other plugins)\n"
    )
    assert (process.returncode, rest) == (0, "")
    assert stdout.startswith("Exporters (choose with -f NAME or by suffix):\n\n  rogue  .rogue")


def test_a_wait_that_is_not_a_number_of_seconds_is_said(run):
    done = run("formats", "rogue", extra={"TIMELINE_PLUGIN_WAIT": "soon"})
    assert done.returncode == 0
    assert done.stderr == (
        "warning: TIMELINE_PLUGIN_WAIT='soon' is not a number of seconds; 5 is used\n"
    )


# -- in write and read: the export fails, naming the plugin and the format -----------------------


@pytest.mark.parametrize(
    ("rogue", "did"),
    [
        ("exit-in-write", "called sys.exit(3) while writing"),
        ("exit-0-in-write", "called sys.exit(0) while writing"),
        (
            "interrupt-in-write",
            "raised KeyboardInterrupt while writing, though no Ctrl-C was pressed",
        ),
    ],
)
def test_an_exporter_that_exits_fails_the_export_and_changes_no_file(run, tmp_path, rogue, did):
    (tmp_path / "sco.json").write_text("the old JSON\n", encoding="utf-8")
    done = run("export", "example:sco", "-o", "sco.json", "-o", "sco.rogue", rogue=rogue)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: sco.rogue: the exporter 'rogue' of plugin '{ROGUE}' {did}\n"
    assert sorted(os.listdir(tmp_path)) == ["sco.json"]
    assert (tmp_path / "sco.json").read_text("utf-8") == "the old JSON\n"


def test_a_ctrl_c_while_a_plugin_writes_is_an_interruption(run, tmp_path):
    """The plugin sends its process SIGINT, as a Ctrl-C does: that one is the user's."""
    done = run("export", "example:sco", "-o", "sco.rogue", rogue="sigint-in-write")
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "error: interrupted\n")
    assert os.listdir(tmp_path) == []


def test_a_bug_in_an_exporter_names_its_plugin(run):
    done = run("export", "example:sco", "-o", "sco.rogue", rogue="bug-in-write")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: sco.rogue: RuntimeError: the rogue exporter has a bug\n"
        f"  this is a bug in the exporter 'rogue' of plugin '{ROGUE}'; "
        "run again with --debug to see where\n"
    )
    done = run("--debug", "export", "example:sco", "-o", "sco.rogue", rogue="bug-in-write")
    assert f"(raised by the exporter 'rogue' of plugin '{ROGUE}' while writing)\n" in done.stderr
    assert f'{PLUGIN_SOURCE / "timeline_cli_rogue.py"}", line ' in done.stderr


@pytest.mark.parametrize(
    ("rogue", "did"),
    [
        ("dict-from-read", "returned a value of type dict, not a timeline.Timeline"),
        ("exit-in-read", "called sys.exit(4) while reading"),
    ],
)
def test_an_importer_that_returns_no_timeline_or_exits_is_an_error(run, tmp_path, rogue, did):
    (tmp_path / "in.rogue").write_text("Founded\n", encoding="utf-8")
    done = run("show", "in.rogue", rogue=rogue)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: in.rogue: the importer 'rogue' of plugin '{ROGUE}' {did}\n"


# -- timeline plugins --check ----------------------------------------------------------------------


def test_plugins_check_fails_on_a_broken_plugin_with_a_line_for_each(run):
    done = run("plugins", "--check", load=f"{ROGUE},{BROKEN},timeline-nowhere")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: plugin '{BROKEN}' cannot be imported: ImportError: timeline_cli_broken needs "
        "a library that is not installed\n"
        "error: plugin 'timeline-nowhere' is named in TIMELINE_LOAD_PLUGINS but is not installed\n"
    )
    done = run("plugins", load=f"{ROGUE},{BROKEN}")
    assert (done.returncode, done.stderr) == (0, "")  # the listing is for people: it says BROKEN
    assert f"\n{BROKEN} 0.1  BROKEN\n" in done.stdout


def test_plugins_check_passes_when_every_plugin_works(run):
    done = run("plugins", "--check", load=f"{ROGUE},{TESTPLUGIN}")
    plugins = len(DEFAULT_PLUGINS) + 2  # the built-in ones, the rogue and the test plugin
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"ok: {plugins} plugins, none broken\n"
    done = run("plugins", "--check", "--json")
    assert done.returncode == 2
    assert "argument --json: not allowed with argument --check" in done.stderr


# -- closed standard streams -----------------------------------------------------------------------


def test_an_export_with_standard_error_closed_succeeds(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.json", closed=(2,))
    assert (done.returncode, done.stdout) == (0, "")
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO)
    done = run("export", "example:sco", "-o", "-", closed=(2,))
    assert (done.returncode, done.stdout) == (0, timeline.dumps(SCO))
    done = run("export", "missing.json", "-o", "x.json", closed=(2,))
    assert done.returncode == 2  # the error has nowhere to go, the status still tells


@pytest.mark.parametrize("script", [False, True])
def test_an_export_to_a_file_with_standard_output_closed_succeeds(run, tmp_path, script):
    """No file opened by the command takes the number of standard output."""
    done = run("export", "example:sco", "-o", "sco.json", "-o", "sco.md", closed=(1,),
               rogue="print-at-import", script=script)  # fmt: skip
    assert done.returncode == 0
    assert done.stderr == (
        PRINTED_AT_IMPORT + "wrote sco.json and sco.md from 33 events\n" + PRINTED_AT_EXIT
    )
    assert (tmp_path / "sco.json").read_text("utf-8") == timeline.dumps(SCO)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "example:sco"],
        ["export", "example:sco", "-o", "-"],
        ["plugins", "--json"],
        ["formats"],
        ["--version"],
        ["--help"],
    ],
)
def test_writing_to_standard_output_when_it_is_closed_is_an_error(run, tmp_path, args):
    done = run(*args, closed=(1,))
    assert (done.returncode, done.stderr) == (1, "error: standard output: closed\n")
    assert os.listdir(tmp_path) == []


def test_a_closed_standard_output_among_the_outputs_is_refused_before_any_file(run, tmp_path):
    done = run("export", "example:sco", "-o", "sco.json", "-o", "-", closed=(1,))
    assert (done.returncode, done.stderr) == (1, "error: standard output: closed\n")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_named_by_a_path_when_it_is_closed_is_an_error(run, tmp_path, name):
    """Descriptor 1 is standard error's then: the export must not replace
    the file standard error goes to."""
    done = run("export", "example:sco", "-o", name, "-f", "json", closed=(1,))
    assert (done.returncode, done.stderr) == (1, "error: standard output: closed\n")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_named_by_a_path_gets_the_export(run, name):
    """Not standard error, which descriptor 1 points at while the command runs."""
    done = run("export", "example:sco", "-o", name, "-f", "json")
    assert (done.returncode, done.stderr) == (0, f"wrote {name} from 33 events\n")
    assert done.stdout == timeline.dumps(SCO)


def test_reading_standard_input_when_it_is_closed_is_an_error(run, tmp_path):
    done = run("show", "-", closed=(0,))
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "error: standard input: closed\n"
    )  # fmt: skip
    done = run("export", "example:sco", "-o", "sco.json", closed=(0,))
    assert (done.returncode, done.stderr) == (0, "wrote sco.json from 33 events\n")


# -- the library: in-process ------------------------------------------------------------------------


class Exits(Exporter):
    name = "exits"
    suffixes = (".exits",)
    media_type = "text/plain"
    description = "Writes a line, then calls sys.exit(0)."
    raise_: Callable[[], BaseException] = staticmethod(lambda: SystemExit(0))

    def write(self, tl: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        out.write("a line\n")
        raise self.raise_()


class Interrupts(Exits):
    name = "interrupts"
    suffixes = (".interrupts",)
    raise_ = staticmethod(KeyboardInterrupt)


class Buggy(Exits):
    name = "buggy"
    suffixes = (".buggy",)
    raise_ = staticmethod(lambda: RuntimeError("off by one"))


class Ctrl(Exits):
    name = "ctrl"
    suffixes = (".ctrl",)

    def write(self, tl: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        signal.raise_signal(signal.SIGINT)  # as a Ctrl-C does


class Nothing(Importer):
    name = "nothing"
    suffixes = (".nothing",)
    description = "Returns None."

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        return None  # type: ignore[return-value]


class Rogue:
    __name__ = "rogue-in-process"

    @timeline.hookimpl
    def register_exporters(self, register):
        for cls in (Exits, Interrupts, Buggy, Ctrl):
            register(cls())

    @timeline.hookimpl
    def register_importers(self, register):
        register(Nothing())


def test_sys_exit_in_write_is_a_plugin_error_and_no_file_is_written(tmp_path):
    message = "the exporter 'exits' of plugin 'rogue-in-process' called sys.exit(0) while writing"
    with register_plugin(Rogue(), name="rogue-in-process"):
        with pytest.raises(PluginError) as caught:
            timeline.dump(sample_timeline(), tmp_path / "out.exits")
        assert str(caught.value) == message
        assert isinstance(caught.value.__cause__, SystemExit)
        with pytest.raises(PluginError, match=r"^the exporter 'exits' .* sys.exit\(0\)"):
            timeline.dumps(sample_timeline(), "exits")
    assert os.listdir(tmp_path) == []


def test_an_importer_that_returns_none_is_a_plugin_error():
    with register_plugin(Rogue(), name="rogue-in-process"), pytest.raises(PluginError) as caught:
        timeline.loads("anything", "nothing")
    assert str(caught.value) == (
        "<string>: the importer 'nothing' of plugin 'rogue-in-process' returned None, "
        "not a timeline.Timeline"
    )


def test_an_error_from_write_keeps_its_type_and_gets_a_note_naming_the_plugin():
    with register_plugin(Rogue(), name="rogue-in-process"), pytest.raises(RuntimeError) as caught:
        timeline.dumps(sample_timeline(), "buggy")
    assert caught.value.__notes__ == [
        "(raised by the exporter 'buggy' of plugin 'rogue-in-process' while writing)"
    ]


def test_a_format_no_plugin_registered_is_named_by_its_class():
    with pytest.raises(PluginError) as caught:
        Exits().write(sample_timeline(), open(os.devnull, "w"), {})  # noqa: SIM115
    assert str(caught.value) == (
        f"the exporter 'exits' ({Exits.__module__}.Exits) called sys.exit(0) while writing"
    )


def test_a_program_using_the_library_takes_every_keyboard_interrupt_for_a_ctrl_c():
    """Nothing watches for Ctrl-C outside the command: a KeyboardInterrupt is raised as it is."""
    with register_plugin(Rogue(), name="rogue-in-process"), pytest.raises(KeyboardInterrupt):
        timeline.dumps(sample_timeline(), "interrupts")


def test_while_ctrl_c_is_watched_only_a_sigint_is_an_interruption():
    with register_plugin(Rogue(), name="rogue-in-process"), watching_interrupts():
        with pytest.raises(PluginError, match="raised KeyboardInterrupt while writing, though no"):
            timeline.dumps(sample_timeline(), "interrupts")
        with pytest.raises(KeyboardInterrupt):
            timeline.dumps(sample_timeline(), "ctrl")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
