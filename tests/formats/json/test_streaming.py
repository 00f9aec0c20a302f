"""Timeline's JSON read event by event (JSONImporter.read_events): the same
header, events, errors and warnings as timeline.load, whatever the chunks
the text comes in, in memory that does not grow with the events."""

from __future__ import annotations

import gc
import gzip
import io
import json
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest

import timeline
from timeline import Timeline, ValidationError
from timeline.default_plugins.json_format import JSONImporter
from timeline.document import timeline_to_dict
from timeline.registry import get_exporter
from timeline.streaming import SeenIds, order_key
from timeline.testing import check_exporter, sample_timeline, synthetic_timeline

HOSTILE = Path(__file__).resolve().parents[2] / "corpus" / "hostile" / "json"
CHUNKS = (1, 7, 64, 65536)
IMPORTER = JSONImporter()


def _dumped(tl: Timeline, *, compact: bool) -> str:
    out = io.StringIO()
    timeline.dump(tl, out, format="json", compact=compact)
    return out.getvalue()


def _header(tl: Timeline) -> Timeline:
    return Timeline(title=tl.title, description=tl.description, url=tl.url,
                    language=tl.language, translations=tl.translations)  # fmt: skip


def _outcome(read: Any) -> tuple[Any, ...]:
    """What reading gave: the header and events, or the error's text; and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[Any, ...] = ("ok", *read())
        except ValidationError as exc:
            result = ("error", str(exc))
    return (*result, [(w.category, str(w.message)) for w in caught])


def _loaded(text: str) -> tuple[Any, ...]:
    def read() -> tuple[Timeline, list[Any]]:
        whole = IMPORTER.read(io.StringIO(text, newline=""), {}, "<s>")
        return _header(whole), list(whole.events)

    return _outcome(read)


def _streamed(text: str, chunk: int) -> tuple[Any, ...]:
    def read() -> tuple[Timeline, list[Any]]:
        source = IMPORTER.read_events(io.StringIO(text, newline=""), {}, "<s>", chunk_size=chunk)
        return source.header, list(source.events)

    return _outcome(read)


def _same(text: str, chunks: tuple[int, ...] = CHUNKS) -> tuple[Any, ...]:
    expected = _loaded(text)
    for chunk in chunks:
        assert _streamed(text, chunk) == expected, f"chunk size {chunk}"
    return expected


TIMELINES = {
    "sco": lambda: timeline.example("sco"),
    "sample": sample_timeline,
    "synthetic": lambda: synthetic_timeline(300, seed=5),
    "empty": Timeline,
}


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("name", TIMELINES)
def test_the_events_and_header_are_those_load_gives(name, compact):
    tl = TIMELINES[name]()
    outcome = _same(_dumped(tl, compact=compact))
    assert outcome == ("ok", _header(tl), list(tl.events), [])


def test_read_events_of_a_path_gives_what_load_gives(tmp_path):
    tl = synthetic_timeline(500, seed=2)
    path = tmp_path / "big.json"
    timeline.dump(tl, path)
    with timeline.read_events(path) as read:
        assert read.header == _header(timeline.load(path))
        events = list(read.events)
    assert events == list(timeline.load(path).events)


def test_it_reads_as_it_goes(tmp_path):
    """The header is there before the events are read; the events one at a time."""
    text = _dumped(synthetic_timeline(200), compact=True)
    stream = io.StringIO(text)
    source = IMPORTER.read_events(stream, {}, "<s>", chunk_size=1024)
    assert source.header.language == "en"
    assert stream.tell() < 2048
    next(source.events)
    assert stream.tell() < 4096


CUT = {
    "escapes": 'a \\"quoted\\" \\\\ back\\/slash \\u00e9\\ud83d\\ude00 \\n\\t end',
    "unicode": "Ташкент 塔什干 اجلاس \U0001f600",
}


@pytest.mark.parametrize("text", CUT)
def test_chunks_may_end_inside_strings_escapes_and_numbers(text):
    description = json.loads(f'"{CUT[text]}"')
    tl = Timeline(
        description=description,
        events=[
            timeline.Summit(
                title=f"Summit {i}", start="2001-06-15", organisation="SCO",
                description=description, place=timeline.Place(
                    name=f"P{i}", latitude=41.311081 + i / 7, longitude=-69.240562 - i / 3),
            )
            for i in range(5)
        ],
    )  # fmt: skip
    for compact in (False, True):
        written = json.dumps(description, ensure_ascii=False)
        document = _dumped(tl, compact=compact).replace(written, f'"{CUT[text]}"')
        assert CUT[text] in document
        outcome = _same(document, chunks=tuple(range(1, 40)))
        assert outcome == ("ok", _header(tl), list(tl.events), [])


def _document(*events: Any, **header: Any) -> str:
    doc = {"format": "timeline-events", "version": 2, **header, "events": list(events)}
    return json.dumps(doc, indent=2, ensure_ascii=False)


GOOD = {"title": "Astana summit", "start": "2024-07-03"}

BAD = {
    "bad event fields": _document(GOOD, {"title": "", "start": "2024-02-30"}, GOOD),
    "several bad events": _document(
        {"title": "a", "start": 5},
        GOOD,
        7,
        {"kind": "comet", "start": "x"},
        {"title": "b", "start": "2001", "place": {"name": "P", "latitude": 91}},
        {**GOOD, "id": "has spaces"},
        {"title": "c", "start": "2001", "frobnicate": 1},
    ),
    "bad header and events": _document({"title": ""}, title="", language="xx-!!", colour=1),
    "events not an array": _document(title="x").replace("[]", '{"a": 1}'),
    "no events": '{"format": "timeline-events", "version": 2, "title": "x"}',
    "empty object": "{}",
    "version 1 translations": json.dumps(
        {
            "format": "timeline-events",
            "version": 1,
            "language": "en",
            "events": [
                {**GOOD, "translations": {"ru": {"title": "x"}}},
                {"title": "", "start": "1"},
                {**GOOD, "title": "b", "place": {"name": "p", "translations": {}}},
            ],
        }
    ),
    "original language translations": _document(
        {**GOOD, "translations": {"en": {"title": "x"}}},
        {"title": "", "start": "2001"},
        {**GOOD, "title": "z", "place": {"name": "p", "translations": {"en-GB": {"name": "q"}}}},
        language="en-GB",
        translations={"en-GB": {"title": "t"}},
    ),
    "duplicate ids in bad events": _document(
        {**GOOD, "id": "x", "start": "nope"}, {**GOOD, "id": "x", "start": "nope"}
    ),
    "duplicate key in an event": _document(GOOD).replace('"title"', '"start": "1", "title"'),
    "duplicate key in the document": _document(GOOD, title="a").replace(
        '"title": "a"', '"title": "a", "title": "b"'
    ),
    "duplicate key after the events": _document(GOOD)[:-2] + ',\n  "version": 2\n}',
    "events twice": _document(GOOD).replace('"events"', '"events": 5, "events"'),
    "events twice, the second after": _document(GOOD)[:-2] + ',\n  "events": []\n}',
    "NaN": _document({**GOOD, "place": {"name": "p", "latitude": 1}}).replace(": 1\n", ": NaN\n"),
    "long number": _document(GOOD, {**GOOD, "title": "b"}).replace('"b"', "1" * 5000),
    "syntax error mid-events": _document(GOOD, {"title": "", "start": "x"}, GOOD, GOOD).replace(
        '"start": "x"\n    },', '"start": "x"\n    }'
    ),
    "trailing comma": _document(GOOD, GOOD).replace("}\n  ]", "},\n  ]"),
    "trailing comma in the header": '{"format": "timeline-events", "version": 2 , \n }',
    "trailing comma after the events": _document(GOOD)[:-2] + ", }",
    "extra data": _document(GOOD) + "{}",
    "unterminated string": _document(GOOD)[:-30],
    "bad escape": _document({**GOOD, "title": "a\\qb"}).replace("\\\\q", "\\q"),
    "control character in a string": _document({**GOOD, "title": "a\tb"}).replace("\\t", "\t"),
    "colon missing": _document(GOOD).replace('"title":', '"title"'),
    "key not a string": _document(GOOD).replace('"title":', "title:"),
    "header key not a string": _document(GOOD).replace('"version":', "version:"),
    "comma missing in the header": _document(GOOD).replace('"version": 2,', '"version": 2'),
    "deep nesting": _document({**GOOD, "title": "["}).replace('"["', "[" * 100_000),
    "white space only": " \n\t ",
    "a number cut at the end": '{"format": "timeline-events", "version": 2',
    "unknown field after the events": _document(GOOD)[:-2] + ',\n  "colour": "red"\n}',
    "a bad header field after the events": _document(GOOD)[:-2] + ',\n  "url": 5\n}',
}


@pytest.mark.parametrize("name", BAD)
def test_errors_are_those_load_gives(name):
    outcome = _same(BAD[name])
    if name not in ("no events", "duplicate ids in bad events"):
        assert outcome[0] == "error", outcome


def test_every_problem_is_listed_at_the_end_after_the_good_events():
    text = _document(GOOD, {**GOOD, "title": "b", "id": "b"}, {"title": "", "start": "x"},
                     {**GOOD, "title": "c"}, 7, {**GOOD, "id": "b"})  # fmt: skip
    source = IMPORTER.read_events(io.StringIO(text), {}, "<s>")
    events = source.events
    assert [next(events).title, next(events).title] == ["Astana summit", "b"]
    with pytest.raises(ValidationError) as info:
        next(events)  # after the first problem, the events are checked, not given
    assert [str(p) for p in info.value.problems] == [
        "$.events[2].start: cannot read date 'x': not an EDTF/ISO 8601 date such as "
        "2001-06-15, 2001-06 or 2001",
        "$.events[2].title: must not be empty",
        "$.events[4]: expected an object, not a number (7)",
        "$.events[5].id: duplicate id 'b' (also $.events[1])",
    ]
    assert _loaded(text)[1] == str(info.value)


def test_a_truncated_file_fails_as_load_says_wherever_it_is_cut():
    text = _dumped(sample_timeline(), compact=False)
    for end in range(0, len(text), 97):
        _same(text[:end], chunks=(7, 65536))


def test_a_problem_past_the_first_chunks_has_its_place_in_the_whole_file():
    text = _dumped(synthetic_timeline(300), compact=False)
    at = text.index('"start"', len(text) // 2)
    text = text[:at] + '"start" "2001"' + text[at + len('"start": "2001"') :]
    outcome = _same(text, chunks=(64, 1000, 65536))
    assert outcome[1].startswith("<s>: line ")


def test_the_hostile_corpus_reads_as_load_reads_it(tmp_path):
    for case in sorted(HOSTILE.iterdir()):
        data = case.read_bytes()
        if case.suffix == ".gz":
            data = gzip.decompress(data)
        path = tmp_path / case.name.removesuffix(".gz")
        path.write_bytes(data)
        loaded = _outcome(lambda path=path: _whole_read(path))
        streamed = _outcome(lambda path=path: _event_read(path))
        if streamed[0] == "ok":  # in the order of the file; a timeline sorts them
            streamed = (*streamed[:2], sorted(streamed[2], key=order_key), streamed[3])
        assert streamed == loaded, case.name


def _whole_read(path: Path) -> tuple[Timeline, list[Any]]:
    whole = timeline.load(path)
    return _header(whole), list(whole.events)


def _event_read(path: Path) -> tuple[Timeline, list[Any]]:
    with timeline.read_events(path) as read:
        return read.header, list(read.events)


AFTER = {
    "events first": '{"events": [%s], "format": "timeline-events", "version": 2, "title": "t"}',
    "sorted keys": '{"events": [%s], "format": "timeline-events", "title": "t", "version": 2}',
}


@pytest.mark.parametrize("name", AFTER)
def test_a_header_after_the_events_is_read_whole_from_a_path(tmp_path, name):
    text = AFTER[name] % json.dumps(GOOD)
    path = tmp_path / "after.json"
    path.write_text(text, encoding="utf-8")
    assert _outcome(lambda: _event_read(path)) == _outcome(lambda: _whole_read(path))
    assert _event_read(path)[0].title == "t"


@pytest.mark.parametrize("name", AFTER)
def test_a_header_after_the_events_of_a_stream_is_an_error_that_says_what_to_do(name):
    text = AFTER[name] % json.dumps(GOOD)
    source = _Unseekable(text.encode())
    with pytest.raises(ValidationError) as info, timeline.read_events(source, "json") as read:
        list(read.events)
    assert [str(p) for p in info.value.problems] == [
        f'$.{key}: comes after "events"; read event by event, a document has its header '
        f'first, as timeline writes it: put "{key}" before "events", or give the file by its '
        "path (timeline.convert and the command then read it whole), or load it whole"
        for key in json.loads(text)
        if key != "events"
    ]


class _Unseekable(io.BytesIO):
    """A pipe's bytes."""

    def seekable(self) -> bool:
        return False


