"""The ``timelinejs`` exporter: a timeline as TimelineJS3's JSON, a title
slide and one slide per event, written slide by slide. See the plugin's
README, "Exporting".
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, Final, TextIO

import timeline
from timeline import Event, Exporter, ExportWarning, Option, OptionError, Timeline
from timeline.formats import locale_option
from timeline.model import kind_fields
from timeline.translations import TextsIn, lookup_chain
from timeline.words import (
    country_words,
    field_label,
    kind_words,
    place_words,
    recurrence_words,
    translate,
    value_words,
    when,
)

from .markup import (
    LABEL_CLASS,
    LINK_CLASS,
    NOTES_CLASS,
    SOURCES_CLASS,
    collapsed,
    escape_twice,
    is_web_url,
    link,
    linked,
    shown,
)
from .parts import date_parts, needs_words
from .read import SHOWN_AS

__all__ = ["MEDIA_KEYS", "TimelineJSExporter"]

SUFFIX: Final = ".timelinejs.json"
GROUPS: Final = ("kind", "tag", "country", "none")
"""The ``group`` option's own values; the name of a kind's attribute is one too."""
MEDIA_KEYS: Final = ("url", "caption", "credit", "thumbnail", "alt", "title", "link")
"""The keys of TimelineJS's media object that a media field's mapping may give."""
_MEDIA_HTML: Final = ("caption", "credit")  # put into the page as HTML
_MEDIA_URLS: Final = ("url", "thumbnail", "link")
_MEDIA_FIELDS: Final = ("media", "image")
"""A kind's attributes of these names are its events' media when the
``media`` option names no other."""
_INDENT: Final = "\n    "


def _check_group(value: str) -> str:
    if value in GROUPS or value in _attributes():
        return value
    attributes = ", ".join(_attributes())
    raise OptionError(
        f"is kind, tag, country, none or the name of a kind's attribute ({attributes}), "
        f"not {value!r}"
    )


def _check_media(value: str) -> str:
    if value == "url" or value in _attributes():
        return value
    attributes = ", ".join(_attributes())
    raise OptionError(
        f"is the field that holds each event's media: url or the name of a kind's attribute "
        f"({attributes}), not {value!r}"
    )


def _attributes() -> list[str]:
    """The attributes of every registered kind, in the order of the kinds."""
    names: dict[str, None] = {}
    for cls in timeline.kinds().values():
        for field in kind_fields(cls):
            names.setdefault(field.name, None)
    return list(names)


class TimelineJSExporter(Exporter):
    """Writes TimelineJS3's JSON: the timeline's title and description as
    the title slide, one slide per event with its dates exactly as precise
    as they are, and eras, all of it text that TimelineJS shows as text."""

    name = "timelinejs"
    suffixes = (SUFFIX,)
    media_type = "application/json"
    description = (
        "TimelineJS3's JSON: a title slide and a slide per event, for a story to click through."
    )
    options = (
        Option("group", str, default="kind", validate=_check_group,
               help="the row of the time axis each event goes in: kind (Summit, Founding...), "
                    "tag (its first tag), country (its place's), none, or the name of a "
                    "kind's attribute (organisation, host...)"),
        Option("media", str, default=None, validate=_check_media,
               help="the field that holds each event's media (an image or a video by its "
                    "http(s) URL): url, or a kind's attribute; default: a kind's attribute "
                    "named media or image"),
        Option("eras", str, default=None,
               help="a tag: the events that carry it become eras (bands of the time axis "
                    "with their title) instead of slides; each needs an end"),
        locale_option("the language of the words written for people (dates TimelineJS cannot "
                      "show, labels, countries) and of the texts, a BCP 47 tag such as ru, "
                      "zh-Hans or fa; default: English"),
    )  # fmt: skip

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        """Write the document, one slide at a time, as ``json.dumps(document,
        indent=2, ensure_ascii=False)`` would."""
        writer = _Writer(timeline, options)
        out.write("{")
        title = writer.title_slide()
        if title is not None:
            out.write(f'\n  "title": {_dumps(title, 1)},')
        out.write('\n  "events": [')
        first = True
        for slide in writer.slides():
            out.write(_INDENT if first else "," + _INDENT)
            out.write(_dumps(slide, 2))
            first = False
        out.write("\n  ]" if not first else "]")
        if writer.eras:
            out.write(',\n  "eras": [')
            out.write(",".join(_INDENT + _dumps(era, 2) for era in writer.eras))
            out.write("\n  ]")
        out.write("\n}\n")
        writer.finish()


def _dumps(value: Any, level: int) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


class _Writer:
    """One export: its options, and the texts in the reader's language."""

    def __init__(self, tl: Timeline, options: Mapping[str, Any]) -> None:
        self.timeline = tl
        self.locale: str | None = options["locale"]
        self.group: str = options["group"]
        self.media: str | None = options["media"]
        self.era_tag: str | None = options["eras"]
        self.texts = TextsIn(tl.language, self.locale)
        self.eras: list[dict[str, Any]] = []
        self.untagged: dict[str, None] = {}  # the tags no slide could hold, in order
        self.untagged_events = 0
        self.repeating = 0  # events with a recurrence, which a slide cannot repeat
        self.source_details = 0  # sources whose access date or note had no place
        self.languages: dict[str, None] = dict.fromkeys(tl.translations)  # of every text
        self.labels = {
            word: translate(word, self.locale) for word in ("Notes", "Sources", "Repeats")
        }
        self.pair = translate("{label}: {value}", self.locale)
        taken = {event.id for event in tl.events}
        self.title_id = next(
            candidate
            for candidate in ("title", *(f"title-{n}" for n in range(2, len(taken) + 3)))
            if candidate not in taken
        )

    def text(self, holder: Any, field: str) -> str:
        value: str = self.texts.text(holder, field) if self.texts.active else getattr(holder, field)
        return value

    def title_slide(self) -> dict[str, Any] | None:
        tl = self.timeline
        if not (tl.title or tl.description or tl.url):
            return None
        body = _paragraphs(self.text(tl, "description"))
        if tl.url:
            body += _link_paragraph(tl.url)
        return {
            "text": {"headline": shown(self.text(tl, "title")), "text": body},
            "autolink": False,
            "unique_id": self.title_id,
        }

    def slides(self) -> Iterator[dict[str, Any]]:
        tl = self.timeline
        if not tl.events:
            warnings.warn(
                "the timeline has no events; TimelineJS shows an error instead of a timeline "
                "without any",
                ExportWarning,
                stacklevel=5,
            )
        for event in tl.events:
            if self.era_tag is not None and self.era_tag in event.tags:
                if event.end is not None and event.end != event.start:
                    self.eras.append(self.era(event))
                    continue
                warnings.warn(
                    f"event {event.id!r}: tagged {self.era_tag!r}, but an era needs an end; "
                    "written as a slide",
                    ExportWarning,
                    stacklevel=5,
                )
            yield self.slide(event)

    def dates(self, event: Event) -> dict[str, Any]:
        dates: dict[str, Any] = {"start_date": date_parts(event.start)}
        if event.end is not None and event.end != event.start:
            dates["end_date"] = date_parts(event.end)
        return dates

    def era(self, event: Event) -> dict[str, Any]:
        return {
            **self.dates(event),
            "text": {"headline": shown(self.text(event, "title"))},
            "unique_id": event.id,
        }

    def slide(self, event: Event) -> dict[str, Any]:
        slide = self.dates(event)
        kept = _kept_display_date(event.notes)
        if kept is not None:
            slide["display_date"] = escape_twice(kept)
        elif needs_words(event.start) or (event.end is not None and needs_words(event.end)):
            slide["display_date"] = escape_twice(when(event, locale=self.locale))
        body = self.body(event, SHOWN_AS.format(text=kept) if kept is not None else None)
        slide["text"] = {"headline": shown(self.text(event, "title")), "text": body}
        group = self.group_of(event)
        if group:
            slide["group"] = escape_twice(group)
        left = event.tags[1:] if self.group == "tag" else event.tags
        if left:
            self.untagged_events += 1
            self.untagged.update(dict.fromkeys(left))
        self.repeating += 1 if event.recurrence else 0
        self.source_details += sum(1 for s in event.sources if s.accessed or s.note)
        self.languages.update(dict.fromkeys(event.translations))
        if event.place is not None:
            self.languages.update(dict.fromkeys(event.place.translations))
        media = self.media_of(event)
        if media:
            slide["media"] = media
        slide["autolink"] = False
        slide["unique_id"] = event.id
        return slide

    def body(self, event: Event, shown_as: str | None = None) -> str:
        """The slide's ``text.text``: the description, the place, the
        kind's attributes, the repetition, the link, the notes (without the
        line ``shown_as``, which is the slide's ``display_date``), the sources."""
        locale = self.locale
        parts = [_paragraphs(self.text(event, "description"))]
        place = event.place
        if place is not None:
            country = country_words(place.country, locale=locale) if place.country else None
            parts.append(_paragraph(place_words(self.text(place, "name"), country, locale=locale)))
        media = self.media or next((n for n in _MEDIA_FIELDS if hasattr(event, n)), None)
        for field in kind_fields(type(event)):
            if field.name == media:
                continue  # the slide's media
            value = value_words(getattr(event, field.name), locale=locale)
            if value:
                label = field_label(field, locale=locale)
                parts.append(_paragraph(self.pair.format(label=label, value=value)))
        if event.recurrence:
            rule = recurrence_words(event.recurrence, locale=locale) or event.recurrence
            parts.append(_paragraph(self.pair.format(label=self.labels["Repeats"], value=rule)))
        if event.url:
            parts.append(_link_paragraph(event.url))
        notes = self.text(event, "notes")
        if shown_as is not None:
            notes = "\n".join(line for line in notes.split("\n") if line != shown_as)
        if notes.strip():
            parts.append(_label(self.labels["Notes"]))
            parts.append(_paragraphs(notes, NOTES_CLASS))
        if event.sources:
            items = "".join(
                f"<li>{link(s.url, s.title or s.url) if is_web_url(s.url) else shown(s.url)}</li>"
                for s in event.sources
            )
            parts.append(_label(self.labels["Sources"]))
            parts.append(f'<ul class="{SOURCES_CLASS}">{items}</ul>')
        return "".join(parts)

    def group_of(self, event: Event) -> str:
        group, locale = self.group, self.locale
        if group == "none":
            return ""
        if group == "kind":
            return kind_words(type(event), locale=locale)
        if group == "tag":
            return event.tags[0] if event.tags else ""
        if group == "country":
            if event.place is None or not event.place.country:
                return ""
            return country_words(event.place.country, locale=locale)
        return value_words(getattr(event, group, None), locale=locale)

    def media_of(self, event: Event) -> dict[str, str] | None:
        name = self.media
        if name is None:
            name = next((n for n in _MEDIA_FIELDS if hasattr(event, n)), None)
            if name is None:
                return None
        value = getattr(event, name, None)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = {"url": value}
        if not isinstance(value, Mapping) or not isinstance(value.get("url"), str):
            self.lost(event, f"its {name} is neither a URL nor a mapping with a url")
            return None
        media: dict[str, str] = {}
        for key in MEDIA_KEYS:
            item = value.get(key)
            if item is None:
                continue
            if not isinstance(item, str):
                self.lost(event, f"the {key} of its {name} is not text")
                continue
            if key in _MEDIA_URLS and not is_web_url(item):
                self.lost(event, f"the {key} of its {name}, {item!r}, is not an http(s) URL")
                if key == "url":
                    return None
                continue
            media[key] = shown(item) if key in _MEDIA_HTML else item
        return media

    def lost(self, event: Event, what: str) -> None:
        warnings.warn(f"event {event.id!r}: no media: {what}", ExportWarning, stacklevel=6)

    def finish(self) -> None:
        """Warn, once each, about what TimelineJS has no place for."""
        for message in self.losses():
            warnings.warn(message, ExportWarning, stacklevel=4)

    def losses(self) -> Iterator[str]:
        missing = self.texts.warning()
        if missing is not None:
            yield missing
        if self.untagged:
            count = self.untagged_events
            events = "1 event has" if count == 1 else f"{count:,} events have"
            shown_tags = ", ".join(repr(tag) for tag in list(self.untagged)[:5])
            more = f" and {len(self.untagged) - 5:,} more" if len(self.untagged) > 5 else ""
            how = (
                "beside the first, which is the group"
                if self.group == "tag"
                else "(a slide has one group; group=tag makes it the first tag)"
            )
            yield (f"{events} tags that TimelineJS cannot hold {how}: {shown_tags}{more}; left out")
        if self.repeating:
            count = self.repeating
            events = "1 event has" if count == 1 else f"{count:,} events have"
            yield (
                f"{events} a repetition that TimelineJS cannot show (a slide is one date); "
                "written in the slide's text"
            )
        if self.source_details:
            count = self.source_details
            sources = "1 source has" if count == 1 else f"{count:,} sources have"
            yield (
                f"{sources} an access date or a note, which TimelineJS cannot hold "
                "(a source is a link); left out"
            )
        served = set(lookup_chain(self.locale)) if self.locale else set()
        others = sorted(tag for tag in self.languages if tag not in served)
        if others:
            yield (
                f"the translations into {', '.join(others)} are left out: TimelineJS shows "
                "one language (the locale option chooses it)"
            )


