"""The HTML exporter: one self-contained page, written event by event: a
chart (an inline SVG, a lane per kind, the events to scale on a time axis), a
list of every event's details that works without JavaScript, and a small
script. Every text from the data is escaped, and a Content-Security-Policy
lets the page load nothing. The events are passed over once to measure the
chart, then written; nothing of the output is held. With a ``locale`` the
words are in the reader's language: dates, countries and kinds through
:mod:`timeline.words`, the page's own labels through the plugin's gettext
catalogue, :data:`CATALOGUE`; the data's texts (titles, descriptions,
notes, places' names) in their translations for that locale, or in the
original language, marked ``lang``, with one :class:`~timeline.ExportWarning`
that counts them (:class:`timeline.translations.TextsIn`). See the README.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.resources
import json
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, NamedTuple, TextIO

from timeline import Date, Event, Exporter, ExportWarning, Place, Precision, Source, Timeline
from timeline import kinds as registered_kinds
from timeline.formats import locale_option
from timeline.locales import N_, NP_, Catalogue
from timeline.model import kind_fields
from timeline.translations import TextsIn, Translatable
from timeline.words import (
    country_words,
    date_words,
    direction_of,
    field_label,
    kind_words,
    month_words,
    name_words,
    number_words,
    recurrence_words,
    span_parts,
    span_words,
    value_words,
    year_words,
)

__all__ = ["CATALOGUE", "HTMLExporter"]

CATALOGUE: Final = Catalogue(
    "timeline_html", importlib.resources.files("timeline_html") / "translations"
)
"""The gettext catalogue of the page's own labels (``Skip to the list of
events``, ``When``, ``Zoom in``...), shipped in the wheel: ``translations/
<language>/LC_MESSAGES/timeline_html.mo``, made with Babel's tools from
``timeline_html.pot`` (see the README, "In the reader's language")."""

PALETTE_SIZE: Final = 8
"""Kinds are coloured ``c0`` … ``c7`` in the order they are registered."""

_PAD: Final = 4.0  # percent of the chart's width left free at each end, for the ticks' labels
_NOMINAL_WIDTH: Final = 1000.0  # pixels, for deciding which marks would overlap
# Heights in pixels. The lanes' names are a column beside the chart whose
# rows timeline.css makes as tall as the lanes: .lanes has _TOP at its top,
# and a lane of n rows (.lane.r1 to .lane.r6) is n * _ROW + _LANE_GAP tall.
_MAX_ROWS: Final = 6  # rows per lane before marks may overlap
_TOP: Final = 3
_ROW: Final = 22
_LANE_GAP: Final = 6
_AXIS: Final = 28
_RADIUS: Final = 6
_SAFE_SCHEMES: Final = frozenset({"http", "https"})
_TEXT_URL: Final = re.compile(r"https?://[^\s<>\"'\u00a0]+", re.IGNORECASE)
_TRAILING: Final = ".,;:!?)]}'\""
_PARAGRAPHS: Final = re.compile(r"\n[ \t]*\n+")

escape = functools.partial(html.escape, quote=True)


# -- the page's own style and script ----------------------------------------------------------


class _Asset(NamedTuple):
    text: str
    hash: str  # a CSP source: 'sha256-...'


@functools.cache
def _asset(name: str, closing: str) -> _Asset:
    text = importlib.resources.files(__package__).joinpath("static", name).read_text("utf-8")
    if closing in text.lower():
        raise RuntimeError(f"{name} must not contain {closing!r}")  # pragma: no cover
    return _hashed(text)


def _hashed(text: str) -> _Asset:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return _Asset(text, f"'sha256-{base64.b64encode(digest).decode('ascii')}'")


def style(direction: str = "ltr") -> _Asset:
    """The page's CSS and its CSP hash; a right-to-left page (``rtl``) gets
    ``rtl.css`` after it, which swaps the sides that matter."""
    css = _asset("timeline.css", "</style")
    if direction != "rtl":
        return css
    return _right_to_left(css.text, _asset("rtl.css", "</style").text)


@functools.cache
def _right_to_left(css: str, rtl: str) -> _Asset:
    return _hashed(css + rtl)


_SHOW_IN_THE_LIST: Final = N_("Show in the list")
_SHOW_IN_THE_LIST_JS: Final = '"Show in the list"'
"""The one label the script writes, as a JavaScript string in timeline.js."""


def script(show_in_the_list: str = _SHOW_IN_THE_LIST) -> _Asset:
    """The page's JavaScript and its CSP hash, with the label of the link it
    writes in the panel (translated: the script is the same otherwise)."""
    js = _asset("timeline.js", "</script")
    if show_in_the_list == _SHOW_IN_THE_LIST:
        return js
    return _labelled(js.text, show_in_the_list)


@functools.cache
def _labelled(js: str, label: str) -> _Asset:
    if js.count(_SHOW_IN_THE_LIST_JS) != 1:
        raise RuntimeError("timeline.js must say 'Show in the list' once")  # pragma: no cover
    # JSON is a JavaScript string; ASCII with <, > and & escaped, it cannot end the script.
    text = json.dumps(label).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _hashed(js.replace(_SHOW_IN_THE_LIST_JS, text))


def content_security_policy(css: _Asset | None = None, js: _Asset | None = None) -> str:
    """Nothing may load; only the page's own style and script may run."""
    css = css or style()
    js = js or script()
    return (
        f"default-src 'none'; style-src {css.hash}; script-src {js.hash}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


# -- the words of a page -----------------------------------------------------------------------

# The page's own labels, translated by CATALOGUE (N_ and NP_ mark them for pybabel).
_LABELS: Final = (
    N_("Timeline"), N_("There are no events in this timeline."),
    N_("Made with timeline. This page works offline: it loads nothing from the network."),
    N_("Skip to the list of events"), N_("Source: {link}"),
    N_("a day or a moment"), N_("a span of days"),
    N_("faded: known only to the month or the year"), N_("approximate"), N_("uncertain"),
    N_("Chart of {count} events, {first} to {last}; each mark links to its event"),
    N_("On a time axis"), N_("Kinds of event"), N_("Zoom"), N_("Zoom out"), N_("Zoom in"),
    N_("Choose a mark to see the event; arrow keys move between marks."),
    N_("Events"), N_("Open all"), N_("Close all"),
    N_("When"), N_("Where"), N_("Repeats"), N_("Link"), N_("Tags"), N_("Source"), N_("Sources"),
    N_("Notes"), N_("accessed {date}"), N_("{title} — {dates}"),
    N_("{degrees}° N"), N_("{degrees}° S"), N_("{degrees}° E"), N_("{degrees}° W"),
    N_("({latitude}, {longitude})"), _SHOW_IN_THE_LIST,
)  # fmt: skip
_EVENTS: Final = NP_("{count} event", "{count} events")


class _Words:
    """The words of a page in one locale (the library's English without
    one): the labels, translated and escaped, and the locale's direction."""

    def __init__(self, locale: str | None) -> None:
        self.locale = locale
        gettext = CATALOGUE.gettext(locale)
        self.ngettext = CATALOGUE.ngettext(locale)
        self.text = {label: gettext(label) for label in _LABELS}
        self.html = {label: escape(text) for label, text in self.text.items()}
        self.direction = direction_of(locale)
        self.auto = "" if locale is None else ' dir="auto"'
        """The attribute of the data's texts (a description, notes, a source)
        on a page in a locale: written in their own language, which may go
        the other way, they take their direction from their first letters."""

    def number(self, n: float) -> str:
        return number_words(n, locale=self.locale)

    def events(self, count: int) -> str:
        """``33 events``, escaped."""
        singular, plural = _EVENTS
        return escape(self.ngettext(singular, plural, count).format(count=self.number(count)))


_words: Final = functools.cache(_Words)


class _Texts:
    """The data's texts on one page: through one
    :class:`~timeline.translations.TextsIn`, each in its translation for the
    page's locale or else in the original, which is marked with its own
    language (``lang="en"`` on a Russian page) and counted for the warning
    at the end of the export. Without a locale, or in a locale of the
    original language, every text is the original and nothing is marked."""

    def __init__(self, t: Timeline, locale: str | None) -> None:
        self.locale = locale
        self.texts = TextsIn(t.language, locale)
        self.lang = f' lang="{escape(t.language)}"'

    def text(self, holder: Translatable, field: str) -> tuple[str, str]:
        """``holder``'s ``field`` for the reader (counted when in the
        original), and the attribute of the element that holds it: ``''``,
        or `` lang="en"`` when it is in the original language."""
        missing = self.texts.missing.get(field, 0)
        text = self.texts.text(holder, field)
        return text, self.lang if self.texts.missing.get(field, 0) != missing else ""

    def again(self, holder: Translatable, field: str) -> str:
        """A text written once more (an event's title in its mark's tip), not counted again."""
        text: str = getattr(holder, field)
        if not self.texts.active or not text:
            return text
        assert self.locale is not None
        return holder.translations.lookup(self.locale, field) or text

    def markup(self, value: Any, words: str) -> str:
        """:func:`_markup` of the locale, with places' names for the reader."""
        if isinstance(value, Place):
            return _place(value, self.locale, *self.text(value, "name"))
        return _markup(self.locale)(value, words)

    def warning(self) -> str | None:
        """The one sentence that counts the texts in the original, or ``None``."""
        return self.texts.warning()


# -- measuring --------------------------------------------------------------------------------


class _Extent(NamedTuple):
    start: float  # a day number, with the time of day as a fraction
    end: float
    shape: str  # "point", "range" or "imprecise"


def _moment(date: Date) -> float:
    day = date.first_day_number()
    if date.time is None:
        return day + 0.5
    time = date.time
    return day + (time.hour * 3600 + time.minute * 60 + time.second) / 86400


def _extent(event: Event) -> _Extent:
    """Where an event lies on the axis. A date known only to the month or the
    year covers all of it; a range covers every day from start to end."""
    start, end = event.start, event.end
    if end is None:
        if start.precision >= Precision.DAY:
            moment = _moment(start)
            return _Extent(moment, moment, "point")
        return _Extent(start.first_day_number(), start.last_day_number() + 1, "imprecise")
    first = _moment(start) if start.time is not None else start.first_day_number()
    last = _moment(end) if end.time is not None else end.last_day_number() + 1
    coarse = start.precision < Precision.DAY or end.precision < Precision.DAY
    return _Extent(first, max(first, last), "imprecise" if coarse else "range")


def _flags(event: Event) -> tuple[bool, bool]:
    dates = (event.start,) if event.end is None else (event.start, event.end)
    return any(d.approximate for d in dates), any(d.uncertain for d in dates)


class _Lane(NamedTuple):
    kind: str
    label: str  # escaped, as the page shows it
    colour: int
    events: int
    rows: int
    top: int


class _Stacker:
    """Puts each mark of a lane in the first row where it does not overlap
    the marks before it (in nominal pixels); after ``_MAX_ROWS`` rows, in the
    row that frees up first. Run twice over the same events, it gives the
    same rows: once to size the chart, once to draw it."""

    def __init__(self, lo: float, hi: float) -> None:
        self.lo = lo
        self.scale = _NOMINAL_WIDTH * (1 - 2 * _PAD / 100) / (hi - lo)
        self.ends: dict[str, list[float]] = {}

    def place(self, kind: str, extent: _Extent, qualified: bool) -> int:
        left = (extent.start - self.lo) * self.scale
        right = (extent.end - self.lo) * self.scale
        left, right = left - _RADIUS - 3, right + _RADIUS + 3
        if qualified:
            right += 16
        ends = self.ends.setdefault(kind, [])
        for row, end in enumerate(ends):
            if end <= left:
                ends[row] = right
                return row
        if len(ends) < _MAX_ROWS:
            ends.append(right)
            return len(ends) - 1
        row = min(range(len(ends)), key=ends.__getitem__)
        ends[row] = max(ends[row], right)
        return row


class _Plan(NamedTuple):
    lo: float  # the axis's first day: the first gridline, at or before the first event
    hi: float  # the day after the last event
    ticks: list[tuple[float, str]]  # gridlines: (day number, label)
    first_year: int
    last_year: int
    lanes: dict[str, _Lane]
    height: int
    shapes: frozenset[str]  # the shapes and qualifiers that occur, for the key

    def x(self, day: float) -> float:
        """A day number as a percentage of the chart's width."""
        return _PAD + (day - self.lo) / (self.hi - self.lo) * (100 - 2 * _PAD)

    def row_y(self, kind: str, row: int) -> float:
        return self.lanes[kind].top + _LANE_GAP / 2 + row * _ROW + _ROW / 2


def _plan(t: Timeline, order: Mapping[str, int], words: _Words) -> _Plan | None:
    if not t.events:
        return None
    # Events come in order of their first day, so the first starts the axis.
    first = t.events[0].start
    start = first.first_day_number()
    hi = start + 1
    last_year = first.year
    counts: dict[str, int] = {}
    classes: dict[str, type[Event]] = {}
    shapes: set[str] = set()
    for event in t.events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
        classes.setdefault(event.kind, type(event))
        last = event.last
        hi = max(hi, last.last_day_number() + 1)
        last_year = max(last_year, last.year)
        shapes.add(_extent(event).shape)
        approximate, uncertain = _flags(event)
        if approximate:
            shapes.add("approximate")
        if uncertain:
            shapes.add("uncertain")
    lo, ticks = _axis(start, hi, first.year, last_year, words.locale)
    stacker = _Stacker(lo, hi)
    rows: dict[str, int] = {}
    for event in t.events:
        row = stacker.place(event.kind, _extent(event), any(_flags(event)))
        rows[event.kind] = max(rows.get(event.kind, 0), row + 1)
    kinds = sorted(counts, key=lambda k: (order.get(k, len(order)), k))
    lanes: dict[str, _Lane] = {}
    top = _TOP
    for index, kind in enumerate(kinds):
        label = escape(kind_label(classes[kind], words.locale))
        lanes[kind] = _Lane(kind, label, index % PALETTE_SIZE, counts[kind], rows[kind], top)
        top += rows[kind] * _ROW + _LANE_GAP
    height = top + _AXIS
    return _Plan(lo, hi, ticks, first.year, last_year, lanes, height, frozenset(shapes))


# -- the axis ---------------------------------------------------------------------------------

_YEAR_STEPS: Final = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
_MONTH_STEPS: Final = (1, 2, 3, 6)
_DAY_STEPS: Final = (1, 2, 7, 14)
_LAST_YEAR: Final = 9999  # a timeline.Date's last year


def _civil(day: int) -> tuple[int, int, int]:
    """The proleptic Gregorian (year, month, day) of a day number (1970-01-01 is 0)."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def _axis(
    start: float, end: float, first_year: int, last_year: int, locale: str | None = None
) -> tuple[float, list[tuple[float, str]]]:
    """The axis for events from day ``start`` to day ``end``: its first day,
    and its gridlines (years, months or days, about a dozen at most). The
    first gridline is the axis's first day, at or before the first event, so
    every mark has a labelled time to its left: events from 1996 to 2025 get
    an axis from 1995, with gridlines every five years."""
    span = end - start
    ticks: list[tuple[float, str]] = []
    if span >= 3 * 365:
        # Count in historical years, which have no year 0, so that the
        # labels are round: 1000 BCE, 500 BCE, 500, 1000.
        years = last_year - first_year + 1
        step = next((s for s in _YEAR_STEPS if years / s <= 10), _YEAR_STEPS[-1])
        historical = (first_year if first_year >= 1 else first_year - 1) // step * step
        if historical == 0:
            historical = -step
        while True:
            if historical != 0:
                year = historical if historical > 0 else historical + 1
                if year > _LAST_YEAR or (day := Date(year).first_day_number()) > end:
                    break
                ticks.append((day, year_words(year, locale=locale)))
            historical += step
    elif span >= 62:
        months = int(span // 30) + 1
        step = next((s for s in _MONTH_STEPS if months / s <= 12), 12)
        year, month, _ = _civil(int(start))
        month -= (month - 1) % step
        while year <= _LAST_YEAR and (day := Date(year, month, 1).first_day_number()) <= end:
            ticks.append((day, month_words(year, month, short=True, locale=locale)))
            month += step
            if month > 12:
                year, month = year + 1, month - 12
    else:
        step = next((s for s in _DAY_STEPS if span / s <= 14), 28)
        day_number = int(start)
        while day_number <= end:
            year, month, day = _civil(day_number)
            ticks.append(
                (day_number, date_words(Date(year, month, day), short=True, locale=locale))
            )
            day_number += step
    return ticks[0][0], ticks


# -- words and links --------------------------------------------------------------------------


def kind_label(kind: type[Event] | str, locale: str | None = None) -> str:
    """``summit`` -> ``Summit``; ``treaty-signing`` -> ``Treaty signing``
    (:func:`timeline.words.kind_words`); with a ``locale``, translated by
    the kind's catalogue or timeline's (``Саммит``)."""
    if locale is None and isinstance(kind, str):
        return name_words(kind)
    return kind_words(kind, locale=locale)


def safe_href(url: str) -> str | None:
    """The URL if it may be a link (``http`` or ``https`` with a host), else ``None``."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def _link(url: str, text: str | None = None) -> str:
    shown = escape(text if text is not None else url)
    href = safe_href(url)
    if href is None:
        return f'<span class="url">{shown}</span>'
    return f'<a href="{escape(href)}">{shown}</a>'


def _linkify(text: str) -> str:
    """Escaped text whose http and https URLs are links."""
    parts: list[str] = []
    pos = 0
    for match in _TEXT_URL.finditer(text):
        url = match.group()
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if safe_href(url) is None:
            continue
        parts.append(escape(text[pos : match.start()]))
        parts.append(_link(url))
        pos = match.start() + len(url)
    parts.append(escape(text[pos:]))
    return "".join(parts)


def _paragraphs(text: str) -> str:
    return "".join(
        "<p>" + "<br>\n".join(_linkify(line) for line in block.split("\n")) + "</p>"
        for block in _PARAGRAPHS.split(text.strip())
    )


def _when(
    start: Date,
    end: Date | None,
    parts: tuple[str, str, str] | None = None,
    locale: str | None = None,
) -> str:
    """The date or range in words (``timeline.words``), each end in a
    ``<time>`` element where HTML can say it."""
    first, separator, last = span_parts(start, end, locale=locale) if parts is None else parts
    if not separator:
        return _time_element(start, first)
    assert end is not None
    return f"{_time_element(start, first)}{escape(separator)}{_time_element(end, last)}"


def _time_element(date: Date, words: str) -> str:
    value = datetime_value(date)
    if value is None:
        return f"<span>{escape(words)}</span>"
    return f'<time datetime="{value}">{escape(words)}</time>'


def datetime_value(date: Date) -> str | None:
    """The date as the ``datetime`` attribute of an HTML ``<time>`` element
    says it, or ``None`` where HTML has no form for it (a year before 1).

    HTML has a form for each precision (``2001``, ``2001-06``,
    ``2001-06-15``); a time has an offset from UTC, not a zone's name, and a
    floating time none. Approximate and uncertain have no form: the words
    beside it say so.

    >>> datetime_value(Date.parse("2024-07-04T10:00[Asia/Almaty]"))
    '2024-07-04T10:00+05:00'
    >>> datetime_value(Date.parse("1996~")), datetime_value(Date.parse("-0476"))
    ('1996', None)
    """
    if date.year < 1:
        return None
    if date.month is None:
        return f"{date.year:04d}"
    if date.day is None:
        return f"{date.year:04d}-{date.month:02d}"
    if date.time is None:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    spec = "seconds" if date.time.second or date.time.microsecond else "minutes"
    text = date.to_datetime().isoformat(timespec=spec)
    if date.tz == "UTC":
        text = text.removesuffix("+00:00") + "Z"
    return text


@functools.lru_cache(maxsize=1024)
def _place(place: Place, locale: str | None = None, name: str | None = None, lang: str = "") -> str:
    """A place in words, escaped (cached: a city hosts many events): its
    ``name`` as the page shows it (the reader's, by :class:`_Texts`; the
    place's own without), in an element of its own when ``lang`` marks it
    in the original language."""
    shown = place.name if name is None else name
    text = escape(shown)
    if lang:
        text = f'<span class="name"{lang} dir="auto">{text}</span>'
    if place.country is not None:
        country = country_words(place.country, locale=locale)
        if country != shown:
            text += f", {escape(country)}"
    if place.latitude is not None and place.longitude is not None:
        say = _words(locale).text
        lat, lon = place.latitude, place.longitude
        latitude = say["{degrees}° N" if lat >= 0 else "{degrees}° S"]
        longitude = say["{degrees}° E" if lon >= 0 else "{degrees}° W"]
        coords = say["({latitude}, {longitude})"].format(
            latitude=latitude.format(degrees=number_words(abs(lat), locale=locale)),
            longitude=longitude.format(degrees=number_words(abs(lon), locale=locale)),
        )
        text += f' <span class="coords"{_words(locale).auto}>{escape(coords)}</span>'
    return text


def _value(value: Any, locale: str | None = None, texts: _Texts | None = None) -> str | None:
    """A kind's attribute in words (:func:`timeline.words.value_words`),
    escaped, dates, places and sources as elements of their own, places'
    names through ``texts``; ``None`` when there is nothing to show."""
    markup = _markup(locale)
    if texts is not None and _has_place(value):
        markup = texts.markup  # a place is no text that value_words remembers
    return value_words(value, markup=markup, locale=locale) or None


def _has_place(value: Any) -> bool:
    if isinstance(value, tuple | list | set | frozenset):
        return any(_has_place(item) for item in value)
    return isinstance(value, Place)


@functools.cache
def _markup(locale: str | None) -> Callable[[Any, str], str]:
    """The markup of a value's items in a locale: one function a locale, as
    :func:`timeline.words.value_words` remembers words by it."""

    def markup(value: Any, words: str) -> str:
        if isinstance(value, Date):
            return _when(value, None, locale=locale)
        if isinstance(value, Place):
            return _place(value, locale)
        if isinstance(value, Source):
            return _source(value, locale)
        return _escaped(words)

    return markup


@functools.lru_cache(maxsize=4096)
def _escaped(words: str) -> str:
    """Escaped words (remembered: the same countries take part again and again)."""
    return escape(words)


@functools.lru_cache(maxsize=1024)
def _source(source: Source, locale: str | None = None) -> str:
    """A source as a link, escaped (cached: one report backs many events)."""
    text = _link(source.url, source.title)
    if source.accessed is not None:
        accessed = (
            _words(locale)
            .html["accessed {date}"]
            .format(date=_when(source.accessed, None, locale=locale))
        )
        text += f', <span class="accessed">{accessed}</span>'
    if source.note:
        text += f'. <span class="note">{_linkify(source.note)}</span>'
    return text


_ATTRIBUTES: dict[tuple[type[Event], str | None], tuple[tuple[str, str], ...]] = {}


def _attributes(cls: type[Event], locale: str | None = None) -> tuple[tuple[str, str], ...]:
    """(field name, label) of the attributes a kind adds; the label escaped."""
    found = _ATTRIBUTES.get((cls, locale))
    if found is None:
        found = _ATTRIBUTES[cls, locale] = tuple(
            (f.name, escape(field_label(f, locale=locale))) for f in kind_fields(cls)
        )
    return found


# -- writing ----------------------------------------------------------------------------------


class HTMLExporter(Exporter):
    """Writes one self-contained HTML page: the events on a time axis, each
    opening its details; see the module's docstring."""

    name = "html"
    suffixes = (".html", ".htm")
    media_type = "text/html"
    description = "One self-contained web page: the events to scale on a time axis, with details."
    options = (locale_option(),)

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        words = _words(options.get("locale"))
        order = {kind: i for i, kind in enumerate(registered_kinds())}
        plan = _plan(timeline, order, words)
        texts = _Texts(timeline, words.locale)
        for part in _page(timeline, plan, words, texts):
            out.write(part)
        message = texts.warning()
        if message is not None:
            warnings.warn(message, ExportWarning, stacklevel=3)


def _page(t: Timeline, plan: _Plan | None, words: _Words, texts: _Texts) -> Iterator[str]:
    say = words.html
    title, lang = texts.text(t, "title")
    if not title:
        title, lang = words.text["Timeline"], ""
    css = style(words.direction)
    js = script(words.text[_SHOW_IN_THE_LIST])
    if words.locale is None:
        html_element = '<html lang="en">'
    else:
        html_element = f'<html lang="{escape(words.locale)}" dir="{words.direction}">'
    yield (
        f'<!DOCTYPE html>\n{html_element}\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{content_security_policy(css, js)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title{lang}>{escape(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f"<style>{css.text}</style>\n</head>\n<body>\n"
    )
    yield _header(t, title, lang, plan, words, texts=texts)
    if plan is None:
        yield f"<main>\n<p>{say['There are no events in this timeline.']}</p>\n</main>\n"
    else:
        yield "<main>\n"
        yield from _chart(t, plan, words, texts)
        yield from _list(t, plan, words, texts)
        yield "</main>\n"
    footer = say["Made with timeline. This page works offline: it loads nothing from the network."]
    yield f"<footer>{footer}</footer>\n</div>\n<script>{js.text}</script>\n</body>\n</html>\n"


def _header(
    t: Timeline, title: str, lang: str, plan: _Plan | None, words: _Words, *, texts: _Texts
) -> str:
    say = words.html
    parts = [
        f'<a class="skip" href="#events">{say["Skip to the list of events"]}</a>\n',
        '<div class="wrap">\n<header>\n',
        f'<h1{lang} dir="auto">{escape(title)}</h1>\n',
    ]
    description, lang = texts.text(t, "description")
    if description:
        lede = _paragraphs(description)
        parts.append(f'<div class="lede"{lang}{words.auto}>{lede}</div>\n')
    meta = [words.events(len(t.events))]
    if plan is not None:
        years = span_words(Date(plan.first_year), Date(plan.last_year), locale=words.locale)
        meta.append(years if words.locale is None else escape(years))
    if t.url is not None:
        link = _link(t.url) if words.locale is None else f"<bdi>{_link(t.url)}</bdi>"
        meta.append(say["Source: {link}"].format(link=link))
    parts.append(f'<p class="meta">{" · ".join(meta)}</p>\n</header>\n')
    return "".join(parts)


_KEY: Final = {
    "point": ("", '<circle cx="11" cy="7" r="6"/>', "a day or a moment"),
    "range": ("", '<circle cx="7" cy="7" r="6"/><line x1="7" x2="15" y1="7" y2="7"/>'
                  '<circle cx="15" cy="7" r="6"/>', "a span of days"),
    "imprecise": (" imprecise", '<circle cx="7" cy="7" r="6"/><line x1="7" x2="15" y1="7" '
                  'y2="7"/><circle cx="15" cy="7" r="6"/>',
                  "faded: known only to the month or the year"),
}  # fmt: skip


def _key(plan: _Plan, words: _Words) -> str:
    say = words.html
    items = [
        f'<svg width="22" height="14" aria-hidden="true"><g class="mark c7{extra}">'
        f'<g class="shape">{glyph}</g></g></svg> {say[label]}'
        for shape, (extra, glyph, label) in _KEY.items()
        if shape in plan.shapes
    ]
    if "approximate" in plan.shapes:
        items.append(f'<span class="q">~</span> {say["approximate"]}')
    if "uncertain" in plan.shapes:
        items.append(f'<span class="q">?</span> {say["uncertain"]}')
    return '<p class="key">' + " · ".join(items) + "</p>\n"


def _chart(t: Timeline, plan: _Plan, words: _Words, texts: _Texts) -> Iterator[str]:
    say = words.html
    locale = words.locale
    lanes = plan.lanes.values()
    legend = "".join(
        f'<li class="c{lane.colour}"><span class="swatch" aria-hidden="true"></span>'
        f'{lane.label} <span class="count">{words.number(lane.events)}</span></li>'
        for lane in lanes
    )
    era = plan.first_year < 1 <= plan.last_year
    first = year_words(plan.first_year, locale=locale)
    last = year_words(plan.last_year, era=era, locale=locale)
    label = words.text[
        "Chart of {count} events, {first} to {last}; each mark links to its event"
    ].format(count=words.number(len(t.events)), first=first, last=last)
    head = [
        '<section class="chart" aria-labelledby="chart-title">\n',
        f'<h2 id="chart-title">{say["On a time axis"]}</h2>\n',
        f'<ul class="legend" aria-label="{say["Kinds of event"]}">{legend}</ul>\n',
        _key(plan, words),
        f'<div class="tools" data-js hidden><span>{say["Zoom"]}</span>'
        f'<button type="button" data-action="zoom-out" aria-label="{say["Zoom out"]}">−</button>'
        '<span id="zoom-level" aria-live="polite">1×</span>'
        f'<button type="button" data-action="zoom-in" aria-label="{say["Zoom in"]}">+</button>'
        f"<span>{say['Choose a mark to see the event; arrow keys move between marks.']}</span>"
        "</div>\n",
        # The lanes' names are a column of their own beside the chart, which
        # scrolls sideways without them: no mark is ever under a name. On a
        # right-to-left page too, time runs from left to right, as numbers do.
        '<div class="frame">\n' if words.direction == "ltr" else '<div class="frame" dir="ltr">\n',
        '<ul class="lanes" aria-hidden="true">',
        *(
            f'<li class="lane r{lane.rows} c{lane.colour}{" band" if i % 2 == 0 else ""}">'
            f'<span title="{lane.label}">{lane.label}</span></li>'
            for i, lane in enumerate(lanes)
        ),
        "</ul>\n",
        f'<div class="scroll">\n<svg class="plot" width="100%" height="{plan.height}" '
        f'role="group" aria-label="{escape(label)}">\n',
    ]
    bottom = plan.height - _AXIS
    for i, lane in enumerate(lanes):
        if i % 2 == 0:
            height = lane.rows * _ROW + _LANE_GAP
            head.append(f'<rect class="band" x="0" y="{lane.top}" width="100%" '
                        f'height="{height}"/>\n')  # fmt: skip
    for day, text in plan.ticks:
        x = f"{plan.x(day):.3f}%"
        head.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="0" y2="{bottom}"/>'
            f'<text x="{x}" y="{plan.height - 9}" text-anchor="middle">{escape(text)}</text>\n'
        )
    yield "".join(head)
    stacker = _Stacker(plan.lo, plan.hi)
    for event in t.events:
        yield _mark(event, plan, stacker, words, texts)
    yield (
        "</svg>\n</div>\n</div>\n"
        '<div id="panel" class="panel" hidden aria-live="polite"></div>\n</section>\n'
    )


