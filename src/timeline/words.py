"""The words for dates, spans, years, recurrences and a kind's fields.

Written once for every format that people read, and in a short style for ``timeline show``.
See docs/markdown.md, "Dates in words".
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, Protocol, cast

from .countries import country_name, is_country_code
from .dates import MONTH_NAMES, Date, Precision
from .locales import CATALOGUE, N_, NP_, Catalogue

if TYPE_CHECKING:
    import attrs

__all__ = [
    "MONTH_NAMES",
    "SHORT_MONTH_NAMES",
    "country_words",
    "date_words",
    "decade_words",
    "direction_of",
    "field_label",
    "kind_words",
    "list_words",
    "month_words",
    "name_words",
    "number_words",
    "place_words",
    "recurrence_words",
    "span_parts",
    "span_words",
    "time_words",
    "translate",
    "value_words",
    "when",
    "year_words",
]

SHORT_MONTH_NAMES: Final = tuple(name[:3] for name in MONTH_NAMES)
"""``Jan`` ... ``Dec``: the month names of the short style and of axis labels."""


def year_words(year: int, *, era: bool = False, locale: str | None = None) -> str:
    """An astronomical year in words: ``2001``, or ``477 BCE`` for ``-476``.

    Year 0 is ``1 BCE``. With ``era=True`` a year from 1 on gets ``CE``, for
    when it stands next to a BCE year.

    >>> year_words(-476), year_words(0), year_words(14, era=True)
    ('477 BCE', '1 BCE', '14 CE')
    """
    if locale is not None:
        return _cldr(locale).plain(Date(year), era=era)
    if year < 1:
        return f"{1 - year} BCE"
    return f"{year} CE" if era else str(year)


def month_words(year: int, month: int, *, short: bool = False, locale: str | None = None) -> str:
    """``June 2001``; in the short style (``short=True``, for axis labels)
    with the month abbreviated: ``Jun 2001``, ``июн. 2001 г.``.

    >>> month_words(-476, 3), month_words(2001, 6, short=True)
    ('March 477 BCE', 'Jun 2001')
    """
    if locale is not None:
        words = _cldr(locale)
        if short and year >= 1:
            pattern = words.short_year_month
            return pattern.fill(words.values(pattern, Date(year, month)))
        return words.plain(Date(year, month))
    if short:
        return f"{SHORT_MONTH_NAMES[month - 1]} {year_words(year)}"
    return f"{MONTH_NAMES[month - 1]} {year_words(year)}"


def decade_words(year: int, *, locale: str | None = None) -> str:
    """The decade that starts in astronomical ``year`` (a multiple of ten).

    Decades from year 10 on are ``2000s``; earlier ones are written as the
    years they hold, because astronomical decades do not line up with BCE
    ones: ``-480`` to ``-471`` are ``481-472 BCE``.

    >>> decade_words(2000), decade_words(-480), decade_words(0)
    ('2000s', '481-472 BCE', '1 BCE - 9 CE')
    """
    if locale is not None:
        words = _cldr(locale)
        if year >= 10:
            return words.gettext("{year}s").format(year=words.number(year))
        return "".join(words.span_parts(Date(year), Date(year + 9)))
    if year >= 10:
        return f"{year}s"
    if year == 0:
        return "1 BCE - 9 CE"
    return f"{1 - year}-{year_words(year + 9)}"  # the decade of -9999 starts before any Date


def time_words(time: dt.time, tz: str | None = None, *, locale: str | None = None) -> str:
    """A time of day with its zone: ``10:00``, ``12:30 UTC``,
    ``10:00 (Asia/Almaty)``. Seconds and microseconds are shown only when
    they are not zero.

    >>> time_words(dt.time(9, 5, 30), "UTC")
    '09:05:30 UTC'
    """
    if locale is not None:
        return _cldr(locale).clock_words(time, tz)
    return _clock(time) + _zone(tz)


def date_words(
    date: Date, *, short: bool = False, time: bool = True, locale: str | None = None
) -> str:
    """A :class:`~timeline.Date` in words at its own precision.

    >>> date_words(Date.parse("1996~")), date_words(Date.parse("2002-06?"))
    ('c. 1996', 'June 2002?')

    The short style (``short=True``, what ``timeline show`` writes under a
    heading for each year) abbreviates the month, leaves out the year when
    the date has a month, and shows a time to the second at most:

    >>> date_words(Date.parse("2018-06-10T12:30:15.5Z"), short=True)
    '10 Jun 12:30:15 UTC'

    With ``time=False`` a time of day is left out (the day of an all-day
    anniversary): ``10 June 2018``.
    """
    if locale is not None:
        return _cldr(locale).date_words(date, short=short, time=time)
    if short:
        return _short(date, with_year=False)
    return _qualify(_plain(date, False, time=time), date)


def span_words(
    start: Date, end: Date | None = None, *, short: bool = False, locale: str | None = None
) -> str:
    """The days from ``start`` to ``end`` (inclusive) in words, sharing what
    the two ends share. With no ``end``, or the same date twice, it is
    :func:`date_words` of ``start``.

    >>> span_words(Date(2024, 7, 3), Date(2024, 7, 4))
    '3-4 July 2024'
    >>> span_words(Date(2019, 12, 31), Date(2020, 1, 2))
    '31 December 2019 - 2 January 2020'
    >>> span_words(Date(-43), Date(14))
    '44 BCE - 14 CE'

    In the short style (see :func:`date_words`) the year is left out unless
    the ends are in different years or have no month:

    >>> span_words(Date(2024, 7, 3), Date(2024, 7, 4), short=True)
    '3-4 Jul'
    >>> span_words(Date(2019, 12, 31), Date(2020, 1, 2), short=True)
    '31 Dec 2019 - 2 Jan 2020'
    """
    if locale is not None:
        return "".join(_cldr(locale).span_parts(start, end, short=short))
    if short:
        return _short_span(start, end)
    return "".join(span_parts(start, end))


class _Dated(Protocol):
    """What has a start and perhaps an end: an :class:`~timeline.Event` of any kind."""

    @property
    def start(self) -> Date: ...
    @property
    def end(self) -> Date | None: ...


def when(event: _Dated, *, short: bool = False, locale: str | None = None) -> str:
    """When ``event`` happened, in words: :func:`span_words` of its start and end.

    >>> from timeline import Event
    >>> event = Event(title="Summit", start="2024-07-03", end="2024-07-04")
    >>> when(event), when(event, short=True)
    ('3-4 July 2024', '3-4 Jul')
    """
    return span_words(event.start, event.end, short=short, locale=locale)


def span_parts(
    start: Date, end: Date | None = None, *, locale: str | None = None
) -> tuple[str, str, str]:
    """:func:`span_words` in three parts: the words that stand for ``start``,
    the separator, and the words that stand for ``end`` (two empty strings
    for a single date). Joined, they are :func:`span_words`; apart, they let
    markup wrap each end, as an HTML page does with a ``<time>`` element.

    >>> span_parts(Date(2024, 7, 3), Date(2024, 7, 4))
    ('3', '-', '4 July 2024')
    >>> span_parts(Date(2001, 6), Date(2002, 3))
    ('June 2001', ' - ', 'March 2002')
    >>> span_parts(Date(2001, 6, 15))
    ('15 June 2001', '', '')
    """
    if locale is not None:
        return _cldr(locale).span_parts(start, end)
    if end is None or end == start:
        return date_words(start), "", ""
    era = start.year < 1 <= end.year
    if start.approximate or start.uncertain or end.approximate or end.uncertain:
        return date_words(start), " - ", _qualify(_plain(end, era), end)
    precision = start.precision
    if end.precision is not precision:
        return _plain(start, False), " - ", _plain(end, era)
    y1, y2 = start.year, end.year
    if precision is Precision.YEAR:
        if y2 < 1:  # 500-477 BCE: the era once, at the end
            return year_words(y1).removesuffix(" BCE"), "-", year_words(y2)
        if era:
            return year_words(y1), " - ", year_words(y2, era=True)
        return str(y1), "-", str(y2)
    m1, m2 = start.month, end.month
    assert m1 is not None and m2 is not None
    if precision is Precision.MONTH:
        if y1 == y2:
            return MONTH_NAMES[m1 - 1], "-", f"{MONTH_NAMES[m2 - 1]} {year_words(y1)}"
        return month_words(y1, m1), " - ", _plain(end, era)
    d1, d2 = start.day, end.day
    if precision is Precision.DAY:
        if y1 == y2:
            last = f"{d2} {MONTH_NAMES[m2 - 1]} {year_words(y1)}"
            if m1 == m2:
                return str(d1), "-", last
            return f"{d1} {MONTH_NAMES[m1 - 1]}", " - ", last
        return _plain(start, False), " - ", _plain(end, era)
    # Times: one day in one zone reads as a span of hours.
    assert start.time is not None and end.time is not None
    if (y1, m1, d1) == (y2, m2, d2) and start.tz == end.tz:
        return (
            f"{d1} {MONTH_NAMES[m1 - 1]} {year_words(y1)}, {_clock(start.time)}",
            "-",
            f"{_clock(end.time)}{_zone(start.tz)}",
        )
    return _plain(start, False), " - ", _plain(end, era)


# The words of a repetition in every locale: "every year", and "every N
# years" with the plural forms of the locale (N_ marks them for pybabel).
_EVERY: Final = {
    "YEARLY": (N_("every year"), NP_("every {n} year", "every {n} years")),
    "MONTHLY": (N_("every month"), NP_("every {n} month", "every {n} months")),
    "WEEKLY": (N_("every week"), NP_("every {n} week", "every {n} weeks")),
    "DAILY": (N_("every day"), NP_("every {n} day", "every {n} days")),
    "HOURLY": (N_("every hour"), NP_("every {n} hour", "every {n} hours")),
    "MINUTELY": (N_("every minute"), NP_("every {n} minute", "every {n} minutes")),
    "SECONDLY": (N_("every second"), NP_("every {n} second", "every {n} seconds")),
}

_FREQUENCIES: Final = {
    "YEARLY": ("year", "years"),
    "MONTHLY": ("month", "months"),
    "WEEKLY": ("week", "weeks"),
    "DAILY": ("day", "days"),
    "HOURLY": ("hour", "hours"),
    "MINUTELY": ("minute", "minutes"),
    "SECONDLY": ("second", "seconds"),
}


def recurrence_words(rule: str, *, short: bool = False, locale: str | None = None) -> str | None:
    """An RFC 5545 RRULE in words, when it is a plain repetition:
    ``FREQ`` with an optional ``INTERVAL`` and ``COUNT`` or ``UNTIL``.
    Anything more (``BYDAY``, ``BYMONTH``...) gives ``None``; show the rule
    itself then. So does a rule that is not valid
    (:func:`timeline.recurrence.parse_rule` says why); icalendar's
    ``vRecur`` reads the parts of one that is.

    >>> recurrence_words("FREQ=YEARLY")
    'every year'
    >>> recurrence_words("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=10")
    'every 2 weeks, 10 times'
    >>> recurrence_words("FREQ=YEARLY;UNTIL=20300615")
    'every year until 15 June 2030'
    >>> recurrence_words("FREQ=MONTHLY;BYDAY=1MO") is None
    True

    The short style (``short=True``, what ``timeline show`` writes in
    parentheses after a title) puts fewer rules in words: ``FREQ`` from
    ``DAILY`` to ``YEARLY`` with an optional ``INTERVAL``, the names of the
    parts in capitals; a ``COUNT`` or an ``UNTIL`` gives ``None``.

    >>> recurrence_words("FREQ=WEEKLY;INTERVAL=2", short=True)
    'every 2 weeks'
    >>> recurrence_words("FREQ=WEEKLY;COUNT=10", short=True) is None
    True
    """
    if locale is not None:
        return _cldr(locale).recurrence_words(rule, short=short)
    if short:
        return _short_recurrence(rule)
    return _recurrence_words(rule)


@functools.lru_cache(maxsize=256)
def _recurrence_words(rule: str) -> str | None:
    parts = _rule(rule)
    if parts is None or not parts.keys() <= {"FREQ", "INTERVAL", "COUNT", "UNTIL"}:
        return None
    names = _FREQUENCIES[parts["FREQ"][0]]
    interval = parts.get("INTERVAL", [1])[0]
    words = f"every {names[0]}" if interval == 1 else f"every {interval} {names[1]}"
    if "COUNT" in parts:
        count = parts["COUNT"][0]
        words += ", once" if count == 1 else f", {count} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"][0]
        words += f" until {date_words(Date(until.year, until.month, until.day))}"
        if isinstance(until, dt.datetime):
            words += ", " + time_words(until.time(), None if until.tzinfo is None else "UTC")
    return words


def _rule(rule: str) -> dict[str, list[Any]] | None:
    """The parts of a rule as icalendar reads them (``{"FREQ": ["YEARLY"],
    "COUNT": [3]}``), when :func:`timeline.recurrence.parse_rule` finds it
    valid; ``None`` when it is not."""
    from icalendar import vRecur

    from .recurrence import parse_rule

    text = rule.strip()
    if text[:6].upper() == "RRULE:":
        text = text[6:]
    try:
        parse_rule(text)
        return dict(vRecur.from_ical(text))
    except ValueError:  # not a rule, or a date that does not exist (UNTIL=20300231)
        return None


# -- the fields of a kind -----------------------------------------------------------------------


def name_words(name: str) -> str:
    """A kind's or a field's name as a label: the parts between ``-`` and
    ``_`` joined by spaces, the first letter a capital and the others as
    they are written.

    >>> name_words("treaty-signing"), name_words("in_force"), name_words("UN_member")
    ('Treaty signing', 'In force', 'UN member')
    """
    words = " ".join(part for part in _NAME_PARTS.split(name) if part)
    return words[:1].upper() + words[1:]


def field_label(field: attrs.Attribute[Any], *, locale: str | None = None) -> str:
    """The label of a kind's field in every format: the ``label`` of its
    metadata (see :func:`timeline.model.label`), else :func:`name_words` of
    its name; with a ``locale``, translated by the field's catalogue (the
    ``catalogue`` of its metadata) or ours.

    >>> import attrs
    >>> @attrs.frozen
    ... class Treaty:
    ...     signed_on: str = attrs.field(metadata={"label": "Signed"})
    ...     in_force: bool = False
    >>> [field_label(field) for field in attrs.fields(Treaty)]
    ['Signed', 'In force']
    """
    label = field.metadata.get("label")
    text = str(label) if label else name_words(field.name)
    return text if locale is None else translate(text, locale, field.metadata.get("catalogue"))


def translate(message: str, locale: str | None, catalogue: Catalogue | None = None) -> str:
    """``message`` in the language of ``locale``, from ``catalogue`` (ours by
    default); the message itself when there is no locale or no translation.

    >>> translate("Place", "ru"), translate("Place", None)
    ('Место', 'Place')
    """
    if locale is None:
        return message
    return (catalogue or CATALOGUE).gettext(locale)(message)


_EVENT: Final = N_("Event")  # the kind of a plain event, for pybabel to find


def kind_words(kind: type[Any] | str, *, locale: str | None = None) -> str:
    """The name of a kind as a heading or label: ``Summit``, ``Treaty signing``;
    with a ``locale``, translated by the kind's ``catalogue`` or ours."""
    name = kind if isinstance(kind, str) else str(kind.kind)
    catalogue = None if isinstance(kind, str) else getattr(kind, "catalogue", None)
    return translate(name_words(name), locale, catalogue)


