"""The page in the reader's language (the ``locale`` option): ``<html lang
dir>``, dates, countries, kinds and field labels through timeline.words,
the page's own labels through the plugin's gettext catalogue, which this
module checks as tests/test_locales.py checks timeline's. The page in a
browser, right to left in Persian, is in test_html_browser.py."""

from __future__ import annotations

import base64
import hashlib
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import timeline
from babel.messages.pofile import read_po
from timeline import Event, Place, Source, Summit, Timeline
from timeline.testing import catalogue_problems, sample_timeline

import timeline_html
from timeline_html.page import _LABELS

Parse = Callable[[str], Any]
SVG = "{http://www.w3.org/2000/svg}"
PACKAGE = Path(timeline_html.__file__).parent
FOLDER = PACKAGE / "translations"
CATALOGUES = sorted(FOLDER.glob("*/LC_MESSAGES/timeline_html.po"))
SCO = timeline.example("sco")
# Most pages here are of data with no translation of its notes; the warning
# that counts them is checked in "The data's texts" below.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:\d[\d,]* texts? ha(s|ve) no .* translation:timeline.ExportWarning"
)


def page(t: Timeline, locale: str | None = None) -> str:
    return timeline.dumps(t, "html", locale=locale)


def texts(root: Any) -> str:
    """Every text of the page's body, joined: what a reader sees."""
    return " ".join(t.strip() for t in root.find("body").itertext() if t.strip())


# -- the catalogue ------------------------------------------------------------------------------


def test_the_catalogues_translate_every_label_and_are_compiled() -> None:
    """Fails when a label is added to the page and not to a catalogue (or
    left untranslated), when a catalogue keeps a label the page dropped, when
    a ``.mo`` is not its ``.po`` compiled and when the template is behind."""
    assert catalogue_problems(FOLDER, "timeline_html", PACKAGE) == []


def test_every_label_of_the_page_is_a_message() -> None:
    with (FOLDER / "timeline_html.pot").open("rb") as file:  # the code's messages, checked above
        template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(file) if m.id}
    assert set(_LABELS) | {("{count} event", "{count} events")} == template


def test_the_wheel_ships_the_catalogues(tmp_path: Path) -> None:
    """The wheel holds the compiled catalogues beside the code, where
    ``importlib.resources`` finds them once installed."""
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(PACKAGE.parent.parent)).build(
        directory=str(tmp_path), versions=["standard"]
    )
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in ("ru", "zh_Hans"):
        assert f"timeline_html/translations/{language}/LC_MESSAGES/timeline_html.mo" in names
    assert "timeline_html/static/rtl.css" in names


# -- the page in a language -------------------------------------------------------------------

ASTANA = Summit(
    id="astana", title="Astana summit", start="2024-07-03", end="2024-07-04",
    organisation="SCO", host="KZ", participants=("CN", "RU"), tags=("summit",),
    place=Place(name="Astana", country="KZ", latitude=51.1694, longitude=71.4491),
    recurrence="FREQ=YEARLY;COUNT=3", url="https://example.org/astana",
    sources=(Source(url="https://example.org/d", title="Declaration", accessed="2024-07-05"),),
    notes="Belarus joined.",
)  # fmt: skip


def test_without_a_locale_the_page_is_the_english_one() -> None:
    for t in (SCO, sample_timeline(), Timeline()):
        english = page(t)
        assert english == page(t, None)
        assert english.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n')
        assert ' dir="auto">' not in english.replace('<h1 dir="auto">', "").replace(
            '<span class="title" dir="auto">', ""
        )


