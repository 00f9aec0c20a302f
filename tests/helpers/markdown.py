"""What the Markdown tests share: a timeline of hostile texts, three renderers
(markdown-it-py with CommonMark and GFM tables, cmark-gfm as GitHub uses it,
Python-Markdown as MkDocs uses it) that give one tree of elements, and the
checks that a rendered document holds the structure of the data (headings,
one list item or table row per event with the texts of the data, the link
targets, no raw HTML, a Mermaid block that Mermaid's lexer reads as the
data's sections, periods and events).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import attrs
import cmarkgfm
import markdown as python_markdown
from markdown_it import MarkdownIt

from helpers.data import TESTS, DataFolder
from timeline import Accession, Date, Event, Founding, Place, Source, Summit, Timeline
from timeline.countries import country_name, is_country_code
from timeline.default_plugins.markdown_format import is_link
from timeline.model import kind_fields
from timeline.words import recurrence_words, span_words

HOSTILE = DataFolder(TESTS / "formats" / "markdown").read_json("hostile.json")
"""The hostile texts and URLs (``hostile.json`` beside the Markdown tests, which
read it through their fixture ``markdown_files``)."""


def one_line(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ")


def text_events(
    texts: list[str], urls: list[str], *, prefix: str, timed: bool = False
) -> list[Event]:
    """An event per text (ids ``<prefix>-0``, ...), with the text in every field
    it fits (its one line where one line goes), of each kind in turn, and the
    URLs in turn as its link and sources; with ``timed``, every fifth starts at
    10:30 UTC."""
    events: list[Event] = []
    for i, text in enumerate(texts):
        line = one_line(text)
        start = Date(2000 + i // 8, i % 12 + 1, 1)
        if timed and i % 5 == 4:
            start = Date.parse(f"{start.isoformat()}T10:30Z")
        common: dict[str, Any] = {
            "id": f"{prefix}-{i}",
            "title": line,
            "start": start,
            "description": text,
            "notes": text,
            "place": Place(name=line, country="KZ" if i % 2 else None),
            "tags": (line, "plain"),
            "url": urls[i % len(urls)],
            "sources": (Source(url=urls[(i + 1) % len(urls)], title=line, note=text),
                        Source(url=urls[(i + 2) % len(urls)])),
        }  # fmt: skip
        kind = i % 4
        if kind == 1:
            events.append(Founding(organisation=line, members=(line, "KZ"), **common))
        elif kind == 2:
            events.append(Accession(organisation=line, member=line, **common))
        elif kind == 3:
            events.append(Summit(organisation=line, host=line, participants=(line,), **common))
        else:
            events.append(Event(**common))
    return events


def hostile_timeline() -> Timeline:
    """An event per hostile text (:func:`text_events`), and a hostile URL as
    the timeline's link."""
    texts, urls = HOSTILE["texts"], HOSTILE["urls"]
    events = text_events(texts, urls, prefix="hostile", timed=True)
    return Timeline(
        title="Hostile <b>titles</b> | ~$5 C# [x](javascript:alert(1)) ##",
        description=texts[-3],
        url="javascript:alert(document.cookie)",
        events=events,
    )


# -- three renderers, one tree --------------------------------------------------------------


@attrs.define
class Node:
    """An element of rendered HTML."""

    tag: str
    attributes: dict[str, str] = attrs.Factory(dict)
    children: list[Node | str] = attrs.Factory(list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self, *tags: str) -> list[Node]:
        """The child elements, of the given tags if any (blank text is skipped)."""
        return [c for c in self.children if isinstance(c, Node) and (not tags or c.tag in tags)]

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.elements():
            yield from child.walk()


_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attributes})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        # <img ... />: an element, whatever its tag, with nothing in it.
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attributes}))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        # Newlines between elements are the renderers' layout, not text.
        if data.strip() or "\n" not in data:
            self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


_MARKDOWN_IT = MarkdownIt("commonmark").enable("table")


