"""The Markdown exporter event by event: its writer (``event_writer``) writes
exactly what ``write`` writes, with every option, in memory that does not
grow with the events, and :func:`timeline.convert` uses it."""

from __future__ import annotations

import gc
import io
import itertools
import tracemalloc
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO, cast

import attrs
import pytest

import timeline
from timeline import Event, Importer, Place, Source, Timeline
from timeline.default_plugins.markdown_format import MarkdownExporter
from timeline.formats import EventSource
from timeline.registry import get_exporter
from timeline.testing import check_exporter, register_plugin, sample_timeline, synthetic_timeline

STYLES = ("list", "table", "mermaid")
GROUPS = ("year", "decade", "month", "kind", "none")
AFTER = ("list", "table", "none")


def exporter() -> MarkdownExporter:
    found = get_exporter("markdown")
    assert isinstance(found, MarkdownExporter)
    return found


def header_of(t: Timeline) -> Timeline:
    return attrs.evolve(t, events=())


def streamed(t: Timeline, events: Any = None, **options: Any) -> tuple[str, list[str]]:
    """The text and the warnings of the writer, given ``events`` (else the timeline's)."""
    out = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer = exporter().event_writer(header_of(t), out, exporter().resolve_options(options))
        for event in t.events if events is None else events:
            writer.write(event)
        writer.close()
    return out.getvalue(), [str(w.message) for w in caught]


def whole(t: Timeline, **options: Any) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporter().write(t, out, exporter().resolve_options(options))
    return out.getvalue(), [str(w.message) for w in caught]


def test_keeps_the_exporter_contract_with_every_option() -> None:
    check_exporter(exporter())
    check_exporter(exporter(), timeline.example("sco"))


MIXED = synthetic_timeline(400, seed=3)


@pytest.mark.parametrize(
    ("style", "group", "after"),
    [combo for combo in itertools.product(STYLES, GROUPS, AFTER)
     if combo[0] == "mermaid" or combo[2] == "list"],
)  # fmt: skip
@pytest.mark.parametrize("name", ["sample", "sco", "synthetic"])
def test_writes_what_write_writes_with_every_style_and_group(
    name: str, style: str, group: str, after: str
) -> None:
    t = {"sample": sample_timeline(), "sco": timeline.example("sco"), "synthetic": MIXED}[name]
    options = {"style": style, "group": group, "after-diagram": after}
    assert streamed(t, **options) == whole(t, **options)


@pytest.mark.parametrize("locale", ["ru", "fa", "zh-Hans"])
@pytest.mark.parametrize("style", STYLES)
def test_writes_and_warns_as_write_does_in_a_locale(style: str, locale: str) -> None:
    t = sample_timeline()
    text, warned = streamed(t, style=style, group="kind", locale=locale)
    assert (text, warned) == whole(t, style=style, group="kind", locale=locale)
    assert len(warned) == 1
    assert "no" in warned[0]
    assert "translation and are in English" in warned[0]


