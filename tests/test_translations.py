"""Translated texts: the Translations type, the lookup events, places and
timelines share, which fields may be translated, and the errors."""

from __future__ import annotations

import pickle
from typing import ClassVar

import attrs
import pytest

import timeline
from timeline import Event, FieldError, Place, Summit, Timeline, Translations, validators
from timeline.model import label, translatable
from timeline.translations import lookup_chain, translatable_fields, translation_problems


class TestTranslations:
    def test_a_mapping_of_languages_in_order(self):
        t = Translations(
            {"zh-hans": {"title": "峰会"}, "ru": {"title": "Саммит", "notes": "Ночь."}}
        )
        assert t.languages == ("ru", "zh-Hans")
        assert list(t) == list(t.keys()) == ["ru", "zh-Hans"]
        assert len(t) == 2
        assert t
        assert not Translations()
        assert dict(t["ru"]) == {"notes": "Ночь.", "title": "Саммит"}
        assert t["ZH-HANS"] is t["zh-Hans"]
        assert "zh-hans" in t
        assert "zh" not in t
        assert 5 not in t
        with pytest.raises(KeyError):
            t["fr"]
        assert [language for language, _ in t.items()] == ["ru", "zh-Hans"]
        assert [dict(texts) for texts in t.values()][1] == {"title": "峰会"}

    def test_get_is_exact_and_lookup_takes_the_nearest(self):
        t = Translations({"zh": {"title": "中"}, "zh-Hant": {"title": "繁"}})
        assert t.get("zh-Hant", "title") == "繁"
        assert t.get("ZH-hant", "title") == "繁"
        assert t.get("zh-Hant-TW", "title") is None
        assert t.get("zh", "notes") is None
        assert t.lookup("zh-Hant-TW", "title") == "繁"
        assert t.lookup("zh-Hans-CN", "title") == "中"
        assert t.lookup("fr", "title") is None
        with pytest.raises(FieldError, match="'english' is not a BCP 47 language tag"):
            t.lookup("english", "title")
        with pytest.raises(FieldError, match="is not a BCP 47 language tag"):
            Translations().lookup("english", "title")

    def test_equal_by_value_and_hashable(self):
        a = Translations({"ru": {"title": "Аист", "notes": "Буря"}})
        b = Translations({"RU": {"notes": "Буря", "title": "Аист"}})
        assert a == b
        assert hash(a) == hash(b)
        assert a == {"ru": {"title": "Аист", "notes": "Буря"}}
        assert a != {"ru": {"title": "Аист"}}
        assert a != Translations({"ru": {"title": "Аист"}})
        assert a != "ru"
        assert len({a, b, Translations()}) == 2
        assert Translations(a) == a
        assert pickle.loads(pickle.dumps(a)) == a

    def test_immutable(self):
        t = Translations({"ru": {"title": "Аист"}})
        with pytest.raises(AttributeError):
            t.languages = ()  # type: ignore[misc]
        with pytest.raises(TypeError):
            t["ru"]["title"] = "Буря"  # type: ignore[index]

    def test_with_text_and_without(self):
        t = Translations({"ru": {"title": "Аист"}})
        more = t.with_text("ZH", "title", "甲").with_text("ru", "notes", "Буря")
        assert more == {"ru": {"title": "Аист", "notes": "Буря"}, "zh": {"title": "甲"}}
        assert t == {"ru": {"title": "Аист"}}  # unchanged
        assert more.without("RU") == {"zh": {"title": "甲"}}
        assert more.without("fr") == more

    def test_plain_dicts_in_a_given_order(self):
        t = Translations({"ru": {"notes": "Буря", "title": "Аист", "extra": "Весна"}})
        assert list(t.to_dict()["ru"]) == ["extra", "notes", "title"]
        assert list(t.to_dict(("title", "notes"))["ru"]) == ["title", "notes", "extra"]

    def test_repr(self):
        assert repr(Translations()) == "Translations()"
        assert (
            repr(Translations({"ru": {"title": "Аист"}}))
            == "Translations({'ru': {'title': 'Аист'}})"
        )

    def test_line_breaks_are_stored_as_newlines(self):
        t = Translations({"ru": {"notes": "a\r\nb\rc"}})
        assert t.get("ru", "notes") == "a\nb\nc"

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            (["ru"], "translations", "expected {language: {field: text}}, not an array"),
            ({"english": {"title": "x"}}, "translations.english",
             "'english' is not a BCP 47 language tag (such as en, ru, zh, zh-Hans, en-GB)"),
            ({5: {"title": "x"}}, "translations.5", "5 is not a BCP 47 language tag"),
            ({"ru": "x"}, "translations.ru", "expected {field: text}, not a string ('x')"),
            ({"ru": {}}, "translations.ru", "has no texts; leave the language out"),
            ({"ru": {"title": None}}, "translations.ru.title", "expected a string, not null"),
            ({"ru": {"title": " \t"}}, "translations.ru.title",
             "must not be empty; leave the translation out"),
            ({"ru": {"": "x"}}, "translations.ru", "'' is not the name of a field"),
            ({"ru": {"title": "a"}, "RU": {"title": "b"}}, "translations.RU",
             "the language ru is given twice ('ru' and 'RU')"),
        ],
    )  # fmt: skip
    def test_what_is_refused(self, data, field, message):
        with pytest.raises(FieldError) as info:
            Translations(data)
        assert info.value.field == field
        assert str(info.value).startswith(f"{field}: {message}")

    def test_every_problem_at_once(self):
        problems = translation_problems(
            {"ru": {"title": "", "start": "2001"}, "xx yy": {}, "fa": {"notes": "a"}}, Event
        )
        assert [str(p) for p in problems] == [
            "translations.ru.title: must not be empty; leave the translation out",
            "translations.ru.start: start cannot be translated; the fields that can be "
            "translated are title, description, notes",
            "translations.xx yy: 'xx yy' is not a BCP 47 language tag (such as en, ru, zh, "
            "zh-Hans, en-GB)",
        ]
        assert translation_problems(None) == []