def _mark(event: Event, plan: _Plan, stacker: _Stacker, words: _Words, texts: _Texts) -> str:
    """One event on the chart: a dot for a day or a moment; a bar with round
    ends for a range (at a scale of years a short range is a dot, as it should
    be); faded for a date known only to the month or the year, over the time
    it covers; and ``~`` or ``?`` after it for approximate or uncertain, as in
    EDTF."""
    extent = _extent(event)
    approximate, uncertain = _flags(event)
    row = stacker.place(event.kind, extent, approximate or uncertain)
    y = f"{plan.row_y(event.kind, row):g}"
    x0, x1 = f"{plan.x(extent.start):.3f}%", f"{plan.x(extent.end):.3f}%"
    lane = plan.lanes[event.kind]
    classes = f"mark c{lane.colour}"
    if extent.shape == "imprecise":
        classes += " imprecise"
    # A circle at each end and a line between make a bar with round ends
    # whose box is as tall as a dot (a line alone has no height).
    shape = f'<circle cx="{x0}" cy="{y}" r="{_RADIUS}"/>'
    if x1 != x0:
        shape += (f'<line x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/>'
                  f'<circle cx="{x1}" cy="{y}" r="{_RADIUS}"/>')  # fmt: skip
    qualifiers = ("~" if approximate else "") + ("?" if uncertain else "")
    if qualifiers:
        shape += f'<text class="q" x="{x1}" dx="10" y="{float(y) + 4:g}">{qualifiers}</text>'
    tip = words.text["{title} — {dates}"].format(
        title=texts.again(event, "title"),
        dates=span_words(event.start, event.end, locale=words.locale),
    )
    return (
        f'<a class="{classes}" href="#e-{escape(event.id)}" data-kind="{escape(lane.kind)}">'
        f'<title>{escape(tip)}</title><g class="shape">{shape}</g></a>\n'
    )


