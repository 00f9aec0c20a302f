"""The Markdown stays text with the extensions that MkDocs sites turn on.

Material for MkDocs recommends extensions of Python-Markdown that read more
syntax than CommonMark: ``attr_list`` turns ``Title {: onfocus="..." }`` at
the end of a heading or a table cell into attributes, ``pymdownx.emoji``
turns ``:smile:`` into an image, ``pymdownx.magiclink`` links bare email
addresses, and so on. Every text of ``tests/formats/markdown/extensions.json`` (the
syntax of each of those extensions) and of ``tests/formats/markdown/hostile.json``
goes into every field of an event, in every style; the document is rendered
by Python-Markdown with all of those extensions together, with each alone and
with none, and by markdown-it-py and cmark-gfm. The HTML must hold the same
elements, attributes and links as the same timeline with harmless texts
(besides links to the bare ``http(s)`` URLs of the texts, which the format
makes links on purpose), no ``on*`` attribute and no link but ``http(s)``,
``mailto`` and ``#``; and it must show every text as it is.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Final

import attrs
import markdown as python_markdown
import pytest
from helpers import markdown as md
from helpers.data import DataFolder
from hypothesis import given
from hypothesis import strategies as st

import timeline
from timeline import Event, Place, Source, Timeline
from timeline.countries import country_name
from timeline.default_plugins.markdown_format import block_start, escape, is_link
from timeline.model import label

STYLES = ("list", "table", "mermaid")

# The extensions Material for MkDocs recommends that read Markdown syntax,
# with the settings it recommends for them.
MATERIAL: Final[dict[str, dict[str, Any]]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.caret": {},
    "pymdownx.details": {},
    "pymdownx.emoji": {},
    "pymdownx.magiclink": {},
    "pymdownx.mark": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.tilde": {},
}
# All together, each alone, and none (Python-Markdown as it comes).
CONFIGS: Final[dict[str, tuple[str, ...]]] = {
    "all": tuple(MATERIAL),
    **{name: (name,) for name in MATERIAL},
    "none": (),
}


@functools.cache
def _python_markdown(config: str) -> python_markdown.Markdown:
    names = CONFIGS[config]
    return python_markdown.Markdown(
        extensions=list(names), extension_configs={name: MATERIAL[name] for name in names}
    )


def render_python_markdown(config: str, text: str) -> str:
    converter = _python_markdown(config)
    converter.reset()  # abbreviations and footnotes are kept per document
    return converter.convert(text)


# The extensions of each Python-Markdown renderer.
EXTENSIONS_OF: Final = {f"python-markdown[{config}]": names for config, names in CONFIGS.items()}
RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it": md.render_markdown_it,
    "github": md.render_github,
    **{f"python-markdown[{config}]": functools.partial(render_python_markdown, config)
       for config in CONFIGS},
}  # fmt: skip


CORPORA: Final = ("extensions", "hostile")
"""The texts and URLs of ``extensions.json`` and ``hostile.json``."""


# -- a timeline of hostile texts, and its harmless twin ----------------------------------------


def harmless(text: str) -> str:
    """Text of the same lines, each blank where ``text``'s is, with nothing to escape."""
    return "\n".join("plain words" if line.strip() else line for line in text.split("\n"))


def corpus_timeline(texts: list[str], urls: list[str], make: Callable[[str], str]) -> Timeline:
    """An event per text, with ``make(text)`` in every field that is shown
    as text, of each kind in turn (:func:`helpers.markdown.text_events`), and
    the URLs as links and sources (the same in both twins: what a URL becomes
    is the point of other tests)."""
    events = md.text_events([make(raw) for raw in texts], urls, prefix="text")
    return Timeline(
        title=md.one_line(make(texts[0])),
        description=make(texts[-1]),
        url=urls[-2],
        events=events,
    )


def twins(data: dict[str, list[str]]) -> tuple[Timeline, Timeline]:
    return (
        corpus_timeline(data["texts"], data["urls"], lambda text: text),
        corpus_timeline(data["texts"], data["urls"], harmless),
    )


