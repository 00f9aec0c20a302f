"""A million events on a laptop (issue 17): every measurement of the issue,
side by side with the peers, at each size, each in a fresh process.

    python benchmarks/bench_million.py                         # 10k and 100k, both data kinds
    python benchmarks/bench_million.py --sizes 10k,100k,1M --data plain
    python benchmarks/bench_million.py --sizes 1M --only json-load --only cli-ics-md
    python benchmarks/bench_million.py --sizes 100k --only ics-export/ours --markdown-table
    python benchmarks/bench_million.py --list                  # the rows and their contenders

The peers (icalendar, ical, ics-py, orjson) are in ``benchmarks/requirements.txt``;
``--peers`` leaves some out. docs/performance.md says what every row means.

Each contender of each row runs in its own Python process, which builds its
input outside the timing (the timeline from the seeded generator below, or a
file written beforehand into a temporary folder), then runs the work once and
reports:

* the CPU time of the work (``time.process_time``: a shared machine disturbs
  it less than the wall time, which is printed beside it), and per event;
* the ratio to the peer or floor the contender is compared with (its time per
  event over theirs; for ``bytes``, the bytes per event over theirs);
* the peak resident memory of the process while the work ran (``VmHWM``,
  reset through ``/proc/self/clear_refs`` once the input is built), and the
  memory the input held before it (``base``). The command-line rows run the
  ``timeline`` command itself as the child: CPU time and peak memory are its
  ``wait4`` figures, taken by a small launcher (``_LAUNCHER``) so that the
  harness's own memory is not counted in the child's peak.

Every contender counts what it made or read (events in the timeline, VEVENTs
in the text, items in the Markdown) and the harness stops with an error when
a count is not the number of events, or when the contenders of a query row
disagree. A contender expected to need more memory than ``--max-gb`` or
more time than ``--max-minutes`` at a size is left out, with a note, unless
its row is named with ``--only``; one that would not fit in the memory the
machine has free now is always left out.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import io
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STAMP = "2026-01-01T00:00:00Z"
"""The DTSTAMP of every calendar written here, so that runs compare byte for byte."""
PEERS = ("icalendar", "ical", "ics", "json", "orjson")
"""The peers, by the name of the module that ``--peers`` chooses from."""
MODULES = {"icalendar": "icalendar", "ical": "ical", "ics": "ics", "orjson": "orjson"}
FILES = {"json": "timeline.json"}
"""The input files a contender may need, by the short name it gives."""
QUERIES = 20
"""Narrow ``between`` queries per run."""
GB = 1e9


# -- the data ---------------------------------------------------------------------------------


@dataclass
class Specs:
    """Events as plain values: ``rows`` holds ``(kind class, keyword
    arguments, place index or -1, source indices)`` for each event; places
    and sources are pools of keyword arguments, shared as in real data."""

    title: str
    places: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    rows: list[tuple[type, dict[str, Any], int, tuple[int, ...]]]


def plain_specs(count: int, seed: int = 0) -> Specs:
    """The events of ``timeline.testing.synthetic_timeline(count, seed=seed)``,
    drawn in the same order from the same generator (a test checks that they
    are equal), as plain values."""
    from timeline import Accession, Event, Founding, Summit

    rng = random.Random(seed)
    places = [
        {
            "name": f"City {i}",
            "country": rng.choice(("KZ", "CN", "RU", "IN", "UZ")),
            "latitude": rng.uniform(-60, 60),
            "longitude": rng.uniform(-170, 170),
            "timezone": rng.choice(("Asia/Almaty", "Asia/Shanghai", "Europe/Moscow")),
        }
        for i in range(200)
    ]
    sources: list[dict[str, Any]] = [
        {"url": f"https://example.org/report/{i}", "title": f"Report {i}"}
        for i in range(max(1, count // 20))
    ]
    rows: list[tuple[type, dict[str, Any], int, tuple[int, ...]]] = []
    for i in range(count):
        year, month, day = rng.randint(1900, 2030), rng.randint(1, 12), rng.randint(1, 27)
        common: dict[str, Any] = {
            "id": f"event-{i}",
            "title": f"Event {i}: meeting number {rng.randint(1, 999)} of the year {year}",
            "start": f"{year:04d}-{month:02d}-{day:02d}",
        }
        place = rng.randrange(len(places)) if i % 3 else -1
        source = (rng.randrange(len(sources)),)
        common["tags"] = ("alpha", "beta") if i % 5 == 0 else ()
        kind = i % 4
        if kind == 0:
            end = f"{year:04d}-{month:02d}-{day + 1:02d}"
            kw = {"organisation": "SCO", "host": "KZ", "participants": ("CN", "RU"), "end": end}
            rows.append((Summit, {**kw, **common}, place, source))
        elif kind == 1:
            kw = {"organisation": f"Org {i}", "members": ("CN", "KZ", "RU")}
            rows.append((Founding, {**kw, **common}, place, source))
        elif kind == 2:
            kw = {"organisation": "SCO", "member": "IN"}
            rows.append((Accession, {**kw, **common}, place, source))
        else:
            text = "Something happened, in more than a few words."
            rows.append((Event, {"description": text, **common}, place, source))
    return Specs(f"{count} synthetic events", places, sources, rows)


# A city, its country, where it is, its zone, and its name in other languages.
CITIES: tuple[tuple[str, str, float, float, str, dict[str, str]], ...] = (
    ("Astana", "KZ", 51.1694, 71.4491, "Asia/Almaty", {"ru": "Астана", "zh-Hans": "阿斯塔纳"}),
    ("Shanghai", "CN", 31.2333, 121.4667, "Asia/Shanghai", {"ru": "Шанхай", "zh-Hans": "上海"}),
    ("Tianjin", "CN", 39.13, 117.2, "Asia/Shanghai", {"zh-Hans": "天津"}),
    ("Samarkand", "UZ", 39.6542, 66.9597, "Asia/Samarkand", {"ru": "Самарканд"}),
    ("Bishkek", "KG", 42.8746, 74.5698, "Asia/Bishkek", {"ru": "Бишкек"}),
    ("Dushanbe", "TJ", 38.5598, 68.787, "Asia/Dushanbe", {"ru": "Душанбе"}),
    ("Ufa", "RU", 54.7388, 55.9721, "Asia/Yekaterinburg", {"ru": "Уфа"}),
    ("New Delhi", "IN", 28.6139, 77.209, "Asia/Kolkata", {"hi": "नई दिल्ली"}),
    ("Qingdao", "CN", 36.0671, 120.3826, "Asia/Shanghai", {"zh-Hans": "青岛"}),
    ("Tashkent", "UZ", 41.2995, 69.2401, "Asia/Tashkent", {"ru": "Ташкент"}),
    ("Minsk", "BY", 53.9, 27.5667, "Europe/Minsk", {"ru": "Минск", "be": "Мінск"}),
    ("Tehran", "IR", 35.6892, 51.389, "Asia/Tehran", {"fa": "تهران"}),
    ("Islamabad", "PK", 33.6844, 73.0479, "Asia/Karachi", {"ur": "اسلام آباد"}),
    ("Moscow", "RU", 55.7558, 37.6173, "Europe/Moscow", {"ru": "Москва"}),
    ("Almaty", "KZ", 43.222, 76.8512, "Asia/Almaty", {"kk": "Алматы"}),
    ("Cholpon-Ata", "KG", 42.6496, 77.0826, "Asia/Bishkek", {"ru": "Чолпон-Ата"}),
)
VENUES = (
    "Palace of Independence",
    "Congress Hall «Forum»",
    "国际会议中心",
    "Дворец Нации",
    "Hôtel de ville",
    "Centre des congrès Ak Orda",
    "Palais des Nations — salle 3",
)
STATES = (
    "CN",
    "KZ",
    "KG",
    "RU",
    "TJ",
    "UZ",
    "IN",
    "PK",
    "IR",
    "BY",
    "MN",
    "AF",
    "TR",
    "AZ",
    "AM",
    "KH",
    "NP",
    "LK",
    "EG",
    "QA",
    "SA",
)
TAGS = ("summit", "security", "экономика", "能源", "énergie", "trade & transport", "culture")
TITLES = (
    "Meeting of the Council of Heads of State in {city} (No. {i})",
    "Заседание Совета глав государств — членов ШОС, {ru} № {i}",
    "上海合作组织成员国元首理事会第{i}次会议（{zh}）",  # noqa: RUF001
    "Réunion des ministres des Affaires étrangères nº {i} à {city}",
    "اجلاس سران سازمان همکاری شانگهای، شماره {i}",
    "SCO summit #{i} 🌏 {city}",
    "Ministerial talks on energy & trade; round {i} — {p}% tariff cut",
)
SENTENCES = (
    "Trade grew by {p}% year on year; the communiqué is at "
    "https://example.org/sco/{year}/{i}?lang=ru&q=%D0%A8%D0%9E%D0%A1.",
    "Делегации обсудили безопасность; «Ташкентская инициатива» одобрена ({p}%).",
    "各方同意加强合作；详见 https://example.cn/news/{i}.html。",  # noqa: RUF001
    "Agenda: security; energy; transport ({p}% of the time on the railway corridor).",
    "Les chefs d'État ont signé la déclaration ; 100 % des membres présents.",
    "See https://example.org/press?id={i}&format=pdf; text in Русский, 中文 and English.",
)
SOURCE_TITLES = ("«Саммит ШОС» — report {i}", "新闻公报 {i}", "Press release №{i}: 100% agreed")


def realistic_specs(count: int, seed: int = 0) -> Specs:
    """Summit-like events: titles in several scripts (Cyrillic, Chinese,
    Persian, emoji), descriptions with URLs, semicolons, percent signs and
    non-ASCII text, places with translated names, several sources, 20% of
    the events at a time in a zone (5% in UTC), the rest on days."""
    from timeline import Accession, Event, Founding, Summit

    rng = random.Random(seed)
    places: list[dict[str, Any]] = []
    for i in range(300):
        city, country, lat, lon, zone, names = CITIES[i % len(CITIES)]
        venue = VENUES[i % len(VENUES)]
        place: dict[str, Any] = {
            "name": city if i < len(CITIES) else f"{venue}, {city}",
            "country": country,
            "latitude": round(lat + rng.uniform(-0.05, 0.05), 4),
            "longitude": round(lon + rng.uniform(-0.05, 0.05), 4),
            "timezone": zone,
        }
        if names and i % 2 == 0:
            place["translations"] = {tag: {"name": name} for tag, name in names.items()}
        places.append(place)
    sources = [
        {
            "url": f"https://example.org/news/{2000 + i % 30}/{i}?lang=ru&ref=sco%20summit",
            "title": SOURCE_TITLES[i % len(SOURCE_TITLES)].format(i=i),
        }
        for i in range(max(1, count // 10))
    ]
    rows: list[tuple[type, dict[str, Any], int, tuple[int, ...]]] = []
    for i in range(count):
        p = rng.randrange(len(places)) if rng.random() < 0.9 else -1
        city, _, _, _, zone, names = CITIES[(p if p >= 0 else 0) % len(CITIES)]
        year, month, day = rng.randint(1996, 2030), rng.randint(1, 12), rng.randint(1, 27)
        when = rng.random()
        title = rng.choice(TITLES).format(
            city=city,
            ru=names.get("ru", city),
            zh=names.get("zh-Hans", city),
            i=i,
            p=rng.randint(1, 99),
        )
        kw: dict[str, Any] = {"id": f"sco-{year}-{i}", "title": title}
        day_text = f"{year:04d}-{month:02d}-{day:02d}"
        if when < 0.2:
            hour = rng.randint(8, 16)
            kw["start"] = f"{day_text}T{hour:02d}:{rng.choice((0, 15, 30)):02d}[{zone}]"
            kw["end"] = f"{day_text}T{hour + 2:02d}:00[{zone}]"
        elif when < 0.25:
            kw["start"] = f"{day_text}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}Z"
        else:
            kw["start"] = day_text
        sentences = [
            rng.choice(SENTENCES).format(p=rng.randint(1, 99), year=year, i=i)
            for _ in range(rng.randint(0, 3))
        ]
        if sentences:
            kw["description"] = ("\n" if rng.random() < 0.1 else " ").join(sentences)
        if rng.random() < 0.3:
            kw["tags"] = tuple(rng.sample(TAGS, rng.randint(1, 2)))
        if rng.random() < 0.1:
            kw["notes"] = "Date from the communiqué; two sources disagree (50% confidence)."
        if rng.random() < 0.1:
            kw["translations"] = {"ru": {"title": f"Событие {i}: встреча в «{city}»"}}
        picks = min(len(sources), rng.randint(1, 3))
        chosen = tuple(sorted(rng.sample(range(len(sources)), picks)))
        kind = rng.random()
        if kind < 0.4:
            if "end" not in kw and kw["start"] == day_text:
                kw["end"] = f"{year:04d}-{month:02d}-{day + 1:02d}"
            host = CITIES[p % len(CITIES)][1] if p >= 0 else rng.choice(STATES)
            participants = tuple(sorted(rng.sample(STATES, rng.randint(2, 10))))
            kw.update(organisation="SCO", host=host, participants=participants)
            if rng.random() < 0.1:
                kw["format"] = rng.choice(("virtual", "hybrid"))
            rows.append((Summit, kw, p, chosen))
        elif kind < 0.55:
            kw.update(
                organisation="SCO",
                member=rng.choice(STATES),
                status=rng.choice(("member", "observer", "dialogue-partner")),
            )
            rows.append((Accession, kw, p, chosen))
        elif kind < 0.6:
            kw.update(
                organisation=f"Региональная структура {i}",
                members=tuple(sorted(rng.sample(STATES, rng.randint(2, 6)))),
            )
            rows.append((Founding, kw, p, chosen))
        else:
            if rng.random() < 0.2:
                kw["url"] = f"https://example.org/events/{i}?utm=%E4%B8%8A&x=1;y=2"
            rows.append((Event, kw, p, chosen))
    return Specs(f"Shanghai Cooperation Organisation: {count} events", places, sources, rows)


SPECS: dict[str, Callable[[int], Specs]] = {"plain": plain_specs, "realistic": realistic_specs}


def build_timeline(specs: Specs) -> Any:
    """The events of ``specs`` as :class:`timeline.Event` objects, in a Timeline."""
    from timeline import Place, Source, Timeline

    places = [Place(**kw) for kw in specs.places]
    sources = [Source(**kw) for kw in specs.sources]
    events = [
        cls(**kw, place=places[p] if p >= 0 else None, sources=tuple(sources[s] for s in chosen))
        for cls, kw, p, chosen in specs.rows
    ]
    return Timeline(title=specs.title, events=events)


def build_dicts(specs: Specs) -> dict[str, Any]:
    """The same data as plain dicts, in the shape of the JSON document: the
    floor of what holding the events costs."""
    places = [dict(kw) for kw in specs.places]
    sources = [dict(kw) for kw in specs.sources]
    events = []
    for cls, kw, p, chosen in specs.rows:
        event = {"kind": cls.kind, **kw, "sources": [sources[s] for s in chosen]}
        if p >= 0:
            event["place"] = places[p]
        events.append(event)
    return {"title": specs.title, "events": events}


def make_timeline(data: str, size: int) -> Any:
    return build_timeline(SPECS[data](size))


def small(t: Any) -> Any:
    """The first ten events of ``t``: to warm the caches, converters and
    plugins on before the timing, as a long-lived process has them."""
    return t.with_events(t.events[:10])


# -- what a contender does, in its own process ------------------------------------------------


@dataclass
class Job:
    """The work of one contender, its input already made: ``run`` is timed;
    ``count`` says how many events (or matches) its result holds; ``extra``,
    called after the peak memory is read, gives the row's own figure."""

    run: Callable[[], Any]
    count: Callable[[Any], int]
    units: int | None = None
    extra: Callable[[Any, float], tuple[float | None, str]] | None = None


