"""The Markdown exporter: what it writes, its options, golden files and lint.

Regenerate the golden files after a deliberate change with
``TIMELINE_REGENERATE=1 pytest tests/formats/markdown/test_export.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from helpers.data import DataFolder

import timeline
from timeline import (
    Accession,
    Date,
    Event,
    Founding,
    OptionError,
    Place,
    Source,
    Summit,
    Timeline,
)
from timeline.default_plugins.markdown_format import (
    escape,
    is_link,
    mermaid_text,
    one_line,
    paragraphs,
)
from timeline.model import label
from timeline.registry import exporter_for_suffix, get_exporter
from timeline.testing import check_exporter, sample_timeline, synthetic_timeline
from timeline.words import value_words

REGENERATE = os.environ.get("TIMELINE_REGENERATE") == "1"


def small() -> Timeline:
    return Timeline(
        title="Small",
        description="First line.\nSecond line.",
        url="https://example.org/t",
        events=[
            Summit(id="s", title="Astana summit", start="2024-07-03", end="2024-07-04",
                   organisation="SCO", host="KZ", participants=("CN", "RU"),
                   place=Place(name="Astana", country="KZ"), url="https://example.org/s",
                   description="Leaders met.", notes="Dates from the press.",
                   sources=(Source(url="https://example.org/a", title="Report",
                                   accessed="2024-07-05", note="Page 2."),
                            Source(url="https://example.org/b"))),
            Event(id="e", title="Talks", start="1996~", tags=("a", "b")),
            Event(id="r", title="Anniversary", start="2002-06-15",
                  recurrence="FREQ=YEARLY;BYMONTH=6"),
        ],
    )  # fmt: skip


def dumps(t: Timeline, **options: Any) -> str:
    return timeline.dumps(t, "markdown", **options)


# -- the format -----------------------------------------------------------------------------


def test_is_registered_with_its_suffixes() -> None:
    exporter = get_exporter("markdown")
    assert exporter.suffixes == (".md", ".markdown")
    assert exporter.media_type == "text/markdown"
    assert exporter_for_suffix(".md") is exporter
    assert exporter_for_suffix(".markdown") is exporter
    assert "markdown" in timeline.exporters()


def test_keeps_the_exporter_contract() -> None:
    check_exporter(get_exporter("markdown"))
    check_exporter(get_exporter("markdown"), timeline.example("sco"))


def test_dump_to_a_md_path(tmp_path: Path) -> None:
    path = tmp_path / "sco.md"
    timeline.dump(timeline.example("sco"), path)
    assert path.read_text("utf-8") == dumps(timeline.example("sco"))


@pytest.mark.parametrize("style", ["list", "table", "mermaid"])
def test_streams_event_by_event(style: str) -> None:
    writes: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return len(text)

    t = synthetic_timeline(200)
    get_exporter("markdown").write(t, Recorder(), get_exporter("markdown").resolve_options(
        {"style": style}))  # fmt: skip
    assert len(writes) > 200
    assert max(map(len, writes)) < 2000


@pytest.mark.parametrize("style", ["list", "table", "mermaid"])
def test_is_deterministic_and_warns_about_nothing(style: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = dumps(sample_timeline(), style=style)
    assert first == dumps(sample_timeline(), style=style)


# -- the styles, exactly ----------------------------------------------------------------------

HEADER = """\
# Small

First line.

Second line.

Link: <https://example.org/t>
"""

LIST = """\
## 1996

- **c. 1996** — Talks

    - Tags: a, b

## 2002

- **15 June 2002** — Anniversary

    - Repeats: FREQ=YEARLY;BYMONTH=6

## 2024