class TestLookup:
    @pytest.mark.parametrize(
        ("tag", "chain"),
        [
            ("ru", ("ru",)),
            ("zh-hans-cn", ("zh-Hans-CN", "zh-Hans", "zh")),
            ("de-CH-1996", ("de-CH-1996", "de-CH", "de")),
            ("de-CH-x-phonebk", ("de-CH-x-phonebk", "de-CH", "de")),
            # English is written in Latin letters and, in some places CLDR
            # knows, in others: a translation keyed en-Latn serves it too.
            ("en-a-bb-x-cc", ("en-a-bb-x-cc", "en-a-bb", "en", "en-Latn")),
            # Never another script: zh is Han Simplified, zh-TW Traditional.
            ("zh", ("zh", "zh-Hans")),
            ("zh-TW", ("zh-TW", "zh-Hant")),
            ("sr-Latn", ("sr-Latn",)),
        ],
    )
    def test_the_lookup_chain_takes_subtags_off_the_end(self, tag, chain):
        assert lookup_chain(tag) == chain

    def test_the_lookup_chain_of_no_tag_is_an_error(self):
        with pytest.raises(FieldError) as info:
            lookup_chain("en_GB")
        assert info.value.field == "language"

    def test_events_places_and_timelines_look_up_alike(self):
        place = Place(name="Tashkent", translations={"ru": {"name": "Ташкент"}})
        event = Event(
            title="Summit",
            start="2004",
            notes="Notes.",
            place=place,
            translations={"ru": {"title": "Саммит"}, "zh-Hans": {"notes": "注释"}},
        )
        t = Timeline(title="SCO", translations={"zh": {"title": "上合"}}, events=[event])
        assert event.translated("title", "ru-RU") == "Саммит"
        assert event.translation("title", "ru-RU") == "Саммит"
        assert event.translated("notes", "ru") == "Notes."
        assert event.translation("notes", "ru") is None
        assert event.translated("notes", "zh-hans-cn") == "注释"
        assert event.translated("description", "ru") == ""
        assert place.translated("name", "RU") == "Ташкент"
        assert place.translated("name", "fr") == "Tashkent"
        assert t.translated("title", "zh-Hans-CN") == "上合"
        assert t.translated("description", "zh") == ""
        assert t.translation("title", "ru") is None

    def test_only_a_translatable_field_is_looked_up(self):
        event = Event(title="Summit", start="2004")
        with pytest.raises(FieldError) as info:
            event.translated("start", "ru")
        assert str(info.value) == (
            "start: not a translatable field (those are title, description, notes)"
        )
        with pytest.raises(FieldError, match="is not a BCP 47 language tag"):
            event.translated("title", "russian")