# -- what the HTML may hold ---------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop these from a URL before they read its scheme.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")


def scheme(url: str) -> str:
    """The scheme of a URL as a browser reads it (``""`` for a relative one)."""
    found = _SCHEME.match(_IGNORED_IN_URLS.sub("", url))
    return "" if found is None else found.group(1).lower()


Signature = tuple[str, tuple[str, ...], str | None]


def signatures(doc: md.Node) -> Counter[Signature]:
    """Each element as its tag, the names of its attributes and the scheme of
    its link, counted."""
    found: Counter[Signature] = Counter()
    for node in doc.walk():
        link = node.attributes.get("href", node.attributes.get("src"))
        link_scheme = None if link is None else scheme(link)
        found[(node.tag, tuple(sorted(node.attributes)), link_scheme)] += 1
    return found


# A bare http(s) URL in prose is a link on purpose; GitHub also links bare
# email and xmpp: addresses (after rendering, so no escape stops it).
_PROSE_LINKS: Final = {("a", ("href",), "http"), ("a", ("href",), "https")}
_GITHUB_LINKS: Final = {("a", ("href",), "mailto"), ("a", ("href",), "xmpp")}


def check_elements(doc: md.Node, twin: md.Node, renderer: str) -> None:
    """The elements, attributes and links of the harmless twin, and no others
    but links to bare http(s) URLs."""
    for node in doc.walk():
        handlers = [name for name in node.attributes if name.lower().startswith("on")]
        assert handlers == [], f"{renderer}: <{node.tag} {' '.join(handlers)}>"
        for name in ("href", "src"):
            if name in node.attributes:
                url = node.attributes[name]
                allowed = {"http", "https", "mailto", ""}
                if renderer == "github":
                    allowed.add("xmpp")
                assert scheme(url) in allowed, f"{renderer}: <{node.tag} {name}={url!r}>"
                assert scheme(url) or url.startswith("#"), f"{renderer}: {name}={url!r}"
    extra = signatures(doc)
    extra.subtract(signatures(twin))
    allowed_extra = _PROSE_LINKS | (_GITHUB_LINKS if renderer == "github" else set())
    for (tag, attributes, link), count in sorted(extra.items(), key=repr):
        shown = f"<{' '.join((tag, *attributes))}>" + ("" if link is None else f" to {link}:")
        assert count >= 0, f"{renderer}: {-count} {shown} fewer than with harmless texts"
        assert count == 0 or (tag, attributes, link) in allowed_extra, (
            f"{renderer}: {count} {shown} that harmless texts do not make"
        )


def shown_texts(t: Timeline) -> Iterator[str]:
    """Each text of the data that the document shows, a line at a time, as
    a reader sees it."""
    yield md.one_line(t.title).strip()
    yield from md.lines(t.description)
    if t.url is not None:
        yield t.url
    for event in t.events:
        yield md.one_line(event.title).strip()
        yield from md.lines(event.description)
        yield from md.lines(event.notes)
        if event.place is not None:
            yield md.place_text(event.place)
        yield from (tag.strip() for tag in event.tags)
        for field in ("organisation", "host", "member"):
            value = getattr(event, field, None)
            if value is not None:
                yield md.one_line(value).strip()
        for field in ("members", "participants"):
            for value in getattr(event, field, ()):
                yield country_name(value) if value == "KZ" else md.one_line(value).strip()
        if event.url is not None and not is_link(event.url):
            yield event.url
        for source in event.sources:
            yield md.source_text(source)


def check_text(doc: md.Node, t: Timeline, renderer: str) -> None:
    text = doc.text()
    for shown in shown_texts(t):
        assert shown in text, f"{renderer}: {shown!r} is not shown as it is"