def list_words(items: Iterable[str], *, locale: str | None = None) -> str:
    """Items as a list in prose: ``, `` between them in English (as every
    format has always written lists), the locale's list pattern with one
    (``A, B и C``, ``A、B和C``)."""
    if locale is None:
        return ", ".join(items)
    return _cldr(locale).join(list(items))


def country_words(code: str, *, locale: str | None = None) -> str:
    """The name of a country (ISO 3166-1 alpha-2) or a group (``EU``):
    ours in English, CLDR's in another locale (``Казахстан``, ``哈萨克斯坦``)."""
    if locale is None:
        return country_name(code)
    return _cldr(locale).country(code)


def number_words(number: float, *, locale: str | None = None) -> str:
    """A number as a locale writes it, with its digits and separators
    (``1 234,5`` in Russian, ``۵۱٫۱۶۹۴`` in Persian, ``2 156``); without a
    locale, a whole number with commas (``2,156``), any other as Python
    writes it (``51.1694``).

    >>> number_words(51.1694), number_words(51.1694, locale="ru"), number_words(25, locale="fa")
    ('51.1694', '51,1694', '۲۵')
    """
    if locale is None:
        return f"{number:,}" if isinstance(number, int) else str(number)
    return _cldr(locale).decimal(number)


def place_words(name: str, country: str | None, *, locale: str | None = None) -> str:
    """A place's name and its country's, joined as the locale joins them
    (``Astana, Kazakhstan``, ``阿斯塔纳，哈萨克斯坦``); the name alone when
    there is no country. Both are given in words already (and escaped, for a
    format that escapes): this only joins them."""
    if not country:
        return name
    if locale is None:
        return f"{name}, {country}"
    return translate("{place}, {country}", locale).format(place=name, country=country)