def test_the_russian_page(parse: Parse) -> None:
    text = page(Timeline(title="Саммиты", events=[ASTANA]), "ru")
    assert text.startswith('<!DOCTYPE html>\n<html lang="ru" dir="ltr">\n')
    root = parse(text)
    (details,) = root.iter("details")
    assert details.find("summary").find("span").text == "3—4 июля 2024\u202fг."
    rows = {dt.text: "".join(dd.itertext()) for dt, dd in zip(
        details.iter("dt"), details.iter("dd"), strict=True
    )}  # fmt: skip
    assert rows == {
        "Когда": "3—4 июля 2024\u202fг.",
        "Где": "Astana, Казахстан (51,1694° с. ш., 71,4491° в. д.)",
        "Организация": "SCO",
        "Принимающая сторона": "Казахстан",
        "Участники": "Китай и Россия",
        "Формат": "очно",
        "Повторяется": "ежегодно, 3 раза",
        "Ссылка": "https://example.org/astana",
        "Метки": "summit",
    }
    seen = texts(root)
    for words in ("Перейти к списку событий", "1 событие · 2024", "На оси времени",
                  "Масштаб", "События", "Развернуть все", "Свернуть все", "Источник",
                  "дата обращения: 5 июля 2024\u202fг.", "Примечания",
                  "Сделано с помощью timeline."):  # fmt: skip
        assert words in seen, words
    assert root.find(".//h3[@class='year']").text == "2024"
    legend = root.find(".//ul[@class='legend']")
    assert legend.get("aria-label") == "Виды событий"
    assert "".join(legend.itertext()) == "Саммит 1"
    (plot,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("class") == "plot"]
    assert plot.get("aria-label") == (
        "Диаграмма событий (1), 2024 — 2024; каждая отметка — ссылка на своё событие"
    )
    (mark,) = list(plot.iter(f"{SVG}a"))
    assert mark.find(f"{SVG}title").text == "Astana summit — 3—4 июля 2024\u202fг."
    assert [t.text for t in plot.iter(f"{SVG}text")][:2] == ["3 июл.", "4 июл."]


def test_the_chinese_page(parse: Parse) -> None:
    root = parse(page(Timeline(events=[ASTANA]), "zh-Hans"))
    assert (root.get("lang"), root.get("dir")) == ("zh-Hans", "ltr")
    assert root.find("head").find("title").text == "时间线"
    seen = texts(root)
    for words in ("跳至事件列表", "1个事件 · 2024年", "时间轴",
                  "哈萨克斯坦 （北纬51.1694°，东经71.4491°）", "中国和俄罗斯",
                  "每年，共3次", "访问于 2024年7月5日", "全部展开", "注释"):  # fmt: skip
        assert words in seen, words
    (details,) = root.iter("details")
    dates = timeline.words.span_words(ASTANA.start, ASTANA.end, locale="zh-Hans")
    assert details.find("summary").find("span").text == dates
    (mark,) = list(root.iter(f"{SVG}a"))
    assert mark.find(f"{SVG}title").text == f"Astana summit（{dates}）"


def test_the_plural_of_events(parse: Parse) -> None:
    for count, words in ((1, "1 событие"), (3, "3 события"), (5, "5 событий"), (21, "21 событие")):
        t = Timeline(events=[Event(title=f"E{i}", start=f"20{10 + i}") for i in range(count)])
        meta = parse(page(t, "ru")).find(".//p[@class='meta']")
        assert "".join(meta.itertext()).startswith(words + " · ")


def test_a_language_without_a_catalogue_has_its_dates_and_english_labels(parse: Parse) -> None:
    root = parse(page(SCO, "de"))
    assert (root.get("lang"), root.get("dir")) == ("de", "ltr")
    assert "Skip to the list of events" in texts(root)
    (astana,) = [d for d in root.iter("details") if d.get("id") == "e-sco-summit-2024-astana"]
    assert astana.find("summary").find("span").text == "3.–4. Juli 2024"


def ticks(root: Any) -> list[str]:
    (plot,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("class") == "plot"]
    return [t.text for t in plot.iter(f"{SVG}text") if t.get("class") is None]


def test_persian_is_right_to_left_with_persian_digits(parse: Parse) -> None:
    text = page(SCO, "fa")
    assert text.startswith('<!DOCTYPE html>\n<html lang="fa" dir="rtl">\n')
    root = parse(text)
    assert ticks(root) == ["۱۹۹۵", "۲۰۰۰", "۲۰۰۵", "۲۰۱۰", "۲۰۱۵", "۲۰۲۰", "۲۰۲۵"]
    counts = [span.text for span in root.iter("span") if span.get("class") == "count"]
    assert counts == ["۲", "۲", "۴", "۲۵"]
    # Time runs from left to right on the chart, as numbers do; the rest is right to left.
    (frame,) = [div for div in root.iter("div") if div.get("class") == "frame"]
    assert frame.get("dir") == "ltr"
    (css,) = root.iter("style")
    assert css.text.endswith((PACKAGE / "static" / "rtl.css").read_text("utf-8"))
    assert '[dir="rtl"] .skip' in css.text
    # The data's texts, in the language they were written in, take their
    # direction from their first letters: the English notes read left to right.
    for cls in ("lede", "description", "notes", "coords"):
        found = [e.get("dir") for e in root.iter() if e.get("class") == cls]
        assert found, cls
        assert set(found) == {"auto"}, cls
    # A left-to-right page has neither.
    english = parse(page(SCO, "ru"))
    assert [d.get("dir") for d in english.iter("div") if d.get("class") == "frame"] == [None]
    assert "rtl" not in next(english.iter("style")).text