def check_structure(doc: md.Node, t: Timeline, renderer: str, style: str) -> None:
    """Where the renderer makes the style's structure (a table needs the
    tables extension), the structure of the data with exactly its texts."""
    heads = [(tag, text.removesuffix("\N{PILCROW SIGN}")) for tag, text in md.headings(doc)]
    assert heads == md.expected_headings(t), renderer
    if style == "table":
        if "tables" not in EXTENSIONS_OF.get(renderer, ("tables",)):
            assert doc.elements("table") == []
            return
        md.check_table(doc, t, renderer)
    else:
        md.check_list(doc, t, renderer)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("corpus", CORPORA)
def test_only_the_elements_of_harmless_texts(
    corpus: str, renderer: str, style: str, markdown_files: DataFolder
) -> None:
    hostile, twin = twins(markdown_files.read_json(f"{corpus}.json"))
    render = RENDERERS[renderer]
    doc = md.tree(render(timeline.dumps(hostile, "markdown", style=style)))
    check_elements(doc, md.tree(render(timeline.dumps(twin, "markdown", style=style))), renderer)
    check_text(doc, hostile, renderer)
    check_structure(doc, hostile, renderer, style)


# -- the labels of a plugin's kind ----------------------------------------------------------

# A label starts a list item in the list style: what would start a block.
LABELS: Final = ("!!! note", "??? note", ": a definition", "[x] done", "*[HTML]: abbr",
                 "[^1]: a note", '{: onclick="alert(1)" }', "==mark== ^^ins^^ :smile:",
                 "1) a list", "# a heading", "- an item", "<b>bold</b>")  # fmt: skip


@attrs.frozen(kw_only=True)
class _Labelled(Event):
    """A kind that a plugin adds, with a field under each label."""

    kind: ClassVar[str] = "labelled"


def labelled_kind(labels: tuple[str, ...]) -> type[Event]:
    fields = {f"field_{i}": attrs.field(default="", metadata=label(text))
              for i, text in enumerate(labels)}  # fmt: skip
    return attrs.make_class("Labelled", fields, bases=(_Labelled,), frozen=True, kw_only=True)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_labels_of_a_plugin_kind_stay_text(renderer: str, style: str) -> None:
    def make(labels: tuple[str, ...]) -> Timeline:
        kind = labelled_kind(labels)
        values = {f"field_{i}": "value" for i in range(len(labels))}
        return Timeline(events=[kind(id="e", title="E", start="2001", **values)])

    t, twin = make(LABELS), make(tuple(harmless(text) for text in LABELS))
    render = RENDERERS[renderer]
    doc = md.tree(render(timeline.dumps(t, "markdown", style=style)))
    check_elements(doc, md.tree(render(timeline.dumps(twin, "markdown", style=style))), renderer)
    for text in LABELS:
        assert f"{text}: value" in doc.text(), renderer
    check_structure(doc, t, renderer, style)


# -- the payload of the issue -------------------------------------------------------------------

ATTRIBUTES = 'Title {: onfocus="alert(1)" autofocus }'


@pytest.mark.parametrize("config", ["all", "attr_list"])
def test_attributes_after_a_heading_stay_text(config: str) -> None:
    t = Timeline(title=ATTRIBUTES, events=[Event(id="e", title=ATTRIBUTES, start="2001")])
    text = timeline.dumps(t, "markdown")
    assert text.startswith('# Title \\{: onfocus="alert(1)" autofocus }\n')
    doc = md.tree(render_python_markdown(config, text))
    (h1,) = doc.elements("h1")
    assert sorted(h1.attributes) == (["id"] if "toc" in CONFIGS[config] else [])
    assert h1.text().removesuffix("\N{PILCROW SIGN}") == ATTRIBUTES


