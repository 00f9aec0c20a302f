"""The Markdown format: a timeline as a document that people read, in three
styles (``list``, ``table``, ``mermaid``), grouped under headings. Text from
the data never becomes markup: it is escaped for the place it lands in, the
same way for CommonMark, GitHub and Python-Markdown. See docs/markdown.md.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TextIO

from ..errors import ExportWarning, OptionError
from ..formats import Exporter, Option, locale_option
from ..hookspecs import hookimpl
from ..locales import N_
from ..model import Event, Place, Source, kind_fields
from ..timelines import Timeline
from ..translations import TextsIn
from ..words import (
    country_words,
    date_words,
    decade_words,
    direction_of,
    field_label,
    kind_words,
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
        """Write the document, one block (a heading, an event, a table row,
        a diagram line) at a time."""
        level = options["level"]
        if not 1 <= level <= _MAX_LEVEL:
            raise OptionError(f"option 'level' is from 1 to {_MAX_LEVEL}, not {level}")
        if options["after-diagram"] != "list" and options["style"] != "mermaid":
            warnings.warn(
                f"option 'after-diagram' does nothing with style {options['style']!r} "
                "(only the mermaid style has a diagram)",
                ExportWarning,
                stacklevel=3,
            )
        _Document(out, options).write(timeline)


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
_ESCAPE = re.compile(
    r"[\\`*\[\]|<>~$^{]"
    # `_` matters only next to something that is not a letter or digit: `snake_case` stays.
    r"|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#|[A-Za-z0-9]+;)"
    # GitHub links ftp:// (and http:// not made a link here) addresses in text,
    # taking what follows as raw text, and pymdownx.magiclink ftps:// ones too;
    # a character reference stops them.
    r"|(?<=[Ff][Tt][Pp]):(?=//)|(?<=[Ff][Tt][Pp][Ss]):(?=//)"
    r"|(?<=[Hh][Tt][Tt][Pp]):(?=//)|(?<=[Hh][Tt][Tt][Pp][Ss]):(?=//)"
    # ...and www. addresses (lower case only), taking a character reference
    # that follows as raw text.
    r"|(?<=www)(?<![^\W_]www)\."
    # The extensions of Python-Markdown that Material for MkDocs recommends:
    # `==mark==` (pymdownx.mark, and `===` tabs of pymdownx.tabbed), an
    # `:emoji:` shortcode (pymdownx.emoji) and a bare email address
    # (pymdownx.magiclink). `{` starts attributes (attr_list), `^` is
    # pymdownx.caret's, and `~` pymdownx.tilde's.
    r"|=(?==)|:(?=[-+\w]+:)|(?<=[-+\w])@"
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
    if _SPECIAL.search(text) is None and "://" not in text and "www." not in text:
        return text
    if not links or "://" not in text:
        return _ESCAPE.sub(_escape_char, text)
    parts: list[str] = []
    position = 0
    for match in _HTTP_URL.finditer(text):
        url = _trim_url(match.group())
        if url.endswith("//"):
            continue
        before = _ESCAPE.sub(_escape_char, text[position : match.start()])
        link = _link(url, None)
        if link.startswith("[") and before.endswith("!"):
            slashes = len(before) - 1 - len(before[:-1].rstrip("\\"))
            if slashes % 2 == 0:  # the "!" is not escaped: "![...](...)" is an image
                before = before[:-1] + "\\!"
        parts.append(before)
        parts.append(link)
        position = match.start() + len(url)
    parts.append(_ESCAPE.sub(_escape_char, text[position:]))
    return "".join(parts)


def _trim_url(url: str) -> str:
    """Drop trailing punctuation, and a closing parenthesis that has no
    opening one in the URL: ``(see https://x.org/a).`` links ``https://x.org/a``."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def is_link(url: str) -> bool:
    """Whether ``url`` may become a link: ``http``, ``https`` or ``mailto``."""
    return _LINK_SCHEMES.match(url) is not None


def _destination(url: str) -> str:
    url = _DESTINATION.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    return _REFERENCE.sub("&amp;", url)


def _link(url: str, text: str | None) -> str:
    """A link to a URL that :func:`is_link`. ``text`` is Markdown already;
    without it the URL is the text: an autolink when every renderer reads it
    the same way (an ``http(s)`` URL with nothing that a renderer could read
    as markup or a character reference), else a link with the URL as text."""
    if text is None:
        if (
            _HTTP_URL.fullmatch(url) is not None
            and _REFERENCE.search(url) is None
            and _SHOWN_DECODED.search(url) is None
        ):
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


class _Document:
    """One export: the options, the output stream and caches of the text of
    things that events share (places, sources, kinds, country names)."""

    def __init__(self, out: TextIO, options: Mapping[str, Any]) -> None:
        self.out = out
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
        self.started = False
        self.own: Callable[[Any, str], str] = getattr
        self._text: dict[str, str] = {}
        self._facts: dict[tuple[str, type, Any], str] = {}
        self._places: dict[int, str] = {}
        self._sources: dict[int, str] = {}
        self._kinds: dict[type[Event], tuple[tuple[str, str], ...]] = {}

    def block(self, text: str) -> None:
        """Write a block (ending in a newline), after a blank line."""
        if self.started:
            self.out.write("\n")
        self.started = True
        self.out.write(text)

    # -- the whole ------------------------------------------------------------------------

    def write(self, timeline: Timeline) -> None:
        texts = TextsIn(timeline.language, self.locale)
        # The data's texts in the reader's language: a translation, else the original.
        self.own = texts.text if texts.active else getattr
        self.write_document(timeline)
        missing = texts.warning()
        if missing is not None:
            warnings.warn(missing, ExportWarning, stacklevel=4)

    def write_document(self, timeline: Timeline) -> None:
        words, own = self.words, self.own
        title = own(timeline, "title").strip() or words["Timeline"]
        self.block(f"{'#' * self.level} {self.isolate(_heading(title))}\n")
        for line in paragraphs(own(timeline, "description")):
            self.block(self.isolate(line) + "\n")
        if timeline.url is not None:
            self.block(self.fact("Link", self.url(timeline.url)) + "\n")
        if not timeline.events:
            self.block(f"{words['No events.']}\n")
            return
        if self.style == "mermaid":
            self.write_diagram(timeline)
            if self.after == "none":
                return
        style = self.write_table if self.after == "table" else self.write_list
        for heading, events in self.groups(timeline):
            if heading is not None:
                self.block(f"{'#' * (self.level + 1)} {_heading(heading)}\n")
            style(events)

    def groups(self, timeline: Timeline) -> Iterable[tuple[str | None, tuple[Event, ...]]]:
        if self.group == "none":
            return [(None, timeline.events)]
        return [
            (_group_heading(self.group, group.events[0], self.locale), group.events)
            for group in timeline.group_by(self.group).values()  # type: ignore[arg-type]
        ]

    # -- the styles -----------------------------------------------------------------------

    def write_list(self, events: Iterable[Event]) -> None:
        # Every item follows a block: a blank line, then the item.
        write = self.out.write
        for event in events:
            write(self.item(event))

    def item(self, event: Event) -> str:
        """An event as a list item, after a blank line: the date and title,
        then the description, the facts, the notes and the sources, each
        indented by four spaces (which Python-Markdown needs and CommonMark
        allows)."""
        text = f"\n- **{self.dates(event)}** — {self.title(event)}\n"
        if event.description:
            for line in map(self.isolate, paragraphs(self.own(event, "description"))):
                text += f"\n    {line}\n"
        facts = self.facts(event)
        if facts:
            text += "\n    - " + "\n    - ".join(facts) + "\n"
        if self.notes and event.notes:
            notes = self.own(event, "notes")
            for number, line in enumerate(map(self.isolate, paragraphs(notes))):
                text += f"\n    {line if number else self.fact('Notes', line)}\n"
        sources = event.sources
        if len(sources) == 1:
            text += f"\n    {self.heading('Source')}\n\n    1. {self.source(sources[0])}\n"
        elif sources:
            text += f"\n    {self.heading('Sources')}\n\n"
            for number, source in enumerate(sources, 1):
                text += f"    {number}. {self.source(source)}\n"
        return text

    def write_table(self, events: Iterable[Event]) -> None:
        words = self.words
        names = ["Date", "Event", "Place", "Details", *(["Notes"] if self.notes else []), "Sources"]
        self.block(f"| {' | '.join(one_line(words[name]) for name in names)} |\n"
                   f"|{' --- |' * len(names)}\n")  # fmt: skip
        write = self.out.write
        for event in events:
            write(self.row(event))

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

    def write_diagram(self, timeline: Timeline) -> None:
        """A Mermaid ``timeline``: a section per group, a period per date and
        the titles of the events on that date as its events."""
        self.block("```mermaid\ntimeline\n")
        write = self.out.write
        title = self.own(timeline, "title")
        if title.strip():
            write(f"    title {mermaid_text(title)}\n")
        for heading, events in self.groups(timeline):
            if heading is not None:
                write(f"    section {mermaid_text(heading)}\n")
            period: str | None = None
            line: list[str] = []
            for event in events:
                dates = span_words(event.start, event.end, locale=self.locale)
                if dates != period:
                    if line:
                        write("".join(line) + "\n")
                    period = dates
                    line = ["        ", mermaid_text(dates)]
                line += (" : ", mermaid_text(self.own(event, "title")))
            if line:
                write("".join(line) + "\n")
        write("```\n")

    # -- the parts of an event ------------------------------------------------------------

    def title(self, event: Event) -> str:
        """The title, a link to the event's URL when that may be a link."""
        url = event.url
        if url is not None and is_link(url):
            return _link(url, self.isolate(escape(self.own(event, "title").strip(), links=False)))
        return self.isolate(escape(self.own(event, "title").strip()))

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
            facts.append(self.fact("Place", self.place(event.place)))
        cls = type(event)
        fields = self._kinds.get(cls)
        if fields is None:
            fields = self._kinds[cls] = _labels(cls, self.locale)
        cache = self._facts
        for name, label in fields:
            value = getattr(event, name)
            key = (label, value.__class__, value)  # the class tells True from 1
            try:
                fact = cache[key]
            except KeyError:
                text = self.value(value)
                fact = cache[key] = self.fact(label, text, label=True) if text else ""
            except TypeError:  # a value that cannot be a key
                text = self.value(value)
                fact = self.fact(label, text, label=True) if text else ""
            if fact:
                facts.append(fact)
        if event.tags:
            facts.append(self.fact("Tags", ", ".join(self.text(tag) for tag in event.tags)))
        if event.recurrence is not None:
            said = recurrence_words(event.recurrence, locale=self.locale)
            rule = said if said is not None else escape(event.recurrence)
            facts.append(self.fact("Repeats", rule))
        if event.url is not None and not is_link(event.url):
            facts.append(self.fact("Link", escape(event.url, links=False)))
        return facts

    def dates(self, event: Event) -> str:
        """When the event happened, in words. English dates hold nothing to
        escape (zone names are IANA keys); CLDR's words are escaped."""
        words = span_words(event.start, event.end, locale=self.locale)
        return words if self.locale is None else escape(words, links=False)

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
        markup = _ESCAPED[self.direction]
        return value_words(value, country_codes=self.codes, markup=markup, locale=self.locale)

    def text(self, text: str) -> str:
        """Escaped text that many events share (a tag, a name): remembered."""
        escaped = self._text.get(text)
        if escaped is None:
            escaped = self._text[text] = one_line(text)
        return escaped

    def place(self, place: Place) -> str:
        text = self._places.get(id(place))
        if text is None:
            text = self.isolate(escape(self.own(place, "name").strip()))
            if place.country is not None:
                country = (
                    place.country
                    if self.codes
                    else country_words(place.country, locale=self.locale)
                )
                text = place_words(text, escape(country), locale=self.locale)
            self._places[id(place)] = text
        return text

    def source(self, source: Source) -> str:
        """``[title](url), accessed 1 November 2026. Note.``"""
        text = self._sources.get(id(source))
        if text is None:
            title = None if source.title is None else source.title.strip() or None
            if is_link(source.url):
                text = _link(source.url, None if title is None else escape(title, links=False))
            else:
                url = escape(source.url, links=False)
                text = url if title is None else f"{escape(title)} ({url})"
            if source.accessed is not None:
                accessed = date_words(source.accessed, locale=self.locale)
                text += self.words[", accessed {date}"].format(date=accessed)
            if source.note.strip():
                text += ". " + one_line(source.note)
            # It starts a list item in the list style; in a table cell the
            # escape does no harm.
            text = self._sources[id(source)] = block_start(text)
        return text

    def url(self, url: str) -> str:
        return _link(url, None) if is_link(url) else escape(url, links=False)


def _escaped(value: Any, words: str) -> str:
    """The words of a value, escaped (a markup for :func:`timeline.words.value_words`)."""
    return one_line(words)


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