def test_an_optional_header_field_after_the_events_is_an_error_at_the_end(tmp_path):
    text = _document(GOOD)[:-2] + ',\n  "title": "late"\n}'
    path = tmp_path / "late.json"
    path.write_text(text, encoding="utf-8")
    assert timeline.load(path).title == "late"
    with timeline.read_events(path) as read:
        assert read.header.title == ""
        with pytest.raises(ValidationError) as info:
            list(read.events)
    assert [p.path for p in info.value.problems] == ["$.title"]
    assert "comes after" in str(info.value)


def test_convert_reads_a_path_with_a_header_field_after_the_events_whole(tmp_path):
    """The events given before the late field was found cannot be taken back
    by read_events, but convert can start again: it reads the file whole."""
    text = _document(GOOD)[:-2] + ',\n  "title": "late"\n}'
    path = tmp_path / "late.json"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        done = timeline.convert(path, [tmp_path / "out.json"])
    assert (done.events, done.streamed) == (1, True)
    assert (tmp_path / "out.json").read_text("utf-8") == timeline.dumps(timeline.load(path))
    assert timeline.load(tmp_path / "out.json").title == "late"
    with pytest.raises(ValidationError) as info:  # a stream cannot be read again
        timeline.convert(_Unseekable(text.encode()), [tmp_path / "again.json"], format="json")
    assert [p.path for p in info.value.problems] == ["$.title"]
    assert not (tmp_path / "again.json").exists()


