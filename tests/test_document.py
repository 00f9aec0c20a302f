"""The canonical document (timeline.document): events and timelines to and
from plain data, the path of every problem, and the generated code under it
(timeline.structuring), which tracebacks and ``inspect`` can show."""

from __future__ import annotations

import doctest
import inspect
import json
import traceback
from typing import Any

import attrs
import pytest

import timeline
from timeline import Date, Event, Summit, Timeline, ValidationError
from timeline.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
    event_from_dict,
    event_reader,
    events_from_dicts,
    events_to_dicts,
    timeline_from_dict,
    timeline_header,
    timeline_to_dict,
)
from timeline.structuring import Converter, converter
from timeline.testing import sample_timeline


def _doc(*events: Any, **header: Any) -> dict[str, Any]:
    return {"format": "timeline-events", "version": 1, **header, "events": list(events)}


class TestEvents:
    def test_an_event_and_back(self):
        data = {"kind": "summit", "title": "Astana summit", "start": "2024-07-03",
                "organisation": "SCO", "host": "KZ"}  # fmt: skip
        event = event_from_dict(data)
        assert event == Summit(title="Astana summit", start="2024-07-03", organisation="SCO",
                               host="KZ")  # fmt: skip
        assert timeline.event_to_dict(event) == {"kind": "summit", "id": event.id, **data}
        assert list(events_to_dicts([event, event])) == [timeline.event_to_dict(event)] * 2

    def test_problems_are_below_the_path_given(self):
        with pytest.raises(ValidationError) as info:
            event_from_dict({"title": "", "start": 5}, "row 3")
        assert [str(p) for p in info.value.problems] == [
            "row 3.start: expected a date string, not a number (5)",
            "row 3.title: must not be empty",
        ]

    def test_free_text_dates_only_when_asked(self):
        data = {"title": "x", "start": "15 June 2001"}
        with pytest.raises(
            ValidationError, match=r"^\$\.start: cannot read date .15 June 2001.: not an EDTF"
        ):
            event_from_dict(data)
        assert event_from_dict(data, free_text_dates=True).start == Date(2001, 6, 15)
        assert event_reader(free_text_dates=True)(data, "$").start == Date(2001, 6, 15)

    def test_a_reader_reports_each_record_at_its_path(self):
        read = event_reader()
        assert read({"title": "x", "start": "2001"}, "$") == Event(title="x", start="2001")
        with pytest.raises(ValidationError) as info:
            read({"title": "x"}, "line 7")
        assert [str(p) for p in info.value.problems] == ["line 7.start: required field missing"]

    def test_many_events_with_every_problem_at_its_index(self):
        good = {"title": "a", "start": "2001"}
        assert events_from_dicts([good, good]) == [Event(title="a", start="2001")] * 2
        with pytest.raises(ValidationError) as info:
            events_from_dicts([good, 5, {"kind": "comet"}, {"start": "x", "title": "b"}])
        assert [str(p) for p in info.value.problems] == [
            "$[1]: expected an object, not a number (5)",
            "$[2].kind: unknown kind 'comet'; known kinds are accession, event, founding, "
            "summit (a plugin may add others)",
            "$[3].start: cannot read date 'x': not an EDTF/ISO 8601 date such as 2001-06-15, "
            "2001-06 or 2001",
        ]


