"""The ``timelinejs`` importer: every slide of a TimelineJS3 JSON file
becomes an event, read leniently (what cannot be held is left out with a
warning that names its JSON path) or, with ``strict``, not at all. See the
plugin's README, "Importing".
"""

from __future__ import annotations

import itertools
import json
import re
import warnings
from collections.abc import Mapping
from typing import Any, Final, TextIO

import attrs
from timeline import (
    Date,
    Event,
    FieldError,
    Importer,
    ImporterWarning,
    Option,
    OptionError,
    Problem,
    Problems,
    Source,
    Timeline,
    TimelineError,
    ValidationError,
    validators,
)
from timeline.formats import locale_option
from timeline.words import date_words, span_words

from .markup import is_web_url, plain_text, reduce_html, unescape_twice
from .parts import PartError, read_parts

__all__ = ["SHOWN_AS", "TimelineJSImporter"]

SHOWN_AS: Final = "TimelineJS shows the date as: {text}"
"""The line of an event's notes that keeps a ``display_date`` which does not
say the same as the date's parts."""
_MAX_DIGITS: Final = 4300
_MAX_WARNINGS: Final = 1000
_NOT_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
_BREAKS: Final = re.compile(r"[\x85\u2028\u2029]+")
_ZONE: Final = re.compile(r"\(([A-Za-z][A-Za-z0-9_+/-]*)\)")
_SLIDE_KEYS: Final = frozenset({
    "start_date", "end_date", "text", "media", "group", "display_date", "background",
    "autolink", "unique_id", "type", "scale",
})  # fmt: skip
_DATE_KEYS: Final = frozenset({
    "year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format",
    "format_short",
})  # fmt: skip


