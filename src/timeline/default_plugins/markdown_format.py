"""The Markdown format: a timeline as a document that people read, in three
styles (``list``, ``table``, ``mermaid``), grouped under headings. Text from
the data never becomes markup: it is escaped for the place it lands in, the
same way for CommonMark, GitHub and Python-Markdown. See docs/markdown.md.
"""

from __future__ import annotations

import enum
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TextIO, TypeVar, cast

from ..dates import Date
from ..errors import ExportWarning, OptionError
from ..formats import EventWriter, Exporter, Option, locale_option
from ..hookspecs import hookimpl
from ..locales import N_
from ..model import Event, Place, Source, kind_fields
from ..timelines import Grouping, Timeline, group_key
from ..translations import TextsIn
from ..words import (
    country_words,
    date_words,
    decade_words,
    direction_of,
    field_label,
    kind_words,
    list_words,
    month_words,
    place_words,
    recurrence_words,
    span_words,
    translate,
    value_words,
    year_words,
)

_STYLES: Final = ("list", "table", "mermaid")
_GROUPS: Final = ("year", "decade", "month", "kind", "none")
_AFTER: Final = ("list", "table", "none")
_MAX_LEVEL: Final = 5


class MarkdownExporter(Exporter):
    """Writes a timeline as Markdown for people to read (``docs/markdown.md``)."""

    name = "markdown"
    suffixes = (".md", ".markdown")
    media_type = "text/markdown"
    description = "A document to read: a list, a table or a Mermaid diagram, grouped by year."
    options = (
        Option("style", str, default="list", choices=_STYLES,
               help="list: an item per event; table: a GFM table; mermaid: a Mermaid timeline"),
        Option("group", str, default="year", choices=_GROUPS,
               help="the headings the events are grouped under"),
        Option("after-diagram", str, default="list", choices=_AFTER,
               help="what follows the diagram in the mermaid style"),
        Option("notes", bool, default=True, help="show the events' notes"),
        Option("country-codes", bool, default=False,
               help="show country codes (KZ) instead of names (Kazakhstan)"),
        Option("level", int, default=1,
               help=f"the heading level of the title (1-{_MAX_LEVEL}); groups are one deeper"),
        locale_option(),
    )  # fmt: skip

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        """Write the document through the writer of :meth:`event_writer`,
        one block (a heading, an event, a table row, a diagram line) at a
        time, so that the two ways write the same text."""
        writer = self.event_writer(timeline, out, options)
        for event in timeline.events:
            writer.write(event)
        writer.close()

    def event_writer(
        self, header: Timeline, out: TextIO, options: Mapping[str, Any]
    ) -> EventWriter:
        """A writer of the document, event by event, with every option. What
        comes after the events but depends on them is kept in unnamed
        temporary files until :meth:`~timeline.formats.EventWriter.close`:
        the list or table that follows a diagram, and the groups of
        ``group=kind``. See "Streaming" in docs/markdown.md."""
        level = options["level"]
        if not 1 <= level <= _MAX_LEVEL:
            raise OptionError(f"option 'level' is from 1 to {_MAX_LEVEL}, not {level}")
        return _Writer(header, out, options)


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(MarkdownExporter())


# -- escaping text for Markdown ------------------------------------------------------------