def render_markdown_it(text: str) -> str:
    tokens = _MARKDOWN_IT.parse(text)
    raw = [t for t in _all_tokens(tokens) if t.type in ("html_block", "html_inline")]
    assert raw == [], f"raw HTML passed through: {[t.content for t in raw]}"
    return _MARKDOWN_IT.renderer.render(tokens, _MARKDOWN_IT.options, {})


def _all_tokens(tokens: list[Any]) -> Iterator[Any]:
    for token in tokens:
        yield token
        yield from _all_tokens(token.children or [])


def render_github(text: str) -> str:
    # UNSAFE keeps raw HTML in the output, so that any that got through shows.
    out = cmarkgfm.github_flavored_markdown_to_html(text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    assert "raw HTML omitted" not in out
    return out


def render_mkdocs(text: str) -> str:
    # MkDocs' default extensions.
    return python_markdown.markdown(text, extensions=["toc", "tables", "fenced_code"])


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it": render_markdown_it,
    "github": render_github,
    "mkdocs": render_mkdocs,
}


def tree(rendered: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(rendered)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    assert builder.comments == [], f"an HTML comment came through: {builder.comments}"
    return builder.root


# Only these elements may come out of our Markdown; anything else is data
# that became HTML.
_ALLOWED = {"root", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "a",
            "table", "thead", "tbody", "tr", "th", "td", "pre", "code"}  # fmt: skip


def check_safe(doc: Node, renderer: str) -> None:
    for node in doc.walk():
        assert node.tag in _ALLOWED, f"{renderer}: <{node.tag}> in the output"
        if node.tag == "a":
            href = node.attributes["href"]
            schemes = ("http:", "https:", "mailto:")
            if renderer == "github":  # GitHub also links xmpp: addresses in text
                schemes += ("xmpp:",)
            assert href.lower().startswith(schemes), f"{renderer}: a link to {href!r}"
        for name in node.attributes:
            assert name in ("href", "id", "class", "lang", "title"), f"{renderer}: {name}="


# -- what the document should say ------------------------------------------------------------


def when(event: Event) -> str:
    return span_words(event.start, event.end)


def lines(text: str) -> list[str]:
    """The lines of text, as paragraphs (tabs are spaces)."""
    text = text.replace("\t", " ")
    return [line.strip() for line in text.split("\n") if line.strip()]


def flat(text: str) -> str:
    return " ".join(lines(text))


def place_text(place: Place | None) -> str:
    if place is None:
        return ""
    name = one_line(place.name).strip()
    return name + ("" if place.country is None else f", {country_name(place.country)}")


def facts(event: Event, *, place: bool = True) -> list[str]:
    found = []
    if place and event.place is not None:
        found.append(f"Place: {place_text(event.place)}")
    for field in kind_fields(type(event)):
        value = getattr(event, field.name)
        if value in (None, (), ""):
            continue
        values = value if isinstance(value, tuple) else (value,)
        words = [getattr(v, "words", None) or (country_name(v) if is_country_code(v) else v).strip()
                 for v in values]  # fmt: skip
        found.append(f"{field.metadata['label']}: {', '.join(words)}")
    if event.tags:
        found.append("Tags: " + ", ".join(tag.strip() for tag in event.tags))
    if event.recurrence:
        found.append("Repeats: " + (recurrence_words(event.recurrence) or event.recurrence))
    if event.url is not None and not is_link(event.url):
        found.append(f"Link: {event.url}")
    return [flat(f) for f in found]


def source_text(source: Source) -> str:
    title = None if source.title is None else source.title.strip() or None
    text = source.url if title is None else title
    if title is not None and not is_link(source.url):
        text += f" ({source.url})"
    if source.accessed is not None:
        text += ", accessed " + span_words(source.accessed)
    if source.note.strip():
        text += ". " + flat(source.note)
    return flat(text)


def same_url(href: str, url: str) -> bool:
    return unquote(href) == unquote(url)


def groups(t: Timeline) -> list[tuple[str, list[Event]]]:
    return [(key, list(group.events)) for key, group in t.group_by("year").items()]


def headings(doc: Node) -> list[tuple[str, str]]:
    return [(n.tag, n.text()) for n in doc.elements("h1", "h2", "h3", "h4", "h5", "h6")]


def expected_headings(t: Timeline) -> list[tuple[str, str]]:
    years = [("h2", _year_heading(events[0])) for _, events in groups(t)]
    return [("h1", one_line(t.title).strip() or "Timeline"), *years]


def _year_heading(event: Event) -> str:
    year = event.start.year
    return f"{1 - year} BCE" if year < 1 else str(year)


def top_level_text(t: Timeline) -> list[str]:
    """The paragraphs between the title and the first group."""
    found = lines(t.description)
    if t.url is not None:
        found.append(f"Link: {t.url}")
    return found


# -- the checks, per style ----------------------------------------------------------------------


def check_list(doc: Node, t: Timeline, renderer: str) -> None:
    blocks = doc.elements()
    lists = [b for b in blocks if b.tag == "ul"]
    assert len(lists) == len(groups(t))
    for ul, (_, events) in zip(lists, groups(t), strict=True):
        items = ul.elements("li")
        assert len(items) == len(events), f"{renderer}: {len(items)} items for {len(events)}"
        for li, event in zip(items, events, strict=True):
            check_item(li, event, renderer)


def check_item(li: Node, event: Event, renderer: str) -> None:
    parts = li.elements()
    if parts and parts[0].tag == "p":
        head = parts.pop(0)
    else:  # an item alone in a list, with nothing under it: no paragraph
        head, parts = li, []
    assert head.text() == f"{when(event)} — {one_line(event.title).strip()}", renderer
    assert head.elements()[0].tag == "strong"
    if event.url is not None and is_link(event.url):
        link = head.elements()[1]
        assert link.tag == "a"
        assert same_url(link.attributes["href"], event.url)
    paragraphs = [p.text() for p in parts if p.tag == "p"]
    expected = lines(event.description)
    notes = lines(event.notes)
    if notes:
        expected += [f"Notes: {notes[0]}", *notes[1:]]
    if event.sources:
        expected.append("Source:" if len(event.sources) == 1 else "Sources:")
    assert paragraphs == expected, renderer
    facts_lists = [p for p in parts if p.tag == "ul"]
    found = [li.text() for ul in facts_lists for li in ul.elements("li")]
    assert found == facts(event), renderer
    cited = [p for p in parts if p.tag == "ol"]
    if event.sources:
        (ol,) = cited
        items = ol.elements("li")
        assert [i.text() for i in items] == [source_text(s) for s in event.sources], renderer
        for item, source in zip(items, event.sources, strict=True):
            links = [a for a in item.walk() if a.tag == "a"]
            if is_link(source.url):
                assert same_url(links[0].attributes["href"], source.url), renderer
    else:
        assert cited == []


def check_table(doc: Node, t: Timeline, renderer: str) -> None:
    tables = doc.elements("table")
    assert len(tables) == len(groups(t))
    for table, (_, events) in zip(tables, groups(t), strict=True):
        (head,) = table.elements("thead")
        assert [c.text() for c in head.elements("tr")[0].elements("th")] == [
            "Date", "Event", "Place", "Details", "Notes", "Sources"]  # fmt: skip
        (body,) = table.elements("tbody")
        rows = body.elements("tr")
        assert len(rows) == len(events), f"{renderer}: {len(rows)} rows for {len(events)} events"
        for row, event in zip(rows, events, strict=True):
            cells = [c.text() for c in row.elements("td")]
            what = one_line(event.title).strip()
            if flat(event.description):
                what += " — " + flat(event.description)
            sources = [source_text(s) for s in event.sources]
            if len(sources) > 1:
                sources = [f"({n}) {s}" for n, s in enumerate(sources, 1)]
            assert cells == [
                when(event), what, place_text(event.place), "; ".join(facts(event, place=False)),
                flat(event.notes), " ".join(sources),
            ], renderer  # fmt: skip


def diagram(doc: Node) -> str:
    (pre,) = doc.elements("pre")
    (code,) = pre.elements("code")
    assert "mermaid" in (code.attributes.get("class", "") + pre.attributes.get("lang", ""))
    return code.text()


# -- Mermaid ------------------------------------------------------------------------------------

_ENTITY = re.compile(r"#(\w+);")


def mermaid_block(text: str) -> str:
    start = text.index("```mermaid\n") + len("```mermaid\n")
    return text[start : text.index("\n```\n", start) + 1]


def encode_mermaid(text: str) -> str:
    """What Mermaid does before it parses: entity codes (``#58;``, ``#lt;``)
    become placeholders that its renderer turns into character references."""

    def placeholder(match: re.Match[str]) -> str:
        mark = "\ufb02\u00b0\u00b0" if match[1].isdigit() else "\ufb02\u00b0"
        return f"{mark}{match[1]}\u00b6\u00df"

    return _ENTITY.sub(placeholder, text)


def decode_mermaid(text: str) -> str:
    """The placeholders as the characters a reader sees."""
    text = text.replace("\ufb02\u00b0\u00b0", "&#").replace("\ufb02\u00b0", "&")
    return html.unescape(text.replace("\u00b6\u00df", ";")).strip()


def mermaid_lines(t: Timeline) -> tuple[str, list[str], list[tuple[str, str, list[str]]]]:
    """The title, sections and periods (section, period, events) a diagram of
    ``t`` must hold, as text."""
    sections = []
    periods: list[tuple[str, str, list[str]]] = []
    for _, events in groups(t):
        section = _year_heading(events[0])
        sections.append(section)
        for event in events:
            if periods and periods[-1][0] == section and periods[-1][1] == when(event):
                periods[-1][2].append(event.title.strip())
            else:
                periods.append((section, when(event), [event.title.strip()]))
    return t.title.strip(), sections, periods


# The rules of the lexer of Mermaid's timeline grammar (timeline.jison) that
# our blocks meet, in its order (the first that matches wins): a comment, the
# keyword, a title, a section, an event (": " and text up to the next ": ") or
# a period (text without "#" or ":").
_LEXER = re.compile(
    r"(?P<space>[ \t]+)|(?P<comment>%%[^\n]*|#[^\n]*)|(?P<keyword>timeline)"
    r"|(?P<title>title\s[^\n]+)|(?P<section>section\s[^:\n]+)"
    r"|(?P<event>:\s(?:[^:\n]|:(?!\s))+)|(?P<period>[^#:\n]+)",
    re.IGNORECASE,
)


def parse_mermaid(block: str) -> tuple[str, list[str], list[tuple[str, str, list[str]]]]:
    """Read a timeline block as Mermaid's lexer does; fail on anything it
    would not read as title, section, period or event."""
    first, *rest = encode_mermaid(block).split("\n")
    assert first == "timeline"
    title, sections, periods = "", [], []
    section = ""
    for line in rest:
        position = 0
        while position < len(line):
            match = _LEXER.match(line, position)
            assert match is not None, f"Mermaid cannot read {line[position:]!r}"
            kind, value = match.lastgroup, match.group()
            assert kind not in ("comment", "keyword"), f"a {kind} in {line!r}"
            if kind == "title":
                title = value[6:].strip()
            elif kind == "section":
                section = value[8:].strip()
                sections.append(section)
            elif kind == "period":
                periods.append((section, value.strip(), []))
            elif kind == "event":
                assert periods, f"an event before any period in {line!r}"
                periods[-1][2].append(value[2:].strip())
            position = match.end()
    return title, sections, periods


def check_mermaid_structure(block: str, t: Timeline) -> None:
    title, sections, periods = parse_mermaid(block)
    decoded = (
        decode_mermaid(title),
        [decode_mermaid(s) for s in sections],
        [(decode_mermaid(s), decode_mermaid(p), [decode_mermaid(e) for e in es])
         for s, p, es in periods],
    )  # fmt: skip
    expected = mermaid_lines(t)
    assert decoded == (
        one_line(expected[0]).strip(),
        expected[1],
        [(s, p, [one_line(e).strip() for e in es]) for s, p, es in expected[2]],
    )
    assert not re.search(r"[;%{}<>&`]", _ENTITY.sub("", block)), "a character Mermaid reads"