- **3-4 July 2024** — [Astana summit](https://example.org/s)

    Leaders met.

    - Place: Astana, Kazakhstan
    - Organisation: SCO
    - Host: Kazakhstan
    - Participants: China, Russia
    - Format: in person

    Notes: Dates from the press.

    Sources:

    1. [Report](https://example.org/a), accessed 5 July 2024. Page 2.
    2. <https://example.org/b>
"""


def test_list_style() -> None:
    assert dumps(small()) == HEADER + "\n" + LIST


def test_table_style() -> None:
    assert (
        dumps(small(), style="table")
        == HEADER
        + """
## 1996

| Date | Event | Place | Details | Notes | Sources |
| --- | --- | --- | --- | --- | --- |
| c. 1996 | Talks |  | Tags: a, b |  |  |

## 2002

| Date | Event | Place | Details | Notes | Sources |
| --- | --- | --- | --- | --- | --- |
| 15 June 2002 | Anniversary |  | Repeats: FREQ=YEARLY;BYMONTH=6 |  |  |

## 2024

| Date | Event | Place | Details | Notes | Sources |
| --- | --- | --- | --- | --- | --- |
| 3-4 July 2024 | [Astana summit](https://example.org/s) — Leaders met. | Astana, Kazakhstan \
| Organisation: SCO; Host: Kazakhstan; Participants: China, Russia; Format: in person \
| Dates from the press. \
| (1) [Report](https://example.org/a), accessed 5 July 2024. Page 2. (2) <https://example.org/b> |
"""
    )


DIAGRAM = """\
```mermaid
timeline
    title Small
    section 1996
        c. 1996 : Talks
    section 2002
        15 June 2002 : Anniversary
    section 2024
        3-4 July 2024 : Astana summit
```
"""


def test_mermaid_style_is_followed_by_the_list() -> None:
    assert dumps(small(), style="mermaid") == HEADER + "\n" + DIAGRAM + "\n" + LIST


def test_mermaid_style_alone_or_with_a_table() -> None:
    assert dumps(small(), style="mermaid", **{"after-diagram": "none"}) == (HEADER + "\n" + DIAGRAM)
    with_table = dumps(small(), style="mermaid", **{"after-diagram": "table"})
    assert with_table == HEADER + "\n" + DIAGRAM + dumps(small(), style="table")[len(HEADER) :]


def test_events_on_the_same_date_share_a_mermaid_period() -> None:
    t = Timeline(events=[
        Event(id="a", title="A", start="2001-06-15"),
        Event(id="b", title="B", start="2001-06-15"),
        Event(id="c", title="C", start="2001-06-15", end="2001-06-16"),
        Event(id="d", title="D", start="2001-06-15T10:00Z"),
    ])  # fmt: skip
    assert (
        dumps(t, style="mermaid", group="none", **{"after-diagram": "none"})
        == """\
# Timeline

```mermaid
timeline
        15 June 2001 : A : B
        15-16 June 2001 : C
        15 June 2001, 10#58;00 UTC : D
```
"""
    )


def test_table_without_notes_has_no_notes_column() -> None:
    text = dumps(small(), style="table", notes=False)
    assert "| Date | Event | Place | Details | Sources |\n| --- | --- | --- | --- | --- |\n" in text
    assert "Dates from the press" not in text
    facts = "Organisation: SCO; Host: Kazakhstan; Participants: China, Russia; Format: in person"
    assert f"| {facts} | (1) [Report]" in text


def test_an_empty_timeline() -> None:
    for style in ("list", "table", "mermaid"):
        assert dumps(Timeline(), style=style) == "# Timeline\n\nNo events.\n"
    assert dumps(Timeline(title="  ", description="\n\n")) == "# Timeline\n\nNo events.\n"


def test_a_source_without_a_link() -> None:
    t = Timeline(events=[Event(id="e", title="E", start="2001", sources=(
        Source(url="ftp://example.org/f", title="Archive"),
        Source(url="urn:isbn:0451450523", note="A book.\nPage 12."),
    ))])  # fmt: skip
    assert dumps(t, group="none").endswith("""\
    Sources:

    1. Archive (ftp&#58;//example.org/f)
    2. urn&#58;isbn:0451450523. A book. Page 12.
""")


def test_an_event_url_that_may_not_be_a_link() -> None:
    t = Timeline(events=[Event(id="e", title="E", start="2001", url="javascript:alert(1)")])
    assert dumps(t, group="none") == (
        "# Timeline\n\n- **2001** — E\n\n    - Link: javascript:alert(1)\n"
    )


# -- options ----------------------------------------------------------------------------------


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("year", ["## 477 BCE", "## 1996", "## 2001", "## 2002", "## 2006", "## 2009", "## 2016",
                  "## 2018", "## 2019", "## 2020", "## 2024", "## 2025"]),
        ("decade", ["## 481-472 BCE", "## 1990s", "## 2000s", "## 2010s", "## 2020s"]),
        ("month", ["## 477 BCE", "## 1996", "## June 2001", "## June 2002", "## June 2006",
                   "## 2009", "## March 2016", "## June 2018", "## December 2019",
                   "## November 2020", "## July 2024", "## August 2025"]),
        ("kind", ["## Event", "## Founding", "## Accession", "## Summit"]),
        ("none", []),
    ],
)  # fmt: skip
def test_group_headings(group: str, expected: list[str]) -> None:
    text = dumps(sample_timeline(), group=group)
    assert headings(text) == ["# Sample timeline", *expected]
    assert text.count("\n- **") == len(sample_timeline())


def test_mermaid_sections_follow_the_groups() -> None:
    text = dumps(sample_timeline(), style="mermaid", group="decade")
    sections = [line.strip() for line in text.splitlines() if line.startswith("    section")]
    assert sections == ["section 481-472 BCE", "section 1990s", "section 2000s",
                        "section 2010s", "section 2020s"]  # fmt: skip


def test_country_codes_option() -> None:
    text = dumps(small(), **{"country-codes": True})
    assert "    - Place: Astana, KZ\n" in text
    assert "    - Host: KZ\n    - Participants: CN, RU\n" in text
    assert "Kazakhstan" not in text


def test_notes_option() -> None:
    assert "Notes: Dates from the press." in dumps(small())
    assert "Dates from the press" not in dumps(small(), notes=False)


def test_level_option() -> None:
    text = dumps(small(), level=3)
    assert headings(text) == ["### Small", "#### 1996", "#### 2002", "#### 2024"]
    for level in (0, 6, -1):
        with pytest.raises(OptionError, match="option 'level' is from 1 to 5"):
            dumps(small(), level=level)


@pytest.mark.parametrize("style", ["list", "table"])
def test_after_diagram_does_nothing_without_a_diagram_and_says_so(style: str) -> None:
    with pytest.warns(timeline.ExportWarning) as record:
        text = dumps(small(), style=style, **{"after-diagram": "table"})
    assert [str(w.message) for w in record] == [
        f"option 'after-diagram' does nothing with style {style!r} "
        "(only the mermaid style has a diagram)"
    ]
    assert text == dumps(small(), style=style)


def test_options_are_checked() -> None:
    with pytest.raises(OptionError, match="style"):
        dumps(small(), style="cards")
    with pytest.raises(OptionError, match="group"):
        dumps(small(), group="century")
    with pytest.raises(OptionError, match="no option 'colour'"):
        dumps(small(), colour="red")


# -- kinds --------------------------------------------------------------------------------------


def test_the_built_in_kinds_in_words() -> None:
    t = Timeline(events=[
        Founding(id="f", title="Founded", start="2001-06-15", organisation="SCO",
                 members=("CN", "KZ", "KG", "RU", "TJ", "UZ")),
        Accession(id="a", title="Joins", start="2017-06-09", organisation="SCO", member="IN"),
        Accession(id="o", title="Observer", start="2012", organisation="SCO", member="AF",
                  status="observer"),
        Summit(id="v", title="Online", start="2020-11-10", organisation="SCO", host="RU",
               format="virtual"),
        Summit(id="h", title="Hybrid", start="2023-07-04", organisation="SCO", format="hybrid"),
    ])  # fmt: skip
    text = dumps(t, group="none")
    assert "    - Founding members: China, Kazakhstan, Kyrgyzstan, Russia, Tajikistan, " \
           "Uzbekistan\n" in text  # fmt: skip
    assert "    - Member: India\n    - Status: member\n" in text
    assert "    - Member: Afghanistan\n    - Status: observer\n" in text
    assert "    - Host: Russia\n    - Format: virtual\n" in text
    assert "    - Organisation: SCO\n    - Format: hybrid\n" in text


def test_a_plugin_kind_is_shown_through_its_labels() -> None:
    @attrs.frozen(kw_only=True)
    class Treaty(Event):
        kind: ClassVar[str] = "treaty-signing"

        parties_named: tuple[str, ...] = attrs.field(default=(), metadata=label("Signed by"))
        in_force: Date | None = attrs.field(default=None, metadata=label("In force from"))
        ratified: bool = False
        page_count: int | None = None
        secret_clause: str = ""

        def parties(self) -> frozenset[str]:
            return super().parties() | frozenset(self.parties_named)

    t = Timeline(events=[Treaty(
        id="t", title="Treaty *signed*", start="2007-08-16",
        parties_named=("CN", "RU", "ASEAN"), in_force=Date(2008, 1), ratified=True,
        page_count=12, place=Place(name="Bishkek", country="KG"),
    )])  # fmt: skip
    text = dumps(t, group="kind")
    assert (
        text
        == """\
# Timeline

## Treaty signing

- **16 August 2007** — Treaty \\*signed\\*

    - Place: Bishkek, Kyrgyzstan
    - Signed by: China, Russia, ASEAN
    - In force from: January 2008
    - Ratified: yes
    - Page count: 12
"""
    )


# -- escaping, one piece at a time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("plain text, nothing to do", "plain text, nothing to do"),
        ("a*b*c", "a\\*b\\*c"),
        ("snake_case stays", "snake_case stays"),
        ("_em_ and __init__", "\\_em\\_ and \\_\\_init\\_\\_"),
        ("[x](y)", "\\[x\\](y)"),
        ("`code`", "\\`code\\`"),
        ("a\\b", "a\\\\b"),
        ("a | b", "a &#124; b"),
        ("<script>", "&lt;script&gt;"),
        ("AT&T &amp; &#60; &copy;", "AT&T &amp;amp; &amp;#60; &amp;copy;"),
        ("~~x~~ costs $5", "&#126;&#126;x&#126;&#126; costs &#36;5"),
        ("# and > and - at the start", "# and &gt; and - at the start"),
        ("see https://example.org/a_(b).", "see <https://example.org/a_(b)>."),
        ("(https://example.org/x)", "(<https://example.org/x>)"),
        ("https://example.org/?a=1&copy;b", "[https&#58;//example.org/?a=1&amp;copy;b]"
                                            "(https://example.org/?a=1&amp;copy;b)"),
        ("https://example.org/?a=1&copy;", "<https://example.org/?a=1&copy>;"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        # GitHub would link what follows http://, ftp:// or www. as raw text.
        ("http:// alone", "http&#58;// alone"),
        ("ftp://example.org", "ftp&#58;//example.org"),
        ("www.example.org and _www.example.org", "www\\.example.org and \\_www\\.example.org"),
        ("awww.example.org", "awww.example.org"),
    ],
)  # fmt: skip
def test_escape(text: str, markdown: str) -> None:
    assert escape(text) == markdown


def test_escape_without_links() -> None:
    assert escape("see https://example.org/a_b", links=False) == ("see https&#58;//example.org/a_b")
    assert escape("https://example.org/_b_", links=False) == "https&#58;//example.org/\\_b\\_"


def test_paragraphs_escape_what_would_start_a_block() -> None:
    text = "# h\n> q\n- l\n+ l\n* l\n1. o\n12) o\n---\n    code\n\n\t\nplain\n2024 was a year"
    assert paragraphs(text) == [
        "\\# h", "&gt; q", "\\- l", "\\+ l", "\\* l", "1\\. o", "12\\) o", "\\---", "code",
        "plain", "2024 was a year",
    ]  # fmt: skip


def test_one_line() -> None:
    assert one_line("a\n\n b \nc|d") == "a b c&#124;d"


@pytest.mark.parametrize(
    ("url", "link"),
    [("https://x.org", True), ("HTTP://x.org", True), ("mailto:a@x.org", True),
     ("javascript:alert(1)", False), ("ftp://x.org", False), ("data:text/html,x", False),
     ("httpsx://x.org", False)],
)  # fmt: skip
def test_is_link(url: str, link: bool) -> None:
    assert is_link(url) is link


def test_mermaid_text() -> None:
    assert mermaid_text(' a: b; c %% #d {e} <f> & `g` "h" ') == (
        "a#58; b#59; c #37;#37; #35;d #123;e#125; #lt;f#gt; #amp; #96;g#96; #quot;h#quot;"
    )


# -- golden files and lint ------------------------------------------------------------------


def golden_timelines() -> dict[str, Timeline]:
    return {"sco": timeline.example("sco"), "sample": sample_timeline()}


@pytest.mark.parametrize("style", ["list", "table", "mermaid"])
@pytest.mark.parametrize("name", ["sco", "sample"])
def test_golden_file(name: str, style: str, markdown_files: DataFolder) -> None:
    golden = markdown_files / "golden"
    text = dumps(golden_timelines()[name], style=style)
    if REGENERATE:
        golden.write(f"{name}-{style}.md", text)
    path = golden.path(f"{name}-{style}.md")
    assert path.read_text("utf-8") == text, f"{path} differs; TIMELINE_REGENERATE=1 rewrites it"


@pytest.mark.parametrize("locale", ["en-GB", "ru", "zh-Hans", "fa"])
def test_golden_file_in_a_locale(locale: str, markdown_files: DataFolder) -> None:
    """The example in the reader's language: CLDR's dates and country names,
    the catalogue's labels, the translated titles and cities; the notes stay
    English, and the exporter says how many texts it wrote in English."""
    golden = markdown_files / "golden"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = dumps(timeline.example("sco"), locale=locale)
    said = [str(w.message) for w in caught]
    if REGENERATE:
        golden.write(f"sco.{locale}.md", text)
    path = golden.path(f"sco.{locale}.md")
    assert path.read_text("utf-8") == text, f"{path} differs; TIMELINE_REGENERATE=1 rewrites it"
    if locale == "en-GB":  # the timeline's own language: its texts, no warning
        assert said == []
        return
    assert said == [{
        "ru": "35 texts have no Russian translation and are in English "
              "(description 2, notes 33)",
        "zh-Hans": "35 texts have no Chinese (Simplified) translation and are in English "
                   "(description 2, notes 33)",
        # No Persian translations at all: the example's 33 titles and the
        # timeline's, its description and two events', 14 cities, 33 notes.
        "fa": "84 texts have no Persian translation and are in English "
              "(description 3, name 14, notes 33, title 34)",
    }[locale]]  # fmt: skip


def test_golden_files_pass_the_markdown_linter(markdown_files: DataFolder) -> None:
    from pymarkdown.api import PyMarkdownApi

    paths = markdown_files.paths("golden/*.md")
    assert len(paths) >= 9
    result = (
        PyMarkdownApi()
        .enable_strict_configuration()
        .configuration_file_path(str(markdown_files.path("pymarkdown.json")))
        .scan_path(str(markdown_files.root / "golden"), recurse_if_directory=True)
    )
    problems = [
        f"{Path(f.scan_file).name}:{f.line_number}:{f.column_number} {f.rule_id} "
        f"{f.rule_description}{f.extra_error_information}"
        for f in result.scan_failures
    ]
    assert problems == []
    assert not result.critical_errors


def test_equal_values_of_different_types_are_not_confused() -> None:
    @attrs.frozen(kw_only=True)
    class Flagged(Event):
        kind: ClassVar[str] = "flagged"
        count: bool = attrs.field(default=False, metadata=label("Count"))

    @attrs.frozen(kw_only=True)
    class Counted(Event):
        kind: ClassVar[str] = "counted"
        count: int = attrs.field(default=0, metadata=label("Count"))

    t = Timeline(events=[
        Flagged(id="a", title="A", start="2001", count=True),
        Counted(id="b", title="B", start="2002", count=1),
    ])  # fmt: skip
    text = dumps(t, group="none")
    assert "    - Count: yes\n" in text
    assert "    - Count: 1\n" in text


def test_the_tags_remembered_are_those_of_each_event() -> None:
    @attrs.frozen(kw_only=True)
    class Tagged(Event):
        kind: ClassVar[str] = "tagged"
        labels: tuple[str, ...] = attrs.field(default=(), metadata=label("Tags"))

    t = Timeline(events=[
        Event(id="a", title="A", start="2001", tags=("*a", "x")),
        Event(id="b", title="B", start="2002", tags=("x", "*a")),
        Tagged(id="c", title="C", start="2003", labels=("*a", "x"), tags=("*a", "x")),
        Event(id="d", title="D", start="2004", tags=("*a", "x")),
        Tagged(id="e", title="E", start="2005", labels=("x",)),
    ])  # fmt: skip
    facts = [line for line in dumps(t, group="none").splitlines() if line.startswith("    - ")]
    assert facts == [
        "    - Tags: \\*a, x",
        "    - Tags: x, \\*a",
        "    - Tags: \\*a, x",
        "    - Tags: \\*a, x",
        "    - Tags: \\*a, x",
        "    - Tags: x",
    ]


@pytest.mark.parametrize("locale", [None, "ru"])
def test_a_collection_is_written_item_by_item_as_value_words_writes_it(locale: str | None) -> None:
    """The exporter remembers the words of each item of a collection: the
    whole is what ``value_words`` makes of it, whatever the items, and equal
    items of different types are not confused."""
    from timeline.default_plugins.organisations import MeetingFormat

    @attrs.frozen(kw_only=True)
    class Listed(Event):
        kind: ClassVar[str] = "listed"
        things: tuple[Any, ...] = attrs.field(default=(), metadata=label("Things"))

    values: list[tuple[Any, ...]] = [
        (True, 1, 1.0, "1", False, 0, ""),
        ("KZ", "a_b*", "KZ", None, Date(2008, 1), MeetingFormat.IN_PERSON, "in-person"),
        ((1, True), ["KZ", "x|y"], ("CN", ("RU",)), {"k": 1}),
        (1, True, 1, True),
        (),
    ]
    t = Timeline(events=[
        Listed(id=f"l{i}", title="L", start="2001", things=things)
        for i, things in enumerate(values * 2)
    ])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the untranslated texts
        text = dumps(t, group="none", locale=locale)
    facts = [line for line in text.splitlines() if line.startswith("    - ")]
    expected = [
        words
        for things in values * 2
        if (words := value_words(things, markup=lambda _, w: one_line(w), locale=locale))
    ]
    assert [fact.split(": ", 1)[1] for fact in facts] == expected
    assert expected[0] == ("yes, 1, 1.0, 1, no, 0" if locale is None else "да, 1, 1.0, 1, нет и 0")


# -- in the reader's language (docs/languages.md) ---------------------------------------------


def _summits() -> Timeline:
    from timeline.default_plugins.organisations import Summit

    return Timeline(title="Summits", events=[
        Summit(id="astana", title="Astana summit", start="2024-07-03", end="2024-07-04",
               organisation="SCO", host="KZ", participants=("CN", "KZ", "RU"),
               place=Place(name="Astana", country="KZ"),
               sources=(Source(url="https://example.org/a", accessed="2024-07-05"),)),
        Event(id="day", title="Founding day", start="2001-06-15", recurrence="FREQ=YEARLY",
              notes="Kept every year.", tags=("anniversary",)),
        Event(id="c", title="Talks", start="1996~"),
    ])  # fmt: skip


RUSSIAN = """\
# Summits

## 1996

- **ок. 1996** — Talks

## 2001

- **15 июня 2001\u202fг.** — Founding day

    - Метки: anniversary
    - Повторяется: ежегодно

    Примечания: Kept every year.

## 2024

- **3—4 июля 2024\u202fг.** — Astana summit

    - Место: Astana, Казахстан
    - Организация: SCO
    - Принимающая сторона: Казахстан
    - Участники: Китай, Казахстан и Россия
    - Формат: очно

    Источник:

    1. <https://example.org/a>, дата обращения: 5 июля 2024\u202fг.
"""

CHINESE_TABLE = """\
# Summits

## 1996年

| 日期 | 事件 | 地点 | 详情 | 注释 | 来源 |
| --- | --- | --- | --- | --- | --- |
| 约1996年 | Talks |  |  |  |  |

## 2001年

| 日期 | 事件 | 地点 | 详情 | 注释 | 来源 |
| --- | --- | --- | --- | --- | --- |
| 2001年6月15日 | Founding day |  | 标签：anniversary; 重复：每年 | Kept every year. |  |

## 2024年

| 日期 | 事件 | 地点 | 详情 | 注释 | 来源 |
| --- | --- | --- | --- | --- | --- |
| 2024年7月3日\u2009–\u20094日 | Astana summit | Astana，哈萨克斯坦 | 组织：SCO; 主办方：哈萨克斯坦; 参与方：中国、哈萨克斯坦和俄罗斯; 形式：线下 |  | <https://example.org/a>，访问于2024年7月5日 |
"""


def test_a_locale_writes_dates_countries_and_labels_in_its_language() -> None:
    # The data has no translations: its texts are English, and the exporter says so.
    said = r"^6 texts have no {} translation and are in English \(name 1, notes 1, title 4\)$"
    with pytest.warns(timeline.ExportWarning, match=said.format("Russian")):
        assert timeline.dumps(_summits(), "markdown", locale="ru") == RUSSIAN
    with pytest.warns(timeline.ExportWarning, match=said.format(r"Chinese \(Simplified\)")):
        chinese = timeline.dumps(_summits(), "markdown", locale="zh_hans", style="table")
    assert chinese == CHINESE_TABLE


def test_without_a_locale_the_document_is_the_librarys_english() -> None:
    english = timeline.dumps(_summits(), "markdown")
    assert "- **3-4 July 2024** — Astana summit" in english
    assert "    - Participants: China, Kazakhstan, Russia\n" in english
    assert timeline.dumps(_summits(), "markdown", locale=None) == english


def test_an_unknown_locale_is_an_option_error() -> None:
    with pytest.raises(timeline.OptionError, match="option 'locale': unknown locale 'xx'"):
        timeline.dumps(_summits(), "markdown", locale="xx")


def test_a_right_to_left_document_isolates_text_that_runs_the_other_way() -> None:
    """In Persian, the English title and place name are isolated (FSI ... PDI),
    so that their punctuation stays with them; Persian text is not; the
    isolates change nothing of the document's structure."""
    import re

    from markdown_it import MarkdownIt

    t = Timeline(title="Summits", events=[
        Event(id="en", title="Astana summit (2024)", start="2024-07-03",
              place=Place(name="Astana", country="KZ")),
        Event(id="fa", title="نشست آستانه", start="2024-07-04"),
    ])  # fmt: skip
    with pytest.warns(timeline.ExportWarning, match="^4 texts have no Persian translation"):
        persian = timeline.dumps(t, "markdown", locale="fa")
    assert "- **۳ ژوئیه ۲۰۲۴** — \u2068Astana summit (2024)\u2069\n" in persian
    assert "    - مکان: \u2068Astana\u2069، قزاقستان\n" in persian
    assert "- **۴ ژوئیه ۲۰۲۴** — نشست آستانه\n" in persian
    for line in persian.splitlines():
        assert line.count("\u2068") == line.count("\u2069")
    with pytest.warns(timeline.ExportWarning, match="^4 texts have no Russian translation"):
        russian = timeline.dumps(t, "markdown", locale="ru")
    assert "\u2068" not in russian.replace("\u2068نشست آستانه\u2069", "")
    tags = re.compile(r"<[a-z0-9]+")
    render = MarkdownIt("commonmark").render
    assert tags.findall(render(persian)) == tags.findall(render(russian))
