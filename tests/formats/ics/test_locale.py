"""The exporter's ``locale`` option: the words it writes for people (dates,
labels, values, country names, the sentences of imprecise dates and of
anniversaries) in the reader's language, and the LANGUAGE parameter of
RFC 5545 (section 3.2.10) on the texts that hold them. Without a locale
the files are what they always were (``test_golden.py``); the goldens
``sco.ru.ics`` and ``sco.zh-Hans.ics`` hold the example in Russian and
Chinese, and ``test_parsers.py`` reads those with three parsers.
"""

from __future__ import annotations

import re
import warnings

import pytest
from helpers.ics import export, icalendar_calendar, raw_problems, unfold
from icalendar import Calendar

import timeline
from timeline import Event, Founding, ImporterWarning, OptionError, Place, Source, Summit
from timeline.testing import sample_timeline

SMALL = timeline.Timeline(
    title="SCO summits",
    description="Two summits, a founding and talks.",
    events=[
        Event(id="talks", title="Talks begin", start="1996~"),
        Founding(id="founding", title="SCO founded", start="2001-06-15", organisation="SCO",
                 members=("CN", "KZ", "KG", "RU", "TJ", "UZ"),
                 place=Place(name="Shanghai", country="CN")),
        Summit(id="moscow", title="Moscow summit", start="2020-11-10", organisation="SCO",
               host="RU", format="virtual", place=Place(name="Moscow", country="RU")),
        Summit(id="astana", title="Astana summit", start="2024-07-03", end="2024-07-04",
               organisation="SCO", host="KZ", participants=("CN", "RU"),
               place=Place(name="Astana", country="KZ", latitude=51.1694, longitude=71.4491),
               notes="Belarus joined.",
               sources=(Source(url="https://example.org/astana", title="Astana Declaration",
                               accessed="2024-07-05"),)),
    ],
)  # fmt: skip

_FRAME = ("BEGIN:", "END:", "VERSION:", "PRODID:", "CALSCALE:", "METHOD:", "DTSTAMP:", "TRANSP:")


def lines(text: str) -> list[str]:
    """The content lines of a calendar, unfolded, without those every file has."""
    assert raw_problems(text.encode("utf-8")) == []
    return [line for line in unfold(text) if not line.startswith(_FRAME)]


G = "\u202fг."  # CLDR puts a narrow no-break space before the Russian "year"


def test_a_calendar_in_russian() -> None:
    text = export(SMALL, locale="ru", imprecise="span", lossless=False)
    assert lines(text) == [
        "DESCRIPTION;LANGUAGE=en:Two summits\\, a founding and talks.",
        "X-WR-CALDESC;LANGUAGE=en:Two summits\\, a founding and talks.",
        "NAME;LANGUAGE=en:SCO summits",
        "X-WR-CALNAME;LANGUAGE=en:SCO summits",
        "SUMMARY;LANGUAGE=en:Talks begin (ок. 1996)",
        "DTSTART;VALUE=DATE:19960101",
        "DTEND;VALUE=DATE:19970101",
        "UID:talks@timeline.invalid",
        "CATEGORIES:event",
        "DESCRIPTION;LANGUAGE=ru:Дата: ок. 1996 (дата известна лишь с точностью до года и "
        "приблизительна\\; в календаре — событие на весь день с 1 января 1996" + G
        + " по 31 декабря 1996" + G + ").",
        "SUMMARY;LANGUAGE=en:SCO founded",
        "DTSTART;VALUE=DATE:20010615",
        "DTEND;VALUE=DATE:20010616",
        "UID:founding@timeline.invalid",
        "CATEGORIES:founding",
        "DESCRIPTION;LANGUAGE=ru:Организация: SCO\\nЧлены-основатели: Китай\\, Казахстан\\, "
        "Киргизия\\, Россия\\, Таджикистан и Узбекистан",
        "LOCATION;LANGUAGE=ru:Shanghai\\, Китай",
        "SUMMARY;LANGUAGE=en:Moscow summit",
        "DTSTART;VALUE=DATE:20201110",
        "DTEND;VALUE=DATE:20201111",
        "UID:moscow@timeline.invalid",
        "CATEGORIES:summit",
        "DESCRIPTION;LANGUAGE=ru:Организация: SCO\\nПринимающая сторона: Россия\\nФормат: онлайн",
        "LOCATION;LANGUAGE=ru:Онлайн\\, место проведения: Moscow\\, Россия",
        "SUMMARY;LANGUAGE=en:Astana summit",
        "DTSTART;VALUE=DATE:20240703",
        "DTEND;VALUE=DATE:20240705",
        "UID:astana@timeline.invalid",
        "CATEGORIES:summit",
        "DESCRIPTION;LANGUAGE=ru:Организация: SCO\\nПринимающая сторона: Казахстан\\n"
        "Участники: Китай и Россия\\nФормат: очно\\n\\nПримечания: Belarus joined.\\n\\n"
        "Источники:\\n- Astana Declaration: https://example.org/astana (дата обращения: "
        "5 июля 2024" + G + ")",
        "GEO:51.1694;71.4491",
        "LOCATION;LANGUAGE=ru:Astana\\, Казахстан",
        "URL:https://example.org/astana",
    ]  # fmt: skip


