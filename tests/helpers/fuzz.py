"""Fuzz the loaders: mutate good and hostile files and feed them to every
importer. Any outcome but a timeline or a ``timeline.TimelineError`` is a bug,
and so is an input that takes more than ``--limit`` seconds, or a timeline
that loads but that a registered exporter cannot write. The (shrunk) input
that caused it is saved to ``tests/corpus/hostile/<format>/found-<hash>.<suffix>``
and listed in ``tests/corpus/hostile/expected.toml``, where it stays as a
regression case once its expected outcome is filled in.

    python tests/helpers/fuzz.py                    # every importer, 60 s each
    python tests/helpers/fuzz.py --seconds 600 --format ics

It fuzzes the importers that are registered: run it without
``TIMELINE_LOAD_PLUGINS`` set to include installed plugins (the CSV plugin:
``pip install -e plugins/timeline-csv``).

Seeds: the hostile corpus of the format, and what the matching exporter
writes for the sample timeline and the SCO example.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import timeline
from timeline.testing import sample_timeline

HOSTILE = Path(__file__).resolve().parent.parent / "corpus" / "hostile"
TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b",",
    b":",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"1e999",
    b"-0000",
    b"9999-12-31T23:59:59",
    b"2024-02-29",
    b"[Asia/Almaty]",
    b"~",
    b"?",
    b"%",
    b"\r\n",
    b"\n ",
    b"BEGIN:VEVENT\r\n",
    b"END:VEVENT\r\n",
    b"END:VCALENDAR\r\n",
    b"DTSTART;VALUE=DATE:20240230\r\n",
    b"RRULE:FREQ=SECONDLY\r\n",
    b"TZID=Mars/Olympus",
    b";",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    "🤝".encode(),
    b"\x00",
    b"\t",
    # CSV: quotes, cells a spreadsheet runs, columns with types, lists
    b'""',
    b'"a,\r\nb"',
    b"=cmd|' /C calc'!A0",
    b"'=1",
    b"kind,id,title,start,end,place_latitude,members,sources,source_titles,status\r\n",
    b"founding",
    b"[1,",
    b'["a"; "b"]',
    b"1e308",
    b"-0476~",
]
LIMIT = 10.0
"""Seconds one input may take to load and export before it counts as a hang."""


class Found(Exception):
    """An input that made a loader fail in an undocumented way."""


class Hang(BaseException):
    """An input that took more than ``LIMIT`` seconds (a BaseException, so
    that no ``except Exception`` in the code under test can swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _export_all(loaded: timeline.Timeline) -> None:
    """Every registered exporter writes what was loaded."""
    for exporter in timeline.exporters().values():
        exporter.write(loaded, io.StringIO(newline=""), exporter.resolve_options({}))


def seeds(name: str) -> list[bytes]:
    found: list[bytes] = []
    folder = HOSTILE / name
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if len(data) <= 200_000:
                found.append(data)
    if name in timeline.exporters():
        for t in (sample_timeline(), timeline.example("sco")):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", timeline.ExportWarning)
                found.append(timeline.dumps(t, name).encode("utf-8"))
    return found or [b""]


def mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    n = max(len(seed), 1)
    position = st.integers(0, n)
    return st.one_of(
        st.just(seed),
        position.map(lambda i: seed[:i]),
        st.tuples(position, st.sampled_from(TOKENS)).map(
            lambda p: seed[: p[0]] + p[1] + seed[p[0] :]
        ),
        st.tuples(position, position).map(lambda p: seed[: min(p)] + seed[max(p) :]),
        st.tuples(position, st.integers(0, 255)).map(
            lambda p: seed[: p[0]] + bytes([p[1]]) + seed[p[0] + 1 :]
        ),
        st.tuples(position, position).map(lambda p: seed[: max(p)] + seed[min(p) :]),
        st.binary(max_size=200),
    )


def fuzz(
    name: str,
    *,
    seconds: float = 60,
    examples: int = 200,
    save: bool = True,
    limit: float = LIMIT,
    shrink: bool = True,
) -> int:
    """Fuzz one importer; return how many rounds of ``examples`` inputs ran.
    Raise Found on a bug. Without ``shrink``, the first input found is kept
    as it is (shrinking a hang costs ``limit`` a try)."""
    importer = timeline.importers()[name]
    suffix = importer.suffixes[0] if importer.suffixes else f".{name}"
    corpus = seeds(name)
    last: list[bytes] = []

    phases = list(Phase) if shrink else [p for p in Phase if p is not Phase.shrink]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    @given(st.sampled_from(corpus).flatmap(mutations))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(data)
            try:
                with warnings.catch_warnings(), time_limit(limit):
                    warnings.simplefilter("ignore", timeline.TimelineWarning)
                    try:
                        loaded = timeline.load(path, name)
                    except timeline.TimelineError:
                        return
                    _export_all(loaded)
            except (Exception, Hang) as exc:
                last[:] = [data]
                raise Found(f"{name}: {type(exc).__name__}: {exc}") from exc

    rounds = 0
    deadline = time.monotonic() + seconds
    while True:
        rounds += 1
        try:
            check()
        except Found as exc:
            if save and last:
                record(name, suffix, last[0], str(exc))
            raise
        if time.monotonic() >= deadline:
            return rounds


def record(name: str, suffix: str, data: bytes, error: str) -> Path:
    folder = HOSTILE / name
    folder.mkdir(exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = folder / f"found-{digest}{suffix}"
    path.write_bytes(data)
    with (HOSTILE / "expected.toml").open("a", encoding="utf-8") as table:
        table.write(
            f'\n["{name}/{path.name}"]\n# found by the fuzzer: {error.splitlines()[0]}\n'
            'error = "FILL IN the documented error once this is fixed"\n'
        )
    print(f"saved {path}", file=sys.stderr)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", action="append", help="importer name (default: all)")
    parser.add_argument("--seconds", type=float, default=60, help="per importer")
    parser.add_argument("--examples", type=int, default=200, help="inputs per round")
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds one input may take")
    args = parser.parse_args()
    names = args.format or sorted(timeline.importers())
    status = 0
    for name in names:
        started = time.monotonic()
        try:
            rounds = fuzz(name, seconds=args.seconds, examples=args.examples, limit=args.limit)
        except Found as exc:
            print(f"FOUND {exc}", file=sys.stderr)
            status = 1
        else:
            print(
                f"{name}: {rounds} rounds of {args.examples} inputs "
                f"({rounds * args.examples} inputs) in {time.monotonic() - started:.0f} s, "
                "nothing found"
            )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