@dataclass
class Context:
    """What a contender's setup is given: the data kind, the size, and the
    folder of input files (made before the child starts)."""

    data: str
    size: int
    folder: Path

    def file(self, name: str) -> Path:
        return self.folder / f"{self.data}-{self.size}-{name}"

    def timeline(self) -> Any:
        return make_timeline(self.data, self.size)


@dataclass
class Contender:
    """One way of doing a row's work: ``key`` for ``--only ROW/KEY``, a
    label for the table, the peer library it stands for (``None`` for ours
    and for floors of our own), the contender it is compared with, the
    input files it needs, and rough needs per event (peak bytes, µs) to
    decide whether a size is asked too much of the machine."""

    key: str
    label: str
    setup: Callable[[Context], Job] | None
    peer: str | None = None
    vs: str | None = None
    needs: tuple[str, ...] = ()
    bytes_per_event: float = 3000
    us_per_event: float = 50
    command: Callable[[Context], list[str]] | None = None
    outputs: tuple[tuple[str, bytes], ...] = ()


@dataclass
class Row:
    name: str
    title: str
    contenders: list[Contender] = field(default_factory=list)
    same_count: bool = False
    """The contenders' counts must agree (a query), instead of each being the size."""
    data_free: bool = False
    """The work does not depend on the data kind: run with the first one only."""