class TestFields:
    def test_which_fields_may_be_translated(self):
        assert translatable_fields(Event) == ("title", "description", "notes")
        assert translatable_fields(Summit) == ("title", "description", "notes")
        assert translatable_fields(Place) == ("name",)
        assert translatable_fields(Timeline) == ("title", "description")
        assert translatable() == {"translatable": True}

    def test_the_default_is_no_translations(self):
        event = Event(title="Summit", start="2004")
        assert event.translations == Translations()
        assert Place(name="x").translations == {}
        assert Timeline().translations == Translations()
        assert Event(title="S", start="2004", translations=None).translations == Translations()

    def test_a_translation_follows_the_rules_of_its_field(self):
        with pytest.raises(FieldError) as info:
            Event(title="Summit", start="2004", translations={"ru": {"title": "a\nb"}})
        assert (info.value.field, str(info.value)) == (
            "translations.ru.title",
            "translations.ru.title: must be one line",
        )
        with pytest.raises(FieldError, match=r"^translations\.ru\.title: is 1001 characters"):
            Event(title="Summit", start="2004", translations={"ru": {"title": "x" * 1001}})
        with pytest.raises(FieldError, match=r"^translations\.fa\.name: contains the control"):
            Place(name="x", translations={"fa": {"name": "a\x07"}})
        with pytest.raises(FieldError, match=r"^translations\.ru\.url: url cannot be translated"):
            Timeline(translations={"ru": {"url": "https://x.org"}})
        event = Event(title="S", start="2004", translations={"ru": {"description": "a\r\nb"}})
        assert event.translated("description", "ru") == "a\nb"

    def test_the_translations_must_be_translations(self):
        with pytest.raises(FieldError, match=r"^translations: expected \{language"):
            Event(title="S", start="2004", translations="ru")  # type: ignore[arg-type]

    def test_a_plugin_kind_marks_its_own_fields(self):
        @attrs.frozen(kw_only=True)
        class Treaty(Event):
            kind: ClassVar[str] = "treaty"
            name: str = attrs.field(
                validator=validators.required_line, metadata=label("Name") | translatable()
            )
            signatories: tuple[str, ...] = attrs.field(default=(), converter=tuple)

        treaty = Treaty(
            title="Treaty",
            start="2007-08-16",
            name="Treaty on Long-Term Good-Neighbourliness",
            translations={"ru": {"name": "Договор добрососедства", "title": "Договор"}},
        )
        assert treaty.translated("name", "ru") == "Договор добрососедства"
        assert translatable_fields(Treaty) == ("title", "description", "notes", "name")
        with pytest.raises(FieldError, match=r"^translations\.ru\.signatories: signatories cannot"):
            Treaty(title="T", start="2007", name="N", translations={"ru": {"signatories": "x"}})
        with pytest.raises(FieldError, match=r"^translations\.ru\.name: must not be empty"):
            Treaty(title="T", start="2007", name="N", translations={"ru": {"name": ""}})


