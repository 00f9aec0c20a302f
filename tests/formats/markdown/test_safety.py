"""Nothing in the data can break the Markdown document.

Every text of ``tests/formats/markdown/hostile.json`` goes into every field of an
event; the SCO example and the sample timeline come along. Each document is
rendered by three Markdown implementations (markdown-it-py with CommonMark
and GFM tables, cmark-gfm as GitHub uses it, and Python-Markdown as MkDocs
uses it), and the tests assert the structure that comes out: the headings,
one list item or table row per event with the texts of the data, the link
targets, and no raw HTML. The Mermaid blocks are read by a structural check
here and by Mermaid itself (``tests/formats/markdown/mermaid``, which
``tests/helpers/node_packages.py`` installs on first use). The renderers and the
checks are in ``tests/helpers/markdown.py``.
``test_extensions.py`` renders with the extensions of Python-Markdown
that MkDocs sites turn on.

Regenerate the hostile golden files with ``TIMELINE_REGENERATE=1``.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from helpers import node_packages
from helpers.data import DataFolder
from helpers.markdown import (
    RENDERERS,
    Node,
    check_list,
    check_mermaid_structure,
    check_safe,
    check_table,
    decode_mermaid,
    diagram,
    expected_headings,
    headings,
    hostile_timeline,
    mermaid_block,
    mermaid_lines,
    one_line,
    top_level_text,
    tree,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st

import timeline
from timeline import Event, Place, Source, Timeline
from timeline.testing import sample_timeline

REGENERATE = os.environ.get("TIMELINE_REGENERATE") == "1"
STYLES = ("list", "table", "mermaid")


TIMELINES: dict[str, Callable[[], Timeline]] = {
    "sco": lambda: timeline.example("sco"),
    "sample": sample_timeline,
    "hostile": hostile_timeline,
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("name", TIMELINES)
def test_renders_to_the_structure_of_the_data(name: str, renderer: str, style: str) -> None:
    t = TIMELINES[name]()
    text = timeline.dumps(t, "markdown", style=style)
    doc = tree(RENDERERS[renderer](text))
    check_safe(doc, renderer)
    assert headings(doc) == expected_headings(t)
    blocks = doc.elements()
    assert [b.text() for b in blocks[1 : 1 + len(top_level_text(t))]] == top_level_text(t)
    if style == "mermaid":
        mermaid = diagram(doc)
        assert mermaid == mermaid_block(text)
        check_mermaid_structure(mermaid, t)
        check_list(doc, t, renderer)
    elif style == "table":
        check_table(doc, t, renderer)
    else:
        check_list(doc, t, renderer)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", TIMELINES)
def test_the_renderers_agree(name: str, style: str) -> None:
    """The same text, the same elements and the same links from all three,
    except that GitHub also links bare email and xmpp: addresses."""
    text = timeline.dumps(TIMELINES[name](), "markdown", style=style)
    shapes = {renderer: shape(tree(render(text))) for renderer, render in RENDERERS.items()}
    assert shapes["mkdocs"] == shapes["markdown-it"]
    assert shapes["github"] == shapes["markdown-it"]


def shape(doc: Node) -> list[Any]:
    """The elements, text and link targets, without the attributes on which
    the renderers differ harmlessly (ids, code block classes, GitHub's extra
    email and xmpp: links)."""

    def walk(node: Node) -> Any:
        out: list[Any] = []
        for child in node.children:
            if isinstance(child, str):
                if out and isinstance(out[-1], str):
                    out[-1] += child
                else:
                    out.append(child)
                continue
            if child.tag == "a" and _made_by_github(child):
                if out and isinstance(out[-1], str):
                    out[-1] += child.text()
                else:
                    out.append(child.text())
                continue
            key = child.tag
            if child.tag == "a":
                key = ("a", unquote(child.attributes["href"]))
            out.append((key, walk(child)))
        return out

    return walk(doc)


def _made_by_github(link: Node) -> bool:
    """Whether GitHub may have made the link of bare text: an email or an
    xmpp: address. (Flattened in every renderer's tree.)"""
    return link.attributes["href"].lower().startswith(("mailto:", "xmpp:"))


# -- Mermaid ------------------------------------------------------------------------------------


def test_mermaid_itself_reads_every_event(markdown_files: DataFolder) -> None:
    """Mermaid's own parser (run under Node) finds every section, period and
    event, with the texts of the data."""
    node = node_packages.installed(markdown_files.root / "mermaid", "mermaid")
    blocks, expected = [], []
    for name, make in TIMELINES.items():
        t = make()
        for group in ("year", "none"):
            text = timeline.dumps(t, "markdown", style="mermaid", group=group)
            blocks.append(mermaid_block(text))
            expected.append((name, group, t))
    check = markdown_files.path("mermaid/check.mjs")
    done = subprocess.run(
        [node, str(check)], input=json.dumps(blocks), capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    results = json.loads(done.stdout)
    assert len(results) == len(blocks)
    for result, (name, group, t) in zip(results, expected, strict=True):
        assert "error" not in result, f"{name}, group={group}: {result['error']}"
        title, sections, periods = mermaid_lines(t)
        if group == "none":
            sections = []
            periods = _ungrouped(periods)
        assert decode_mermaid(result["title"]) == one_line(title).strip()
        assert [decode_mermaid(s) for s in result["sections"]] == sections
        got = [
            (decode_mermaid(s), decode_mermaid(p), [decode_mermaid(e) for e in es])
            for s, p, es in result["periods"]
        ]
        want = [(s if group != "none" else "", p, [one_line(e).strip() for e in es])
                for s, p, es in periods]  # fmt: skip
        assert got == want, f"{name}, group={group}"


def _ungrouped(periods: list[tuple[str, str, list[str]]]) -> list[tuple[str, str, list[str]]]:
    merged: list[tuple[str, str, list[str]]] = []
    for _, period, events in periods:
        if merged and merged[-1][1] == period:
            merged[-1][2].extend(events)
        else:
            merged.append(("", period, list(events)))
    return merged


# -- any text at all ----------------------------------------------------------------------------

_markdownish = st.lists(
    st.sampled_from([*"#>-+*_=`~|[]()<>!&;:$%{}^@?\\/\"' .1aZ\t\n", "http://x.org/a_b", "&amp;",
                     "www.x.org", "javascript:", "1. ", "<b>", "ftp://x.org", "{: .x}", "==",
                     ":smile:", "!!! ", "??? ", ": ", "a@x.org"]),
    min_size=1, max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_markdownish.filter(lambda s: s.strip() and "\t" not in s and "\n" not in s),
       _markdownish)  # fmt: skip
# Found by Hypothesis: a "!" before a URL written as [url](url) made an image.
@example("t", "!http://x.org/a_b&amp;#")
@example("t", "\\!http://x.org/a_b&amp;#")
def test_any_title_and_description_stay_text(title: str, description: str) -> None:
    t = Timeline(title=title, events=[Event(
        id="e", title=title, start="2001-06-15", description=description, notes=description,
        place=Place(name=title), sources=(Source(url="https://example.org/s", title=title),),
    )])  # fmt: skip
    for style in STYLES:
        text = timeline.dumps(t, "markdown", style=style)
        for renderer, render in RENDERERS.items():
            doc = tree(render(text))
            check_safe(doc, renderer)
            assert headings(doc) == [("h1", title.strip()), ("h2", "2001")]
            if style == "table":
                check_table(doc, t, renderer)
            else:
                check_list(doc, t, renderer)
            if style == "mermaid":
                check_mermaid_structure(diagram(doc), t)


# -- golden files of the hostile timeline ------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_hostile_golden_file(style: str, markdown_files: DataFolder) -> None:
    golden = markdown_files / "golden"
    text = timeline.dumps(hostile_timeline(), "markdown", style=style)
    if REGENERATE:
        golden.write(f"hostile-{style}.md", text)
    path = golden.path(f"hostile-{style}.md")
    assert path.read_text("utf-8") == text, f"{path} differs; TIMELINE_REGENERATE=1 rewrites it"
