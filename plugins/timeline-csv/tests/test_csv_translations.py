"""Translations in CSV: a column per translated field and language
(``title@ru``, ``place_name@ru``), read and written; the language of the
texts is the importer's ``language`` option."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import ClassVar

import attrs
import pytest
import timeline
from timeline import Event, Place, Timeline, validators
from timeline.model import label, translatable
from timeline.testing import register_plugin

from timeline_csv import COLUMNS, TRANSLATED_COLUMNS

ToCSV = Callable[..., str]

TASHKENT = Place(
    name="Tashkent",
    country="UZ",
    translations={"ru": {"name": "Ташкент"}, "zh": {"name": "塔什干"}},
)
TRANSLATED = Timeline(
    events=[
        Event(
            id="tashkent",
            title="Tashkent summit",
            start="2004-06-17",
            place=TASHKENT,
            description="Fourth summit.",
            notes="RATS launched.",
            translations={
                "ru": {"title": "Саммит в Ташкенте", "notes": "Запущена РАТС.\nВторая строка."},
                "zh": {"title": "塔什干峰会"},
                "de-CH-1996": {"description": "Viertes Gipfeltreffen."},
            },
        ),
        Event(id="plain", title="Without translations", start="2005"),
    ]
)


def header(text: str) -> list[str]:
    return text.split("\r\n", 1)[0].split(",")[len(COLUMNS) :]


def problems(text: str, **options: object) -> list[tuple[str, str]]:
    with pytest.raises(timeline.ValidationError) as caught:
        timeline.loads(text, "csv", **options)
    return [(p.path, p.message) for p in caught.value.problems]


def test_a_column_per_translated_field_and_language(to_csv: ToCSV) -> None:
    text = to_csv(TRANSLATED)
    assert header(text) == [
        "description@de-CH-1996",
        "title@ru",
        "place_name@ru",
        "notes@ru",
        "title@zh",
        "place_name@zh",
    ]
    assert text.split("\r\n")[1].endswith(
        ',Viertes Gipfeltreffen.,Саммит в Ташкенте,Ташкент,"Запущена РАТС.\nВторая строка.",'
        "塔什干峰会,塔什干"
    )
    assert text.split("\r\n")[2].endswith(",,,,,,")
    again = timeline.loads(text, "csv")
    assert again == TRANSLATED
    assert to_csv(again) == text


def test_no_translations_no_columns(to_csv: ToCSV) -> None:
    assert header(to_csv(Timeline(events=[Event(title="A", start="2001")]))) == []
    assert TRANSLATED_COLUMNS == ("title", "place_name", "description", "notes")


def test_a_spreadsheet_columns_in_any_order_and_tags_in_any_case(to_csv: ToCSV) -> None:
    text = "TITLE@ru,title,start,place_name@ZH-hans,place_name\r\nx,Summit,2004,塔什干,Tashkent\r\n"
    assert problems(text)[0] == (
        "row 1, column 'TITLE@ru'",
        "the column 'TITLE' cannot be translated; the columns that can are title, place_name, "
        "description, notes (with @ and a language tag, such as title@ru)",
    )
    t = timeline.loads(text.replace("TITLE@ru", "title@RU"), "csv")
    (event,) = t
    assert event.translations == {"ru": {"title": "x"}}
    assert event.place is not None
    assert event.place.translations == {"zh-Hans": {"name": "塔什干"}}
    assert header(to_csv(t)) == ["title@ru", "place_name@zh-Hans"]


def test_what_the_header_cannot_hold() -> None:
    text = (
        "title,start,start@ru,titel@ru,title@english,title@ru,title@RU,title@en,"
        "organisation@ru\r\n"
        "A,2001,,,,,,,\r\n"
    )
    assert problems(text) == [
        ("row 1, column 'start@ru'",
         "the column 'start' cannot be translated; the columns that can are title, place_name, "
         "description, notes (with @ and a language tag, such as title@ru)"),
        ("row 1, column 'titel@ru'",
         "the column 'titel' cannot be translated; the columns that can are title, place_name, "
         "description, notes (with @ and a language tag, such as title@ru)"),
        ("row 1, column 'title@english'",
         "after @, 'english' is not a BCP 47 language tag (such as en, ru, zh, zh-Hans, en-GB)"),
        ("row 1, column 'title@RU'", "appears twice (columns 6 and 7)"),
        ("row 1, column 'title@en'",
         "en is the language of the texts themselves (the option language, en unless given); "
         "a translation is in another language"),
        ("row 1, column 'organisation@ru'",
         "the column 'organisation' cannot be translated; the columns that can are title, "
         "place_name, description, notes (with @ and a language tag, such as title@ru)"),
    ]  # fmt: skip


def test_each_bad_translation_by_row_and_column() -> None:
    text = (
        "title,start,place_name,title@ru,place_name@ru,notes@zh\r\n"
        'A,2001,Tashkent,"two\nlines",Ташкент,Fine\r\n'
        "B,2002,,Б,Ташкент,\r\n"
        "C,2003,Tashkent,,\x07,\r\n"
    )
    assert problems(text) == [
        ("row 2, column 'title@ru'", "must be one line"),
        ("row 3, column 'place_name'", "required, but the cell is empty"),
        ("row 4, column 'place_name@ru'", "contains the control character U+0007 at position 0"),
    ]


def test_the_language_of_the_texts_is_an_option(to_csv: ToCSV) -> None:
    text = "title,start,title@en\r\nСаммит,2004,Summit\r\n"
    t = timeline.loads(text, "csv", language="RU")
    assert t.language == "ru"
    assert t.events[0].translated("title", "en-GB") == "Summit"
    with pytest.warns(timeline.ExportWarning) as caught:
        again = timeline.dumps(t, "csv")
    assert [str(w.message) for w in caught] == [
        "the texts are in ru, which CSV does not say; read the file with language='ru'"
    ]
    assert timeline.loads(again, "csv", language="ru") == t
    assert problems(again) == [
        ("row 1, column 'title@en'",
         "en is the language of the texts themselves (the option language, en unless given); "
         "a translation is in another language"),
    ]  # fmt: skip
    with pytest.raises(timeline.OptionError) as info:
        timeline.loads(text, "csv", language="russian")
    assert str(info.value) == (
        "option 'language': 'russian' is not a BCP 47 language tag "
        "(such as en, ru, zh, zh-Hans, en-GB)"
    )


def test_the_translations_of_the_timeline_are_left_out_with_a_warning() -> None:
    t = Timeline(translations={"ru": {"title": "ШОС"}}, events=[Event(title="A", start="2001")])
    with pytest.warns(timeline.ExportWarning, match="the timeline's translations is left out"):
        timeline.dumps(t, "csv")


def test_a_translation_that_looks_like_a_formula_is_escaped_and_read_back(to_csv: ToCSV) -> None:
    t = Timeline(
        events=[Event(id="f", title="F", start="2001", translations={"ru": {"title": "=1+1"}})]
    )
    text = to_csv(t)
    assert text.split("\r\n")[1].endswith(",'=1+1")
    assert timeline.loads(text, "csv") == t


@attrs.frozen(kw_only=True)
class Treaty(Event):
    """A kind with a translatable attribute of its own."""

    kind: ClassVar[str] = "treaty"

    name: str = attrs.field(
        validator=validators.required_line, metadata=label("Name") | translatable()
    )


class TreatyPlugin:
    @timeline.hookimpl
    def register_kinds(self, register: Callable[[type[Event]], None]) -> None:
        register(Treaty)


def test_a_kind_translates_its_own_attribute(to_csv: ToCSV) -> None:
    treaty = Treaty(
        id="t",
        title="Treaty",
        start="2007-08-16",
        name="Treaty on Good-Neighbourliness",
        translations={"ru": {"name": "Договор о добрососедстве", "title": "Договор"}},
    )
    with register_plugin(TreatyPlugin(), name="treaty-kind"):
        text = to_csv(Timeline(events=[treaty]))
        assert header(text) == ["name", "title@ru", "name@ru"]
        assert timeline.loads(text, "csv")["t"] == treaty
        bad = "kind,title,start,name,name@ru\r\nevent,A,2001,,Имя\r\n"
        assert problems(bad) == [
            ("row 2, column 'name@ru'",
             "there is no field name; the fields that can be translated are title, "
             "description, notes"),
        ]  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert problems(text)[0][0] == "row 1, column 'name'"
