"""Recorded sessions of the ``timeline`` command, replayed and compared exactly.

Each file in ``tests/cli/transcripts/`` is a list of commands with what they printed
and their exit status, recorded before the command line was rewritten on click,
so that the rewrite (and every later change) provably keeps every message, exit
status and ``--help`` example. A ``--help`` page is recorded by its facts (the
description, every option with its value name and text, the examples), since
the way a page is wrapped and indented belongs to the library that draws it::

    TIMELINE_REGENERATE=1 pytest tests/cli/test_transcripts.py   # record again
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

import timeline
from timeline.testing import run_command

HERE = Path(__file__).parent / "transcripts"
SCRIPTS = sorted(HERE.glob("*.txt"))

#: Files every session starts with, in its working folder.
FIXTURES = {
    "sco.json": timeline.dumps(timeline.example("sco"), "json"),
    "bad.json": '{"timeline": "1.0", "events": [{"id": "a", "kind": "event", "title": "",'
    ' "start": "2001-13-01"}, {"id": "a", "kind": "nope", "title": "t", "start": "2001"}]}\n',
    "broken.json": '{"timeline": "1.0", "events": [\n',
    "notes.txt": "not a timeline\n",
    "summits.ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20010101T000000Z\r\nDTSTART;VALUE=DATE:20010615\r\n"
    "SUMMARY:Founding\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@t\r\nDTSTAMP:20010101T000000Z\r\n"
    "SUMMARY:No start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
}

COMMAND = re.compile(r"^\$ (?P<line>.*)$", re.M)


def facts_of_help(text: str) -> str:
    """What a ``--help`` page says, without the way it is wrapped: its paragraphs
    joined into lines, each option as ``flags | text``, each example as is."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    section = ""
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(paragraph))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
        elif line.startswith(("usage:", "Usage:")):
            # the usage line is drawn by the parser; skip it and its continuation
            while i + 1 < len(lines) and lines[i + 1].startswith(" "):
                i += 1
        elif not line.startswith(" ") and stripped.endswith(":"):
            flush()
            section = stripped.rstrip(":").lower()
            section = "options" if section in {"options", "optional arguments"} else section
            out.append(f"[{section}]")
        elif section == "examples":
            out.append(stripped)
        elif section and (stripped.startswith("-") or re.search(r"\S\s{2,}\S", stripped)):
            flush()
            parts = re.split(r"\s{2,}", stripped, maxsplit=1)
            entry, text_ = parts[0], parts[1] if len(parts) > 1 else ""
            while i + 1 < len(lines) and lines[i + 1].startswith(" " * 8):
                i += 1
                text_ = f"{text_} {lines[i].strip()}".strip()
            if not re.fullmatch(r"[A-Z]+", entry) or text_:  # argparse's COMMAND line
                out.append(f"{entry} | {text_}")
        elif section == "commands" and re.fullmatch(r"[A-Z]+", stripped):
            pass  # argparse's COMMAND metavar, a detail of how it draws the list
        else:
            paragraph.append(stripped)
        i += 1
    flush()
    return "\n".join(out) + "\n"


def _record(script: Path, tmp: Path) -> str:
    recorded: list[str] = []
    for name, text in FIXTURES.items():
        (tmp / name).write_text(text, encoding="utf-8", newline="")
    for match in COMMAND.finditer(script.read_text(encoding="utf-8")):
        line = match["line"]
        args = shlex.split(line)
        assert args[0] == "timeline", line
        done = run_command(*args[1:], plugins="", cwd=tmp)
        stdout = done.stdout
        if "--help" in args or "-h" in args:
            stdout = facts_of_help(stdout)
        stdout = stdout.replace(timeline.__version__, "{version}")
        recorded.append(f"$ {line}\n[exit {done.returncode}]\n")
        if stdout:
            recorded.append(
                "--- stdout\n" + stdout + ("" if stdout.endswith("\n") else "\n[no newline]\n")
            )
        if done.stderr:
            recorded.append(
                "--- stderr\n"
                + done.stderr
                + ("" if done.stderr.endswith("\n") else "\n[no newline]\n")
            )
        recorded.append("\n")
    return "".join(recorded)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_transcript_is_unchanged(script: Path, tmp_path: Path) -> None:
    """Replaying a recorded session prints exactly what was recorded."""
    got = _record(script, tmp_path)
    if os.environ.get("TIMELINE_REGENERATE"):
        script.write_text(got, encoding="utf-8")
    assert got == script.read_text(encoding="utf-8")


def test_there_are_transcripts() -> None:
    """The folder is not empty (a glob that finds nothing would pass vacuously)."""
    assert len(SCRIPTS) >= 5