# What may need escaping at all; most text has none of it, nor "://" or "www.",
# and is passed through.
_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~${^=:@]")
# Backslash escapes only for characters that Python-Markdown escapes without
# any extension (its ESCAPED_CHARS); an extension adds its own (tables `|`,
# pymdownx.caret `^`, pymdownx.emoji `:`) only when it is on, so that elsewhere
# "\|" would show its backslash. Every other character is a character reference.
# Each alternative starts with the character it escapes (a lookbehind comes
# after it), so that the regex engine skips to the next of those characters
# at C speed instead of trying every alternative at every character; for the
# same reason the characters always escaped are alternatives of their own,
# not a class (tests/formats/markdown/test_escape.py holds the plain form).
_ESCAPE = re.compile(
    r"\\|`|\*|\[|\]|\||<|>|~|\$|\^|\{"
    # `_` matters only next to something that is not a letter or digit: `snake_case` stays.
    r"|_(?<![^\W_]_)|_(?![^\W_])"
    r"|&(?=#|[A-Za-z0-9]+;)"
    # GitHub links ftp:// (and http:// not made a link here) addresses in text,
    # taking what follows as raw text, and pymdownx.magiclink ftps:// ones too;
    # a character reference stops them.
    r"|:(?<=[Ff][Tt][Pp]:)(?=//)|:(?<=[Ff][Tt][Pp][Ss]:)(?=//)"
    r"|:(?<=[Hh][Tt][Tt][Pp]:)(?=//)|:(?<=[Hh][Tt][Tt][Pp][Ss]:)(?=//)"
    # ...and www. addresses (lower case only), taking a character reference
    # that follows as raw text.
    r"|\.(?<=www\.)(?<![^\W_]www\.)"
    # The extensions of Python-Markdown that Material for MkDocs recommends:
    # `==mark==` (pymdownx.mark, and `===` tabs of pymdownx.tabbed), an
    # `:emoji:` shortcode (pymdownx.emoji) and a bare email address
    # (pymdownx.magiclink). `{` starts attributes (attr_list), `^` is
    # pymdownx.caret's, and `~` pymdownx.tilde's.
    r"|=(?==)|:(?=[-+\w]+:)|@(?<=[-+\w]@)"
)
_REPLACE: Final = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "{": "\\{",
    "|": "&#124;", "<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;", "$": "&#36;",
    "^": "&#94;", "=": "&#61;", ":": "&#58;", "@": "&#64;", ".": "\\.",
}  # fmt: skip
# What starts a block when it starts a line: a heading, a list item, a
# thematic break (the character after the match is escaped: `1\.`); and with
# Python-Markdown's extensions an admonition (`!!!`, admonition), a
# collapsible block (`???`, pymdownx.details) or a definition (`: `, def_list).
_LINE_START = re.compile(r"\d+(?=[.)])|(?=[#+-]|!!!|\?\?\?|: )")
_START_REPLACE: Final = {"?": "&#63;", ":": "&#58;"}
_BLOCK_MARKS: Final = frozenset("#+-!?:")
# The `#`s that would close a heading.
_CLOSING = re.compile(r"#+$")
# http(s) URLs in prose, and URLs that may be written as <url>: nothing that
# a renderer could read as markup, and no brackets (markdown-it reads
# "http://[x]" as an IPv6 host and drops them from the text).
_HTTP_URL = re.compile(r"https?://[^\s<>|`\\\"\[\]]+", re.IGNORECASE)
_TRAILING = ".,:;!?'*_~"
_LINK_SCHEMES = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
# Characters percent-encoded in a link destination so that it stays one destination.
_DESTINATION = re.compile(r"[\s()<>\\`\"|{}^]")
# A `&` that a renderer would read as a character reference.
_REFERENCE = re.compile(r"&(?=#|[A-Za-z0-9]+;)")
# A percent-escape that markdown-it shows decoded in the text of an autolink
# (`%21` as `!`, `%C3%A9` as `é`), where the others show it as written: all
# but those of the characters `;/?:@&=+$,#%`, which it keeps.
_SHOWN_DECODED = re.compile(r"%(?!2[3-6BCF]|3[ABDF]|40)[0-9A-Fa-f]{2}")


def _escape_char(match: re.Match[str]) -> str:
    return _REPLACE[match.group()]


def escape(text: str, *, links: bool = True) -> str:
    """``text`` as Markdown that shows it as it is, on one line.

    With ``links``, bare ``http(s)`` URLs become autolinks. Newlines are not
    handled here: callers split text into lines first. A tab is a space, as
    everywhere in the document: Python-Markdown would expand it to a tab stop.
    """
    if "\t" in text:
        text = text.replace("\t", " ")
    if "://" not in text:
        if "www." not in text and _SPECIAL.search(text) is None:
            return text
        return _ESCAPE.sub(_escape_char, text)
    if not links:
        return _ESCAPE.sub(_escape_char, text)
    parts: list[str] = []
    position = 0
    for match in _urls(text):
        url = match.group()
        if url[-1] in _TRAILING or url[-1] == ")":
            url = _trim_url(url)
        if url.endswith("//"):
            continue
        start = match.start()
        before = _ESCAPE.sub(_escape_char, text[position:start])
        if _autolinked(url):
            link = f"<{url}>"
        else:
            link = _link(url, None)
            if before.endswith("!"):
                slashes = len(before) - 1 - len(before[:-1].rstrip("\\"))
                if slashes % 2 == 0:  # the "!" is not escaped: "![...](...)" is an image
                    before = before[:-1] + "\\!"
        parts.append(before)
        parts.append(link)
        position = start + len(url)
    parts.append(_ESCAPE.sub(_escape_char, text[position:]))
    return "".join(parts)