ROWS: dict[str, Row] = {}


def row(name: str, title: str, *, same_count: bool = False, data_free: bool = False) -> Row:
    ROWS[name] = Row(name, title, same_count=same_count, data_free=data_free)
    return ROWS[name]


def contender(
    row_: Row, key: str, label: str, **kwargs: Any
) -> Callable[[Callable[[Context], Job]], Callable[[Context], Job]]:
    def register(setup: Callable[[Context], Job]) -> Callable[[Context], Job]:
        row_.contenders.append(Contender(key, label, setup, **kwargs))
        return setup

    return register


def ics_count(text: str | bytes) -> int:
    return text.count("BEGIN:VEVENT" if isinstance(text, str) else b"BEGIN:VEVENT")


def count_in_file(path: Path, marker: bytes, chunk: int = 1 << 24) -> int:
    """How often ``marker`` occurs in a file, read ``chunk`` bytes (16 MiB)
    at a time: a marker across two chunks is found in the next one, which
    starts with the end of this one, too short to hold a whole marker."""
    total, carry = 0, b""
    keep = len(marker) - 1
    with path.open("rb") as stream:
        while data := stream.read(chunk):
            block = carry + data
            total += block.count(marker)
            carry = block[max(0, len(block) - keep) :] if keep else b""
    return total


def quiet() -> contextlib.AbstractContextManager[None]:
    """Warnings off: a peer's deprecation or our importer's note on a foreign
    file is not what is measured."""

    @contextlib.contextmanager
    def manager() -> Iterator[None]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield

    return manager()


# build and bytes --------------------------------------------------------------------------

BUILD = row("build", "building the events from plain values (generator outside the timing)")


@contender(
    BUILD, "ours", "Event objects in a Timeline", vs="dicts", bytes_per_event=2500, us_per_event=30
)
def _build_ours(ctx: Context) -> Job:
    build_timeline(SPECS[ctx.data](10))
    specs = SPECS[ctx.data](ctx.size)
    return Job(lambda: build_timeline(specs), len)


@contender(BUILD, "dicts", "the same data as dicts (floor)", bytes_per_event=1500, us_per_event=3)
def _build_dicts(ctx: Context) -> Job:
    build_dicts(SPECS[ctx.data](10))
    specs = SPECS[ctx.data](ctx.size)
    return Job(lambda: build_dicts(specs), lambda doc: len(doc["events"]))


BYTES = row("bytes", "memory an event holds, by tracemalloc (the time is tracemalloc's, not ours)")


def _held(build: Callable[[Specs], Any], count: Callable[[Any], int]) -> Callable[[Context], Job]:
    def setup(ctx: Context) -> Job:
        build(SPECS[ctx.data](10))  # what is imported or cached at first use is not an event's

        def run() -> tuple[int, int]:
            tracemalloc.start()
            try:
                specs = SPECS[ctx.data](ctx.size)
                made = build(specs)
                del specs  # the values the events hold stay, held by them
                gc.collect()
                held, _ = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            return count(made), held

        def extra(result: tuple[int, int], _seconds: float) -> tuple[float, str]:
            per = result[1] / ctx.size
            return per, f"{per:,.0f} B/event held"

        return Job(run, lambda result: result[0], extra=extra)

    return setup


contender(
    BYTES, "ours", "Timeline (bytes/event held)", vs="dicts", bytes_per_event=3500, us_per_event=150
)(_held(build_timeline, len))
contender(BYTES, "dicts", "dicts (bytes/event held)", bytes_per_event=2500, us_per_event=60)(
    _held(build_dicts, lambda doc: len(doc["events"]))
)


# JSON -------------------------------------------------------------------------------------

LOAD = row("json-load", "JSON load of our own file")


@contender(
    LOAD,
    "ours",
    "timeline.load(path)",
    vs="json",
    needs=("json",),
    bytes_per_event=9000,
    us_per_event=35,
)
def _load_ours(ctx: Context) -> Job:
    import timeline

    path = ctx.file("timeline.json")
    timeline.loads(timeline.dumps(small(ctx.timeline())))
    return Job(lambda: timeline.load(path, max_size=None), len)


