"""A plugin that misbehaves as it is told, for ``tests/test_plugins_isolation.py``.

The environment variable ``TIMELINE_ROGUE`` names what it does, comma-separated:

* ``exit-at-import``, ``interrupt-at-import``: ``sys.exit(7)``, or ``raise
  KeyboardInterrupt``, while it is imported;
* ``print-at-import``: prints, writes to file descriptor 1 and registers an
  ``atexit`` handler that does both, while it is imported;
* ``hang-at-import``: reads a byte from the file descriptor ``TIMELINE_ROGUE_GATE``
  (a pipe it inherits) while it is imported, which blocks until the test writes
  to the other end;
* ``exit-in-hook``, ``interrupt-in-hook``: the same from ``register_exporters``;
* ``exit-in-write``, ``exit-0-in-write``, ``interrupt-in-write``, ``sigint-in-write``,
  ``bug-in-write``: the ``rogue`` exporter writes a line, then calls
  ``sys.exit(3)`` or ``sys.exit(0)``, raises KeyboardInterrupt, sends its own
  process SIGINT (as a Ctrl-C would), or raises a RuntimeError;
* ``dict-from-read``, ``exit-in-read``: the ``rogue`` importer returns a dict
  instead of a timeline, or calls ``sys.exit(4)``.

With none of these it is a working plugin: the ``rogue`` exporter writes one
title per line, and the ``rogue`` importer reads one title per line.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import timeline

DOES = set(filter(None, os.environ.get("TIMELINE_ROGUE", "").split(",")))


def _say(where: str) -> None:
    print(f"rogue print {where}")
    sys.stdout.flush()
    os.write(1, f"rogue fd 1 {where}\n".encode())


if "exit-at-import" in DOES:
    sys.exit(7)
if "interrupt-at-import" in DOES:
    raise KeyboardInterrupt
if "print-at-import" in DOES:
    _say("at import")
    atexit.register(_say, "at exit")
if "hang-at-import" in DOES:
    os.read(int(os.environ["TIMELINE_ROGUE_GATE"]), 1)


class RogueExporter(timeline.Exporter):
    name = "rogue"
    suffixes = (".rogue",)
    media_type = "text/plain"
    description = "One title per line, unless told to misbehave."

    def write(self, tl: timeline.Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        for event in tl:
            out.write(event.title + "\n")
            if "exit-in-write" in DOES:
                sys.exit(3)
            if "exit-0-in-write" in DOES:
                sys.exit(0)
            if "interrupt-in-write" in DOES:
                raise KeyboardInterrupt
            if "sigint-in-write" in DOES:
                os.kill(os.getpid(), signal.SIGINT)
            if "bug-in-write" in DOES:
                raise RuntimeError("the rogue exporter has a bug")


class RogueImporter(timeline.Importer):
    name = "rogue"
    suffixes = (".rogue",)
    media_type = "text/plain"
    description = "One title per line, each event on 2001-06-15."

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> timeline.Timeline:
        if "exit-in-read" in DOES:
            sys.exit(4)
        events = [timeline.Event(title=line.strip(), start="2001-06-15") for line in stream]
        if "dict-from-read" in DOES:
            return {"events": events}  # type: ignore[return-value]
        return timeline.Timeline(events=events)


@timeline.hookimpl
def register_exporters(register: Callable[[timeline.Exporter], None]) -> None:
    if "exit-in-hook" in DOES:
        sys.exit(5)
    if "interrupt-in-hook" in DOES:
        raise KeyboardInterrupt
    register(RogueExporter())


@timeline.hookimpl
def register_importers(register: Callable[[timeline.Importer], None]) -> None:
    register(RogueImporter())