def _urls(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_HTTP_URL` in ``text``, as its ``finditer``
    gives them, found quicker: each holds ``://`` four or five characters
    from its start, which ``str.find`` finds at C speed."""
    match_at = _HTTP_URL.match
    find = text.find
    start = 0
    colon = find("://", 4)
    while colon >= 0:
        match = None
        if colon - 5 >= start:  # https://
            match = match_at(text, colon - 5)
        if match is None and colon - 4 >= start:  # http://
            match = match_at(text, colon - 4)
        if match is None:
            colon = find("://", colon + 1)
        else:
            yield match
            start = match.end()
            colon = find("://", start + 4)


def _trim_url(url: str) -> str:
    """Drop trailing punctuation, and a closing parenthesis that has no
    opening one in the URL: ``(see https://x.org/a).`` links ``https://x.org/a``."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _autolinked(url: str) -> bool:
    """Whether an ``http(s)`` URL (a match of :data:`_HTTP_URL`) may be
    written as ``<url>``: with nothing that a renderer would read as a
    character reference or show decoded."""
    return ("&" not in url or _REFERENCE.search(url) is None) and (
        "%" not in url or _SHOWN_DECODED.search(url) is None
    )


def is_link(url: str) -> bool:
    """Whether ``url`` may become a link: ``http``, ``https`` or ``mailto``."""
    return _LINK_SCHEMES.match(url) is not None


def _destination(url: str) -> str:
    url = _DESTINATION.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    return _REFERENCE.sub("&amp;", url) if "&" in url else url


def _link(url: str, text: str | None) -> str:
    """A link to a URL that :func:`is_link`. ``text`` is Markdown already;
    without it the URL is the text: an autolink when every renderer reads it
    the same way (an ``http(s)`` URL with nothing that a renderer could read
    as markup or a character reference), else a link with the URL as text."""
    if text is None:
        if _HTTP_URL.fullmatch(url) is not None and _autolinked(url):
            return f"<{url}>"
        text = escape(url, links=False)
    # Python-Markdown would read "[\]: x](y)" at the start of a line as a link
    # reference definition; a character reference is no "]" to it.
    text = text.replace("\\]", "&#93;")
    return f"[{text}]({_destination(url)})"


def paragraphs(text: str) -> list[str]:
    """The lines of multi-line text, each escaped to be a paragraph of its own.

    Each line is a paragraph because a newline inside a paragraph is a line
    break in GitHub comments and a space elsewhere; a blank line between
    paragraphs means the same everywhere.
    """
    if "\t" in text:
        text = text.replace("\t", " ")  # Python-Markdown would expand a tab to four spaces
    if "\n" not in text:
        text = text.strip()
        return [block_start(escape(text))] if text else []
    return [block_start(escape(line)) for line in map(str.strip, text.split("\n")) if line]


def block_start(markdown: str) -> str:
    """Escaped text that starts a block (a line, a list item): with its first
    character escaped too when it would start a heading, a list, an
    admonition or a definition (``1\\.``, ``\\!!!``, ``&#58; ``)."""
    if not markdown or (markdown[0] not in _BLOCK_MARKS and not markdown[0].isdecimal()):
        return markdown  # what _LINE_START matches starts with one of those or a digit (\d)
    start = _LINE_START.match(markdown)
    if start is None:
        return markdown
    end = start.end()
    mark = markdown[end]
    return markdown[:end] + _START_REPLACE.get(mark, "\\" + mark) + markdown[end + 1 :]


def one_line(text: str, *, links: bool = True) -> str:
    """Multi-line text on one line (for a table cell or a list of sources)."""
    if "\t" in text:
        text = text.replace("\t", " ")
    if "\n" in text:
        text = " ".join(part for part in (p.strip() for p in text.split("\n")) if part)
    return escape(text.strip(), links=links)


# -- escaping text for a Mermaid timeline ---------------------------------------------------

_MERMAID = re.compile(r"[#:;%{}<>&`\"\n\r\t\u00b6\ufb02]")
_MERMAID_REPLACE: Final = {
    "#": "#35;", ":": "#58;", ";": "#59;", "%": "#37;", "{": "#123;", "}": "#125;",
    "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", '"': "#quot;",
    "\n": " ", "\r": " ", "\t": " ",
    # Mermaid marks its entity codes with these two while it parses.
    "\u00b6": "#182;", "\ufb02": "#64258;",
}  # fmt: skip


def mermaid_text(text: str) -> str:
    """Text as one Mermaid timeline period, event, section or title.

    ``:`` separates events, ``#`` and ``%%`` start comments, ``;`` and ``{}``
    have meanings, and a backtick could close the fence; each becomes a
    Mermaid entity code (``#58;``), which Mermaid shows as the character.
    """
    return _MERMAID.sub(lambda m: _MERMAID_REPLACE[m.group()], text).strip()


# -- the document -----------------------------------------------------------------------------