def direction_of(locale: str | None) -> str:
    """``ltr`` or ``rtl``: how the locale writes (English without one)."""
    return "ltr" if locale is None else _cldr(locale).direction


def value_words(
    value: Any,
    *,
    country_codes: bool = False,
    markup: Callable[[Any, str], str] | None = None,
    locale: str | None = None,
) -> str:
    """A field's value in words, the same in every format:

    * ``None``, an empty text or collection: ``""`` (nothing to show);
    * an enum: its ``words`` (as the built-in kinds' enums have), else its value;
    * a country code: the country's name (``KZ`` is ``Kazakhstan``), unless
      ``country_codes``; other text as it is;
    * ``True`` and ``False``: ``yes`` and ``no``;
    * a :class:`~timeline.Date`: :func:`date_words`;
    * a tuple, list or set: the words of its items, joined by ``, `` (in a
      locale, by its list pattern);
    * anything else: its ``words``, if it has such a text, else ``str(value)``.

    With a ``locale``, the words are in its language: CLDR's country names
    and dates, our catalogue's ``yes``, ``no`` and the enums' words (an
    enum's own ``catalogue``, if it has one, first).

    ``markup``, when given, turns each item (the value itself, or each item
    of a collection) and its words into what the format writes: escaped
    text, or an element of its own.

    >>> value_words(("KZ", "CN", "ASEAN")), value_words(True), value_words(None)
    ('Kazakhstan, China, ASEAN', 'yes', '')
    >>> value_words(("KZ", "CN"), country_codes=True, markup=lambda item, words: f"<{words}>")
    '<KZ>, <CN>'
    >>> value_words(("KZ", "CN", "RU"), locale="ru")
    'Казахстан, Китай и Россия'

    Texts and tuples of texts, the values that repeat (the same host, the
    same members), are remembered with their words: give a ``markup`` that
    is a function of its arguments alone.
    """
    kind = type(value)
    if kind is str or (kind is tuple and all(type(item) is str for item in value)):
        return _remembered_words(value, country_codes, markup, locale)
    return _words(value, country_codes, markup, locale)