class _NotJSON(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _NotJSON(f"a number of more than {_MAX_DIGITS} digits")
    return int(text)


def _no_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a JSON number")


class TimelineJSImporter(Importer):
    """Reads TimelineJS3's JSON: the title slide as the timeline's title and
    description, each slide as an event, each era as an event with a tag."""

    name = "timelinejs"
    suffixes = (".timelinejs.json",)
    media_type = "application/json"
    description = (
        "TimelineJS3's JSON: a slide per event, its HTML as plain text, its group as a tag; "
        "what a timeline cannot hold is left out with a warning."
    )
    starts_with = ("{",)
    options = (
        Option("strict", bool, default=False,
               help="fail on anything that cannot be read or held (a bad date part, media, a "
                    "background...) instead of leaving it out with a warning"),
        Option("eras", str, default="era",
               help="the tag of the events that the file's eras become"),
        Option("language", str, default="en",
               help="the language of the texts, a BCP 47 tag such as en, ru or zh-Hans "
                    "(TimelineJS's JSON does not say)"),
        locale_option("the locale the display dates were written in by the timelinejs "
                      "exporter's locale option, to read them back (c. 1996, ок. 1996); "
                      "default: English"),
    )  # fmt: skip

    def read(self, stream: TextIO, options: Mapping[str, Any], source: str) -> Timeline:
        """Read the whole document; raise :class:`~timeline.ValidationError`
        when it is no TimelineJS document, or, when strict, with every problem."""
        language = options["language"]
        if not validators.is_language(language):
            raise OptionError(f"option 'language': {validators.language_problem(language)}")
        tag = options["eras"]
        if not tag.strip() or "\n" in tag or "\r" in tag:
            raise OptionError(f"option 'eras' is a tag, one line of text, not {tag!r}")
        text = stream.read()
        try:
            doc = json.loads(text, parse_int=_parse_int, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise ValidationError([Problem(where, f"not valid JSON: {exc.msg}")], source) from None
        except _NotJSON as exc:
            raise ValidationError([Problem("$", f"not valid JSON: {exc}")], source) from None
        except RecursionError:
            raise ValidationError([Problem("$", "nested too deeply")], source) from None
        reader = _Reader(source, options["strict"], tag.strip(), options["locale"])
        return reader.document(doc, validators.canonical_language(language))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    return "text"


@attrs.define
class _Reader:
    source: str
    strict: bool
    era_tag: str
    locale: str | None
    problems: Problems = attrs.Factory(Problems)
    warned: int = 0
    taken: dict[str, int] = attrs.Factory(dict)

    # -- what is left out ----------------------------------------------------------------

    def fatal(self, path: str, message: str) -> ValidationError:
        return ValidationError([Problem(path, message)], self.source)

    def note(self, path: str, message: str) -> None:
        """Something left out or changed: a warning, or a problem when strict."""
        if self.strict:
            self.problems.add(path, message)
            return
        self.warned += 1
        if self.warned <= _MAX_WARNINGS:
            warnings.warn(f"{self.source}: {path}: {message}", ImporterWarning, stacklevel=2)

    # -- the document --------------------------------------------------------------------

    def document(self, doc: Any, language: str) -> Timeline:
        if not isinstance(doc, dict):
            raise self.fatal("$", f"a TimelineJS document is an object, not {_kind(doc)}")
        raw_events = doc.get("events")
        if raw_events is None:
            raise self.fatal("$", "no 'events': a TimelineJS document has a list of events")
        if not isinstance(raw_events, list):
            raise self.fatal("$.events", f"is {_kind(raw_events)}, not an array of slides")
        scale = doc.get("scale")
        if scale not in (None, "", "human", "cosmological"):
            self.note("$.scale", f"{_short(scale)} is not human or cosmological; read as human")
        cosmological = scale == "cosmological"
        for key in doc:
            if key not in ("events", "title", "eras", "scale"):
                self.note(f"$.{key}" if key.isidentifier() else f"$[{json.dumps(key)}]",
                          "not part of TimelineJS's format; left out")  # fmt: skip
        head: dict[str, Any] = {}
        title = doc.get("title")
        if title is not None:
            head = self.title(title)
        events: list[Event] = []
        for index, raw in enumerate(raw_events):
            event = self.slide(raw, f"$.events[{index}]", cosmological)
            if event is not None:
                events.append(event)
        eras = doc.get("eras")
        if eras is not None:
            if isinstance(eras, list):
                for index, raw in enumerate(eras):
                    event = self.era(raw, f"$.eras[{index}]", cosmological)
                    if event is not None:
                        events.append(event)
            else:
                self.note("$.eras", f"is {_kind(eras)}, not an array of eras; left out")
        if self.warned > _MAX_WARNINGS:
            more = self.warned - _MAX_WARNINGS
            warnings.warn(f"{self.source}: and {more} more things left out or changed",
                          ImporterWarning, stacklevel=2)  # fmt: skip
        if self.problems:
            raise self.problems.error(self.source)
        return self.timeline(head, language, events)

    def timeline(self, head: dict[str, Any], language: str, events: list[Event]) -> Timeline:
        try:
            return Timeline(language=language, events=events, **head)
        except FieldError as exc:  # the title slide's headline or link
            self.note(f"$.title.{_TITLE_PATHS.get(exc.field, 'text')}", f"{exc}; left out")
            head.pop(exc.field, None)
            if self.problems:
                raise self.problems.error(self.source) from None
            return self.timeline(head, language, events)

    def title(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.note("$.title", f"is {_kind(raw)}, not a slide; left out")
            return {}
        head: dict[str, Any] = {}
        text = raw.get("text")
        if text is None:
            return head
        if not isinstance(text, dict):
            self.note("$.title.text", f"is {_kind(text)}, not an object; left out")
            return head
        headline = self.string(text, "headline", "$.title.text")
        if headline:
            head["title"] = plain_text(headline)
        body = self.string(text, "text", "$.title.text")
        if body:
            reduced = reduce_html(body)
            head["description"] = "\n".join([*reduced.description, *reduced.notes])
            links = [url for url, _ in (*reduced.links, *reduced.sources)]
            if links:
                head["url"] = links[0]
            if len(links) > 1:
                self.note("$.title.text.text", f"a timeline has one URL ({links[0]}); the "
                          f"other links left out: {', '.join(links[1:])}")  # fmt: skip
        if raw.get("media") is not None:
            self.note("$.title.media", "a timeline has no media; left out")
        return head

    def string(self, data: dict[str, Any], key: str, path: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.note(f"{path}.{key}", f"is {_kind(value)}, not text; left out")
            return ""
        return value

    # -- slides and eras -----------------------------------------------------------------

    def date(self, raw: Any, path: str, cosmological: bool, lost: str) -> Date | None:
        """The date of a TimelineJS date object; ``None``, said with what is
        ``lost`` then, when its year cannot be read."""
        if not isinstance(raw, dict):
            self.note(path, f"is {_kind(raw)}, not a date object; {lost}")
            return None
        for key in raw:
            if key not in _DATE_KEYS:
                self.note(f"{path}.{key}", "not a part of a TimelineJS date; left out")
        try:
            return read_parts(raw, lambda part, why: self.note(f"{path}.{part}", why),
                              years_only=cosmological)  # fmt: skip
        except PartError as exc:
            self.note(f"{path}.{exc.args[0]}", f"{exc.args[1]}; {lost}")
            return None

    def dates(
        self, raw: dict[str, Any], path: str, cosmological: bool
    ) -> tuple[Date, Date | None] | None:
        if "start_date" not in raw:
            self.note(path, "no start_date; left out")
            return None
        start = self.date(
            raw["start_date"], f"{path}.start_date", cosmological, "the slide left out"
        )
        if start is None:
            return None
        end = None
        if raw.get("end_date") is not None:
            end = self.date(raw["end_date"], f"{path}.end_date", cosmological, "the end left out")
            if end is not None and (end == start or _certainly_before(end, start)):
                if end != start:
                    self.note(f"{path}.end_date", f"{end} is before the start {start}; left out")
                end = None
        return start, end

    def slide(self, raw: Any, path: str, cosmological: bool) -> Event | None:
        if not isinstance(raw, dict):
            self.note(path, f"is {_kind(raw)}, not a slide; left out")
            return None
        for key in raw:
            if key not in _SLIDE_KEYS:
                self.note(f"{path}.{key}", "not part of a TimelineJS slide; left out")
        dates = self.dates(raw, path, cosmological)
        if dates is None:
            return None
        start, end = dates
        fields: dict[str, Any] = {}
        notes: list[str] = []
        start, end = self.display_dates(raw, path, start, end, notes)
        text = raw.get("text")
        headline = body = ""
        if isinstance(text, dict):
            headline = plain_text(self.string(text, "headline", f"{path}.text"))
            body = self.string(text, "text", f"{path}.text")
        elif text is not None:
            self.note(f"{path}.text", f"is {_kind(text)}, not an object; left out")
        sources: list[Source] = []
        if body:
            reduced = reduce_html(body)
            if reduced.description:
                fields["description"] = "\n".join(reduced.description)
            notes[:0] = reduced.notes
            for url, label in reduced.sources:
                self.add_source(url, label, f"{path}.text.text", sources)
            for url, _ in reduced.links[:1]:
                fields["url"] = url
            if not headline and reduced.description:
                headline = reduced.description[0][:200]
                self.note(f"{path}.text.headline", "missing; the title is the text's first line")
        if not headline:
            self.note(f"{path}.text.headline", "missing, and there is no text to make a title "
                      "of; left out")  # fmt: skip
            return None
        fields["title"] = headline
        group = raw.get("group")
        if group is not None and group != "":
            if isinstance(group, str) and unescape_twice(group):
                fields["tags"] = (unescape_twice(group),)
            elif not isinstance(group, str):
                self.note(f"{path}.group", f"is {_kind(group)}, not text; left out")
        self.media(raw.get("media"), f"{path}.media", fields)
        if raw.get("background") is not None:
            self.note(f"{path}.background", "a timeline has no place for a slide's background; "
                      "left out")  # fmt: skip
        if notes:
            fields["notes"] = "\n".join(notes)
        if sources:
            fields["sources"] = sources
        return self.event(raw, path, start, end, fields)

    def era(self, raw: Any, path: str, cosmological: bool) -> Event | None:
        if not isinstance(raw, dict):
            self.note(path, f"is {_kind(raw)}, not an era; left out")
            return None
        dates = self.dates(raw, path, cosmological)
        if dates is None:
            return None
        start, end = dates
        text = raw.get("text")
        headline = ""
        if isinstance(text, dict):
            headline = plain_text(self.string(text, "headline", f"{path}.text"))
        if not headline:
            self.note(f"{path}.text.headline", "an era needs a headline; left out")
            return None
        fields = {"title": headline, "tags": (self.era_tag,)}
        return self.event(raw, path, start, end, fields)

    def event(
        self, raw: dict[str, Any], path: str, start: Date, end: Date | None, fields: dict[str, Any]
    ) -> Event | None:
        given = raw.get("unique_id")
        wanted: str | None = None
        if isinstance(given, str | int) and not isinstance(given, bool) and str(given).strip():
            wanted = str(given).strip()
            if not validators.is_event_id(wanted):
                made = _NOT_ID.sub("-", wanted).strip("-")[:200].strip("-")
                why = f"read as {made!r}" if made else "one is made from the date and title"
                self.note(f"{path}.unique_id", f"{_short(wanted)} is not an id (letters, digits, "
                          f". _ and -); {why}")  # fmt: skip
                wanted = made or None
        elif given not in (None, ""):
            self.note(f"{path}.unique_id", f"is {_kind(given)}, not text; left out")
        for _ in range(2 * len(fields) + 4):  # each field cleaned, then taken out
            given_fields: dict[str, Any] = {"start": start, "end": end, **fields}
            if wanted:
                given_fields["id"] = wanted
            try:
                event = Event(**given_fields)
                break
            except FieldError as exc:
                name = exc.field.split(".")[0].split("[")[0]
                where = f"{path}.{_SLIDE_PATHS.get(name, name)}"
                cleaned = _cleaned(name, fields.get(name))
                if cleaned is not None:
                    self.note(where, "control characters and line breaks taken out")
                    fields[name] = cleaned
                    continue
                self.note(where, f"{exc.message}; left out")
                if name in ("title", "start"):
                    return None
                if name == "id":
                    wanted = None
                elif name == "end":
                    end = None
                else:
                    fields.pop(name, None)
        else:  # pragma: no cover - every field was taken out by then
            return None
        return self.unique(event, path, given is not None and wanted is not None)

    def unique(self, event: Event, path: str, given: bool) -> Event:
        count = self.taken.get(event.id)
        if count is None:
            self.taken[event.id] = 1
            return event
        for n in itertools.count(count + 1):
            candidate = f"{event.id[:195]}-{n}"
            if candidate not in self.taken:
                break
        self.taken[event.id] = n
        self.taken[candidate] = 1
        if given:
            self.note(f"{path}.unique_id", f"{event.id!r} is the id of an earlier slide; read as "
                      f"{candidate!r}")  # fmt: skip
        return attrs.evolve(event, id=candidate)

    def add_source(self, url: str, label: str, path: str, sources: list[Source]) -> None:
        if any(s.url == url for s in sources):
            return
        if not validators.is_url(url):
            if url != label:
                self.note(path, f"a link to {_short(url)}, which is not an absolute URL; left out")
            return
        title = label if label and label != url else None
        try:
            sources.append(Source(url=url, title=title))
        except FieldError as exc:
            self.note(path, f"a link to {_short(url)}: {exc}; left out")

    def media(self, raw: Any, path: str, fields: dict[str, Any]) -> None:
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.note(path, f"is {_kind(raw)}, not a media object; left out")
            return
        url = raw.get("url")
        if isinstance(url, str) and is_web_url(url.strip()) and "url" not in fields:
            fields["url"] = url.strip()
            rest = [k for k, v in raw.items() if k != "url" and v not in (None, "")]
            if rest:
                self.note(f"{path}.{rest[0]}", f"the media's {', '.join(rest)} left out (its url "
                          "is the event's url)")  # fmt: skip
            return
        if "url" in fields:
            self.note(path, "the event's url is the link of its text already; the media left out")
        else:
            self.note(path, "a timeline has no place for media other than an http(s) url as the "
                      "event's url; left out")  # fmt: skip

    def display_dates(
        self, raw: dict[str, Any], path: str, start: Date, end: Date | None, notes: list[str]
    ) -> tuple[Date, Date | None]:
        """The dates as a ``display_date`` in our words says they are
        (approximate, uncertain, in a zone); a display date that says
        something else is kept in the notes."""
        shown = raw.get("display_date")
        if isinstance(shown, str) and shown.strip():
            text = unescape_twice(shown)
            found = _recognise(text, start, end, self.locale)
            if found is None:
                notes.append(SHOWN_AS.format(text=text))
            else:
                start, end = found
        elif shown not in (None, ""):
            self.note(f"{path}.display_date", f"is {_kind(shown)}, not text; left out")
        for key in ("start_date", "end_date"):
            part = raw.get(key)
            words = part.get("display_date") if isinstance(part, dict) else None
            if isinstance(words, str) and words.strip():
                date = start if key == "start_date" else end
                text = plain_text(words)
                if date is None or date_words(date, locale=self.locale) != text:
                    notes.append(SHOWN_AS.format(text=text))
        return start, end


_TITLE_PATHS: Final = {"title": "text.headline", "description": "text.text", "url": "text.text"}
_SLIDE_PATHS: Final = {
    "title": "text.headline", "description": "text.text", "notes": "text.text",
    "tags": "group", "url": "media.url", "sources": "text.text", "id": "unique_id",
    "start": "start_date", "end": "end_date",
}  # fmt: skip


def _cleaned(name: str, value: Any) -> Any:
    """A text without the control characters its field refuses, when it had
    any; ``None`` when that is not what is wrong with it."""
    if not isinstance(value, str) or name not in ("title", "description", "notes"):
        return None
    if name == "title":  # a line break of another kind is a space
        cleaned = validators.ONE_LINE_CONTROL_CHARACTERS.sub("", _BREAKS.sub(" ", value))
    else:
        cleaned = validators.CONTROL_CHARACTERS.sub("", value)
    cleaned = cleaned.strip()
    return cleaned if cleaned != value and cleaned else None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _certainly_before(end: Date, start: Date) -> bool:
    return end.latest < start.earliest


def _variants(date: Date, zone: str | None) -> list[Date]:
    flags = [(False, False), (True, False), (False, True), (True, True)]
    zones: list[str | None] = [None]
    if date.time is not None:
        zones += ["UTC", *([zone] if zone else [])]
    found = []
    for (approximate, uncertain), tz in itertools.product(flags, zones):
        try:
            found.append(attrs.evolve(date, approximate=approximate, uncertain=uncertain, tz=tz))
        except (TimelineError, ValueError):
            continue
    return found


def _recognise(
    text: str, start: Date, end: Date | None, locale: str | None
) -> tuple[Date, Date | None] | None:
    """The dates, qualified or zoned, whose words (as the exporter writes
    them, in ``locale``) are ``text``; ``None`` when none are. A zone is
    found by its name in the words (``(Asia/Almaty)``); in a locale, whose
    words name a zone by its city, only UTC is."""
    match = _ZONE.search(text)
    zone = match.group(1) if match else None
    for first in _variants(start, zone):
        for last in [None] if end is None else _variants(end, zone):
            if span_words(first, last, locale=locale) == text:
                return first, last
    return None