def test_a_calendar_in_chinese() -> None:
    text = export(SMALL, locale="zh-Hans", imprecise="span", lossless=False)
    assert lines(text) == [
        "DESCRIPTION;LANGUAGE=en:Two summits\\, a founding and talks.",
        "X-WR-CALDESC;LANGUAGE=en:Two summits\\, a founding and talks.",
        "NAME;LANGUAGE=en:SCO summits",
        "X-WR-CALNAME;LANGUAGE=en:SCO summits",
        "SUMMARY;LANGUAGE=en:Talks begin (约1996年)",
        "DTSTART;VALUE=DATE:19960101",
        "DTEND;VALUE=DATE:19970101",
        "UID:talks@timeline.invalid",
        "CATEGORIES:event",
        "DESCRIPTION;LANGUAGE=zh-Hans:日期：约1996年（该日期只精确到年份，且为大致时间；"
        "在日历中显示为1996年1月1日至1996年12月31日的全天事件）。",
        "SUMMARY;LANGUAGE=en:SCO founded",
        "DTSTART;VALUE=DATE:20010615",
        "DTEND;VALUE=DATE:20010616",
        "UID:founding@timeline.invalid",
        "CATEGORIES:founding",
        "DESCRIPTION;LANGUAGE=zh-Hans:组织：SCO\\n创始成员：中国、哈萨克斯坦、吉尔吉斯斯坦、"
        "俄罗斯、塔吉克斯坦和乌兹别克斯坦",
        "LOCATION;LANGUAGE=zh-Hans:Shanghai，中国",
        "SUMMARY;LANGUAGE=en:Moscow summit",
        "DTSTART;VALUE=DATE:20201110",
        "DTEND;VALUE=DATE:20201111",
        "UID:moscow@timeline.invalid",
        "CATEGORIES:summit",
        "DESCRIPTION;LANGUAGE=zh-Hans:组织：SCO\\n主办方：俄罗斯\\n形式：线上",
        "LOCATION;LANGUAGE=zh-Hans:线上举行，主办地：Moscow，俄罗斯",
        "SUMMARY;LANGUAGE=en:Astana summit",
        "DTSTART;VALUE=DATE:20240703",
        "DTEND;VALUE=DATE:20240705",
        "UID:astana@timeline.invalid",
        "CATEGORIES:summit",
        "DESCRIPTION;LANGUAGE=zh-Hans:组织：SCO\\n主办方：哈萨克斯坦\\n参与方：中国和俄罗斯\\n"
        "形式：线下\\n\\n注释：Belarus joined.\\n\\n来源：\\n- Astana Declaration: "
        "https://example.org/astana（访问于2024年7月5日）",
        "GEO:51.1694;71.4491",
        "LOCATION;LANGUAGE=zh-Hans:Astana，哈萨克斯坦",
        "URL:https://example.org/astana",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "summary", "since"),
    [
        ("ru", "SCO founded (15 июня 2001" + G + ")", "С 15 июня 2001" + G + " — ежегодно."),
        ("zh-Hans", "SCO founded (2001年6月15日)", "自2001年6月15日起每年纪念。"),
    ],
)
def test_an_anniversary_in_the_language(locale: str, summary: str, since: str) -> None:
    found = lines(export(SMALL, locale=locale, anniversaries=True, lossless=False))
    assert f"SUMMARY;LANGUAGE=en:{summary}" in found  # an English title, its date in words
    (description,) = [line for line in found if line.startswith("DESCRIPTION") and "\\n" in line]
    assert description.startswith(f"DESCRIPTION;LANGUAGE={locale}:{since}\\n\\n")


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2002-06?", "Дата: июнь 2002" + G + "? (дата известна лишь с точностью до месяца и "
                     "не подтверждена\\; в календаре — событие на весь день с 1 июня 2002" + G
                     + " по 30 июня 2002" + G + ")."),
        ("2009-03-05~?", "Дата: ок. 5 марта 2009" + G + "? (дата приблизительна и не "
                         "подтверждена\\; в календаре — событие на весь день 5 марта 2009"
                         + G + ")."),
    ],
)  # fmt: skip
def test_every_quality_of_an_imprecise_date_is_said(start: str, words: str) -> None:
    t = timeline.Timeline(events=[Event(id="e", title="E", start=start)])
    found = lines(export(t, locale="ru", imprecise="span"))
    assert f"DESCRIPTION;LANGUAGE=ru:{words}" in found