def _words(
    value: Any,
    country_codes: bool,
    markup: Callable[[Any, str], str] | None,
    locale: str | None = None,
) -> str:
    if isinstance(value, tuple | list | set | frozenset):
        # Each text (a country code) remembered with its words: the same
        # members come in many lists that differ.
        items = (
            (_remembered_words if type(item) is str else _words)(
                item, country_codes, markup, locale
            )
            for item in value
        )
        return list_words([item for item in items if item], locale=locale)
    words = _item_words(value, country_codes, locale)
    if not words or markup is None:
        return words
    return markup(value, words)


# By value and type: MeetingFormat.IN_PERSON == "in-person", but their words
# differ (only texts and tuples of texts are remembered, so typed=True is enough).
_remembered_words: Final = functools.lru_cache(maxsize=256, typed=True)(_words)


def _item_words(value: Any, country_codes: bool, locale: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str
        words = getattr(value, "words", None)
        text = words if isinstance(words, str) else str(value.value)
        return translate(text, locale, getattr(type(value), "catalogue", None))
    if isinstance(value, str):
        if country_codes or not is_country_code(value):
            return value
        return country_words(value, locale=locale)
    if isinstance(value, bool):
        return translate(N_("yes") if value else N_("no"), locale)
    if isinstance(value, Date):
        return date_words(value, locale=locale)
    words = getattr(value, "words", None)
    return words if isinstance(words, str) else str(value)


# -- internals ------------------------------------------------------------------------------

_NAME_PARTS: Final = re.compile(r"[-_]+")

_SHORT_FREQUENCIES: Final = frozenset({"YEARLY", "MONTHLY", "WEEKLY", "DAILY"})
_SHORT_RULE: Final = re.compile(
    r"(?:RRULE:)?(?:FREQ=(?P<freq>[A-Za-z]+)(?:;INTERVAL=(?P<interval>[0-9]+))?"
    r"|INTERVAL=(?P<interval2>[0-9]+);FREQ=(?P<freq2>[A-Za-z]+))"
)


def _short_recurrence(rule: str) -> str | None:
    match = _SHORT_RULE.fullmatch(rule)
    if match is None:
        return None
    frequency = (match["freq"] or match["freq2"]).upper()
    interval = match["interval"] or match["interval2"] or "1"
    if frequency not in _SHORT_FREQUENCIES or int(interval) < 1:
        return None
    names = _FREQUENCIES[frequency]
    # As ``show`` has always written it: the interval's number is read
    # (``02`` is 2), but only the interval written ``1`` is left out.
    return f"every {names[0]}" if interval == "1" else f"every {int(interval)} {names[1]}"


def _short_span(start: Date, end: Date | None) -> str:
    if end is None or end == start:
        return _short(start, with_year=False)
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    if plain and start.time is None and end.time is None and start.year == end.year:
        if start.day is not None and end.day is not None and start.month == end.month:
            return f"{start.day}-{_short(end, with_year=False)}"
        if start.month is not None and end.month is not None:
            return f"{_short(start, with_year=False)} - {_short(end, with_year=False)}"
    same_day = (start.year, start.month, start.day) == (end.year, end.month, end.day)
    if plain and same_day and start.time is not None and end.time is not None \
            and start.tz == end.tz:  # fmt: skip
        day = _short_day(start, with_year=False)
        return f"{day} {_short_clock(start.time)}-{_short_clock(end.time)}{_zone(start.tz)}"
    other_year = start.year != end.year
    return f"{_short(start, with_year=other_year)} - {_short(end, with_year=other_year)}"


def _short(date: Date, *, with_year: bool) -> str:
    """``15 Jun``, ``c. Jun 2001?``, ``9 Jun 10:00 UTC``."""
    text = _short_day(date, with_year=with_year)
    if date.time is not None:
        text += f" {_short_clock(date.time)}{_zone(date.tz)}"
    return _qualify(text, date)


def _short_day(date: Date, *, with_year: bool) -> str:
    if date.month is None:
        return year_words(date.year)
    text = SHORT_MONTH_NAMES[date.month - 1]
    if date.day is not None:
        text = f"{date.day} {text}"
    return f"{text} {year_words(date.year)}" if with_year else text


def _short_clock(time: dt.time) -> str:
    return time.isoformat(timespec="seconds" if time.second or time.microsecond else "minutes")


def _plain(date: Date, era: bool, *, time: bool = True) -> str:
    """The date in words without its qualifiers."""
    year = date.year
    year_text = str(year) if year >= 1 and not era else year_words(year, era=era)
    month = date.month
    if month is None:
        return year_text
    if date.day is None:
        return f"{MONTH_NAMES[month - 1]} {year_text}"
    text = f"{date.day} {MONTH_NAMES[month - 1]} {year_text}"
    if date.time is None or not time:
        return text
    return f"{text}, {_clock(date.time)}{_zone(date.tz)}"


def _qualify(text: str, date: Date) -> str:
    if date.approximate:
        text = "c. " + text
    if date.uncertain:
        text += "?"
    return text


def _clock(time: dt.time) -> str:
    if time.microsecond:
        return time.isoformat(timespec="microseconds")
    if time.second:
        return time.isoformat(timespec="seconds")
    return f"{time.hour:02d}:{time.minute:02d}"


def _zone(tz: str | None) -> str:
    if tz is None:
        return ""
    if tz == "UTC":
        return " UTC"
    return f" ({tz})"


# -- in the reader's language (CLDR, through Babel) ---------------------------------------------

# The digits of the numbering systems CLDR makes the default of a locale
# (Persian writes ۲۰۲۴); Babel formats dates with Latin digits only.
_DIGITS: Final = {"arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "mymr": 0x1040}
_FIELD: Final = re.compile(r"%\((\w+)\)s")


class _Pattern:
    """A CLDR date pattern, read once by Babel (``d MMMM y 'г'.``) and filled
    by our own code from the locale's tables: formatting through Babel's
    objects costs about 10 µs a date, this a fraction of that."""

    __slots__ = ("fields", "tail", "template")

    def __init__(self, pattern: str) -> None:
        from babel.dates import parse_pattern

        self.template: str = cast("str", parse_pattern(pattern).format)  # a %-format text
        self.fields = tuple(dict.fromkeys(_FIELD.findall(self.template)))
        last = list(_FIELD.finditer(self.template))
        self.tail = self.template[last[-1].end() :].replace("%%", "%") if last else ""
        """The text after the last field: in the first half of an interval
        pattern, what joins the two ends (``d–``, ``MMM d – ``)."""

    def fill(self, values: dict[str, str]) -> str:
        return self.template % values


class _Cldr:
    """What CLDR says of one locale, prepared once: month and era names,
    patterns for each precision, interval patterns, list patterns, digits."""

    def __init__(self, tag: str) -> None:
        from .locales import CATALOGUE, cldr_locale, direction, locale_tag

        locale = cldr_locale(tag)
        self.locale = locale
        self.tag = locale_tag(locale)
        self.direction = direction(tag)
        self.gettext = CATALOGUE.gettext(self.tag)
        self.ngettext = CATALOGUE.ngettext(self.tag)
        months = locale.months
        self.names = {
            "MMM": months["format"]["abbreviated"], "MMMM": months["format"]["wide"],
            "LLL": months["stand-alone"]["abbreviated"], "LLLL": months["stand-alone"]["wide"],
        }  # fmt: skip
        eras = locale.eras
        self.eras = {"G": eras["abbreviated"], "GG": eras["abbreviated"],
                     "GGG": eras["abbreviated"], "GGGG": eras["wide"]}  # fmt: skip
        system = getattr(locale, "default_numbering_system", "latn")
        zero = _DIGITS.get(system)
        self.digits = None if zero is None else str.maketrans(
            "0123456789", "".join(chr(zero + n) for n in range(10))
        )  # fmt: skip
        long = locale.date_formats["long"].pattern
        # A locale that writes the month in words in a full date (4 июля) wants
        # it in words in a span too, where CLDR often has only the short form.
        self.wide = "MMMM" in long or "LLLL" in long
        self.day = _Pattern(long)
        self.month = self._skeleton("yMMMM")
        self.year = self._skeleton("y")
        self.era_day = self._skeleton("GyMMMMd")
        self.era_month = self._skeleton("GyMMMM")
        self.era_year = self._skeleton("Gy")
        self.short_day = self._skeleton("MMMd")
        self.short_month = self._skeleton("MMM")
        self.short_year_month = self._skeleton("yMMM")
        self.clock = _Pattern(locale.time_formats["short"].pattern)
        self.clock_seconds = _Pattern(locale.time_formats["medium"].pattern)
        self.date_time = str(locale.datetime_formats["medium"])
        self.fallback = str(locale.interval_formats.get(None) or "{0} – {1}")
        self.lists = locale.list_patterns["standard"]

    def _skeleton(self, skeleton: str) -> _Pattern:
        from babel.dates import match_skeleton

        skeletons = self.locale.datetime_skeletons
        found = skeleton if skeleton in skeletons else match_skeleton(skeleton, skeletons)
        pattern = skeletons[found].pattern if found else self.locale.date_formats["long"].pattern
        return _Pattern(self._widen(pattern) if "MMMM" in skeleton else pattern)

    def _widen(self, pattern: str) -> str:
        if not self.wide:
            return pattern
        return re.sub(r"(?<!M)MMM(?!M)", "MMMM", re.sub(r"(?<!L)LLL(?!L)", "LLLL", pattern))

    def interval(self, skeleton: str, difference: str) -> tuple[_Pattern, _Pattern] | None:
        """The two halves of CLDR's interval pattern for a skeleton, when the
        two ends first differ in ``difference`` (``y``, ``M``, ``d``, ``H``...)."""
        return self._intervals(skeleton).get(difference)

    @functools.cache  # noqa: B019 - one per locale, for the program's life
    def _intervals(self, skeleton: str) -> dict[str, tuple[_Pattern, _Pattern]]:
        from babel.dates import match_skeleton

        formats = self.locale.interval_formats
        found = (
            skeleton if skeleton in formats else match_skeleton(skeleton, formats.keys() - {None})
        )
        if not found:
            return {}
        widen = self._widen if "MMMM" in skeleton else str
        return {difference: (_Pattern(widen(first)), _Pattern(widen(second)))
                for difference, (first, second) in formats[found].items()}  # fmt: skip

    def decimal(self, number: float) -> str:
        """A number with the locale's separators and digits, every decimal kept."""
        from babel.numbers import format_decimal

        text = format_decimal(
            number, locale=self.locale, decimal_quantization=False, numbering_system="default"
        )
        return text if self.digits is None else text.translate(self.digits)

    def number(self, n: int, width: int = 0) -> str:
        text = str(n).zfill(width)
        return text if self.digits is None else text.translate(self.digits)

    def values(self, pattern: _Pattern, date: Date) -> dict[str, str]:
        """The fields of ``pattern`` for ``date``: its day, month, year, era
        (a year before 1 is written as the year of its era: -476 is 477 BC)."""
        year = date.year
        values: dict[str, str] = {}
        for field in pattern.fields:
            letter, width = field[0], len(field)
            if letter == "y":
                shown = year if year >= 1 else 1 - year
                values[field] = (
                    self.number(shown % 100, 2) if width == 2 else self.number(shown, width)
                )
            elif letter in "ML" and width >= 3:
                values[field] = self.names[field[:4]][date.month or 1]
            elif letter in "ML":
                values[field] = self.number(date.month or 0, width)
            elif letter == "d":
                values[field] = self.number(date.day or 0, width)
            elif letter == "G":
                values[field] = self.eras[field[:4]][0 if year < 1 else 1]
            elif letter in "Ec" and date.day is not None and date.month is not None and year >= 1:
                weekday = dt.date(year, date.month, date.day).weekday()
                values[field] = self.locale.days["format"]["wide" if width >= 4 else "abbreviated"][
                    weekday
                ]
            else:
                values[field] = ""
        return values

    def clock_words(self, time: dt.time, tz: str | None) -> str:
        pattern = self.clock_seconds if time.second or time.microsecond else self.clock
        return self.zone_words(pattern.fill(self.clock_values(pattern, time)), tz)

    def clock_values(self, pattern: _Pattern, time: dt.time) -> dict[str, str]:
        """The fields of a time pattern for ``time``: hours, minutes, seconds,
        the period of the day."""
        values: dict[str, str] = {}
        for field in pattern.fields:
            letter, width = field[0], len(field)
            if letter == "H":
                values[field] = self.number(time.hour, width)
            elif letter == "h":
                values[field] = self.number(time.hour % 12 or 12, width)
            elif letter == "m":
                values[field] = self.number(time.minute, width)
            elif letter == "s":
                second = self.number(time.second, width)
                if time.microsecond:
                    system = getattr(self.locale, "default_numbering_system", "latn")
                    symbols = self.locale.number_symbols
                    decimal = symbols.get(system, symbols.get("latn", {})).get("decimal", ".")
                    second += decimal + self.number(time.microsecond, 6)
                values[field] = second
            elif letter in "aB":
                periods = self.locale.day_periods["format"]["abbreviated"]
                values[field] = periods["am" if time.hour < 12 else "pm"]
            else:
                values[field] = ""
        return values

    def zone_words(self, time: str, tz: str | None) -> str:
        """A time with its zone: UTC, or the city CLDR names the zone after."""
        if tz is None:
            return time
        if tz == "UTC":
            return f"{time} UTC"
        return self.gettext("{time} ({zone})").format(time=time, zone=self.city(tz))

    @functools.cache  # noqa: B019
    def city(self, tz: str) -> str:
        from babel.dates import get_timezone_location

        try:
            return str(get_timezone_location(tz, locale=self.locale, return_city=True))
        except (LookupError, ValueError):
            return tz

    def plain(self, date: Date, *, time: bool = True, era: bool = False) -> str:
        """The date in words at its precision, without its qualifiers; with
        the era when it is before year 1, or when ``era`` says so (the end of
        a span that starts before year 1)."""
        bce = date.year < 1 or era
        if date.month is None:
            pattern = self.era_year if bce else self.year
        elif date.day is None:
            pattern = self.era_month if bce else self.month
        else:
            pattern = self.era_day if bce else self.day
        text = pattern.fill(self.values(pattern, date))
        if date.time is None or not time:
            return text
        return self.date_time.replace("{1}", text).replace(
            "{0}", self.clock_words(date.time, date.tz)
        )

    def words(self, date: Date, *, era: bool = False) -> str:
        return self.qualify(self.plain(date, era=era), date)

    def qualify(self, text: str, date: Date) -> str:
        if date.approximate:
            text = self.gettext("c. {date}").format(date=text)
        if date.uncertain:
            text = self.gettext("{date}?").format(date=text)
        return text

    def date_words(self, date: Date, *, short: bool = False, time: bool = True) -> str:
        if short:
            if date.month is None or date.year < 1:
                text = self.plain(date, time=False)
            else:
                pattern = self.short_day if date.day is not None else self.short_month
                text = pattern.fill(self.values(pattern, date))
            if date.time is not None and time:
                text = self.date_time.replace("{1}", text).replace(
                    "{0}", self.clock_words(date.time, date.tz)
                )
            return self.qualify(text, date)
        return self.qualify(self.plain(date, time=time), date)

    def span_parts(
        self, start: Date, end: Date | None, *, short: bool = False
    ) -> tuple[str, str, str]:
        """The two ends of a span and what joins them: CLDR's interval pattern
        when both ends are plain dates of one precision, else the two dates in
        words joined by the locale's fallback (``{0} – {1}``). In the short
        style, a span within a year has no year (``3–4 июл.``)."""
        if end is None or end == start:
            return self.date_words(start, short=short), "", ""
        plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
        same_precision = start.precision is end.precision and end.time is None
        if short and plain and same_precision and start.year == end.year >= 1 \
                and start.precision in (Precision.MONTH, Precision.DAY):  # fmt: skip
            day = start.precision is Precision.DAY
            difference = "d" if day and start.month == end.month else "M"
            halves = self.interval("MMMd" if day else "MMM", difference)
            if halves is not None:
                return self._halves(halves, start, end)
        joiner = self._joiner()
        if short and start.year == end.year >= 1:
            return self.date_words(start, short=True), joiner, self.date_words(end, short=True)
        if short:  # across years or eras: each end with its year, as in English
            return self.words(start), joiner, self.words(end, era=start.year < 1 <= end.year)
        if plain and start.time is not None and end.time is not None and start.year >= 1 \
                and (start.year, start.month, start.day) == (end.year, end.month, end.day) \
                and start.tz == end.tz and not (start.time.second or end.time.second):  # fmt: skip
            # One day in one zone: the day once, then the hours as CLDR joins them.
            hours = self._hours(start.time, end.time)
            if hours is not None:
                first, between, last = hours
                dated = self.date_time.replace("{1}", self.plain(start, time=False))
                return dated.replace("{0}", first), between, self.zone_words(last, start.tz)
        if plain and same_precision and start.year >= 1:
            precision = start.precision
            skeleton, difference = "y", "y"
            if precision is Precision.MONTH:
                skeleton, difference = (
                    "yMMMM" if self.wide else "yMMM",
                    "y" if start.year != end.year else "M",
                )
            elif precision is Precision.DAY:
                skeleton = "yMMMMd" if self.wide else "yMMMd"
                difference = (
                    "y" if start.year != end.year else "M" if start.month != end.month else "d"
                )
            halves = self.interval(skeleton, difference)
            if halves is not None:
                return self._halves(halves, start, end)
        return (
            self.date_words(start),
            self._joiner(),
            self.words(end, era=start.year < 1 <= end.year),
        )

    def _halves(
        self, halves: tuple[_Pattern, _Pattern], start: Date, end: Date
    ) -> tuple[str, str, str]:
        first, second = halves
        words = first.fill(self.values(first, start))
        cut = len(words) - len(first.tail)
        return words[:cut], words[cut:], second.fill(self.values(second, end))

    def _hours(self, start: dt.time, end: dt.time) -> tuple[str, str, str] | None:
        """Two times of one day by CLDR's interval pattern (``10:00–12:00``,
        ``10:00\u202fAM\u2009–\u200912:00\u202fPM``), or ``None``."""
        twelve = any(f[0] == "h" for f in self.clock.fields)
        if twelve and (start.hour < 12) != (end.hour < 12):
            difference = "a"
        else:
            difference = "H" if start.hour != end.hour else "m"
            difference = difference.lower() if twelve and difference == "H" else difference
        halves = self.interval("hm" if twelve else "Hm", difference)
        if halves is None:
            return None
        first, second = halves
        words = first.fill(self.clock_values(first, start))
        cut = len(words) - len(first.tail)
        return words[:cut], words[cut:], second.fill(self.clock_values(second, end))

    def _joiner(self) -> str:
        return self.fallback.split("{0}", 1)[1].split("{1}", 1)[0]

    def year_words(self, year: int) -> str:
        return self.plain(Date(year))

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one per locale, for the program's life
    def recurrence_words(self, rule: str, *, short: bool) -> str | None:
        parts = _rule(rule)
        allowed = {"FREQ", "INTERVAL"} if short else {"FREQ", "INTERVAL", "COUNT", "UNTIL"}
        if parts is None or not parts.keys() <= allowed:
            return None
        one, (singular, plural) = _EVERY[parts["FREQ"][0]]
        interval = int(parts.get("INTERVAL", [1])[0])
        if interval == 1:
            words = self.gettext(one)
        else:
            words = self.ngettext(singular, plural, interval).format(n=self.number(interval))
        if "COUNT" in parts:
            count = int(parts["COUNT"][0])
            words += self.ngettext(", once", ", {n} times", count).format(n=self.number(count))
        if "UNTIL" in parts:
            until = parts["UNTIL"][0]
            day = self.date_words(Date(until.year, until.month, until.day))
            if isinstance(until, dt.datetime):
                day = self.date_time.replace("{1}", day).replace(
                    "{0}", self.clock_words(until.time(), None if until.tzinfo is None else "UTC")
                )
            words += self.gettext(" until {date}").format(date=day)
        return words

    def join(self, items: list[str]) -> str:
        """Items joined as the locale lists them (``A, B и C``, ``A、B和C``)."""
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        patterns = self.lists
        if len(items) == 2:
            return str(patterns["2"]).format(*items)
        text = str(patterns["end"]).format(items[-2], items[-1])
        for item in reversed(items[1:-2]):
            text = str(patterns["middle"]).format(item, text)
        return str(patterns["start"]).format(items[0], text)

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code.upper()) or country_name(code))


@functools.cache
def _cldr(locale: str) -> _Cldr:
    return _Cldr(locale)
