"""The HTML of slides: what the exporter writes into ``text.text`` (our own
few tags around escaped text) and how the importer reduces anyone's HTML to
plain text, description, notes and sources.

TimelineJS puts ``headline``, ``text``, media captions and credits into the
page with ``innerHTML`` (after DOMPurify); ``group`` and a slide's
``display_date`` are first reduced to their text (``stripMarkup``) and then
put in with ``innerHTML`` too, so they are escaped twice. See the plugin's
README, "Safe HTML".
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Final

__all__ = [
    "NOTES_CLASS",
    "SOURCES_CLASS",
    "LINK_CLASS",
    "LABEL_CLASS",
    "Reduced",
    "collapsed",
    "escape",
    "escape_twice",
    "is_web_url",
    "link",
    "linked",
    "plain_text",
    "reduce_html",
    "shown",
    "unescape_twice",
]

NOTES_CLASS: Final = "timeline-notes"
SOURCES_CLASS: Final = "timeline-sources"
LINK_CLASS: Final = "timeline-link"
LABEL_CLASS: Final = "timeline-label"

_WEB: Final = re.compile(r"https?://[^\s\"'<>`]+", re.IGNORECASE)
_SPACE: Final = re.compile(r"[ \t\n\f\r]+")  # HTML's white space: not a no-break space
_BLOCKS: Final = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "table", "section", "article", "header", "footer", "pre", "dd", "dt", "figure", "figcaption",
})  # fmt: skip
_HIDDEN: Final = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_VOID: Final = frozenset({
    "br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source",
    "track", "wbr", "param",
})  # fmt: skip


def escape(text: str) -> str:
    """``text`` as HTML that shows it as it is: ``&``, ``<``, ``>`` and both
    quotes as character references."""
    return html.escape(text, quote=True)


def collapsed(text: str) -> str:
    """``text`` as HTML shows it: each run of white space (HTML's: spaces,
    tabs, line breaks, not a no-break space) one space, none at the ends.
    What the exporter writes is collapsed so, so that reading it back gives
    the same text."""
    return _SPACE.sub(" ", text).strip()


def shown(text: str) -> str:
    r"""``text`` as HTML that shows it as a browser would show the text:
    :func:`collapsed`, then :func:`escape`\ d."""
    return escape(collapsed(text))


def escape_twice(text: str) -> str:
    """``text`` for a field that TimelineJS reduces to its text and then puts
    into the page as HTML (``group``, a slide's ``display_date``)."""
    return escape(shown(text))


def is_web_url(url: str) -> bool:
    """Whether ``url`` may be a link: an ``http`` or ``https`` URL with
    nothing in it that could end an attribute."""
    return _WEB.fullmatch(url) is not None


def link(url: str, text: str) -> str:
    """A link that opens in a new tab without giving the page a handle on
    ours (``rel="noopener"``), as TimelineJS makes its own; ``url`` must
    :func:`is_web_url`."""
    return f'<a href="{escape(url)}" target="_blank" rel="noopener">{shown(text)}</a>'


_URL_IN_TEXT: Final = re.compile(r"https?://[^\s\"'<>`]+", re.IGNORECASE)
_TRAILING: Final = ".,:;!?'*"


def linked(text: str) -> str:
    """``text`` escaped, with the http(s) URLs in it as links to themselves
    (the punctuation after a URL, and a closing parenthesis it does not
    open, left out of it).

    >>> print(linked("see https://sco.org/a). <b>"))
    see <a href="https://sco.org/a" target="_blank" rel="noopener">https://sco.org/a</a>). &lt;b&gt;
    """
    text = collapsed(text)
    parts: list[str] = []
    position = 0
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group()
        while url and (
            url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))
        ):
            url = url[:-1]
        if url.endswith("//"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(link(url, url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return "".join(parts)


def plain_text(markup: str) -> str:
    """The text that ``markup`` shows, on one line: tags left out, character
    references read, white space collapsed.

    >>> plain_text("<b>SCO</b> &amp; <i>ASEAN</i>\\n summit")
    'SCO & ASEAN summit'
    """
    reduced = reduce_html(markup)
    return " ".join(line for line in (*reduced.description, *reduced.notes) if line)


def unescape_twice(text: str) -> str:
    """The text a ``group`` or slide ``display_date`` shows in TimelineJS:
    reduced to its text, then read as HTML again.

    >>> unescape_twice("A &amp;amp; B"), unescape_twice("<b>A</b> &amp; B")
    ('A & B', 'A & B')
    """
    return plain_text(plain_text(text))


class Reduced:
    """What a slide's HTML holds, in plain text."""

    def __init__(self) -> None:
        self.description: list[str] = []
        """Its lines (paragraphs, list items, lines broken by ``<br>``)."""
        self.notes: list[str] = []
        """The lines of our notes (``class="timeline-notes"``)."""
        self.sources: list[tuple[str, str]] = []
        """``(url, text)`` of our sources' list items and of other links."""
        self.links: list[tuple[str, str]] = []
        """``(url, text)`` of our link to the event's page (``class="timeline-link"``)."""


def reduce_html(markup: str) -> Reduced:
    """The plain text of a slide's ``text.text``, by what our classes say
    each part is; anyone's HTML is description, its links sources."""
    parser = _Reducer()
    parser.feed(markup)
    parser.close()
    parser.flush()
    return parser.reduced


class _Reducer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.reduced = Reduced()
        self.stack: list[tuple[str, str | None]] = []  # (tag, our class)
        self.hidden = 0
        self.words: list[str] = []
        self.href: str | None = None
        self.anchor: list[str] = []

    def role(self) -> str | None:
        for _, role in reversed(self.stack):
            if role is not None:
                return role
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden += 1
            return
        if tag == "br":
            self.flush()
            return
        if tag in _BLOCKS:
            self.flush()
        if tag == "a":
            self.href = next((value for name, value in attrs if name == "href" and value), None)
            self.anchor = []
        if tag in _VOID:
            return
        classes = next((value or "" for name, value in attrs if name == "class"), "").split()
        role = next(
            (c for c in classes if c in (NOTES_CLASS, SOURCES_CLASS, LINK_CLASS, LABEL_CLASS)),
            None,
        )
        self.stack.append((tag, role))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in _HIDDEN:
            self.handle_starttag(tag, attrs)
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if tag == "a" and self.href is not None:
            text = _SPACE.sub(" ", "".join(self.anchor)).strip()
            url = self.href.strip()
            role = self.role()
            if role == LINK_CLASS:
                self.reduced.links.append((url, text))
            elif role == SOURCES_CLASS or (role != LABEL_CLASS and text != url):
                self.reduced.sources.append((url, text))  # a URL in the text is no source
            self.href = None
        if tag in _BLOCKS:
            self.flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.words.append(data)
        if self.href is not None:
            self.anchor.append(data)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.words)).strip()
        self.words = []
        if not text:
            return
        role = self.role()
        if role == NOTES_CLASS:
            self.reduced.notes.append(text)
        elif role == LABEL_CLASS:
            pass  # our label of the notes or the sources
        elif role in (SOURCES_CLASS, LINK_CLASS):
            # a URL written as text (one that may not be a link), unless it was the link's text
            found = self.reduced.sources if role == SOURCES_CLASS else self.reduced.links
            if not found or found[-1][1] != text:
                found.append((text, text))
        else:
            self.reduced.description.append(text)