@pytest.mark.parametrize("config", ["all", "attr_list"])
def test_attributes_at_the_end_of_a_table_cell_stay_text(config: str) -> None:
    event = Event(id="e", title=ATTRIBUTES, start="2001", place=Place(name=ATTRIBUTES),
                  notes=ATTRIBUTES, sources=(Source(url="javascript:x", title=ATTRIBUTES),))  # fmt: skip
    text = timeline.dumps(Timeline(events=[event]), "markdown", style="table")
    assert text.endswith(
        '| 2001 | Title \\{: onfocus="alert(1)" autofocus } | Title \\{: onfocus="alert(1)" '
        'autofocus } |  | Title \\{: onfocus="alert(1)" autofocus } | Title \\{: onfocus="alert(1)" '
        "autofocus } (javascript:x) |\n"
    )
    names = ["attr_list", "tables"] if config == "attr_list" else list(MATERIAL)
    doc = md.tree(python_markdown.markdown(text, extensions=names))
    (row,) = doc.elements("table")[0].elements("tbody")[0].elements("tr")
    cells = row.elements("td")
    assert [cell.attributes for cell in cells] == [{}] * 6
    assert [cell.text() for cell in cells] == [
        "2001", ATTRIBUTES, ATTRIBUTES, "", ATTRIBUTES, f"{ATTRIBUTES} (javascript:x)"]  # fmt: skip


# -- the escapes, one at a time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("a {: .x} b", "a \\{: .x} b"),
        ("a | b", "a &#124; b"),
        ("==mark== a=b", "&#61;=mark&#61;= a=b"),
        ("===", "&#61;&#61;="),
        ("^^ins^^ x^2", "&#94;&#94;ins&#94;&#94; x&#94;2"),
        (":smile: :+1: a:b: 10:30", "&#58;smile: &#58;+1: a&#58;b: 10:30"),
        (":a:b:", "&#58;a&#58;b:"),
        ("someone@example.org and @name", "someone&#64;example.org and @name"),
        ("!!! note ??? note : x", "!!! note ??? note : x"),
    ],
)  # fmt: skip
def test_escape(text: str, markdown: str) -> None:
    assert escape(text) == markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("!!! note", "\\!!! note"),
        ("!! two", "!! two"),
        ("??? note", "&#63;?? note"),
        ("???+ note", "&#63;??+ note"),
        (": a definition", "&#58; a definition"),
        (":no space", ":no space"),
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
    ],
)  # fmt: skip
def test_block_start(text: str, markdown: str) -> None:
    assert block_start(escape(text)) == markdown


# -- any text at all ----------------------------------------------------------------------------

_extension_syntax = st.lists(
    st.sampled_from([*"{}:=^~!?@#|[]*_-+`<>&.\\ aZ1\n", "{:", "{: onclick=x }", "==", "^^",
                     ":smile:", ":+1:", "!!! note", "??? note", ": ", "[^1]", "[^1]: ",
                     "*[HTML]: ", "HTML", "[TOC]", "[ ] ", "[x] ", "a@b.org", "www.x.org",
                     "https://x.org/a", 'markdown="1"', "```", "~~~", "=== "]),
    min_size=1, max_size=25,
).map("".join)  # fmt: skip


@given(_extension_syntax.filter(lambda s: s.strip() and "\n" not in s), _extension_syntax)
def test_any_text_stays_text_with_the_extensions(title: str, description: str) -> None:
    def make(title: str, description: str) -> Timeline:
        return Timeline(title=title, events=[Event(
            id="e", title=title, start="2001-06-15", description=description, notes=description,
            place=Place(name=title), tags=(title,),
            sources=(Source(url="https://example.org/s", title=title, note=description),),
        )])  # fmt: skip

    t, twin = make(title, description), make(harmless(title), harmless(description))
    for style in STYLES:
        for renderer in ("python-markdown[all]", "markdown-it", "github"):
            render = RENDERERS[renderer]
            doc = md.tree(render(timeline.dumps(t, "markdown", style=style)))
            check_elements(doc, md.tree(render(timeline.dumps(twin, "markdown", style=style))),
                           renderer)  # fmt: skip
            check_text(doc, t, renderer)
            check_structure(doc, t, renderer, style)
