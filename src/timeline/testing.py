"""Helpers for testing timeline plugins (and timeline itself): a sample
timeline with every tricky case, the exporter contract (:func:`check_exporter`),
registering a plugin for a test, resetting the loaded plugins, running the
command as a user does, and Hypothesis strategies.

See "Test it" in ``docs/plugins.md``.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from .dates import Date
from .default_plugins.organisations import Accession, Founding, Summit
from .errors import OptionError, PluginError
from .formats import Exporter, Option
from .model import Event, Place, Source, ends_before_it_starts
from .timelines import Timeline

__all__ = [
    "CATALOGUE_KEYWORDS",
    "catalogue_problems",
    "check_exporter",
    "dates",
    "events",
    "lines",
    "places",
    "register_plugin",
    "reset_plugins",
    "run_command",
    "sample_timeline",
    "sources",
    "synthetic_timeline",
    "texts",
    "timelines",
    "translations",
]


@contextlib.contextmanager
def register_plugin(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register ``plugin`` (a module, class or instance with
    ``@timeline.hookimpl`` functions) while the block runs; yields its name.

    A misspelt hook raises :class:`~timeline.PluginError` at once, naming the
    plugin, as it would for an installed plugin.
    """
    from .plugins import load_plugins, pm, unknown_hook

    load_plugins()
    registered = pm.register(plugin, name=name)
    if registered is None:
        raise PluginError(f"plugin {name or plugin!r} is already registered or blocked")
    try:
        unknown = unknown_hook(plugin)
        if unknown:
            raise PluginError(f"plugin {registered!r} {unknown}")
        yield registered
    finally:
        pm.unregister(plugin)


def reset_plugins() -> None:
    """Forget every loaded plugin, what they provided and the warnings given
    about them: the next call that needs a format or a kind loads the plugins
    again, as ``TIMELINE_LOAD_PLUGINS`` then says. For tests that change the
    environment; reset before and after, as in ``docs/plugins.md``."""
    from .plugins import reset

    reset()  # the registry is rebuilt, as after any change to the plugins


ASTANA = Place(
    name="Astana", country="KZ", latitude=51.1694, longitude=71.4491, timezone="Asia/Almaty"
)
TIANJIN = Place(
    name="Tianjin", country="CN", latitude=39.13, longitude=117.2, timezone="Asia/Shanghai"
)