def test_only_the_texts_for_people_have_a_language() -> None:
    """SUMMARY, DESCRIPTION and LOCATION of the events, NAME, DESCRIPTION and
    their X-WR- twins of the calendar; not CATEGORIES (kinds and tags, which
    clients filter on), the data of X-TIMELINE-EVENT or the VTIMEZONEs."""
    text = export(sample_timeline(), locale="fa", imprecise="span")
    named = {line.split(":", 1)[0].split(";")[0] for line in unfold(text) if ";LANGUAGE=" in line}
    assert named == {
        "SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "X-WR-CALNAME", "X-WR-CALDESC"
    }  # fmt: skip
    # Each in the language it is written in: the reader's, or where the sample
    # has no Persian, its original English.
    tags = {line.split(":", 1)[0].split("=")[1] for line in unfold(text) if ";LANGUAGE=" in line}
    assert tags == {"fa", "en"}
    assert "LANGUAGE" not in export(sample_timeline(), imprecise="span")


def test_the_language_is_the_tag_written_the_one_way() -> None:
    text = export(SMALL, locale="zh_hans")
    assert "NAME;LANGUAGE=en:SCO summits\r\n" in text
    with pytest.raises(OptionError, match=r"^option 'locale': unknown locale 'klingon'"):
        export(SMALL, locale="klingon")


def test_persian_digits_and_country_names() -> None:
    found = lines(export(SMALL, locale="fa", anniversaries=True, lossless=False))
    assert "LOCATION;LANGUAGE=fa:Shanghai، چین" in found
    (summary,) = [line for line in found if line.startswith("SUMMARY")]
    assert re.search("[۰-۹]{4}", summary), summary  # the year in Persian digits


@pytest.mark.parametrize("locale", ["ru", "zh-Hans", "fa"])
@pytest.mark.parametrize("anniversaries", [False, True])
def test_the_same_bytes_as_icalendar_in_every_language(locale: str, anniversaries: bool) -> None:
    for t in (SMALL, timeline.example("sco"), sample_timeline()):
        options = {"locale": locale, "anniversaries": anniversaries, "imprecise": "span"}
        assert export(t, **options).encode("utf-8") == icalendar_calendar(t, **options)


def _read(text: str) -> tuple[timeline.Timeline, list[str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.loads(text, "ics")
    return t, [str(w.message) for w in record if issubclass(w.category, ImporterWarning)]


@pytest.mark.parametrize("locale", ["ru", "zh-Hans", "fa"])
def test_the_lossless_data_comes_back_whatever_the_language(locale: str) -> None:
    sco = timeline.example("sco")
    again, notes = _read(export(sco, locale=locale))
    assert (again, notes) == (sco, [])
    sample = sample_timeline()
    again, notes = _read(export(sample, locale=locale, imprecise="span"))
    assert (again, notes) == (sample.filter(lambda e: e.id != "bce"), [])
    # The dated summaries of anniversaries agree with the data they carry.
    again, notes = _read(export(sco, locale=locale, anniversaries=True))
    assert notes == []
    assert list(again) == [e for e in sco if e.kind in ("founding", "accession")]
    # Exported again in the same language, the file is the same.
    text = export(sco, locale=locale)
    assert export(_read(text)[0], locale=locale) == text


def test_a_calendar_in_another_language_is_read_as_another_producers() -> None:
    """Without X-TIMELINE-EVENT the importer reads the standard properties,
    their LANGUAGE left aside: the Russian description is the description."""
    text = export(SMALL, locale="ru", lossless=False)
    again, _ = _read(text)
    assert [e.id for e in again] == ["founding", "moscow", "astana"]  # talks is imprecise
    astana = again["astana"]
    assert astana.title == "Astana summit"
    assert astana.description.startswith("Организация: SCO\nПринимающая сторона: Казахстан\n")
    assert astana.place is not None
    assert astana.place.name == "Astana, Казахстан"
    summaries = Calendar.from_ical(text).events
    assert [(str(e["SUMMARY"]), e["SUMMARY"].params["LANGUAGE"]) for e in summaries] == [
        ("SCO founded", "en"), ("Moscow summit", "en"), ("Astana summit", "en")
    ]  # fmt: skip