class TestTimelines:
    def test_header_and_document(self):
        t = Timeline(events=[Event(title="a", start="2001")], title="T", url="https://x.org")
        assert timeline_header(t) == {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                                      "language": "en", "title": "T",
                                      "url": "https://x.org"}  # fmt: skip
        doc = timeline_to_dict(t)
        assert doc == {**timeline_header(t), "events": [timeline.event_to_dict(t.events[0])]}
        assert timeline_from_dict(doc) == t

    def test_every_problem_with_its_path(self):
        events = [
            {"title": "", "start": "2001-13", "end": 5, "colour": 1},
            {"kind": "comet", "title": "x", "start": "2001"},
            {
                "kind": "summit",
                "title": "x",
                "start": "2001",
                "format": "zoom",
                "organisation": "",
                "place": {"name": "a", "latitude": 91, "longitude": 0},
            },
            5,
            {"title": "a", "start": "2002", "end": "2001"},
            {"start": "2002", "tags": [1]},
            {"id": "dup", "title": "a", "start": "2002"},
            {"id": "dup", "title": "b", "start": "2003"},
        ]
        with pytest.raises(ValidationError) as info:
            timeline_from_dict(_doc(*events), "<string>")
        assert [str(p) for p in info.value.problems] == [
            "$.events[0].start: cannot read date '2001-13': month 13 is out of range 1..12",
            "$.events[0].end: expected a date string, not a number (5)",
            "$.events[0].colour: unknown field",
            "$.events[0].title: must not be empty",
            "$.events[1].kind: unknown kind 'comet'; known kinds are accession, event, "
            "founding, summit (a plugin may add others)",
            "$.events[2].place.latitude: 91.0 is out of range -90..90",
            "$.events[2].organisation: must not be empty",
            "$.events[2].format: 'zoom' is not one of 'in-person', 'virtual', 'hybrid'",
            "$.events[3]: expected an object, not a number (5)",
            "$.events[4].end: 2001 is before the start 2002",
            "$.events[5].title: required field missing",
            "$.events[5].tags[0]: expected a string, not a number (1)",
            "$.events[7].id: duplicate id 'dup' (also $.events[6])",
        ]
        assert str(info.value).startswith("<string>: 13 problems\n  $.events[0].start")

    @pytest.mark.parametrize(
        ("doc", "problem"),
        [
            ([], "$: expected an object, not an array"),
            ({"version": 1}, '$.format: required field missing; a document starts with "format": "timeline-events"'),
            ({"format": "other", "version": 1}, "$.format: expected 'timeline-events', not 'other'"),
            ({"format": "timeline-events"}, '$.version: required field missing; a document has "version": 2'),
            ({"format": "timeline-events", "version": 3}, "$.version: version 3 is newer than this library reads (2); upgrade timeline-events"),
            ({"format": "timeline-events", "version": "1"}, '$.version: expected the integer 1 or 2, not "1"'),
            ({"format": "timeline-events", "version": True}, "$.version: expected the integer 1 or 2, not true"),
            ({"format": "timeline-events", "version": 0}, "$.version: expected the integer 1 or 2, not 0"),
            ({"format": "timeline-events", "version": 1, "language": "ru"}, '$.language: needs version 2 of the document ("version": 2)'),
            ({"format": "timeline-events", "version": 1, "translations": {}}, '$.translations: needs version 2 of the document ("version": 2)'),
            ({"format": "timeline-events", "version": 2, "language": "english"}, "$.language: 'english' is not a BCP 47 language tag (such as en, ru, zh, zh-Hans, en-GB)"),
            ({"format": "timeline-events", "version": 2, "language": 5}, "$.language: expected a string, not a number (5)"),
            ({"format": "timeline-events", "version": 2, "translations": []}, "$.translations: expected {language: {field: text}}, not an array"),
            ({"format": "timeline-events", "version": 2, "translations": {"ru": {"url": "x"}}}, "$.translations.ru.url: url cannot be translated; the fields that can be translated are title, description"),
            ({"format": "timeline-events", "version": 2, "translations": {"en": {"title": "x"}}}, "$.translations.en: en is the timeline's own language, which the original texts are in; a translation is in another language"),
            ({"format": "timeline-events", "version": 1, "extra": 1}, "$.extra: unknown field"),
            ({"format": "timeline-events", "version": 1, "events": {}}, "$.events: expected an array, not an object"),
            ({"format": "timeline-events", "version": 1, "title": 5}, "$.title: expected a string, not a number (5)"),
            ({"format": "timeline-events", "version": 1, "url": "x y"}, "$.url: 'x y' is not an absolute URL"),
            (_doc({"title": "a", "start": "2001"}, {"title": "a", "start": "2001"}),
             "$.events[1].id: duplicate id '2001-a' (also $.events[0]), derived from the start "
             "and the title; give the events ids of their own"),
        ],
    )  # fmt: skip
    def test_document_problems(self, doc, problem):
        with pytest.raises(ValidationError) as info:
            timeline_from_dict(doc)
        assert [str(p) for p in info.value.problems] == [problem]

    def test_version_1_is_read_as_english_without_translations(self):
        doc = _doc({"title": "a", "start": "2001"}, title="T")
        t = timeline_from_dict(doc)
        assert (t.language, t.translations, t.title) == ("en", timeline.Translations(), "T")
        header = {"format": "timeline-events", "version": 2, "language": "en", "title": "T"}
        assert timeline_header(t) == header

    def test_a_version_1_document_with_translations_needs_version_2(self):
        doc = _doc(
            {"title": "a", "start": "2001", "translations": {"ru": {"title": "Саммит"}}},
            {"title": "b", "start": "2001-13", "place": {"name": "x", "translations": {}}},
            language="ru",
        )
        with pytest.raises(ValidationError) as info:
            timeline_from_dict(doc)
        needs = 'needs version 2 of the document ("version": 2)'
        assert [str(p) for p in info.value.problems] == [
            f"$.language: {needs}",
            f"$.events[0].translations: {needs}",
            f"$.events[1].place.translations: {needs}",
            "$.events[1].start: cannot read date '2001-13': month 13 is out of range 1..12",
        ]

    def test_translations_and_back(self):
        doc = {
            "format": "timeline-events",
            "version": 2,
            "language": "en",
            "title": "SCO",
            "translations": {"ru": {"title": "ШОС"}, "zh-Hans": {"title": "上合组织"}},
            "events": [
                {
                    "kind": "summit",
                    "id": "tashkent",
                    "title": "Tashkent summit",
                    "start": "2004-06-17",
                    "place": {"name": "Tashkent", "translations": {"ru": {"name": "Ташкент"}}},
                    "notes": "Notes.",
                    "organisation": "SCO",
                    "translations": {"ru": {"title": "Саммит в Ташкенте", "notes": "Примечания."}},
                }
            ],
        }
        t = timeline_from_dict(doc)
        event = t["tashkent"]
        assert event.translated("title", "ru-RU") == "Саммит в Ташкенте"
        assert event.place is not None
        assert event.place.translated("name", "ru") == "Ташкент"
        assert t.translated("title", "zh-hans-cn") == "上合组织"
        assert timeline_to_dict(t) == doc

    def test_tags_are_read_in_any_case_and_written_in_their_own(self):
        doc = _doc({"title": "a", "start": "2001", "translations": {"ZH-hant": {"title": "甲"}}})
        doc["version"] = 2
        t = timeline_from_dict(doc)
        assert timeline_to_dict(t)["events"][0]["translations"] == {"zh-Hant": {"title": "甲"}}

    def test_every_problem_of_translations_with_its_path(self):
        events = [
            {
                "title": "a",
                "start": "2001-13",
                "translations": {
                    "ru": {"title": "two\nlines", "start": "2001", "notes": ""},
                    "not a tag": {"title": "x"},
                    "zh": {},
                    "fa": {"colour": "x", "description": 5},
                    "RU": {"title": "again"},
                    "EN": {"title": "original"},
                },
                "place": {"name": "x", "translations": {"ru": {"name": " "}, "en": {"name": "y"}}},
            },
            {"kind": "summit", "title": "b", "start": "2002", "organisation": "SCO",
             "translations": {"ru": {"organisation": "ШОС"}}},
            {"kind": "comet", "title": "c", "start": "2003", "translations": "ru"},
        ]  # fmt: skip
        with pytest.raises(ValidationError) as info:
            timeline_from_dict({**_doc(*events), "version": 2})
        original = (
            "en is the timeline's own language, which the original texts are in; "
            "a translation is in another language"
        )
        assert [str(p) for p in info.value.problems] == [
            "$.events[0].start: cannot read date '2001-13': month 13 is out of range 1..12",
            "$.events[0].place.translations.ru.name: must not be empty; leave the translation out",
            "$.events[0].translations.ru.title: must be one line",
            "$.events[0].translations.ru.start: start cannot be translated; the fields that "
            "can be translated are title, description, notes",
            "$.events[0].translations.ru.notes: must not be empty; leave the translation out",
            "$.events[0].translations.not a tag: 'not a tag' is not a BCP 47 language tag "
            "(such as en, ru, zh, zh-Hans, en-GB)",
            "$.events[0].translations.zh: has no texts; leave the language out",
            "$.events[0].translations.fa.colour: there is no field colour; the fields that can "
            "be translated are title, description, notes",
            "$.events[0].translations.fa.description: expected a string, not a number (5)",
            "$.events[0].translations.RU: the language ru is given twice ('ru' and 'RU')",
            "$.events[1].translations.ru.organisation: organisation cannot be translated; the "
            "fields that can be translated are title, description, notes",
            "$.events[2].kind: unknown kind 'comet'; known kinds are accession, event, "
            "founding, summit (a plugin may add others)",
            "$.events[2].translations: expected {language: {field: text}}, not a string ('ru')",
            f"$.events[0].translations.EN: {original}",
            f"$.events[0].place.translations.en: {original}",
        ]

    def test_reading_does_not_change_the_input(self):
        doc = json.loads(timeline.dumps(sample_timeline()))
        before = json.dumps(doc)
        timeline_from_dict(doc)
        assert json.dumps(doc) == before