_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE_SIZE: Final = 1024
"""How many texts each cache of an export holds (of places, facts, the
items of collections and tags that events share), but the sources': the
oldest goes when it is full."""
_SOURCE_CACHE_SIZE: Final = 1_024
"""How many sources' texts an export holds (a few hundred bytes each): those
written last, which events near one another share. A timeline of a million
events may cite 100,000 sources, which no bound short of all of them would
keep, and whose texts would be most of a stream's memory."""
_CHUNK: Final = 1024
"""How many characters of a temporary file are copied to the output at a
time: about a list item, as the rest of the document is written."""


def _recall(cache: dict[_K, _V], key: _K) -> _V | None:
    """What ``cache`` holds for ``key`` (made the last used), or ``None``."""
    value = cache.pop(key, None)
    if value is not None:
        cache[key] = value
    return value


_WORDS_BY_VALUE: Final = frozenset({str, int, bool, type(None)})
"""The types of the items whose words the writer keeps by type and value:
those whose equal values have the same words."""


def _remember(cache: dict[_K, _V], key: _K, value: _V, size: int = _CACHE_SIZE) -> None:
    """Put ``value`` in ``cache``, first dropping its oldest entry when it
    holds ``size``: with :func:`_recall`, the one used longest ago; the
    caches of texts that are a function of their key alone (all but the
    places', whose lookups count untranslated texts) are read with
    ``dict.get``, quicker, and drop the one made longest ago."""
    if len(cache) >= size:
        del cache[next(iter(cache))]
    cache[key] = value


