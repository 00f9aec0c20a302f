"""Signals in the middle of an export: ``SIGTERM``, ``SIGHUP`` and Ctrl-C
end the command as Ctrl-C does, leaving every output as it was; on Linux,
where the temporary files have no name, even ``SIGKILL`` leaves nothing.

The command runs as a user runs it, ``python -m timeline export``, with an
exporter plugin that writes half of its events, says so on a pipe, and then
waits on another pipe for a byte that never comes: the test signals it
while it waits, so nothing depends on timing (the timeouts only keep a
broken test from hanging).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = '''\
"""An exporter that stops halfway until it is signalled (tests/test_atomic_signals.py)."""

import os

import timeline

if os.environ.get("TIMELINE_TEST_NAMED"):  # as where there is no O_TMPFILE
    import timeline.atomic

    timeline.atomic._O_TMPFILE = 0


class WaitingExporter(timeline.Exporter):
    name = "waiting"
    suffixes = (".wait",)
    media_type = "text/plain"
    description = "Writes half of the events, then waits."

    def write(self, timeline, out, options):
        events = timeline.events
        for event in events[: len(events) // 2]:
            out.write(f"{event.id}\\n")
        out.flush()
        if os.environ.get("TIMELINE_TEST_SWALLOW"):  # a plugin that keeps going
            try:  # from before it says it is ready: the signal comes after that
                os.write(int(os.environ["TIMELINE_TEST_READY"]), b"ready")
                os.read(int(os.environ["TIMELINE_TEST_GO"]), 1)
            except BaseException:
                os.write(int(os.environ["TIMELINE_TEST_READY"]), b"swall")
        else:
            os.write(int(os.environ["TIMELINE_TEST_READY"]), b"ready")
        os.read(int(os.environ["TIMELINE_TEST_GO"]), 1)  # never comes
        for event in events[len(events) // 2 :]:
            out.write(f"{event.id}\\n")


@timeline.hookimpl
def register_exporters(register):
    register(WaitingExporter())
'''

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="signals, and O_TMPFILE, as Linux has them"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder on which the plugin is an installed distribution, ``timeline-waiting``."""
    folder = tmp_path_factory.mktemp("site")
    (folder / "timeline_waiting.py").write_text(PLUGIN, encoding="utf-8")
    info = folder / "timeline_waiting-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: timeline-waiting\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[timeline]\nwaiting = timeline_waiting\n", encoding="utf-8"
    )
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def default_signals() -> None:
    """In the command: the signals as a terminal gives them, whatever the
    tests inherited (a SIGHUP ignored by nohup, a SIGINT ignored in the
    background)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def export_until_signalled(
    site: Path, tmp_path: Path, number: int, *, named: bool = False, swallowed: bool = False
) -> tuple[int, str, list[str]]:
    """Run the export, signal it once its second output is half written;
    return its status, its standard error, and what its folder held while
    it was waiting."""
    ready_out, ready_in = os.pipe()
    go_out, go_in = os.pipe()
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "PYTHONWARNINGS"}}
    env |= {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
        "TIMELINE_LOAD_PLUGINS": "timeline-waiting",
        "TIMELINE_TEST_READY": str(ready_in),
        "TIMELINE_TEST_GO": str(go_out),
        "PYTHONUTF8": "1",
    }
    if named:
        env["TIMELINE_TEST_NAMED"] = "1"
    if swallowed:
        env["TIMELINE_TEST_SWALLOW"] = "1"
    command = [sys.executable, "-m", "timeline", "export", "example:sco",
               "-o", "out/a.json", "-o", "out/b.wait"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, pass_fds=(ready_in, go_out),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=default_signals,  # noqa: PLW1509 - it only sets signal handlers
    )  # fmt: skip
    os.close(ready_in)
    os.close(go_out)
    try:
        readable, _, _ = select.select([ready_out], [], [], 120)
        said = os.read(ready_out, 5) if readable else b""
        if said != b"ready":  # the command ended (or hangs) without getting there
            process.kill()
            _, stderr = process.communicate(timeout=120)
            pytest.fail(f"the export did not get halfway: {stderr.decode()}")
        during = sorted(os.listdir(tmp_path / "out"))
        process.send_signal(number)
        if swallowed:  # the plugin caught the first one: send it again
            readable, _, _ = select.select([ready_out], [], [], 120)
            assert readable
            said = os.read(ready_out, 5)
            if said != b"swall":
                process.kill()
                _, stderr = process.communicate(timeout=120)
                pytest.fail(f"the plugin did not swallow it ({process.returncode}): {stderr!r}")
            process.send_signal(number)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(ready_out)
        os.close(go_in)
    assert stdout == b""
    return process.returncode, stderr.decode("utf-8"), during


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.json").write_text("the old a.json\n", encoding="utf-8")
    (folder / "b.wait").write_text("the old b.wait\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("number", "status", "message"),
    [
        (signal.SIGTERM, 143, "error: terminated (SIGTERM)\n"),
        (signal.SIGHUP, 129, "error: hung up (SIGHUP)\n"),
        (signal.SIGINT, 130, "error: interrupted\n"),
        (signal.SIGKILL, -signal.SIGKILL, ""),
    ],
    ids=["SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"],
)
def test_a_signal_halfway_leaves_the_folder_as_it_was(site, tmp_path, out, number, status, message):
    before = snapshot(out)
    done, stderr, during = export_until_signalled(site, tmp_path, number)
    assert (done, stderr) == (status, message)
    assert during == ["a.json", "b.wait"]  # the temporary files have no name
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("number", "status", "message"),
    [
        (signal.SIGTERM, 143, "error: terminated (SIGTERM)\n"),
        (signal.SIGHUP, 129, "error: hung up (SIGHUP)\n"),
    ],
    ids=["SIGTERM", "SIGHUP"],
)
def test_where_temporary_files_have_names_a_signal_removes_them(
    site, tmp_path, out, number, status, message
):
    before = snapshot(out)
    done, stderr, during = export_until_signalled(site, tmp_path, number, named=True)
    assert (done, stderr) == (status, message)
    assert [re.sub(r"\.[a-z0-9]{8}\.part$", ".XXXXXXXX.part", name) for name in during] == [
        ".a.json.XXXXXXXX.part", ".b.wait.XXXXXXXX.part", "a.json", "b.wait",
    ]  # fmt: skip
    assert snapshot(out) == before


def test_where_temporary_files_have_names_sigkill_leaves_them(site, tmp_path, out):
    """What docs/cli.md says can remain where there is no ``O_TMPFILE``."""
    before = snapshot(out)
    done, stderr, during = export_until_signalled(site, tmp_path, signal.SIGKILL, named=True)
    assert (done, stderr) == (-signal.SIGKILL, "")
    after = snapshot(out)
    assert sorted(after) == during
    assert {name: after[name] for name in before} == before  # the targets are as they were


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_second_signal_ends_a_command_whose_plugin_swallowed_the_first(
    site, tmp_path, out, number
):
    """The plugin's ``except BaseException`` keeps it waiting; the second
    signal ends the process as the signal does by default, and with no name
    for the temporary files, the folder is still as it was."""
    before = snapshot(out)
    done, stderr, _ = export_until_signalled(site, tmp_path, number, swallowed=True)
    assert (done, stderr) == (-number, "")
    assert snapshot(out) == before