def sample_timeline() -> Timeline:
    """A small timeline that holds every built-in kind and the tricky cases.

    Its events, by id:

    ``founding``        a day, a place with coordinates, two sources
    ``accession``       an accession with status ``dialogue-partner``
    ``summit-range``    3-4 July 2024, hosted, with participants
    ``summit-months``   31 August - 1 September 2025 (across a month end)
    ``summit-virtual``  a virtual summit known only to the month
    ``year``            a year
    ``approximate``     ``1996~``
    ``uncertain``       ``2002-06?``
    ``bce``             ``-0476`` (477 BCE)
    ``floating``        10:00, no zone
    ``utc``             12:30 UTC
    ``zoned``           10:00 in Asia/Almaty, ending 18:00 the same day
    ``anniversary``     recurs every year (``FREQ=YEARLY``)
    ``unicode``         Chinese, Arabic (right to left), emoji, a combining accent
    ``across-years``    31 December 2019 - 2 January 2020

    Translations: the title of the timeline in Russian; the founding's title
    in Russian and Chinese (``zh-Hans``) and its description in Russian, its
    place's name in both; the title of ``unicode`` in Persian (right to left).
    """
    source = Source(
        url="https://example.org/sco/history?lang=en&page=1",
        title="SCO history",
        accessed="2026-11-01",
        note="Official chronology.",
    )
    events: list[Event] = [
        Founding(
            id="founding",
            title="Organisation founded",
            start="2001-06-15",
            organisation="SCO",
            members=("CN", "KZ", "KG", "RU", "TJ", "UZ"),
            place=Place(
                name="Shanghai",
                country="CN",
                latitude=31.2333,
                longitude=121.4667,
                timezone="Asia/Shanghai",
                translations={"ru": {"name": "Шанхай"}, "zh-Hans": {"name": "上海"}},
            ),
            sources=(source, Source(url="http://en.special.kremlin.ru/supplement/1672")),
            tags=("founding", "milestone"),
            description="The declaration is signed.\nSix states.",
            translations={
                "ru": {
                    "title": "Организация основана",
                    "description": "Декларация подписана.\nШесть государств.",  # noqa: RUF001
                },
                "zh-Hans": {"title": "组织成立"},
            },
        ),
        Accession(
            id="accession",
            title="Azerbaijan becomes a dialogue partner",
            start="2016-03-14",
            organisation="SCO",
            member="AZ",
            status="dialogue-partner",
        ),
        Summit(
            id="summit-range",
            title="Astana summit",
            start="2024-07-03",
            end="2024-07-04",
            organisation="SCO",
            host="KZ",
            participants=("CN", "RU", "BY"),
            place=ASTANA,
            url="https://example.org/summits/2024",
        ),
        Summit(
            id="summit-months",
            title="Tianjin summit",
            start="2025-08-31",
            end="2025-09-01",
            organisation="SCO",
            host="CN",
            place=TIANJIN,
        ),
        Summit(
            id="summit-virtual",
            title="Virtual summit",
            start="2020-11",
            organisation="SCO",
            host="RU",
            format="virtual",
        ),
        Event(id="year", title="A year-long programme", start="2009"),
        Event(id="approximate", title="Talks begin", start="1996~"),
        Event(id="uncertain", title="A meeting that may have happened", start="2002-06?"),
        Event(
            id="bce",
            title="End of the Western Roman Empire (by one count)",
            start="-0476",
            tags=("antiquity",),
        ),
        Event(id="floating", title="Opening ceremony", start="2018-06-09T10:00"),
        Event(id="utc", title="Press conference", start="2018-06-10T12:30Z"),
        Event(
            id="zoned",
            title="Heads of State Council",
            start="2024-07-04T10:00[Asia/Almaty]",
            end="2024-07-04T18:00[Asia/Almaty]",
            place=ASTANA,
        ),
        Event(
            id="anniversary",
            title="Founding anniversary",
            start="2002-06-15",
            recurrence="FREQ=YEARLY",
            tags=("anniversary",),
        ),
        Event(
            id="unicode",
            title="上海合作组织 — منظمة شنغهاي للتعاون 🤝 Café",
            start="2006-06-15",
            notes="Zero width joiner: 👩\u200d💻; combining: e\u0301.",
            translations={"fa": {"title": "سازمان همکاری شانگهای"}},
        ),
        Event(id="across-years", title="New Year talks", start="2019-12-31", end="2020-01-02"),
    ]
    return Timeline(
        title="Sample timeline",
        description="Every kind of event and every kind of date that timeline knows.",
        translations={"ru": {"title": "Образец хронологии"}},
        events=events,
    )