class _Document:
    """The text of one export's parts, with its options and caches of the
    text of things that events share (places, sources, facts, tags), each
    bounded by :data:`_CACHE_SIZE` (the sources' by :data:`_SOURCE_CACHE_SIZE`)."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.style: str = options["style"]
        self.group: str = options["group"]
        # What follows the diagram; without one, the style itself.
        self.after: str = options["after-diagram"] if self.style == "mermaid" else self.style
        self.notes: bool = options["notes"]
        self.codes: bool = options["country-codes"]
        self.level: int = options["level"]
        self.locale: str | None = options.get("locale")
        locale = self.locale
        self.direction: str | None = None if locale is None else direction_of(locale)
        self.words: dict[str, str] = {
            word: translate(word, locale) for word in _WORDS
        }  # this export's labels, in its language
        self.own: Callable[[Any, str], str] = getattr
        self._text: dict[str, str] = {}
        # A kind's fact by (its label, the value's class, the value); the tags' by ("Tags", tags).
        self._facts: dict[tuple[Any, ...], str] = {}
        self._items: dict[tuple[type, Any], str] = {}  # the items of the facts' collections
        # By the id of a place or source, with the object itself: while it is
        # held here, no other object has its id.
        self._places: dict[int, tuple[Place, str]] = {}
        self._sources: dict[int, tuple[Source, str]] = {}
        self._kinds: dict[type[Event], tuple[tuple[str, str], ...]] = {}
        # The words of the last event's dates, by the Date objects themselves
        # (the events come in order, and equal dates are often one object).
        self._dates: tuple[Date | None, Date | None, str] = (None, None, "")
        # "Place: " and "" around a place: the labels of the facts that
        # most events have, as the locale joins a label and its value.
        self._place_fact = _around(self.words["{label}: {value}"], self.words["Place"])
        self._one_source = f"\n    {self.heading('Source')}\n\n    1. "
        self._sources_heading = f"\n    {self.heading('Sources')}\n\n"

    # -- the whole ------------------------------------------------------------------------

    def top(self, header: Timeline) -> str:
        """The title, the timeline's description and link, as blocks
        (ending in a newline, separated by blank lines)."""
        words, own = self.words, self.own
        title = own(header, "title").strip() or words["Timeline"]
        blocks = [f"{'#' * self.level} {self.isolate(_heading(title))}\n"]
        blocks += [self.isolate(line) + "\n" for line in paragraphs(own(header, "description"))]
        if header.url is not None:
            blocks.append(self.fact("Link", self.url(header.url)) + "\n")
        return "\n".join(blocks)

    def diagram_start(self, header: Timeline) -> str:
        """A Mermaid ``timeline`` up to its first section: a section per
        group follows, a period per date and the titles of the events on
        that date as its events."""
        title = self.own(header, "title")
        return "\n```mermaid\ntimeline\n" + (
            f"    title {mermaid_text(title)}\n" if title.strip() else ""
        )

    def group_heading(self, heading: str) -> str:
        """The heading of a group of the list or the table, as a block after a blank line."""
        return f"\n{'#' * (self.level + 1)} {_heading(heading)}\n"

    def table_head(self) -> str:
        """The head of a table, as a block after a blank line."""
        words = self.words
        names = ["Date", "Event", "Place", "Details", *(["Notes"] if self.notes else []), "Sources"]
        return (f"\n| {' | '.join(one_line(words[name]) for name in names)} |\n"
                f"|{' --- |' * len(names)}\n")  # fmt: skip

    # -- the styles -----------------------------------------------------------------------

    def item(self, event: Event) -> str:
        """An event as a list item, after a blank line: the date and title,
        then the description, the facts, the notes and the sources, each
        indented by four spaces (which Python-Markdown needs and CommonMark
        allows)."""
        parts = ["\n- **", self.dates(event), "** — ", self.title(event), "\n"]
        if event.description:
            lines = paragraphs(self.own(event, "description"))
            if self.direction is not None:
                lines = [self.isolate(line) for line in lines]
            for line in lines:
                parts += ("\n    ", line, "\n")
        facts = self.facts(event)
        if facts:
            parts += ("\n    - ", "\n    - ".join(facts), "\n")
        if self.notes and event.notes:
            notes = self.own(event, "notes")
            for number, line in enumerate(map(self.isolate, paragraphs(notes))):
                parts += ("\n    ", line if number else self.fact("Notes", line), "\n")
        sources = event.sources
        if len(sources) == 1:
            parts += (self._one_source, self.source(sources[0]), "\n")
        elif sources:
            parts.append(self._sources_heading)
            for number, source in enumerate(sources, 1):
                parts += ("    ", str(number), ". ", self.source(source), "\n")
        return "".join(parts)

    def row(self, event: Event) -> str:
        """An event as a table row. Newlines become spaces and ``|`` is
        escaped, so every event stays one row with one cell per column."""
        what = self.title(event)
        description = one_line(self.own(event, "description"))
        if description:
            what += " — " + description
        place = event.place
        cells = [
            self.dates(event),
            what,
            "" if place is None else self.place(place),
            "; ".join(self.facts(event, place=False)),
        ]
        if self.notes:
            cells.append(one_line(self.own(event, "notes")))
        sources = event.sources
        if len(sources) == 1:
            cells.append(self.source(sources[0]))
        else:
            cells.append(" ".join(f"({n}) {self.source(s)}" for n, s in enumerate(sources, 1)))
        return "| " + " | ".join(cells) + " |\n"

    # -- the parts of an event ------------------------------------------------------------

    def title(self, event: Event) -> str:
        """The title, a link to the event's URL when that may be a link."""
        url = event.url
        if url is not None and is_link(url):
            return _link(url, self.isolate(escape(self.own(event, "title").strip(), links=False)))
        title = escape(self.own(event, "title").strip())
        return title if self.direction is None else _isolated(title, self.direction)

    def isolate(self, text: str) -> str:
        """In a document in a locale, text of the data that starts in the other
        direction (an English title in a Persian document, a Persian name in a
        Russian one) between the Unicode isolates FSI and PDI, so that its
        punctuation and numbers stay with it instead of being reordered with
        the words around it; renderers pass the two invisible marks through."""
        return text if self.direction is None else _isolated(text, self.direction)

    def facts(self, event: Event, *, place: bool = True) -> list[str]:
        """``Label: value`` for the place, each field the kind adds, the tags,
        the recurrence, and a URL that may not be a link."""
        facts = []
        if place and event.place is not None:
            around = self._place_fact
            text = self.place(event.place)
            facts.append(
                self.fact("Place", text) if around is None else around[0] + text + around[1]
            )
        cls = type(event)
        fields = self._kinds.get(cls)
        if fields is None:
            fields = self._kinds[cls] = _labels(cls, self.locale)
        cache = self._facts
        for name, label in fields:
            value = getattr(event, name)
            kind = value.__class__
            if not (
                kind in _WORDS_BY_VALUE
                or (kind is tuple and all(item.__class__ in _WORDS_BY_VALUE for item in value))
                or isinstance(value, enum.Enum)
            ):  # a float, an object of a plugin's...: made each time
                fact = self.kind_fact(label, value)
            else:
                key = (label, kind, value)  # the class tells True from 1
                known = cache.get(key)
                if known is None:
                    known = self.kind_fact(label, value)
                    _remember(cache, key, known)
                fact = known
            if fact:
                facts.append(fact)
        tags = event.tags
        if tags:
            # A pair, where a kind's facts are by triples: the same tags
            # (of a few, in a few orders) come again and again.
            tagged = cache.get(("Tags", tags))
            if tagged is None:
                tagged = self.fact("Tags", ", ".join(self.text(tag) for tag in tags))
                _remember(cache, ("Tags", tags), tagged)
            facts.append(tagged)
        if event.recurrence is not None:
            said = recurrence_words(event.recurrence, locale=self.locale)
            rule = said if said is not None else escape(event.recurrence)
            facts.append(self.fact("Repeats", rule))
        if event.url is not None and not is_link(event.url):
            facts.append(self.fact("Link", escape(event.url, links=False)))
        return facts

    def kind_fact(self, label: str, value: Any) -> str:
        """``Label: value`` for a field of a kind (its label escaped already),
        or ``""`` for a value of no words."""
        text = self.value(value)
        return self.fact(label, text, label=True) if text else ""

    def dates(self, event: Event) -> str:
        """When the event happened, in words. English dates hold nothing to
        escape (zone names are IANA keys); CLDR's words are escaped."""
        start, end = event.start, event.end
        last_start, last_end, last = self._dates
        if start is last_start and end is last_end:
            return last
        if self.locale is None:
            # span_words of a date alone is its date_words
            words = date_words(start) if end is None else span_words(start, end)
        else:
            words = escape(span_words(start, end, locale=self.locale), links=False)
        self._dates = (start, end, words)
        return words

    def fact(self, name: str, value: str, *, label: bool = False) -> str:
        """``Place: Shanghai, China``: one of our labels (or, with ``label``, a
        kind's label, translated and escaped already) and its value, joined as
        the locale joins them (in Chinese, with a full-width colon)."""
        return self.words["{label}: {value}"].format(
            label=name if label else self.words[name], value=value
        )

    def heading(self, name: str) -> str:
        """``Sources:``, before a list."""
        return self.words["{label}:"].format(label=self.words[name])

    def value(self, value: Any) -> str:
        """A field's value in words (:func:`timeline.words.value_words`), each
        item escaped. A country code (``KZ``) is the country's name unless the
        ``country-codes`` option says otherwise."""
        if type(value) is tuple:
            # The same as value_words of the whole, item by item: a collection
            # (the members) seldom repeats, but its items (countries) do.
            cache = self._items
            words = []
            for item in value:
                kind = item.__class__
                if kind not in _WORDS_BY_VALUE:  # a float: 0.0 == -0.0, but not their words
                    said = self.value(item)
                else:
                    key = (kind, item)  # the class tells True from 1
                    kept = cache.get(key)
                    if kept is None:
                        kept = self.value(item)
                        _remember(cache, key, kept)
                    said = kept
                if said:
                    words.append(said)
            return list_words(words, locale=self.locale)
        markup = _ESCAPED[self.direction]
        return value_words(value, country_codes=self.codes, markup=markup, locale=self.locale)

    def text(self, text: str) -> str:
        """Escaped text that many events share (a tag, a name): remembered."""
        escaped = self._text.get(text)
        if escaped is None:
            escaped = one_line(text)
            _remember(self._text, text, escaped)
        return escaped

    def place(self, place: Place) -> str:
        known = _recall(self._places, id(place))
        if known is not None:
            return known[1]
        text = self.isolate(escape(self.own(place, "name").strip()))
        if place.country is not None:
            country = (
                place.country if self.codes else country_words(place.country, locale=self.locale)
            )
            text = place_words(text, escape(country), locale=self.locale)
        _remember(self._places, id(place), (place, text))
        return text

    def source(self, source: Source) -> str:
        """``[title](url), accessed 1 November 2026. Note.``"""
        known = self._sources.get(id(source))
        if known is not None:
            return known[1]
        title = None if source.title is None else source.title.strip() or None
        link = is_link(source.url)
        if link:
            text = _link(source.url, None if title is None else escape(title, links=False))
        else:
            url = escape(source.url, links=False)
            text = url if title is None else f"{escape(title)} ({url})"
        if source.accessed is not None:
            accessed = date_words(source.accessed, locale=self.locale)
            text += self.words[", accessed {date}"].format(date=accessed)
        if source.note.strip():
            text += ". " + one_line(source.note)
        if not link:
            # It starts a list item in the list style; in a table cell the
            # escape does no harm. (A link starts with "[" or "<", which start
            # no block.)
            text = block_start(text)
        _remember(self._sources, id(source), (source, text), _SOURCE_CACHE_SIZE)
        return text

    def url(self, url: str) -> str:
        return _link(url, None) if is_link(url) else escape(url, links=False)