_SHOWN_AS_PREFIX: Final = SHOWN_AS.format(text="")


def _kept_display_date(notes: str) -> str | None:
    """The display date the importer kept in the notes (its last line
    ``TimelineJS shows the date as: ...``), which the slide shows again. The
    last, because the importer puts a slide's notes before the display dates
    it reads: so a second trip gives the same notes again."""
    for line in reversed(notes.split("\n")):
        if line.startswith(_SHOWN_AS_PREFIX) and line[len(_SHOWN_AS_PREFIX) :].strip():
            return line[len(_SHOWN_AS_PREFIX) :]
    return None


def _paragraph(text: str, cls: str | None = None) -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<p{attribute}>{shown(text)}</p>"


def _paragraphs(text: str, cls: str | None = None) -> str:
    """A paragraph for each line of ``text`` that is not blank, its URLs links."""
    attribute = f' class="{cls}"' if cls else ""
    return "".join(
        f"<p{attribute}>{linked(line)}</p>" for line in text.splitlines() if collapsed(line)
    )


def _label(text: str) -> str:
    return f'<p class="{LABEL_CLASS}"><strong>{shown(text)}</strong></p>'


def _link_paragraph(url: str) -> str:
    inner = link(url, url) if is_web_url(url) else shown(url)
    return f'<p class="{LINK_CLASS}">{inner}</p>'