def _list(t: Timeline, plan: _Plan, words: _Words, texts: _Texts) -> Iterator[str]:
    say = words.html
    yield (
        '<section class="events" id="events" aria-labelledby="events-title">\n'
        f'<h2 id="events-title">{say["Events"]}</h2>\n'
        '<div class="tools" data-js hidden>'
        f'<button type="button" data-action="open-all">{say["Open all"]}</button>'
        f'<button type="button" data-action="close-all">{say["Close all"]}</button></div>\n'
    )
    year: int | None = None
    for event in t.events:
        if event.start.year != year:
            if year is not None:
                yield "</ol>\n"
            year = event.start.year
            heading = year_words(year, locale=words.locale)
            yield f'<h3 class="year">{escape(heading)}</h3>\n<ol class="year-list">\n'
        yield _details(event, plan, words, texts)
    yield "</ol>\n</section>\n"


def _details(event: Event, plan: _Plan, words: _Words, texts: _Texts) -> str:
    say = words.html
    locale = words.locale
    lane = plan.lanes[event.kind]
    parts = span_parts(event.start, event.end, locale=locale)
    title, title_lang = texts.text(event, "title")
    rows = [(say["When"], _when(event.start, event.end, parts))]
    if event.place is not None:
        rows.append((say["Where"], _place(event.place, locale, *texts.text(event.place, "name"))))
    for name, label in _attributes(type(event), locale):
        shown = _value(getattr(event, name), locale, texts)
        if shown is not None:
            rows.append((label, shown))
    if event.recurrence is not None:
        repeats = recurrence_words(event.recurrence, locale=locale)
        shown = escape(repeats) if repeats else f"<code>{escape(event.recurrence)}</code>"
        rows.append((say["Repeats"], shown))
    if event.url is not None:
        rows.append((say["Link"], _link(event.url)))
    if event.tags:
        tags = "".join(f"<li>{escape(tag)}</li>" for tag in event.tags)
        rows.append((say["Tags"], f'<ul class="tags">{tags}</ul>'))
    body = ["<dl>", *(f"<dt>{dt}</dt><dd>{dd}</dd>" for dt, dd in rows), "</dl>"]
    description, lang = texts.text(event, "description")
    if description:
        description = _paragraphs(description)
        body.append(f'<div class="description"{lang}{words.auto}>{description}</div>')
    if event.sources:
        items = "".join(f"<li{words.auto}>{_source(s, locale)}</li>" for s in event.sources)
        heading = say["Source" if len(event.sources) == 1 else "Sources"]
        body.append(f'<h4>{heading}</h4><ul class="sources">{items}</ul>')
    notes, lang = texts.text(event, "notes")
    if notes:
        notes = _paragraphs(notes)
        body.append(f'<h4>{say["Notes"]}</h4><div class="notes"{lang}{words.auto}>{notes}</div>')
    return (
        f'<li><details class="event c{lane.colour}" id="e-{escape(event.id)}" '
        f'data-kind="{escape(lane.kind)}">'
        f'<summary><span class="when">{escape("".join(parts))}</span> '
        f'<span class="title"{title_lang} dir="auto">{escape(title)}</span> '
        f'<span class="kind">{lane.label}</span></summary>\n'
        f'<div class="body">{"".join(body)}</div></details></li>\n'
    )