def synthetic_timeline(count: int, *, seed: int = 0) -> Timeline:
    """``count`` generated events of every built-in kind, for benchmarks and
    tests of size. Places and sources come from pools, as in real data where
    a city hosts many events and a report backs many; every title is different."""
    import random

    rng = random.Random(seed)
    places = [
        Place(
            name=f"City {i}",
            country=rng.choice(("KZ", "CN", "RU", "IN", "UZ")),
            latitude=rng.uniform(-60, 60),
            longitude=rng.uniform(-170, 170),
            timezone=rng.choice(("Asia/Almaty", "Asia/Shanghai", "Europe/Moscow")),
        )
        for i in range(200)
    ]
    sources = [
        Source(url=f"https://example.org/report/{i}", title=f"Report {i}")
        for i in range(max(1, count // 20))
    ]
    events: list[Event] = []
    for i in range(count):
        year, month, day = rng.randint(1900, 2030), rng.randint(1, 12), rng.randint(1, 27)
        common: dict[str, Any] = {
            "id": f"event-{i}",
            "title": f"Event {i}: meeting number {rng.randint(1, 999)} of the year {year}",
            "start": f"{year:04d}-{month:02d}-{day:02d}",
            "place": rng.choice(places) if i % 3 else None,
            "sources": (rng.choice(sources),),
            "tags": ("alpha", "beta") if i % 5 == 0 else (),
        }
        kind = i % 4
        if kind == 0:
            events.append(
                Summit(
                    organisation="SCO",
                    host="KZ",
                    participants=("CN", "RU"),
                    end=f"{year:04d}-{month:02d}-{day + 1:02d}",
                    **common,
                )
            )
        elif kind == 1:
            events.append(Founding(organisation=f"Org {i}", members=("CN", "KZ", "RU"), **common))
        elif kind == 2:
            events.append(Accession(organisation="SCO", member="IN", **common))
        else:
            events.append(
                Event(description="Something happened, in more than a few words.", **common)
            )
    return Timeline(title=f"{count} synthetic events", events=events)


class _RecordingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__(newline="")
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"exporters write str, not {type(text).__name__}")
        self.sizes.append(len(text))
        return super().write(text)


def _check_streaming(exporter: Exporter, timeline: Timeline, options: dict[str, Any]) -> None:
    """When the exporter writes event by event with these options, it writes
    nothing as its writer is made, and then the bytes :meth:`write` writes."""
    resolved = exporter.resolve_options(options)
    header = attrs.evolve(timeline, events=())
    stream = _RecordingStream()
    with warnings.catch_warnings(), _reproducible():
        warnings.simplefilter("ignore")
        writer = exporter.event_writer(header, stream, resolved)
        if writer is None:
            return
        assert stream.getvalue() == "", (
            f"{exporter.name}: event_writer wrote {stream.getvalue()[:40]!r} as it was made"
        )
        for event in timeline.events:
            writer.write(event)
        writer.close()
    whole = _run(exporter, timeline, options).getvalue()
    assert stream.getvalue() == whole, (
        f"{exporter.name}: event by event, with {options or 'no options'}, it writes other "
        f"text than write() for a timeline of {len(timeline)} events"
    )


def _run(exporter: Exporter, timeline: Timeline, options: dict[str, Any]) -> _RecordingStream:
    stream = _RecordingStream()
    with warnings.catch_warnings(), _reproducible():
        warnings.simplefilter("ignore")
        exporter.write(timeline, stream, exporter.resolve_options(options))
    return stream


@contextlib.contextmanager
def _reproducible() -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set (unless it is already), so that an exporter
    that writes the time of export by default (ics's DTSTAMP) writes the same
    time in every run, whenever the second changes."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01T00:00:00Z
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _values(option: Option) -> list[Any]:
    if option.choices:
        return list(option.choices)
    if option.type is bool:
        return [True, False]
    return [] if option.default is None else [option.default]


def check_exporter(exporter: Exporter, timeline: Timeline | None = None) -> None:
    """Check the exporter contract; raise :class:`AssertionError` on a breach.

    * it declares a name, suffixes starting with ``.``, a media type and a description;
    * it writes text, deterministically (two runs give the same text; it runs
      with ``SOURCE_DATE_EPOCH`` set, for formats that write the time of export);
    * it streams: for a timeline of 300 events, no single write holds more than
      a tenth of the output;
    * passing an option's default gives the same output as leaving it out, and
      every choice of every option works;
    * an unknown option is refused with an error that lists the valid ones;
    * when it writes event by event (:meth:`~timeline.Exporter.event_writer`),
      making its writer writes nothing, and the events then give the same
      text as :meth:`~timeline.Exporter.write`, with every option.
    """
    assert isinstance(exporter, Exporter), f"{exporter!r} is not a timeline.Exporter"
    assert exporter.name and exporter.name == exporter.name.lower(), "name must be lower case"
    assert exporter.suffixes and all(s.startswith(".") for s in exporter.suffixes), (
        f"{exporter.name}: suffixes must start with '.'"
    )
    assert "/" in exporter.media_type, f"{exporter.name}: media_type {exporter.media_type!r}"
    assert exporter.description.strip(), f"{exporter.name}: no description"
    sample = timeline if timeline is not None else sample_timeline()

    first = _run(exporter, sample, {}).getvalue()
    again = _run(exporter, sample, {}).getvalue()
    assert first == again, f"{exporter.name}: two exports of the same timeline differ"

    big = synthetic_timeline(300)
    stream = _run(exporter, big, {})
    total = sum(stream.sizes)
    assert total > 0, f"{exporter.name}: wrote nothing"
    assert max(stream.sizes) <= total / 10, (
        f"{exporter.name}: one write held {max(stream.sizes)} of {total} characters; "
        "write event by event"
    )

    for option in exporter.options:
        if option.default is not None:
            explicit = _run(exporter, sample, {option.name: option.default}).getvalue()
            assert explicit == first, (
                f"{exporter.name}: option {option.name}={option.default!r} (the default) "
                "changes the output"
            )
        for value in _values(option):
            _run(exporter, sample, {option.name: value})
            _check_streaming(exporter, sample, {option.name: value})
    for checked in (sample, big, big.of_kind("summit"), attrs.evolve(sample, events=())):
        _check_streaming(exporter, checked, {})

    try:
        exporter.resolve_options({"no-such-option": 1})
    except OptionError as exc:
        for option in exporter.options:
            assert option.name in str(exc), f"{exporter.name}: error does not list {option.name}"
    else:
        raise AssertionError(f"{exporter.name}: accepted an unknown option")


def run_command(
    *args: str,
    plugins: str,
    cwd: str | os.PathLike[str] | None = None,
    script: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run the ``timeline`` command with ``args`` in a subprocess, as a user runs
    it, and return what it did (``returncode``, ``stdout``, ``stderr`` as text).

    ``plugins`` is what ``TIMELINE_LOAD_PLUGINS`` is set to, whatever the
    environment of the tests says: the distribution names of the plugins to
    load from their entry points, comma-separated (``"timeline-years"``), or
    ``""`` for none. The command runs as ``python -m timeline`` with the
    interpreter of the tests, or with ``script=True`` as the ``timeline``
    console script installed beside it. Output is UTF-8 and not meant for a
    terminal (no progress line, no width from ``COLUMNS``)::

        done = run_command("formats", "years", plugins="timeline-years", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    """
    if script:
        scripts = sysconfig.get_path("scripts")
        found = shutil.which("timeline", path=scripts)  # timeline.exe on Windows
        if found is None:
            raise FileNotFoundError(f"no 'timeline' script in {scripts}; is timeline installed?")
        command = [found]
    else:
        command = [sys.executable, "-m", "timeline"]
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "PYTHONWARNINGS"}}
    env |= {"TIMELINE_LOAD_PLUGINS": plugins, "PYTHONUTF8": "1"}
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True,
        encoding="utf-8", timeout=timeout, check=False,
    )  # fmt: skip


# -- Hypothesis strategies --------------------------------------------------------------------
#
# These need Hypothesis (``pip install hypothesis``); it is imported when a
# strategy is asked for, so ``timeline.testing`` works without it.

_SPECIAL_TEXT = (
    "上海合作组织",  # CJK
    "منظمة شنغهاي للتعاون",  # right to left
    "שלום \u202eevil\u202c",  # right-to-left override
    "🤝👩\u200d💻🇰🇿",  # emoji, a zero width joiner sequence, a flag
    "e\u0301 a\u0308\u0308",  # combining marks
    "\u00a0non-breaking\u2028line separator",
    "\u0085 C1 control \u009b",
    "tab\tinside",
    "semi;colon,comma\\backslash",
    "quote \" and ' and `",
    "# heading > quote - dash 1. list * star [link](javascript:alert(1))",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "| pipe | cell |",
    "%% mermaid ; #59; {braces} : colon",
    "BEGIN:VEVENT",
)


def texts(*, one_line: bool = False, min_size: int = 0, max_size: int = 60) -> Any:
    """Text the model accepts: any Unicode but C0 controls (other than tab and,
    unless ``one_line``, line breaks) and lone surrogates, mixed with strings
    chosen to break formats (markup, separators, right-to-left, emoji); with
    ``one_line``, no C1 controls and no line or paragraph separators either."""
    from hypothesis import strategies as st

    excluded = "\x7f" + "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")
    special_texts: tuple[str, ...] = _SPECIAL_TEXT
    if one_line:
        excluded += "\n\r\u2028\u2029" + "".join(chr(c) for c in range(0x80, 0xA0))
        special_texts = tuple(t for t in _SPECIAL_TEXT if not any(c in excluded for c in t))
    alphabet = st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters=excluded)
    plain = st.text(alphabet, min_size=min_size, max_size=max_size)
    special = st.sampled_from(special_texts)
    if not one_line:
        special = special | st.just("first line\nsecond line\r\nthird\n")
    mixed = st.lists(plain | special, min_size=1, max_size=4).map("".join)
    return (plain | mixed).filter(lambda s: len(s) >= min_size)


def lines(max_size: int = 60) -> Any:
    """One-line, non-empty text that is not only spaces."""
    return texts(one_line=True, min_size=1, max_size=max_size).map(_not_blank)


def _not_blank(text: str) -> str:
    """``text``, or, when it is only white space, the same length of text
    with an ``x`` first: drawn so rather than filtered, since a strategy
    that filters often makes Hypothesis give up on the test."""
    return text if text.strip() else "x" + text[1:]


def dates(*, times: bool = True, flags: bool = True, bce: bool = True) -> Any:
    """Every precision, BCE years, floating, UTC and zoned times, and the
    approximate and uncertain flags."""
    import datetime as dt

    from hypothesis import strategies as st

    from .dates import Date, days_in_month

    zones = st.sampled_from(
        (
            None,
            "UTC",
            "Asia/Almaty",
            "Asia/Shanghai",
            "Europe/Moscow",
            "America/New_York",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "Australia/Lord_Howe",
        )
    )

    @st.composite
    def build(draw: Any) -> Date:
        low = -9999 if bce else 1
        year = draw(st.integers(low, 9999) | st.integers(max(low, 1900), 2100))
        precision = draw(
            st.sampled_from(("year", "month", "day", "time") if times else ("year", "month", "day"))
        )
        approximate = draw(st.booleans()) if flags else False
        uncertain = draw(st.booleans()) if flags else False
        if precision == "year":
            return Date(year, approximate=approximate, uncertain=uncertain)
        month = draw(st.integers(1, 12))
        if precision == "month":
            return Date(year, month, approximate=approximate, uncertain=uncertain)
        day = draw(st.integers(1, days_in_month(year, month)))
        if precision == "day" or not 1 <= year <= 9999:
            return Date(year, month, day, approximate=approximate, uncertain=uncertain)
        time = draw(
            st.times().map(lambda t: t.replace(fold=0))
            | st.sampled_from((dt.time(0, 0), dt.time(10, 0), dt.time(23, 59)))
        )
        zone = draw(zones)
        candidate = Date(year, month, day, time=time)
        if zone is not None:
            with contextlib.suppress(ValueError):  # the zone skips that time: keep it floating
                candidate = Date(year, month, day, time=time, tz=zone)
        return attrs.evolve(candidate, approximate=approximate, uncertain=uncertain)

    return build()


_LANGUAGES = (
    "ru", "zh", "zh-Hans", "zh-Hant-TW", "en-GB", "fa", "kk-Cyrl", "de-CH-1996", "en-x-pirate",
)  # fmt: skip
"""Tags that translations are generated in: none is a timelines() language."""
_ORIGINAL_LANGUAGES = ("en", "en-US", "ar", "uz-Latn")


def translations(fields: dict[str, bool]) -> Any:
    """:class:`~timeline.Translations` of the fields named in ``fields``
    (each ``True`` for one-line text), in a few languages (none of
    :func:`timelines`' original languages), often none at all."""
    from hypothesis import strategies as st

    from .translations import Translations

    def text(one_line: bool) -> Any:
        return lines() if one_line else texts(min_size=1).map(_not_blank)

    def some_of(chosen: list[str]) -> Any:
        return st.fixed_dictionaries({name: text(fields[name]) for name in chosen})

    # Each language translates one field or more: drawn so, not filtered.
    language_texts = st.lists(
        st.sampled_from(sorted(fields)), min_size=1, max_size=len(fields), unique=True
    ).flatmap(some_of)
    tags = st.sampled_from(_LANGUAGES)
    return st.just(Translations()) | st.dictionaries(tags, language_texts, max_size=3).map(
        Translations
    )


def places() -> Any:
    """Places with and without a country, coordinates, a zone and translations."""
    from hypothesis import strategies as st

    return st.builds(
        Place,
        name=lines(),
        country=st.none() | st.sampled_from(("KZ", "CN", "RU", "IN", "IR", "BY", "US")),
        latitude=st.none(),
        longitude=st.none(),
        timezone=st.none() | st.sampled_from(("Asia/Almaty", "Europe/Moscow")),
        translations=translations({"name": True}),
    ) | st.builds(
        Place,
        name=lines(),
        latitude=st.floats(-90, 90, allow_nan=False),
        longitude=st.floats(-180, 180, allow_nan=False),
    )


def sources() -> Any:
    """Sources with http, https and other URLs, titles, days and notes."""
    from hypothesis import strategies as st

    urls = st.builds(
        "{}://example.org/{}?q={}#{}".format,
        st.sampled_from(("https", "http")),
        st.from_regex(r"[a-z0-9/_.-]{0,20}", fullmatch=True),
        st.from_regex(r"[a-z0-9=&%]{0,10}", fullmatch=True),
        st.from_regex(r"[a-z]{0,5}", fullmatch=True),
    ) | st.sampled_from(("javascript:alert(1)", "mailto:office@example.org", "urn:isbn:0451450523"))
    return st.builds(
        Source,
        url=urls,
        title=st.none() | lines(),
        accessed=st.none() | dates(times=False, flags=False, bce=False).map(_a_day),
        note=texts(),
    )


def _a_day(date: Date) -> Date:
    """``date`` if it is a day, else the first day it covers."""
    if date.day is not None:
        return date
    return Date(date.year, date.month or 1, 1)


def events() -> Any:
    """Events of every built-in kind with every kind of field value."""
    from hypothesis import strategies as st

    from .dates import Precision

    parties = st.lists(
        st.sampled_from(("CN", "KZ", "KG", "RU", "TJ", "UZ", "IN", "ASEAN")),
        unique=True,
        max_size=4,
    ).map(tuple)

    @st.composite
    def build(draw: Any) -> Event:
        start = draw(dates())
        end = None
        if draw(st.booleans()):
            later = draw(dates())
            end = None if ends_before_it_starts(start, later) else later
        recurrence = None
        if (
            start.precision >= Precision.DAY
            and 1 <= start.year <= 9999
            and draw(st.integers(0, 4)) == 0
        ):
            recurrence = draw(
                st.sampled_from(
                    ("FREQ=YEARLY", "FREQ=MONTHLY;COUNT=3", "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4")
                )
            )
        common: dict[str, Any] = {
            "title": draw(lines()),
            "start": start,
            "end": end,
            "description": draw(texts()),
            "place": draw(st.none() | places()),
            "tags": tuple(draw(st.lists(lines(20), max_size=3, unique=True))),
            "sources": tuple(draw(st.lists(sources(), max_size=2))),
            "url": draw(st.none() | st.just("https://example.org/event?id=1&x=2")),
            "notes": draw(texts()),
            "recurrence": recurrence,
            "translations": draw(
                translations({"title": True, "description": False, "notes": False})
            ),
        }
        if draw(st.booleans()):
            common["id"] = draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True))
        kind = draw(st.sampled_from(("event", "founding", "accession", "summit")))
        if kind == "founding":
            return Founding(organisation=draw(lines()), members=draw(parties), **common)
        if kind == "accession":
            return Accession(
                organisation=draw(lines()),
                member=draw(st.sampled_from(("IN", "PK", "IR", "BY", "Someone"))),
                status=draw(st.sampled_from(("member", "observer", "dialogue-partner"))),
                **common,
            )
        if kind == "summit":
            return Summit(
                organisation=draw(lines()),
                host=draw(st.none() | st.just("KZ")),
                participants=draw(parties),
                format=draw(st.sampled_from(("in-person", "virtual", "hybrid"))),
                **common,
            )
        return Event(**common)

    return build()


def timelines(max_events: int = 12) -> Any:
    """Timelines of generated events with unique ids, in an original
    language (mostly ``en``) and with translations."""
    from hypothesis import strategies as st

    return st.builds(
        Timeline,
        title=st.just("") | lines(),
        description=texts(),
        language=st.just("en") | st.sampled_from(_ORIGINAL_LANGUAGES),
        translations=translations({"title": True, "description": False}),
        events=st.lists(events(), max_size=max_events, unique_by=lambda e: e.id),
    )


# -- message catalogues -------------------------------------------------------------------------

CATALOGUE_KEYWORDS: Final = {
    "N_": None, "NP_": (1, 2), "label": None, "translate": None,
    "gettext": None, "ngettext": (1, 2),
}  # fmt: skip
"""What ``pybabel extract`` looks for in timeline's code and a plugin's:
``-k NP_:1,2 -k label -k translate`` besides its defaults."""


def catalogue_problems(
    folder: Path, domain: str, sources: Path, *, keywords: Mapping[str, Any] = CATALOGUE_KEYWORDS
) -> list[str]:
    """What is wrong with the gettext catalogues of ``domain`` in ``folder``
    (``<language>/LC_MESSAGES/<domain>.po`` and ``.mo``, and the template
    ``<domain>.pot``), against the messages of the code in ``sources``; an
    empty list when nothing is. For a plugin's test of its own catalogues
    (docs/languages.md, "A plugin's own labels"), as timeline tests its own:
    a message the code has and a catalogue lacks, or one a catalogue keeps
    that the code dropped; a message left untranslated, fuzzy, or with the
    wrong number of plural forms; a ``.mo`` file that is not its ``.po``
    compiled; a template that is not the code's messages."""
    import io

    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    def key(message: Any) -> str | tuple[str, str]:
        return message if isinstance(message, str) else (message[0], message[1])

    found = {key(entry[2]) for entry in extract_from_dir(sources, keywords=keywords,
                                                           comment_tags=())}  # fmt: skip
    problems: list[str] = []

    def compare(name: str, held: set[str | tuple[str, str]]) -> None:
        problems.extend(f"{name}: no {m!r}" for m in sorted(found - held, key=str))
        problems.extend(f"{name}: {m!r} is not in the code" for m in sorted(held - found, key=str))

    template = folder / f"{domain}.pot"
    if template.is_file():
        with template.open("rb") as file:
            compare(template.name, {key(m.id) for m in read_po(file) if m.id})
    else:
        problems.append(f"no template {template.name}")
    catalogues = sorted(folder.glob(f"*/LC_MESSAGES/{domain}.po"))
    if not catalogues:
        problems.append(f"no catalogue of {domain!r} in {folder}")
    for path in catalogues:
        name = path.parent.parent.name
        with path.open("rb") as file:
            catalogue = read_po(file)
        entries = [m for m in catalogue if m.id]
        compare(name, {key(m.id) for m in entries})
        for message in entries:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            expected = catalogue.num_plurals if message.pluralizable else 1
            if not all(strings):
                problems.append(f"{name}: {message.id!r} is not translated")
            elif len(strings) != expected:
                problems.append(f"{name}: {message.id!r} has {len(strings)} forms, not {expected}")
            if message.fuzzy:
                problems.append(f"{name}: {message.id!r} is fuzzy")
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        mo = path.with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != compiled.getvalue():
            problems.append(f"{name}: {mo.name} is not {path.name} compiled (pybabel compile)")
    return problems
