"""The reader's language: locale tags and the message catalogues (docs/languages.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

import timeline
from timeline.errors import OptionError
from timeline.locales import CATALOGUE, LocaleError, canonical_tag, cldr_locale, direction
from timeline.testing import catalogue_problems

PACKAGE = Path(timeline.__file__).parent
FOLDER = PACKAGE / "catalogues"
CATALOGUES = sorted(FOLDER.glob("*/LC_MESSAGES/timeline.po"))


def test_the_catalogues_translate_every_message_and_are_compiled():
    """Fails when a message is added to the code and not to a catalogue (or
    left untranslated, or fuzzy), when a catalogue keeps a message the code
    dropped, when a ``.mo`` file is not what compiling its ``.po`` gives and
    when the template is behind the code (docs/languages.md, "Adding a message")."""
    assert catalogue_problems(FOLDER, "timeline", PACKAGE) == []


def test_the_catalogues_are_persian_russian_and_chinese():
    assert [path.parent.parent.name for path in CATALOGUES] == ["fa", "ru", "zh_Hans"]


def test_the_check_of_catalogues_names_what_is_wrong(tmp_path):
    """``timeline.testing.catalogue_problems``, which plugins use for their own."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    code = tmp_path / "code"
    code.mkdir()
    (code / "labels.py").write_text(
        "from timeline.locales import N_, NP_\n"
        'LABELS = (N_("When"), N_("Where"), NP_("{n} event", "{n} events"))\n'
    )
    folder = tmp_path / "translations"
    po = folder / "ru" / "LC_MESSAGES" / "mine.po"
    po.parent.mkdir(parents=True)
    catalogue = Catalog(locale="ru", domain="mine")
    catalogue.add("When", "Когда")
    catalogue.add(("{n} event", "{n} events"), ("{n} событие", "{n} события"))
    catalogue.add("Gone", "Ушло")
    catalogue.add("Where", "Где", flags=["fuzzy"])
    with po.open("wb") as file:
        write_po(file, catalogue)
    with po.with_suffix(".mo").open("wb") as file:
        write_mo(file, Catalog(locale="ru", domain="mine"))
    assert catalogue_problems(folder, "mine", code) == [
        "no template mine.pot",
        "ru: 'Gone' is not in the code",
        "ru: ('{n} event', '{n} events') is not translated",  # its third form
        "ru: 'Where' is fuzzy",
        "ru: mine.mo is not mine.po compiled (pybabel compile)",
    ]


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [("ru", "ru"), ("zh-Hans", "zh-Hans"), ("zh_hans", "zh-Hans"), ("en-gb", "en-GB"),
     ("fa", "fa"), ("pt-BR", "pt-BR"), (" de ", "de"), ("rus", "ru-RU")],
)  # fmt: skip
def test_tags_are_written_the_one_way(tag, canonical):
    assert canonical_tag(tag) == canonical


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("ru-XX", "unknown locale 'ru-XX'; did you mean ru-UA, ru-RU, ru-MD or ru-KZ?"),
        # Babel would read these as another script (ru, zh-Hans): refused.
        ("ru-Latn", "unknown locale 'ru-Latn'; did you mean uz-Latn, su-Latn, sr-Latn or ku-Latn?"),
        ("english", "unknown locale 'english': give a BCP 47 tag such as en, en-GB, ru, "
                    "zh-Hans or fa"),
        ("", "unknown locale '': give a BCP 47 tag such as en, en-GB, ru, zh-Hans or fa"),
        ("zh-Hanz", "unknown locale 'zh-Hanz'; did you mean zh-Hant, zh-Hans, zh-Latn or zh-Hant-TW?"),
    ],
)  # fmt: skip
def test_an_unknown_locale_names_close_matches(tag, message):
    with pytest.raises(LocaleError) as caught:
        cldr_locale(tag)
    assert str(caught.value) == message
    assert isinstance(caught.value, OptionError)


def test_the_locale_option_of_an_exporter_checks_and_writes_the_tag():
    exporter = timeline.registry.get_exporter("markdown")
    assert exporter.resolve_options({"locale": "zh_hans"})["locale"] == "zh-Hans"
    with pytest.raises(LocaleError, match=r"^option 'locale': unknown locale 'klingon'"):
        exporter.resolve_options({"locale": "klingon"})


def test_right_to_left_locales():
    assert [direction(tag) for tag in ("fa", "ur", "ar", "he", "ru", "zh")] == [
        "rtl", "rtl", "rtl", "rtl", "ltr", "ltr"
    ]  # fmt: skip


def test_a_locale_without_a_catalogue_has_the_english_messages():
    assert CATALOGUE.gettext("de")("Place") == "Place"
    assert CATALOGUE.gettext("zh-Hant")("Place") == "Place"  # ours is Simplified Chinese
    assert CATALOGUE.gettext("zh")("Place") == CATALOGUE.gettext("zh-Hans-CN")("Place") == "地点"
    assert CATALOGUE.gettext("ru-RU")("Place") == "Место"