class TestTimelineLanguage:
    def test_the_original_language(self):
        assert Timeline().language == "en"
        assert Timeline(language="ZH-hans").language == "zh-Hans"
        with pytest.raises(FieldError) as info:
            Timeline(language="english")
        assert (info.value.field, str(info.value)) == (
            "language",
            "language: 'english' is not a BCP 47 language tag (such as en, ru, zh, zh-Hans, en-GB)",
        )

    def test_no_translation_in_the_original_language(self):
        original = (
            "ru is the timeline's own language, which the original texts are in; "
            "a translation is in another language"
        )
        event = Event(
            id="e", title="Саммит", start="2004", translations={"RU": {"title": "Саммит"}}
        )
        with pytest.raises(FieldError) as info:
            Timeline(language="ru", events=[event])
        assert str(info.value) == f"events: event 'e': translations.ru: {original}"
        placed = Event(
            id="p",
            title="S",
            start="2004",
            place=Place(name="x", translations={"ru": {"name": "y"}}),
        )
        with pytest.raises(FieldError) as info:
            Timeline(language="ru", events=[placed])
        assert str(info.value) == f"events: event 'p': place.translations.ru: {original}"
        with pytest.raises(FieldError) as info:
            Timeline(language="ru", translations={"ru": {"title": "x"}})
        assert info.value.field == "translations.ru"
        # A translation in a tag of the same language is another language.
        assert Timeline(
            language="en", events=[attrs.evolve(event, translations={"en-GB": {"title": "x"}})]
        )

    def test_queries_keep_the_language_and_translations(self):
        t = Timeline(
            title="SCO",
            language="en-GB",
            translations={"ru": {"title": "ШОС"}},
            events=[Event(title="A", start="2001"), Event(title="B", start="2002")],
        )
        for query in (
            t.between("2002"),
            t.filter(lambda e: True),
            t.with_events([]),
            t.of_kind("event"),
            t.merge(Timeline(language="en-gb")),
        ):
            assert (query.language, query.translations) == ("en-GB", t.translations)

    def test_a_merge_needs_one_original_language(self):
        with pytest.raises(timeline.QueryError) as info:
            Timeline().merge(Timeline(language="ru"))
        assert str(info.value) == (
            "merge: the original texts are in en here and in ru there; a timeline has one "
            "original language"
        )

    def test_json_round_trip(self):
        t = Timeline(
            title="ШОС",
            language="ru",
            translations={"en": {"title": "SCO"}},
            events=[Event(title="Саммит", start="2004", translations={"zh": {"title": "峰会"}})],
        )
        assert timeline.loads(timeline.dumps(t)) == t


# -- the texts of an export in a reader's language (TextsIn) ------------------------------------

from timeline.translations import TextsIn  # noqa: E402


def test_an_export_counts_each_text_left_in_the_original_once():
    """A title written twice (in a diagram, then in the list) is one text."""
    t = Timeline(title="Summits", events=[
        Event(id="a", title="Astana", start="2024-07-03", translations={"ru": {"title": "Астана"}}),
        Event(id="q", title="Qingdao", start="2018-06-09"),
    ])  # fmt: skip
    texts = TextsIn(t.language, "ru")
    for _ in range(2):
        assert [texts.text(e, "title") for e in t.events] == ["Qingdao", "Астана"]
        assert texts.text(t, "title") == "Summits"
    assert texts.warning() == ("2 texts have no Russian translation and are in English (title 2)")
    assert [texts.language_of(e, "title") for e in t.events] == ["en", "ru"]


def test_an_export_written_event_by_event_forgets_what_it_counted():
    """After forget(), the counts stay and a text given again counts again:
    what is held does not grow with the events."""
    t = Timeline(title="Summits", events=[Event(id="q", title="Qingdao", start="2018-06-09")])
    texts = TextsIn(t.language, "ru")
    texts.text(t.events[0], "title")
    texts.text(t.events[0], "title")
    texts.forget()
    assert texts.warning() == "1 text has no Russian translation and is in English (title 1)"
    texts.text(t.events[0], "title")
    assert texts.warning() == "2 texts have no Russian translation and are in English (title 2)"


def test_a_reader_of_the_original_language_needs_no_translation():
    assert not TextsIn("en-GB", "en").active
    assert not TextsIn("en", "en-GB").active
    assert not TextsIn("zh", "zh-Hans-CN").active
    assert TextsIn("zh", "zh-TW").active  # Traditional characters: another script
    assert TextsIn("en", None).active is False


def test_a_reader_is_never_given_another_script():
    t = Event(id="e", title="SCO", start="2001-06-15",
              translations={"zh": {"title": "上合组织"}, "zh-Hant": {"title": "上合組織"}})  # fmt: skip
    assert [t.translated("title", tag) for tag in ("zh", "zh-CN", "zh-TW", "zh-Hant-HK")] == [
        "上合组织", "上合组织", "上合組織", "上合組織"
    ]  # fmt: skip
    only_simplified = Event(id="s", title="SCO", start="2001-06-15",
                            translations={"zh": {"title": "上合组织"}})  # fmt: skip
    assert only_simplified.translated("title", "zh-TW") == "SCO"  # the original, not Simplified