def test_a_second_event_with_an_id_is_the_error_load_gives(tmp_path):
    path = tmp_path / "twice.json"
    path.write_text(_document(GOOD, {"title": "x", "start": "1"}, GOOD), encoding="utf-8")
    with pytest.raises(ValidationError) as loaded:
        timeline.load(path)
    expected = str(loaded.value)
    assert expected.endswith(
        "\n  $.events[2].id: duplicate id '2024-07-03-astana-summit' (also $.events[0]), "
        "derived from the start and the title; give the events ids of their own"
    )
    with pytest.raises(ValidationError) as converted:
        timeline.convert(path, [tmp_path / "out.json"])
    assert str(converted.value) == expected
    assert not (tmp_path / "out.json").exists()


def test_convert_streams_json_to_json_byte_for_byte(tmp_path):
    tl = synthetic_timeline(400, seed=9)
    source = tmp_path / "in.json"
    timeline.dump(tl, source, compact=True)
    done = timeline.convert(source, [tmp_path / "out.json"])
    assert (done.read, done.events, done.streamed, done.sorted) == (400, 400, True, False)
    assert (tmp_path / "out.json").read_text("utf-8") == _dumped(tl, compact=False)


def _peak(read: Any) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _beyond_the_ids(count: int, tmp_path: Path) -> int:
    """The peak of reading ``count`` events, less that of the table of their ids."""
    path = tmp_path / f"{count}.json"
    tl = synthetic_timeline(count, seed=1)
    timeline.dump(tl, path)
    ids = [event.id for event in tl.events]
    del tl

    def read() -> None:
        with timeline.read_events(path) as source:
            for _ in source.events:
                pass

    def table() -> None:
        seen = SeenIds(indexed=True)
        for index, event_id in enumerate(ids):
            seen.first(event_id, index)

    return _peak(read) - _peak(table)