@pytest.mark.parametrize(
    ("locale", "starts", "expected"),
    [
        ("ru", ("2024-01-10", "2024-06-20"), ["янв. 2024\u202fг.", "февр. 2024\u202fг."]),
        ("zh-Hans", ("2024-01-10", "2024-06-20"), ["2024年1月", "2024年2月"]),
        ("fa", ("2024-07-03", "2024-07-09"), ["۳ ژوئیه", "۴ ژوئیه"]),
        ("ru", ("-0043", "0014"), ["50\u202fг. до н. э.", "40\u202fг. до н. э."]),
    ],
)
def test_axis_labels_in_a_language(
    parse: Parse, locale: str, starts: tuple[str, ...], expected: list[str]
) -> None:
    t = Timeline(events=[Event(title=f"E{i}", start=s) for i, s in enumerate(starts)])
    assert ticks(parse(page(t, locale)))[:2] == expected


@pytest.mark.parametrize("locale", ["ru", "zh-Hans", "fa"])
def test_the_policy_allows_the_style_and_script_of_the_language(parse: Parse, locale: str) -> None:
    """The right-to-left style and the script with its label translated are
    other texts than the English ones: the policy has their hashes."""
    root = parse(page(SCO, locale))
    (meta,) = [m for m in root.iter("meta") if m.get("http-equiv")]
    policy = dict(d.split(" ", 1) for d in meta.get("content").split("; "))

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["style-src"] == sha(next(root.iter("style")).text)
    script = next(root.iter("script")).text
    assert policy["script-src"] == sha(script)
    label = {"ru": "Показать в списке", "zh-Hans": "在列表中显示", "fa": "Show in the list"}
    assert (
        re.search(r'link\.textContent = "([^"]*)";', script)[1].encode().decode("unicode_escape")
        == label[locale]
    )


def test_a_translated_label_cannot_end_the_script() -> None:
    from timeline_html.page import script

    js = script("</script><script>alert(1)</script> & \u2028").text
    assert "</script" not in js.lower()
    assert (
        '"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 \\u2028"'
        in js
    )


# -- the data's texts ---------------------------------------------------------------------------