class _Group:
    """One group of the document as its events come: its heading, where its
    diagram lines and its list items or table rows go (the output, or an
    unnamed temporary file), and the diagram's period being written."""

    __slots__ = ("body", "diagram", "heading", "period")

    def __init__(self, heading: str | None, diagram: TextIO | None, body: TextIO | None) -> None:
        self.heading, self.diagram, self.body = heading, diagram, body
        self.period: str | None = None

    def end_period(self) -> None:
        """End the diagram's line of the period being written."""
        if self.period is not None and self.diagram is not None:
            self.diagram.write("\n")
            self.period = None


def _spool() -> TextIO:
    """An unnamed temporary file for text that is written out at the end."""
    import tempfile  # only for the parts written at the end

    return tempfile.TemporaryFile(  # closed by _copy
        "w+", encoding="utf-8", errors="surrogatepass", newline=""
    )


def _copy(spool: TextIO, out: TextIO) -> None:
    """Write what ``spool`` holds to ``out``, a chunk at a time, and close it."""
    with spool:
        spool.seek(0)
        for chunk in iter(lambda: spool.read(_CHUNK), ""):
            out.write(chunk)


class _Writer(EventWriter):
    """The document, event by event (``docs/markdown.md``, "Streaming").

    The groups of a year, a decade or a month come one after the other in
    the timeline's order, so each is written as its events come. The list
    or the table after a diagram goes to an unnamed temporary file until the
    diagram is done; with ``group=kind``, the diagram lines and the list or
    table of each kind go to temporary files of their own (a kind's events
    come among the others), written out in the order the kinds first came.
    """

    def __init__(self, header: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        self.header, self.out = header, out
        self.document = document = _Document(options)
        self.warn_after = options["after-diagram"] != "list" and document.style != "mermaid"
        self.texts = TextsIn(header.language, document.locale)
        # The data's texts in the reader's language: a translation, else the original.
        document.own = self.texts.text if self.texts.active else getattr
        self.diagram = document.style == "mermaid"
        self.by: str = document.group
        self.grouping = None if self.by == "none" else cast(Grouping, self.by)
        self.has_body = document.after != "none"
        self.count = 0
        self.key: str | None = None
        self.start_of_group: Date | None = None  # the start of the last event, but by kind
        self.current: _Group | None = None
        self.after_diagram: TextIO | None = None  # the list or table after a diagram
        self.kinds: dict[str, _Group] = {}  # group=kind: by the kind's name
        self.closed = False

    def write(self, event: Event) -> None:
        """Write ``event``: the document's start before the first one."""
        if self.closed:
            raise ValueError("the Markdown writer is closed")
        document = self.document
        if self.count == 0:
            self.start()
        self.count += 1
        group = self.group_of(event)
        if group.diagram is not None:
            dates = span_words(event.start, event.end, locale=document.locale)
            title = mermaid_text(document.own(event, "title"))
            if dates == group.period:
                group.diagram.write(f" : {title}")
            else:
                ended = "" if group.period is None else "\n"
                group.period = dates
                group.diagram.write(f"{ended}        {mermaid_text(dates)} : {title}")
        if group.body is not None:
            group.body.write(
                document.row(event) if document.after == "table" else document.item(event)
            )
        if self.texts.active:  # else it counts nothing
            self.texts.forget()

    def start(self) -> None:
        """Write what comes before the first event."""
        self.out.write(self.document.top(self.header))
        if self.diagram:
            self.out.write(self.document.diagram_start(self.header))

    def group_of(self, event: Event) -> _Group:
        """The group of ``event``; the headings of a new one are written
        (or, for a kind, its temporary files made)."""
        start = event.start
        if start is self.start_of_group and self.current is not None:
            return self.current  # a year's, a decade's or a month's key is its start's
        key = None if self.grouping is None else group_key(event, self.grouping)
        if self.by != "kind":
            self.start_of_group = start
        if self.current is not None and key == self.key:
            return self.current
        heading = None if key is None else _group_heading(self.by, event, self.document.locale)
        if self.by == "kind":
            assert key is not None
            group = self.kinds.get(key)
            if group is None:
                group = self.kinds[key] = _Group(
                    heading,
                    _spool() if self.diagram else None,
                    _spool() if self.has_body else None,
                )
        else:
            body = None
            if self.has_body:
                if self.diagram and self.after_diagram is None:
                    self.after_diagram = _spool()
                body = self.after_diagram if self.diagram else self.out
            group = _Group(heading, self.out if self.diagram else None, body)
            if self.current is not None:
                self.current.end_period()
            self.open(group)
        self.key, self.current = key, group
        return group

    def open(self, group: _Group) -> None:
        """Write the section line of a group in the diagram, and its heading
        (and a table's head) before its list or table."""
        if group.heading is not None and group.diagram is not None:
            group.diagram.write(f"    section {mermaid_text(group.heading)}\n")
        if group.body is not None:
            if group.heading is not None:
                group.body.write(self.document.group_heading(group.heading))
            if self.document.after == "table":
                group.body.write(self.document.table_head())

    def close(self) -> None:
        """Write what comes after the last event (or, for none, the start and
        ``No events.``); warn about what :meth:`MarkdownExporter.write` warns."""
        if self.closed:
            return
        self.closed = True
        out = self.out
        if self.count == 0:
            self.start_without_events()
        elif self.by == "kind":
            groups = list(self.kinds.values())
            if self.diagram:
                for group in groups:
                    assert group.diagram is not None
                    group.end_period()
                    self.open(_Group(group.heading, out, None))
                    _copy(group.diagram, out)
                out.write("```\n")
            for group in groups:
                if group.body is not None:
                    self.open(_Group(group.heading, None, out))
                    _copy(group.body, out)
        elif self.diagram:
            assert self.current is not None
            self.current.end_period()
            out.write("```\n")
            if self.after_diagram is not None:
                _copy(self.after_diagram, out)
        if self.warn_after:
            warnings.warn(
                f"option 'after-diagram' does nothing with style {self.document.style!r} "
                "(only the mermaid style has a diagram)",
                ExportWarning,
                stacklevel=2,
            )
        missing = self.texts.warning()
        if missing is not None:
            warnings.warn(missing, ExportWarning, stacklevel=2)

    def start_without_events(self) -> None:
        """Write the document of no events."""
        self.out.write(self.document.top(self.header))
        self.out.write(f"\n{self.document.words['No events.']}\n")


def _escaped(value: Any, words: str) -> str:
    """The words of a value, escaped (a markup for :func:`timeline.words.value_words`)."""
    return one_line(words)


def _around(pattern: str, label: str) -> tuple[str, str] | None:
    """What ``pattern.format(label=label, value=value)`` puts before and after
    any ``value`` (``("Place: ", "")``), or ``None`` if the pattern does more
    with the value than put it in one place."""
    marked = pattern.format(label=label, value="\0")
    if marked.count("\0") != 1 or "\0" in label:
        return None
    before, after = marked.split("\0")
    if any(pattern.format(label=label, value=v) != before + v + after for v in ("", "{x}", "ab")):
        return None
    return before, after


def _isolated(text: str, direction: str) -> str:
    if _first_strong(text) in (None, direction):
        return text
    return f"\u2068{text}\u2069"


# The markups of values: escaped, and in a document in a locale, isolated when
# the value starts in the other direction (functions of their arguments alone,
# as value_words remembers the words of values that repeat).
_ESCAPED: Final[dict[str | None, Callable[[Any, str], str]]] = {
    None: _escaped,
    "ltr": lambda value, words: _isolated(one_line(words), "ltr"),
    "rtl": lambda value, words: _isolated(one_line(words), "rtl"),
}


def _first_strong(text: str) -> str | None:
    """``ltr`` or ``rtl``: the direction of the first letter of ``text`` that
    has one (Unicode's bidirectional classes L, R and AL), if any."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _heading(text: str) -> str:
    """Heading text, escaped, with a closing run of ``#`` escaped too: every
    renderer would take it for the end of the heading (Python-Markdown even
    without a space before it)."""
    text = escape(text.strip())
    closing = _CLOSING.search(text)
    if closing is None:
        return text
    return text[: closing.start()] + "\\#" * len(closing.group())


def _labels(cls: type[Event], locale: str | None) -> tuple[tuple[str, str], ...]:
    """(field name, escaped label) for each field the kind adds; the label
    starts a list item."""
    return tuple(
        (field.name, block_start(one_line(field_label(field, locale=locale))))
        for field in kind_fields(cls)
    )


# The labels of a document, translated once an export (N_ marks them for pybabel).
_WORDS: Final = (
    N_("Timeline"), N_("No events."), N_("Date"), N_("Event"), N_("Place"), N_("Details"),
    N_("Notes"), N_("Source"), N_("Sources"), N_("Link"), N_("Tags"), N_("Repeats"),
    N_("{label}: {value}"), N_("{label}:"), N_(", accessed {date}"),
)  # fmt: skip


def _group_heading(group: str, first: Event, locale: str | None) -> str:
    """The heading of a group, from its first event (whose start gave the
    group's key): ``2001``, ``2000s``, ``June 2001``, ``Summit``."""
    start = first.start
    if group == "year" or (group == "month" and start.month is None):
        return year_words(start.year, locale=locale)
    if group == "month":
        assert start.month is not None
        return month_words(start.year, start.month, locale=locale)
    if group == "decade":
        return decade_words(start.year // 10 * 10, locale=locale)
    return kind_words(type(first), locale=locale)