def _json_load(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return json.load(stream)


@contender(
    LOAD, "json", "json.load", peer="json", needs=("json",), bytes_per_event=4500, us_per_event=12
)
def _load_json(ctx: Context) -> Job:
    path = ctx.file("timeline.json")
    return Job(lambda: _json_load(path), lambda doc: len(doc["events"]))


@contender(
    LOAD,
    "json-nogc",
    "json.load, collector paused",
    peer="json",
    vs="json",
    needs=("json",),
    bytes_per_event=4500,
    us_per_event=6,
)
def _load_json_paused(ctx: Context) -> Job:
    path = ctx.file("timeline.json")

    def run() -> Any:
        gc.disable()
        try:
            return _json_load(path)
        finally:
            gc.enable()

    return Job(run, lambda doc: len(doc["events"]))


@contender(
    LOAD,
    "orjson",
    "orjson.loads(read_bytes())",
    peer="orjson",
    vs="json",
    needs=("json",),
    bytes_per_event=3500,
    us_per_event=7,
)
def _load_orjson(ctx: Context) -> Job:
    import orjson

    path = ctx.file("timeline.json")
    return Job(lambda: orjson.loads(path.read_bytes()), lambda doc: len(doc["events"]))


PRETTY = b'{\n      "kind": '
"""How an event begins in our pretty JSON: nothing inside a string can look
like it, since a string's line breaks and quotes are escaped."""
COMPACT = b'{"kind":'

DUMPS = row("json-dumps", "JSON dump to a string, pretty (our default): the same bytes")


def _doc(ctx: Context) -> dict[str, Any]:
    from timeline.document import timeline_to_dict

    return timeline_to_dict(ctx.timeline())


@contender(DUMPS, "ours", "timeline.dumps(t)", vs="json", bytes_per_event=6500, us_per_event=50)
def _dumps_ours(ctx: Context) -> Job:
    import timeline

    t = ctx.timeline()
    timeline.dumps(small(t))
    return Job(lambda: timeline.dumps(t), lambda text: text.count(PRETTY.decode()))


@contender(
    DUMPS, "json", "json.dumps(doc, indent=2)", peer="json", bytes_per_event=5500, us_per_event=22
)
def _dumps_json(ctx: Context) -> Job:
    doc = _doc(ctx)
    run = lambda: json.dumps(doc, indent=2, ensure_ascii=False)  # noqa: E731
    return Job(run, lambda text: text.count(PRETTY.decode()))


COMPACT_ROW = row("json-compact", "JSON dump to a string, compact")


@contender(
    COMPACT_ROW,
    "ours",
    "timeline.dumps(t, compact=True)",
    vs="json",
    bytes_per_event=5000,
    us_per_event=35,
)
def _compact_ours(ctx: Context) -> Job:
    import timeline

    t = ctx.timeline()
    timeline.dumps(small(t), compact=True)
    return Job(lambda: timeline.dumps(t, compact=True), lambda text: text.count(COMPACT.decode()))


@contender(
    COMPACT_ROW, "json", "json.dumps(doc)", peer="json", bytes_per_event=4500, us_per_event=12
)
def _compact_json(ctx: Context) -> Job:
    doc = _doc(ctx)
    run = lambda: json.dumps(doc, ensure_ascii=False)  # noqa: E731
    return Job(run, lambda text: text.count(COMPACT.decode()))


@contender(
    COMPACT_ROW,
    "orjson",
    "orjson.dumps(doc)",
    peer="orjson",
    vs="json",
    bytes_per_event=4500,
    us_per_event=3,
)
def _compact_orjson(ctx: Context) -> Job:
    import orjson

    doc = _doc(ctx)
    return Job(lambda: orjson.dumps(doc), lambda data: data.count(COMPACT))


# Markdown ---------------------------------------------------------------------------------

ITEM = "\n- **"
"""How an event begins in the Markdown list, ours and the loop's."""

MARKDOWN = row("markdown", "Markdown export to a string (list style)")


@contender(
    MARKDOWN,
    "ours",
    "timeline.dumps(t, 'markdown')",
    vs="loop",
    bytes_per_event=5000,
    us_per_event=60,
)
def _markdown_ours(ctx: Context) -> Job:
    import timeline

    t = ctx.timeline()
    timeline.dumps(small(t), "markdown")  # the plugins, the country names
    return Job(lambda: timeline.dumps(t, "markdown"), lambda text: text.count(ITEM))


@contender(MARKDOWN, "loop", "a plain f-string loop (floor)", bytes_per_event=3500, us_per_event=8)
def _markdown_loop(ctx: Context) -> Job:
    from bench_markdown import plain_loop

    t = ctx.timeline()
    plain_loop(small(t), io.StringIO())

    def run() -> str:
        out = io.StringIO(newline="")
        plain_loop(t, out)
        return out.getvalue()

    return Job(run, lambda text: text.count(ITEM))


# iCalendar export ---------------------------------------------------------------------------

EXPORT = row("ics-export", "ICS export of a built timeline")


def _ics_ours(lossless: bool) -> Callable[[Context], Job]:
    def setup(ctx: Context) -> Job:
        import timeline

        t = ctx.timeline()
        with quiet():
            timeline.dumps(small(t), "ics")  # the plugins, the zones

        def run() -> str:
            with quiet():
                return timeline.dumps(t, "ics", dtstamp=STAMP, lossless=lossless)

        return Job(run, ics_count)

    return setup


def icalendar_calendar(t: Any, *, lossless: bool) -> bytes:
    """The calendar our exporter writes, made with icalendar the plain way
    its documentation shows: the same header and VTIMEZONEs, then one
    ``Event.new`` per event from the properties our exporter works out
    (included in the time: working them out is part of exporting), then
    ``to_ical()``."""
    from icalendar import Event, vRecur, vText

    from timeline.default_plugins.ics import ICSExporter
    from timeline.default_plugins.ics import export as ics_export

    exporter = ICSExporter()
    options = exporter.resolve_options({"dtstamp": STAMP, "lossless": lossless})
    settings = ics_export.make_settings(t, options)
    cal = ics_export.calendar(t, settings)
    with quiet():
        for v in ics_export.vevents(t, settings):
            event = Event.new(
                uid=v.uid,
                stamp=settings.stamp,
                start=v.start,
                end=v.end,
                summary=v.summary,
                description=v.description or None,
                location=v.location or None,
                categories=list(v.categories),
                url=v.url,
                transparency="TRANSPARENT" if v.transparent else None,
            )
            if v.rrule is not None:
                event.add("RRULE", vRecur.from_ical(v.rrule))
            if v.geo is not None:
                event.add("GEO", v.geo)
            if v.data is not None:
                event.add("X-TIMELINE-EVENT", vText(v.data))
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _ics_icalendar(lossless: bool) -> Callable[[Context], Job]:
    def setup(ctx: Context) -> Job:
        t = ctx.timeline()
        icalendar_calendar(small(t), lossless=lossless)
        return Job(lambda: icalendar_calendar(t, lossless=lossless), ics_count)

    return setup


contender(
    EXPORT,
    "ours",
    "timeline.dumps(t, 'ics'), lossless",
    vs="icalendar",
    bytes_per_event=10000,
    us_per_event=80,
)(_ics_ours(True))


@contender(
    EXPORT,
    "ours-file",
    "timeline.dump(t, 'x.ics'), lossless, to a file",
    vs="ours",
    bytes_per_event=3000,
    us_per_event=70,
)
def _ics_file(ctx: Context) -> Job:
    import timeline

    t = ctx.timeline()
    path = ctx.file("export.ics")
    with quiet():
        timeline.dumps(small(t), "ics")

    def run() -> Path:
        with quiet():
            timeline.dump(t, path, dtstamp=STAMP)
        return path

    def count(written: Path) -> int:
        found = count_in_file(written, b"BEGIN:VEVENT")
        written.unlink()
        return found

    return Job(run, count)


contender(
    EXPORT,
    "ours-plain",
    "timeline.dumps(t, 'ics', lossless=False)",
    vs="icalendar-plain",
    bytes_per_event=6000,
    us_per_event=50,
)(_ics_ours(False))
contender(
    EXPORT,
    "icalendar",
    "icalendar 7, with X-TIMELINE-EVENT",
    peer="icalendar",
    bytes_per_event=12000,
    us_per_event=550,
)(_ics_icalendar(True))
contender(
    EXPORT,
    "icalendar-plain",
    "icalendar 7, without X-TIMELINE-EVENT",
    peer="icalendar",
    bytes_per_event=10000,
    us_per_event=350,
)(_ics_icalendar(False))


# iCalendar import ---------------------------------------------------------------------------


def head(path: Path, events: int = 5) -> str:
    """The start of a calendar file, to its fifth VEVENT, closed: for warming
    a parser up on the same kind of text."""
    with path.open(encoding="utf-8", newline="") as stream:
        text = stream.read(1 << 20)
    end = 0
    for _ in range(events):
        found = text.find("END:VEVENT\r\n", end)
        if found < 0:
            break
        end = found + len("END:VEVENT\r\n")
    return text[:end] + "END:VCALENDAR\r\n"


def _import_row(name: str, title: str, file: str) -> None:
    r = row(name, title)
    needs = (file,)

    @contender(
        r,
        "ours",
        "timeline.load(path)",
        vs="ical",
        needs=needs,
        bytes_per_event=24000,
        us_per_event=150,
    )
    def _ours(ctx: Context) -> Job:
        import timeline

        path = ctx.file(file)
        with quiet():
            timeline.loads(head(path), "ics")

        def run() -> Any:
            with quiet():
                return timeline.load(path, max_size=None)

        return Job(run, len)

    @contender(
        r,
        "icalendar",
        "icalendar.Calendar.from_ical",
        peer="icalendar",
        vs="ical",
        needs=needs,
        bytes_per_event=12000,
        us_per_event=460,
    )
    def _icalendar(ctx: Context) -> Job:
        import icalendar

        path = ctx.file(file)
        with quiet():
            icalendar.Calendar.from_ical(head(path))

        def run() -> Any:
            with quiet():
                return icalendar.Calendar.from_ical(path.read_bytes())

        return Job(run, lambda cal: len(cal.events))

    @contender(
        r,
        "ical",
        "ical: IcsCalendarStream.calendar_from_ics",
        peer="ical",
        needs=needs,
        bytes_per_event=14000,
        us_per_event=300,
    )
    def _ical(ctx: Context) -> Job:
        from ical.calendar_stream import IcsCalendarStream

        path = ctx.file(file)
        with quiet():
            IcsCalendarStream.calendar_from_ics(head(path))

        def run() -> Any:
            with quiet():
                return IcsCalendarStream.calendar_from_ics(path.read_bytes().decode("utf-8"))

        return Job(run, lambda cal: len(cal.events))

    @contender(
        r,
        "ics-py",
        "ics-py: ics.Calendar(text)",
        peer="ics",
        vs="ical",
        needs=needs,
        bytes_per_event=20000,
        us_per_event=5000,
    )
    def _ics_py(ctx: Context) -> Job:
        import ics

        path = ctx.file(file)
        with quiet():
            ics.Calendar(head(path))

        def run() -> Any:
            with quiet():
                return ics.Calendar(path.read_bytes().decode("utf-8"))

        return Job(run, lambda cal: len(cal.events))


_import_row("ics-import-own", "ICS import of our own lossless file", "timeline.ics")
_import_row(
    "ics-import-foreign",
    "ICS import of a foreign file (icalendar's, no X-TIMELINE-EVENT)",
    "foreign.ics",
)


# queries ------------------------------------------------------------------------------------


def _narrow_days(ctx: Context) -> list[str]:
    """``QUERIES`` single days, seeded, within the years of the data."""
    rng = random.Random(17)
    first = 1900 if ctx.data == "plain" else 1996
    return [
        f"{rng.randint(first, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for _ in range(QUERIES)
    ]


def _per_query(result: Any, seconds: float) -> tuple[float, str]:
    per = seconds / QUERIES * 1e3
    return per, f"{per:,.3f} ms/query"


BETWEEN = row("between", f"narrow between: {QUERIES} one-day queries", same_count=True)


@contender(
    BETWEEN,
    "ours",
    "Timeline.between(day, day)",
    vs="scan",
    bytes_per_event=2500,
    us_per_event=0.01,
)
def _between_ours(ctx: Context) -> Job:
    t = ctx.timeline()
    days = _narrow_days(ctx)
    t.between(days[0], days[0])  # the day numbers, kept once per timeline

    def run() -> int:
        return sum(len(t.between(day, day)) for day in days)

    return Job(run, lambda n: n, units=QUERIES, extra=_per_query)


@contender(
    BETWEEN,
    "first",
    "Timeline.between, the first call (makes the index)",
    vs="scan",
    bytes_per_event=2500,
    us_per_event=1,
)
def _between_first(ctx: Context) -> Job:
    t = ctx.timeline()
    days = _narrow_days(ctx)

    def run() -> int:
        return sum(len(t.between(day, day)) for day in days)

    return Job(run, lambda n: n, units=QUERIES, extra=_per_query)


@contender(
    BETWEEN,
    "scan",
    "a scan of the day numbers (floor of a filter)",
    bytes_per_event=2500,
    us_per_event=2,
)
def _between_scan(ctx: Context) -> Job:
    from timeline import Date

    t = ctx.timeline()
    days = _narrow_days(ctx)
    spans = [(e, e.start.first_day_number(), e.last.last_day_number()) for e in t.events]

    def run() -> int:
        total = 0
        for day in days:
            lo, hi = Date.coerce(day).first_day_number(), Date.coerce(day).last_day_number()
            total += len([e for e, first, last in spans if first <= hi and last >= lo])
        return total

    return Job(run, lambda n: n, units=QUERIES, extra=_per_query)


def _allocated(ctx: Context, call: Callable[[], Any]) -> Callable[[Any, float], tuple[float, str]]:
    """The bytes a second call allocates at its peak, per event of the
    timeline: what "without copying" is measured by."""

    def extra(_result: Any, _seconds: float) -> tuple[float, str]:
        gc.collect()
        tracemalloc.start()
        try:
            call()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        per = peak / ctx.size
        return per, f"{per:,.1f} B/event allocated"

    return extra


def _query_row(
    name: str,
    title: str,
    label: str,
    query: Callable[[Any], Any],
    floor: Callable[[Any], Any] | None,
    floor_label: str = "",
) -> None:
    r = row(name, title, same_count=True)
    size = lambda result: result if isinstance(result, int) else len(result)  # noqa: E731

    def ours(ctx: Context) -> Job:
        t = ctx.timeline()
        query(small(t))
        return Job(lambda: query(t), size, units=1, extra=_allocated(ctx, lambda: query(t)))

    r.contenders.append(
        Contender(
            "ours", label, ours, vs="floor" if floor else None, bytes_per_event=2500, us_per_event=1
        )
    )
    if floor is not None:
        chosen = floor

        def floor_setup(ctx: Context) -> Job:
            t = ctx.timeline()
            chosen(small(t))
            return Job(lambda: chosen(t), size, units=1, extra=_allocated(ctx, lambda: chosen(t)))

        r.contenders.append(
            Contender("floor", floor_label, floor_setup, bytes_per_event=2500, us_per_event=1)
        )


def _members_at(t: Any) -> tuple[str, ...]:
    import timeline

    return timeline.members_at(t, "SCO", "2020")


_query_row(
    "of-kind",
    "of_kind('summit') on every event",
    "Timeline.of_kind('summit')",
    lambda t: t.of_kind("summit"),
    lambda t: [e for e in t.events if e.kind == "summit"],
    "a list comprehension over the events (floor)",
)
_query_row(
    "involving",
    "involving('KZ') on every event",
    "Timeline.involving('KZ')",
    lambda t: t.involving("KZ"),
    lambda t: [e for e in t.events if "KZ" in e.parties()],
    "a list comprehension over e.parties() (floor)",
)
_query_row(
    "members-at",
    "members_at(t, 'SCO', '2020'): the members it finds",
    "timeline.members_at",
    _members_at,
    None,
)


# dates --------------------------------------------------------------------------------------


def iso_days(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct ISO days of the years 1 to 9999, seeded."""
    first, last = dt.date(1, 1, 1).toordinal(), dt.date(9999, 12, 31).toordinal()
    rng = random.Random(seed)
    return [dt.date.fromordinal(n).isoformat() for n in rng.sample(range(first, last), count)]


DATES = row(
    "parse-date", "parse_date of distinct ISO days, in a long-lived process", data_free=True
)


def _rate(result: Any, seconds: float) -> tuple[float, str]:
    rate = len(result) / seconds if seconds else float("inf")
    return rate, f"{rate:,.0f} dates/s"


@contender(
    DATES, "ours", "timeline.parse_date", vs="fromisoformat", bytes_per_event=400, us_per_event=2
)
def _parse_ours(ctx: Context) -> Job:
    import timeline

    days = iso_days(ctx.size)
    parse = timeline.parse_date
    for text in iso_days(1000, seed=2):  # warm: the process has been running a while
        parse(text)
    return Job(lambda: [parse(s) for s in days], len, extra=_rate)


@contender(
    DATES,
    "fromisoformat",
    "datetime.date.fromisoformat (C, floor)",
    bytes_per_event=300,
    us_per_event=0.2,
)
def _parse_floor(ctx: Context) -> Job:
    days = iso_days(ctx.size)
    fromiso = dt.date.fromisoformat
    return Job(lambda: [fromiso(s) for s in days], len, extra=_rate)


# the command line -----------------------------------------------------------------------------


def _cli_row(name: str, suffixes: tuple[str, ...], markers: tuple[bytes, ...]) -> None:
    outputs = " ".join(f"-o big{s}" for s in suffixes)
    r = row(name, f"the command: timeline export big.json {outputs}")

    def command(ctx: Context) -> list[str]:
        args = [sys.executable, "-m", "timeline", "export", str(ctx.file("timeline.json"))]
        for suffix in suffixes:
            args += ["-o", str(ctx.file(f"{name}{suffix}"))]
        return [*args, "-q", "--max-size", "none", "--option", f"ics.dtstamp={STAMP}"]

    written = tuple(zip(suffixes, markers, strict=True))
    r.contenders.append(
        Contender(
            "ours",
            f"timeline export big.json {outputs}",
            None,
            needs=("json",),
            bytes_per_event=3000,
            us_per_event=90,
            command=command,
            outputs=written,
        )
    )


_cli_row("cli-ics-json", (".ics", ".json"), (b"BEGIN:VEVENT", PRETTY))
_cli_row("cli-ics-md", (".ics", ".md"), (b"BEGIN:VEVENT", ITEM.encode()))


# -- the child: one contender, measured -------------------------------------------------------


def _status(name: str) -> int | None:
    """A size from ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Start the peak resident memory afresh (Linux: ``clear_refs`` 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def child(row_name: str, key: str, data: str, size: int, folder: Path) -> dict[str, Any]:
    """Run one contender and return what it measured."""
    from timing import once

    found = next(c for c in ROWS[row_name].contenders if c.key == key)
    assert found.setup is not None
    job = found.setup(Context(data, size, folder))
    gc.collect()
    reset = _reset_peak()
    base = _status("VmRSS") if reset else None
    cpu, wall, result = once(job.run)
    peak = _status("VmHWM") if reset else None
    if peak is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    value, extra = job.extra(result, cpu) if job.extra else (None, "")
    return {
        "cpu": cpu,
        "wall": wall,
        "peak": peak,
        "base": base,
        "count": job.count(result),
        "units": job.units,
        "value": value,
        "extra": extra,
    }


def prepare(name: str, data: str, size: int, folder: Path) -> dict[str, Any]:
    """Write one input file; return how many events it holds."""
    import timeline

    ctx = Context(data, size, folder)
    path = ctx.file(name)
    t = ctx.timeline()
    with quiet():
        if name == "timeline.json":
            timeline.dump(t, path)
            count = count_in_file(path, PRETTY)
        elif name == "timeline.ics":
            timeline.dump(t, path, dtstamp=STAMP)
            count = count_in_file(path, b"BEGIN:VEVENT")
        else:
            path.write_bytes(icalendar_calendar(t, lossless=False))
            count = count_in_file(path, b"BEGIN:VEVENT")
    return {"count": count, "bytes": path.stat().st_size}


# -- the parent: which children to run, and the table -----------------------------------------


@dataclass
class Result:
    row: str
    key: str
    label: str
    data: str
    size: int
    cpu: float
    wall: float
    peak: int
    base: int | None
    count: int
    units: int
    value: float
    extra: str
    ratio: float | None = None


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    try:
        size = int(float(number) * scale)
    except ValueError:
        raise SystemExit(f"--sizes: {text!r} is not a size (such as 50, 10k, 1M)") from None
    if size < 1:
        raise SystemExit(f"--sizes: {text!r} is not a positive size")
    return size


def human(size: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1000)):
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return str(size)


def mb(n: float | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    total = None
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="ascii") as info:
        total = int(info.readline().split()[1]) * 1024
    load = (
        ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        if hasattr(os, "getloadavg")
        else ""
    )
    ram = f", {total / 2**30:.0f} GiB RAM" if total else ""
    return (
        f"{cpu}, {os.cpu_count()} CPUs{ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load}"
    )


def versions(peers: tuple[str, ...]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = ["timeline-events"] + [
        {"ics": "ics", "ical": "ical"}.get(p, p) for p in peers if p != "json"
    ]
    parts = []
    for name in names:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} missing")
    return ", ".join(parts)


_LAUNCHER = """
import json, os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w", encoding="ascii") as report:
    json.dump([status, usage.ru_utime + usage.ru_stime, usage.ru_maxrss], report)
"""
"""Runs a child and writes its exit status, CPU time and peak RSS (KiB): a
process of a few MB, so that the child's peak is its own (Linux carries the
peak of the process a child is started from into the child's, and the
harness holds the outputs it counts)."""


class Harness:
    """Runs the children one after another and prints each result as it comes."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args = args
        self.folder = folder
        self.results: list[Result] = []
        self.skipped: list[str] = []
        self.files: dict[tuple[str, int, str], dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.spawned = 0

    def _spawn(self, args: list[str]) -> tuple[str, float, float, int, int]:
        """Run a command; its output, CPU time, wall time, peak RSS and exit status."""
        with self.lock:
            self.spawned += 1
            out = self.folder / f"child-{self.spawned}.out"
        err = out.with_suffix(".err")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(HERE), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }
        usage_file = out.with_suffix(".usage")
        with out.open("wb") as stdout, err.open("wb") as stderr:
            start = time.perf_counter()
            # Through a small launcher: Linux counts in a child's peak the memory
            # of the process it was started from, and this one is big.
            proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(usage_file), *args],
                                    stdout=stdout, stderr=stderr, env=env)  # fmt: skip
            proc.wait()
            wall = time.perf_counter() - start
        status, cpu, maxrss = json.loads(usage_file.read_text(encoding="ascii"))
        usage_file.unlink()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            tail = err.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise SystemExit(
                f"{' '.join(args[1:])}\nfailed with exit status {proc.returncode}:\n{tail}"
            )
        text = out.read_text(encoding="utf-8")
        out.unlink()
        err.unlink()
        return text, cpu, wall, maxrss * 1024, status

    def _python(self, *args: str) -> dict[str, Any]:
        text, *_ = self._spawn([sys.executable, str(HERE / "bench_million.py"), *args])
        result: dict[str, Any] = json.loads(text.strip().splitlines()[-1])
        return result

    def ensure(self, data: str, size: int, name: str) -> None:
        key = (data, size, name)
        if key in self.files:
            return
        info = self._python(
            "--prepare", name, "--data", data, "--sizes", str(size), "--folder", str(self.folder)
        )
        if info["count"] != size:
            raise SystemExit(f"{data}-{size}-{name}: {info['count']} events written, not {size}")
        self.files[key] = info
        print(f"  (wrote {name} of {size:,} {data} events: {mb(info['bytes'])})", flush=True)

    def gate(self, r: Row, c: Contender, size: int, data: str) -> str | None:
        """Why this contender is not run at this size, or ``None``."""
        factor = 1.6 if data == "realistic" else 1.0
        need = c.bytes_per_event * factor * size + 150e6
        minutes = c.us_per_event * factor * size / 60e6
        only = self.args.only or ()
        asked = r.name in only or f"{r.name}/{c.key}" in only
        free = available()
        if free is not None and need > free * 0.9 and not self.args.force:
            return f"needs about {mb(need)} and {mb(free)} is free (--force runs it)"
        if asked:
            return None
        if need > self.args.max_gb * GB:
            return f"needs about {mb(need)}, over --max-gb {self.args.max_gb:g} (ask with --only)"
        if minutes > self.args.max_minutes:
            return (
                f"takes about {minutes:.0f} min, over --max-minutes "
                f"{self.args.max_minutes:g} (ask with --only)"
            )
        return None

    def chosen(self, r: Row) -> list[Contender]:
        only = self.args.only
        picked = [c for c in r.contenders if c.peer is None or c.peer in self.args.peers]
        if only is None or r.name in only:
            return picked
        return [c for c in picked if f"{r.name}/{c.key}" in only]

    def run(self, sizes: list[int], datas: list[str]) -> None:
        rows = [r for r in ROWS.values() if self.chosen(r)]
        for size in sizes:
            for data in datas:
                self.run_size([r for r in rows if not r.data_free or data == datas[0]], data, size)
                for path in self.folder.glob(f"{data}-{size}-*"):
                    path.unlink()  # the inputs of a million events are big
                self.files = {k: v for k, v in self.files.items() if k[:2] != (data, size)}

    def run_size(self, rows: list[Row], data: str, size: int) -> None:
        """Every contender of ``rows`` at one size: one at a time (unless
        ``--jobs``), each row printed once its contenders are done."""
        tasks: list[tuple[Row, Contender]] = []
        for r in rows:
            for c in self.chosen(r):
                why = self.gate(r, c, size, data)
                if why is None:
                    tasks.append((r, c))
                    continue
                note = f"{r.name}/{c.key} {data} {human(size)}: left out, {why}"
                self.skipped.append(note)
                print(f"  ({note})", flush=True)
        needed = sorted({FILES.get(n, n) for _, c in tasks for n in c.needs})
        with ThreadPoolExecutor(max_workers=self.args.jobs) as pool:
            list(pool.map(lambda name: self.ensure(data, size, name), needed))
            done = pool.map(lambda task: self.best(task[0], task[1], data, size), tasks)
            measured: dict[str, dict[str, Result]] = {}
            left = {r.name: sum(1 for t in tasks if t[0] is r) for r in rows}
            for (r, c), result in zip(tasks, done, strict=True):
                measured.setdefault(r.name, {})[c.key] = result
                left[r.name] -= 1
                if left[r.name] == 0:
                    self.finish(r, measured[r.name], data, size)

    def best(self, r: Row, c: Contender, data: str, size: int) -> Result:
        best: Result | None = None
        for _ in range(self.args.repeat):
            result = self.measure(r, c, data, size)
            if best is None or result.cpu < best.cpu:
                best = result
        assert best is not None
        if not r.same_count and best.count != size:
            raise SystemExit(
                f"{r.name}/{c.key} {data} {size}: counted {best.count:,} events, not {size:,}"
            )
        return best

    def finish(self, r: Row, measured: dict[str, Result], data: str, size: int) -> None:
        if r.same_count and len({m.count for m in measured.values()}) > 1:
            counts = ", ".join(f"{k} {m.count}" for k, m in measured.items())
            raise SystemExit(f"{r.name} {data} {size}: the contenders disagree: {counts}")
        for c in self.chosen(r):
            m = measured.get(c.key)
            if m is None:
                continue
            other = measured.get(c.vs) if c.vs else None
            if other is not None and other.value:
                m.ratio = m.value / other.value
            self.results.append(m)
            print(line(m), flush=True)

    def measure(self, r: Row, c: Contender, data: str, size: int) -> Result:
        if c.command is not None:
            ctx = Context(data, size, self.folder)
            _, cpu, wall, peak, _ = self._spawn(c.command(ctx))
            counts = []
            for suffix, marker in c.outputs:
                path = ctx.file(f"{r.name}{suffix}")
                counts.append(count_in_file(path, marker))
                path.unlink()
            if any(n != size for n in counts):
                raise SystemExit(f"{r.name} {data} {size}: the outputs hold {counts} events")
            return Result(
                r.name,
                c.key,
                c.label,
                data,
                size,
                cpu,
                wall,
                peak,
                None,
                size,
                size,
                cpu / size,
                "",
            )
        got = self._python(
            "--child",
            f"{r.name}/{c.key}",
            "--data",
            data,
            "--sizes",
            str(size),
            "--folder",
            str(self.folder),
        )
        units = got["units"] or size
        value = got["value"] if got["value"] is not None else got["cpu"] / units
        return Result(
            r.name,
            c.key,
            c.label,
            data,
            size,
            got["cpu"],
            got["wall"],
            got["peak"],
            got["base"],
            got["count"],
            units,
            value,
            got["extra"],
        )


HEADER = (
    f"{'row':<19}{'contender':<48}{'data':<10}{'events':>10}{'CPU s':>10}{'wall s':>9}"
    f"{'µs/event':>10}{'ratio':>8}{'peak RSS':>10}{'base':>9}  extra"
)


def times(ratio: float | None) -> str:
    """A ratio with the digits it needs: 12.3x, 1.23x, 0.0193x."""
    if ratio is None:
        return ""
    return f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3g}x"


def line(m: Result) -> str:
    per = f"{m.cpu / m.size * 1e6:10.2f}" if m.units == m.size else f"{'-':>10}"
    ratio = f"{times(m.ratio):>8}"
    return (
        f"{m.row:<19}{m.label[:47]:<48}{m.data:<10}{m.size:>10,}{m.cpu:>10.3f}{m.wall:>9.2f}"
        f"{per}{ratio}{mb(m.peak):>10}{mb(m.base):>9}  {m.extra}"
    )


# -- the goals of the issue, from the figures ---------------------------------------------------


def goals(results: list[Result]) -> tuple[list[str], list[str]]:
    """Each goal of issue 17 with the figure that answers it, and the goals
    this run has no figure for."""
    by = {(m.row, m.key, m.data, m.size): m for m in results}
    sizes = sorted({m.size for m in results})
    datas = [d for d in SPECS if any(m.data == d for m in results)]
    out: list[str] = []
    missing: list[str] = []

    def check(text: str, value: float | None, ok: bool | None, shown: str) -> None:
        if value is None:
            missing.append(text)
            return
        verdict = "figure only" if ok is None else ("met" if ok else "NOT met")
        out.append(f"  {text}: {shown}  [{verdict}]")

    def ratio(row_: str, key: str, data: str, size: int, limit: float, what: str) -> None:
        m = by.get((row_, key, data, size))
        x = m.ratio if m else None
        check(
            f"{what} ({data}, {human(size)})",
            x,
            x is not None and x <= limit,
            f"{x:.2f}x" if x is not None else "",
        )

    def faster(
        row_: str, key: str, peer: str, data: str, size: int, target: float, what: str
    ) -> None:
        ours, theirs = by.get((row_, key, data, size)), by.get((row_, peer, data, size))
        x = theirs.cpu / ours.cpu if ours and theirs and ours.cpu else None
        check(
            f"{what} ({data}, {human(size)})",
            x,
            x is not None and x >= target,
            f"{x:.1f}x faster" if x is not None else "",
        )

    for size in sizes:
        for data in datas:
            m = by.get(("bytes", "ours", data, size))
            check(
                f"an event in a Timeline <= 600 bytes ({data}, {human(size)})",
                m.value if m else None,
                m is not None and m.value <= 600,
                f"{m.value:,.0f} B" if m else "",
            )
            m = by.get(("build", "ours", data, size))
            per = m.cpu / m.size * 1e6 if m else None
            shown = f"{per:.1f} µs" if per is not None else ""
            check(
                f"building one <= 10 µs ({data}, {human(size)})",
                per,
                per is not None and per <= 10,
                shown,
            )
    for data in datas if 1_000_000 in sizes else ():
        m = by.get(("between", "ours", data, 1_000_000))
        check(
            f"a narrow between on 1M events < 10 ms ({data})",
            m.value if m else None,
            m is not None and m.value < 10,
            f"{m.value:.3f} ms" if m else "",
        )
    for name in ("of-kind", "involving", "members-at"):
        for size in sizes:
            for data in datas:
                m = by.get((name, "ours", data, size))
                check(
                    f"{name} without copying: allocated per event ({data}, {human(size)})",
                    m.value if m else None,
                    None,
                    f"{m.value:.1f} B" if m else "",
                )
    for name, what in (
        ("ics-import-own", "our lossless file"),
        ("ics-import-foreign", "a foreign file"),
    ):
        for data in datas if 100_000 in sizes else ():
            for peer, target in (("ical", 2), ("icalendar", 3)):
                faster(
                    name,
                    "ours",
                    peer,
                    data,
                    100_000,
                    target,
                    f"ICS import of {what} at 100k >= {target}x faster than {peer}",
                )
            ours, theirs = (
                by.get((name, "ours", data, 100_000)),
                by.get((name, "icalendar", data, 100_000)),
            )
            x = ours.peak / theirs.peak if ours and theirs else None
            shown = f"{x:.2f} of it" if x is not None else ""
            check(
                f"ICS import of {what} at 100k: at most half icalendar's memory ({data})",
                x,
                x is not None and x <= 0.5,
                shown,
            )
    for size in sizes if "realistic" in datas else ():
        ratio("markdown", "ours", "realistic", size, 2, "Markdown <= 2x a plain f-string loop")
        faster(
            "ics-export",
            "ours",
            "icalendar",
            "realistic",
            size,
            10,
            "ICS export, lossless, >= 10x faster than icalendar",
        )
        faster(
            "ics-export",
            "ours-plain",
            "icalendar-plain",
            "realistic",
            size,
            15,
            "ICS export without X-TIMELINE-EVENT >= 15x faster than icalendar",
        )
    for size in sizes:
        m = by.get(("parse-date", "ours", datas[0], size))
        check(
            f"parse_date >= 500k ISO days/s ({human(size)})",
            m.value if m else None,
            m is not None and m.value >= 500_000,
            f"{m.value:,.0f}/s" if m else "",
        )
        for data in datas:
            ratio(
                "json-compact",
                "ours",
                data,
                size,
                1.3,
                "dumps(compact=True) within 1.3x of json.dumps",
            )
            ratio("json-load", "ours", data, size, 2, "load within 2x of json.load")
    for data in datas:
        runs = sorted(
            (m for m in results if m.row == "cli-ics-md" and m.data == data), key=lambda m: m.size
        )
        for m in runs:
            check(
                f"timeline export big.json -o big.ics -o big.md: peak < 300 MB ({data}, "
                f"{human(m.size)})",
                m.peak,
                m.peak < 300e6,
                mb(m.peak),
            )
        if len(runs) > 1:
            first, last = runs[0], runs[-1]
            grow = last.peak / first.peak
            check(
                f"... its peak flat: {human(last.size)} within 1.5x of {human(first.size)} "
                f"({data})",
                grow,
                grow <= 1.5,
                f"{grow:.2f}x",
            )
            per = (last.cpu / last.size) / (first.cpu / first.size)
            check(
                f"... its time per event at {human(last.size)} within 1.2x of "
                f"{human(first.size)} ({data})",
                per,
                per <= 1.2,
                f"{per:.2f}x",
            )
        else:
            missing.append(f"the streaming command's growth with N ({data}): two sizes needed")
    return out, missing


def growth(results: list[Result]) -> list[str]:
    """Per event, how each contender's time and peak grow with the size."""
    out = []
    order = list(ROWS)
    keys = sorted(
        {(m.row, m.key, m.data) for m in results}, key=lambda k: (order.index(k[0]), k[1], k[2])
    )
    for row_, key, data in keys:
        runs = sorted(
            (m for m in results if (m.row, m.key, m.data) == (row_, key, data)),
            key=lambda m: m.size,
        )
        if len(runs) < 2:
            continue
        first = runs[0]
        parts = [
            f"{human(m.size)} {(m.cpu / m.size) / (first.cpu / first.size):.2f}x time/event, "
            f"{m.peak / first.peak:.2f}x peak"
            for m in runs[1:]
        ]
        out.append(f"  {row_}/{key} ({data}) against {human(first.size)}: " + "; ".join(parts))
    return out


def markdown_table(results: list[Result], header: str) -> str:
    lines = [
        header,
        "",
        "| row | contender | data | events | CPU s | µs/event | ratio | peak RSS | base | figure |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for m in results:
        per = f"{m.cpu / m.size * 1e6:.2f}" if m.units == m.size else "-"
        ratio = times(m.ratio)
        label = m.label.replace("|", "\\|")
        lines.append(
            f"| {m.row} | {label} | {m.data} | {m.size:,} | {m.cpu:.3f} | {per} | "
            f"{ratio} | {mb(m.peak)} | {mb(m.base)} | {m.extra} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 50, 10k, 1M")
    parser.add_argument("--data", default="plain,realistic", help="plain, realistic or both")
    parser.add_argument(
        "--only",
        action="append",
        metavar="ROW[/CONTENDER]",
        help="run only these (repeat it, or separate with commas)",
    )
    parser.add_argument(
        "--peers", default=",".join(PEERS), help=f"the peers to run beside ours ({','.join(PEERS)})"
    )
    parser.add_argument("--repeat", type=int, default=1, help="fresh runs of each; the least CPU")
    parser.add_argument("--max-gb", type=float, default=20, help="leave out what needs more")
    parser.add_argument("--max-minutes", type=float, default=10, help="leave out what takes more")
    parser.add_argument("--force", action="store_true", help="run even what will not fit")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="children at a time (to check the harness: times disturb)",
    )
    parser.add_argument("--markdown-table", action="store_true", help="also print the docs table")
    parser.add_argument("--tmp", default=None, help="where the input files go (a new folder)")
    parser.add_argument("--list", action="store_true", help="list the rows and contenders")
    parser.add_argument("--save", metavar="PATH", help="also write the figures to PATH, as JSON")
    parser.add_argument(
        "--report",
        nargs="+",
        metavar="PATH",
        help="run nothing: print the figures saved in these files (--save) together",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    datas = [d.strip() for d in args.data.split(",") if d.strip()]
    for data in datas:
        if data not in SPECS:
            parser.error(f"--data: no data kind {data!r}; the kinds are {', '.join(SPECS)}")
    if args.child or args.prepare:
        folder = Path(args.folder)
        if args.child:
            row_name, key = args.child.split("/")
            figures = child(row_name, key, datas[0], sizes[0], folder)
        else:
            figures = prepare(args.prepare, datas[0], sizes[0], folder)
        print(json.dumps(figures))
        return 0

    if args.report:
        return report(args.report, args.markdown_table)
    if args.list:
        for r in ROWS.values():
            print(f"{r.name}: {r.title}")
            for c in r.contenders:
                vs = f" (against {c.vs})" if c.vs else ""
                print(f"    {r.name}/{c.key}: {c.label}{vs}")
        return 0
    if args.only:
        args.only = {part.strip() for item in args.only for part in item.split(",") if part}
        for item in args.only:
            name, _, key = item.partition("/")
            if name not in ROWS or (key and key not in {c.key for c in ROWS[name].contenders}):
                parser.error(f"--only: no row or contender {item!r}; --list lists them")
    args.peers = tuple(p.strip() for p in args.peers.split(",") if p.strip())
    for peer in args.peers:
        if peer not in PEERS:
            parser.error(f"--peers: no peer {peer!r}; the peers are {', '.join(PEERS)}")
        module = MODULES.get(peer)
        if module is not None:
            try:
                __import__(module)
            except ImportError:
                parser.error(
                    f"the peer {peer} is not installed: pip install -r benchmarks/"
                    "requirements.txt, or leave it out with --peers"
                )

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    about = f"{machine()}\n{versions(args.peers)}\nrun {started}"
    print(about)
    print(
        f"sizes {', '.join(human(s) for s in sizes)}; data {', '.join(datas)}; "
        f"each contender in a fresh process, best CPU of {args.repeat}"
        + (f"; {args.jobs} at a time: the times are not to be quoted" if args.jobs > 1 else "")
        + "\n"
    )
    print(HEADER, flush=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-million-", dir=args.tmp))
    harness = Harness(args, folder)
    try:
        harness.run(sizes, datas)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nGrowth with the size:")
    print("\n".join(growth(harness.results)) or "  (one size only)")
    met, missing = goals(harness.results)
    print("\nThe goals of issue 17 (ratios within this run):")
    print("\n".join(met) or "  (none measured)")
    if missing:
        print(f"  not measured in this run: {'; '.join(missing)}")
    if harness.skipped:
        print("\nLeft out:")
        print("\n".join(f"  {note}" for note in harness.skipped))
    if args.markdown_table:
        print()
        print(markdown_table(harness.results, f"Measured on {about.replace(chr(10), '; ')}."))
    if args.save:
        saved = {"machine": about, "skipped": harness.skipped,
                 "results": [dataclasses.asdict(m) for m in harness.results]}  # fmt: skip
        Path(args.save).write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
    return 0


def report(paths: list[str], table: bool) -> int:
    """The figures of earlier runs (``--save``), printed as a run prints them."""
    results: list[Result] = []
    for name in paths:
        try:
            saved = json.loads(Path(name).read_text(encoding="utf-8"))
            results += [Result(**m) for m in saved["results"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"--report: {name}: not figures saved by --save ({error})") from None
        print(f"{name}: {saved['machine'].replace(chr(10), '; ')}")
        for note in saved.get("skipped", ()):
            print(f"  left out: {note}")
    order = list(ROWS)
    results.sort(key=lambda m: (m.size, list(SPECS).index(m.data), order.index(m.row)))
    print()
    print(HEADER)
    print("\n".join(line(m) for m in results))
    print("\nGrowth with the size:")
    print("\n".join(growth(results)) or "  (one size only)")
    met, missing = goals(results)
    print("\nThe goals of issue 17 (ratios within each run):")
    print("\n".join(met) or "  (none measured)")
    if missing:
        print(f"  not measured: {'; '.join(missing)}")
    if table:
        print()
        print(markdown_table(results, "Measured as above."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
