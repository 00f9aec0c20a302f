"""The reader's language: locale tags and the message catalogues (docs/languages.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import timeline
from timeline.errors import OptionError
from timeline.locales import CATALOGUE, LocaleError, canonical_tag, cldr_locale, direction

PACKAGE = Path(timeline.__file__).parent
FOLDER = PACKAGE / "catalogues"
CATALOGUES = sorted(FOLDER.glob("*/LC_MESSAGES/timeline.po"))
# What pybabel extract is told to look for (docs/languages.md, "Adding a message").
KEYWORDS = {"N_": None, "NP_": (1, 2), "label": None, "translate": None,
            "gettext": None, "ngettext": (1, 2)}  # fmt: skip


def extracted() -> set[str | tuple[str, str]]:
    """Every message of the package, as ``pybabel extract`` finds it."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=()
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def test_the_catalogues_are_persian_russian_and_chinese():
    assert [path.parent.parent.name for path in CATALOGUES] == ["fa", "ru", "zh_Hans"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_a_catalogue_translates_every_message(path):
    """Fails when a message is added to the code and not to a catalogue (or
    left untranslated), and when a catalogue keeps a message the code dropped."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    held = {m.id if isinstance(m.id, str) else (m.id[0], m.id[1]): m for m in catalogue if m.id}
    assert set(held) == extracted()
    for message in held.values():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{path.parent.parent.name}: {message.id!r} is not translated"
        assert len(strings) == (catalogue.num_plurals if message.pluralizable else 1)
        assert not message.fuzzy, message.id


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalogue_is_the_catalogue(path):
    """The ``.mo`` shipped in the wheel is what ``pybabel compile`` makes of
    the ``.po`` (docs/languages.md says how to remake it)."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    assert path.with_suffix(".mo").read_bytes() == compiled.getvalue()


def test_the_template_holds_every_message():
    with (FOLDER / "timeline.pot").open("rb") as file:
        template = read_po(file)
    assert {m.id if isinstance(m.id, str) else (m.id[0], m.id[1])
            for m in template if m.id} == extracted()  # fmt: skip


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