def _generated_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith("<timeline generated ")
    ]


class TestGeneratedCode:
    """The structure and unstructure functions are generated (as cattrs and
    attrs do) and their source is in ``linecache``, as attrs puts it."""

    def test_a_traceback_through_a_structure_function_shows_its_line(self):
        with pytest.raises(timeline.FieldError) as info:
            converter().structure_fast(Event, {"title": "", "start": "2001"})
        [frame] = _generated_frames(info.value)
        assert frame.filename == "<timeline generated structure timeline.model.Event>"
        assert frame.line == "return _cls(**d)"
        text = "".join(traceback.format_exception(info.value))
        assert 'File "<timeline generated structure timeline.model.Event>", line' in text
        assert "    return _cls(**d)\n" in text

    def test_a_traceback_through_an_unstructure_function_shows_its_line(self):
        event = Event(title="a", start="2001")
        object.__setattr__(event, "start", 5)  # what no checked event can hold
        with pytest.raises(AttributeError) as info:
            converter().unstructure(event)
        [frame] = _generated_frames(info.value)
        assert frame.filename == "<timeline generated unstructure timeline.model.Event>"
        assert frame.line is not None
        assert frame.line.endswith(".isoformat()")

    def test_inspect_shows_the_source(self):
        with pytest.raises(timeline.FieldError) as info:
            converter().structure_fast(Event, {"title": "", "start": "2001"})
        tb = info.value.__traceback__
        while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<timeline"):
            tb = tb.tb_next
        assert tb is not None
        source = inspect.getsource(tb.tb_frame.f_code)
        assert source.startswith("def structure(d):\n    if not d.keys() <= _known:\n")
        assert source.endswith("    return _cls(**d)\n")

    def test_two_classes_of_one_name_get_a_file_each(self):
        """A plugin may reload its kinds, or two may share a module and name:
        each generated function keeps its own source."""
        sources = {}
        for field in ("words", "pages"):
            cls = _note_kind(field)
            with pytest.raises(ValueError, match="'unknown'") as info:
                Converter({"note": cls}).structure_fast(cls, {"title": "a", "unknown": 1})
            [frame] = _generated_frames(info.value)
            tb = info.value.__traceback__
            while tb.tb_frame.f_code.co_filename != frame.filename:
                tb = tb.tb_next
            sources[frame.filename] = inspect.getsource(tb.tb_frame.f_code)
        name = f"<timeline generated structure {__name__}.Note"
        assert list(sources) == [f"{name}>", f"{name}-2>"]
        assert ["'words'" in s and "'pages'" not in s for s in sources.values()] == [True, False]
        assert ["'pages'" in s for s in sources.values()] == [False, True]