def test_warns_about_a_useless_option_when_it_closes() -> None:
    out = io.StringIO()
    writer = exporter().event_writer(
        header_of(MIXED), out, exporter().resolve_options({"after-diagram": "table"})
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for event in MIXED.events:
            writer.write(event)
    with pytest.warns(timeline.ExportWarning, match="option 'after-diagram' does nothing"):
        writer.close()


def test_making_the_writer_writes_nothing_and_the_first_event_writes_the_heading() -> None:
    t = Timeline(title="Two", description="About.", events=[
        Event(id="a", title="A", start="2001"), Event(id="b", title="B", start="2002"),
    ])  # fmt: skip
    out = io.StringIO()
    writer = exporter().event_writer(header_of(t), out, exporter().resolve_options({}))
    assert out.getvalue() == ""
    writer.write(t.events[0])
    assert out.getvalue() == "# Two\n\nAbout.\n\n## 2001\n\n- **2001** — A\n"
    writer.write(t.events[1])
    writer.close()
    assert out.getvalue() == whole(t)[0]
    assert out.getvalue().endswith("## 2002\n\n- **2002** — B\n")


@pytest.mark.parametrize("style", STYLES)
def test_the_parts_after_the_diagram_wait_for_close(style: str) -> None:
    """The diagram is written as the events come; the list after it, and the
    groups by kind, at close."""
    out = io.StringIO()
    options = exporter().resolve_options({"style": style, "group": "kind"})
    writer = exporter().event_writer(header_of(MIXED), out, options)
    for event in MIXED.events:
        writer.write(event)
    before = out.getvalue()
    assert before == ("# 400 synthetic events\n" if style != "mermaid" else
                      "# 400 synthetic events\n\n```mermaid\ntimeline\n    title 400 synthetic events\n")  # fmt: skip
    writer.close()
    assert out.getvalue() == whole(MIXED, style=style, group="kind")[0]


def test_an_empty_timeline_is_written_at_close() -> None:
    t = Timeline(title="Nothing")
    for style in STYLES:
        out = io.StringIO()
        writer = exporter().event_writer(t, out, exporter().resolve_options({"style": style}))
        assert out.getvalue() == ""
        writer.close()
        assert out.getvalue() == "# Nothing\n\nNo events.\n" == whole(t, style=style)[0]


def test_a_level_out_of_range_is_refused_as_the_writer_is_made() -> None:
    options = exporter().resolve_options({"level": 6})
    with pytest.raises(timeline.OptionError, match="option 'level' is from 1 to 5, not 6"):
        exporter().event_writer(Timeline(), io.StringIO(), options)


def fresh_events(count: int) -> Iterator[Event]:
    """Events made as they are asked for, each with a place and a source of
    its own that no one else holds: once written, they are gone, and a new
    object may get the id of an old one."""
    for event in synthetic_timeline(count, seed=5).events:
        place = Place(name=f"Place of {event.id}", country="KZ")
        source = Source(url=f"https://example.org/{event.id}", title=f"On {event.id}")
        yield attrs.evolve(event, place=place, sources=(source,))


@pytest.mark.parametrize("style", STYLES)
def test_what_it_remembers_is_never_the_text_of_another_place_or_source(style: str) -> None:
    t = Timeline(title="Fresh", events=list(fresh_events(1500)))
    text, _ = streamed(t, fresh_events(1500), style=style, group="none")
    assert text == whole(t, style=style, group="none")[0]


class Discard(io.TextIOBase):
    """An output that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)


def peak(count: int, options: Mapping[str, Any]) -> int:
    """The most memory that writing ``count`` events (made beforehand) took."""
    # The same 2,000 events again and again, under new ids, so that the texts
    # the writer may remember (of places, sources) are as many for any count.
    t = synthetic_timeline(2_000)
    header = header_of(t)
    events = sorted(
        (attrs.evolve(e, id=f"{e.id}-{k}") for k in range(count // 2_000) for e in t.events),
        key=lambda e: (e.start.sort_key, e.id),
    )
    del t
    resolved = exporter().resolve_options(options)

    def write() -> None:
        writer = exporter().event_writer(header, cast(TextIO, Discard()), resolved)
        for event in events:
            writer.write(event)
        writer.close()

    # What an event works out once and keeps (its dates' keys), and what the
    # program's caches hold whatever came before, are made by a first writing:
    # the second one measures the writer alone.
    write()
    gc.collect()
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "options",
    [{}, {"style": "table", "group": "month"}, {"style": "mermaid", "group": "kind"},
     {"style": "mermaid", "locale": "ru"}],
    ids=["list", "table", "mermaid-kind", "mermaid-ru"],
)  # fmt: skip
def test_its_memory_does_not_grow_with_the_events(options: Mapping[str, Any]) -> None:
    """8 times the events (with the same places and sources) take about the
    same memory: nothing is kept of an event once it is written."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the missing translations
        few, many = peak(2_000, options), peak(16_000, options)
    assert many < 1.5 * few, (few, many)
    assert many < 1_000_000, (few, many)


def test_its_caches_are_bounded() -> None:
    from timeline.default_plugins.markdown_format import _CACHE_SIZE, _SOURCE_CACHE_SIZE

    writer: Any = exporter().event_writer(
        header_of(MIXED), cast(TextIO, Discard()), exporter().resolve_options({})
    )
    # A founding in 4 has an organisation of its own; every event a place and a source.
    for event in fresh_events(4 * _CACHE_SIZE + _SOURCE_CACHE_SIZE):
        writer.write(event)
    writer.close()
    document = writer.document
    sizes = [len(c) for c in (document._text, document._facts, document._places,
                              document._sources)]  # fmt: skip
    assert sizes == [2, _CACHE_SIZE, _CACHE_SIZE, _SOURCE_CACHE_SIZE]  # two tags: alpha, beta
    assert len(document._items) == 3  # the founding members: CN, KZ, RU


def test_its_cache_of_the_items_of_collections_is_bounded() -> None:
    from timeline import Founding
    from timeline.default_plugins.markdown_format import _CACHE_SIZE

    events = [
        Founding(title=f"F {i}", start="2001", organisation="O", members=(f"Group {i}", "KZ"))
        for i in range(3 * _CACHE_SIZE)
    ]
    out = io.StringIO()
    writer: Any = exporter().event_writer(header_of(MIXED), out, exporter().resolve_options({}))
    for event in events:
        writer.write(event)
    writer.close()
    assert len(writer.document._items) == _CACHE_SIZE
    assert out.getvalue().count("- Founding members: Group ") == 3 * _CACHE_SIZE
    assert "- Founding members: Group 3071, Kazakhstan\n" in out.getvalue()


# -- through timeline.convert -----------------------------------------------------------------


def test_convert_from_json_writes_what_dump_writes(tmp_path: Path) -> None:
    """The events go to the writers one at a time (``streamed``), whether
    timeline's JSON reader reads them so or reads the file whole first."""
    t = synthetic_timeline(300)
    timeline.dump(t, tmp_path / "in.json")
    done = timeline.convert(
        tmp_path / "in.json",
        [
            tmp_path / "out.md",
            timeline.Output(tmp_path / "diagram.md", options={"style": "mermaid"}),
        ],
    )
    assert done == timeline.streaming.Converted(events=300, read=300, streamed=True, sorted=False)
    assert (tmp_path / "out.md").read_text("utf-8") == timeline.dumps(t, "markdown")
    assert (tmp_path / "diagram.md").read_text("utf-8") == timeline.dumps(
        t, "markdown", style="mermaid"
    )


class TabImporter(Importer):
    """A format of the test's own that is read event by event: a line per
    event, ``start<TAB>id<TAB>title``."""

    name = "tabs"
    suffixes = (".tabs",)
    description = "an event a line, for the tests"

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        found = self.read_events(stream, options, source)
        assert found is not None
        return attrs.evolve(found.header, events=list(found.events))

    def read_events(
        self, stream: TextIO, options: Mapping[str, Any], source: str
    ) -> EventSource | None:
        def events() -> Iterator[Event]:
            for line in stream:
                start, event_id, title = line.rstrip("\n").split("\t")
                yield Event(id=event_id, title=title, start=start)

        return EventSource(Timeline(title="Tabs"), events())


class TabPlugin:
    @timeline.hookimpl
    def register_importers(self, register: Any) -> None:
        register(TabImporter())


@pytest.mark.parametrize("group", GROUPS)
def test_convert_streams_events_to_markdown(tmp_path: Path, group: str) -> None:
    t = synthetic_timeline(500)
    lines = "".join(f"{e.start}\t{e.id}\t{e.title}\n" for e in t.events)
    (tmp_path / "in.tabs").write_text(lines, "utf-8")
    outputs = [timeline.Output(tmp_path / f"{style}.md", options={"style": style, "group": group})
               for style in STYLES]  # fmt: skip
    with register_plugin(TabPlugin(), name="tabs"):
        done = timeline.convert(tmp_path / "in.tabs", outputs)
        read = timeline.load(tmp_path / "in.tabs")
    assert done == timeline.streaming.Converted(events=500, read=500, streamed=True, sorted=False)
    for style in STYLES:
        expected = timeline.dumps(read, "markdown", style=style, group=group)
        assert (tmp_path / f"{style}.md").read_text("utf-8") == expected


def test_items_that_are_equal_but_written_apart_are_not_taken_for_one() -> None:
    """The items of a collection are kept by type and value only where equal
    values have the same words: 0.0 and -0.0, 1.0 and 1.00 are equal floats
    and Decimals, written apart."""
    import decimal
    from typing import ClassVar

    from timeline import hookimpl

    @attrs.frozen(kw_only=True)
    class Reading(Event):
        kind: ClassVar[str] = "reading"
        values: tuple[Any, ...] = ()

    class Plugin:
        @hookimpl
        def register_kinds(self, register: Any) -> None:
            register(Reading)

    d = decimal.Decimal
    with register_plugin(Plugin(), name="readings"):
        t = Timeline(events=[
            Reading(id="a", title="A", start="2001", values=(0.0, d("1.0"))),
            Reading(id="b", title="B", start="2002", values=(-0.0, d("1.00"))),
        ])  # fmt: skip
        text = timeline.dumps(t, "markdown")
    assert "- Values: 0.0, 1.0\n" in text
    assert "- Values: -0.0, 1.00\n" in text