def test_memory_does_not_grow_with_the_events_but_by_the_table_of_ids(tmp_path):
    small, large = _beyond_the_ids(2000, tmp_path), _beyond_the_ids(16000, tmp_path)
    assert large < 1.5 * small, (small, large)


def test_the_document_of_a_timeline_read_so_is_the_same(tmp_path):
    tl = timeline.example("sco")
    text = _dumped(tl, compact=False)
    source = IMPORTER.read_events(io.StringIO(text), {}, "<s>", chunk_size=3)
    read = Timeline(events=list(source.events), **{
        k: getattr(source.header, k)
        for k in ("title", "description", "url", "language", "translations")
    })  # fmt: skip
    assert timeline_to_dict(read) == timeline_to_dict(tl)


# -- writing event by event -----------------------------------------------------------------


def test_the_exporter_keeps_the_contract():
    check_exporter(get_exporter("json"))
    check_exporter(get_exporter("json"), timeline.example("sco"))


def _written_by_events(tl: Timeline, *, compact: bool) -> str:
    exporter = get_exporter("json")
    out = io.StringIO()
    writer = exporter.event_writer(_header(tl), out, exporter.resolve_options({"compact": compact}))
    assert writer is not None
    assert out.getvalue() == ""  # nothing when it is made
    for event in tl.events:
        writer.write(event)
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("name", TIMELINES)
def test_the_writer_writes_the_bytes_of_write(name, compact):
    tl = TIMELINES[name]()
    text = _written_by_events(tl, compact=compact)
    assert text == _dumped(tl, compact=compact)
    document = timeline_to_dict(tl)
    if compact:
        assert text.splitlines()[1:-1] == [
            json.dumps(e, ensure_ascii=False) + "," for e in document["events"][:-1]
        ] + [json.dumps(e, ensure_ascii=False) for e in document["events"][-1:]]
    else:
        assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_the_writer_writes_the_exact_text():
    tl = Timeline(title="T", events=[timeline.Event(title="a", start="2001")])
    assert _written_by_events(tl, compact=True) == (
        '{"format": "timeline-events", "version": 2, "language": "en", "title": "T", '
        '"events": [\n{"kind": "event", "id": "2001-a", "title": "a", "start": "2001"}\n]}\n'
    )
    assert _written_by_events(Timeline(), compact=True) == (
        '{"format": "timeline-events", "version": 2, "language": "en", "events": []}\n'
    )
    assert _written_by_events(Timeline(), compact=False) == (
        '{\n  "format": "timeline-events",\n  "version": 2,\n  "language": "en",\n'
        '  "events": []\n}\n'
    )


def _writer_peak(count: int, compact: bool = False) -> int:
    # The same 2,000 events again and again, under new ids, so that the texts
    # the writer keeps (of places and sources, bounded) are as many for any count.
    t = synthetic_timeline(2_000, seed=4)
    events = [attrs.evolve(e, id=f"{e.id}-{k}") for k in range(count // 2_000) for e in t.events]
    del t
    exporter = get_exporter("json")

    def write() -> None:
        writer = exporter.event_writer(Timeline(title="T"), _Sink(), {"compact": compact})
        assert writer is not None
        for event in events:
            writer.write(event)
        writer.close()

    write()  # what the events work out once for themselves, and the program's caches
    gc.collect()
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Sink(io.StringIO):
    """A stream that keeps only how much was written to it."""

    size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


@pytest.mark.parametrize("compact", [False, True])
def test_writing_holds_one_event_at_a_time(compact):
    small, large = _writer_peak(2000, compact), _writer_peak(8000, compact)
    assert large < 1.5 * small, (small, large)