def exported(t: Timeline, locale: str | None) -> tuple[str, list[str]]:
    """The page, and the messages of the ExportWarnings its export gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = page(t, locale)
    assert all(w.category is timeline.ExportWarning for w in caught), caught
    return text, [str(w.message) for w in caught]


def by_id(root: Any, event_id: str) -> Any:
    (found,) = [d for d in root.iter("details") if d.get("id") == f"e-{event_id}"]
    return found


def of_class(root: Any, cls: str) -> list[Any]:
    return [e for e in root.iter() if e.get("class") == cls]


def test_the_russian_page_of_the_example_has_its_russian_texts(parse: Parse) -> None:
    text, messages = exported(SCO, "ru")
    assert messages == [
        "35 texts have no Russian translation and are in English (description 2, notes 33)"
    ]
    root = parse(text)
    title = "Шанхайская организация сотрудничества"
    assert root.find("head").find("title").text == title
    assert root.find("head").find("title").get("lang") is None
    h1 = root.find(".//h1")
    assert (h1.text, h1.get("lang")) == (title, None)
    (lede,) = of_class(root, "lede")
    assert "".join(lede.itertext()).startswith("Создание, Хартия, расширение")
    assert lede.get("lang") is None
    astana = by_id(root, "sco-summit-2024-astana")
    summary_title = astana.find("summary").find("span[@class='title']")
    assert summary_title.text == SCO["sco-summit-2024-astana"].translated("title", "ru")
    assert summary_title.text.startswith("Заседание Совета глав государств")
    assert summary_title.get("lang") is None
    where = {dt.text: dd for dt, dd in zip(astana.iter("dt"), astana.iter("dd"), strict=True)}
    assert "".join(where["Где"].itertext()).startswith("Астана, Казахстан")
    # Every event's title and place is Russian; every note is English, and says so.
    titles = [e.find("summary").find("span[@class='title']") for e in root.iter("details")]
    assert [t.text for t in titles] == [e.translated("title", "ru") for e in SCO.events]
    assert {t.get("lang") for t in titles} == {None}
    notes = of_class(root, "notes")
    assert len(notes) == 33
    assert {(n.get("lang"), n.get("dir")) for n in notes} == {("en", "auto")}
    assert "".join(notes[0].itertext()) == SCO.events[0].notes
    descriptions = of_class(root, "description")
    assert [d.get("lang") for d in descriptions] == ["en"] * 2
    assert of_class(root, "name") == []  # no place's name is in English
    # The chart's tips say the Russian titles too.
    (plot,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("class") == "plot"]
    tips = [a.find(f"{SVG}title").text for a in plot.iter(f"{SVG}a")]
    assert tips[0].startswith(SCO.events[0].translated("title", "ru") + " — ")


def test_a_page_in_a_locale_of_the_original_language_has_no_marks() -> None:
    text, messages = exported(SCO, "en-GB")
    assert messages == []
    assert " lang=" not in text.replace('<html lang="en-GB" dir="ltr">', "")
    assert '<span class="title" dir="auto">Shanghai Five formed' in text
    plain, messages = exported(SCO, None)
    assert messages == []
    assert " lang=" not in plain.replace('<html lang="en">', "")


def test_the_chinese_page_finds_the_chinese_texts(parse: Parse) -> None:
    text, messages = exported(SCO, "zh-Hans")
    assert messages == [
        "35 texts have no Chinese (Simplified) translation and are in English "
        "(description 2, notes 33)"
    ]
    root = parse(text)
    assert root.find(".//h1").text == "上海合作组织"
    first = by_id(root, SCO.events[0].id)
    assert first.find("summary").find("span[@class='title']").text == (
        SCO.events[0].translations.get("zh", "title")
    )
    assert "".join(first.find(".//dd[2]").itertext()).startswith("上海, 中国")


def test_a_text_in_the_original_is_marked_with_its_language(parse: Parse) -> None:
    """Where there is no translation, the element holding the original says
    its language: the screen reader reads it as English, the fonts are English."""
    t = Timeline(
        title="Summits",
        description="Two summits.",
        translations={"ru": {"description": "Два саммита."}},
        events=[
            ASTANA,
            Summit(title="Tianjin summit", start="2025-08-31", organisation="SCO", host="CN",
                   place=Place(name="Tianjin", country="CN",
                               translations={"ru": {"name": "Тяньцзинь"}}),
                   translations={"ru": {"title": "Саммит в Тяньцзине"}}),
        ],
    )  # fmt: skip
    text, messages = exported(t, "ru")
    assert messages == [
        "4 texts have no Russian translation and are in English (name 1, notes 1, title 2)"
    ]
    assert '<title lang="en">Summits</title>' in text
    assert '<h1 lang="en" dir="auto">Summits</h1>' in text
    assert '<div class="lede" dir="auto"><p>Два саммита.</p></div>' in text
    assert '<span class="title" lang="en" dir="auto">Astana summit</span>' in text
    assert '<span class="title" dir="auto">Саммит в Тяньцзине</span>' in text
    assert '<dd><span class="name" lang="en" dir="auto">Astana</span>, Казахстан ' in text
    assert "<dd>Тяньцзинь, Китай</dd>" in text
    assert '<div class="notes" lang="en" dir="auto"><p>Belarus joined.</p></div>' in text
    root = parse(text)  # valid HTML
    assert root.find(".//h1").get("lang") == "en"


def test_one_text_is_said_in_the_singular() -> None:
    t = Timeline(events=[Event(title="Founded", start="2001-06-15")])
    assert exported(t, "ru")[1] == ["1 text has no Russian translation and is in English (title 1)"]
    assert exported(t, "en-US")[1] == []
    assert exported(Timeline(), "ru")[1] == []


def test_the_warning_comes_once_from_the_caller(tmp_path: Path) -> None:
    with pytest.warns(timeline.ExportWarning) as caught:
        timeline.dump(SCO, tmp_path / "sco.ru.html", locale="ru")
    assert len(caught) == 1
    assert caught[0].filename == __file__