def _note_kind(field: str) -> type[Event]:
    """A kind ``note`` of the module and name of every other one made here."""
    cls = attrs.make_class(
        "Note",
        {field: attrs.field(default=0, type=int)},
        bases=(Event,),
        frozen=True,
        kw_only=True,
    )
    cls.kind = "note"
    return cls


def test_the_docstring_examples_run():
    import timeline.document

    result = doctest.testmod(timeline.document)
    assert (result.attempted, result.failed) == (2, 0)


def test_a_document_read_one_event_at_a_time_has_the_problems_of_the_whole():
    from timeline.document import DocumentReader

    doc = {
        "format": "timeline-events", "version": 1, "language": "en", "colour": 1,
        "events": [{"title": "a", "start": "2001", "translations": {"ru": {"title": "x"}}},
                   {"title": "", "start": "2001"}, {"title": "a", "start": "2001"}, 5],
    }  # fmt: skip
    with pytest.raises(ValidationError) as whole:
        timeline_from_dict(doc)
    reader = DocumentReader({k: v for k, v in doc.items() if k != "events"})
    assert reader.header() is None  # the unknown field
    for index, raw in enumerate(doc["events"]):
        reader.event(raw, index)
    assert str(reader.error()) == str(whole.value)
    assert [p.path for p in whole.value.problems] == [
        "$.language",
        "$.colour",
        "$.events[0].translations",
        "$.events[1].title",
        "$.events[2].id",
        "$.events[3]",
    ]
    good = DocumentReader({"format": "timeline-events", "version": 2, "title": "T"})
    assert good.header() == Timeline(title="T")
    assert good.event({"title": "a", "start": "2001"}, 0) == Event(title="a", start="2001")
    assert good.ok
