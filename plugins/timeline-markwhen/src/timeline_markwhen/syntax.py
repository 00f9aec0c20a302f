"""What the exporter and the importer share: markwhen's lexical rules as
markwhen's parser (``@markwhen/parser`` 1.2.0) applies them, the escaping of
text, and property values written as YAML that both sides read alike.

See plugins/timeline-markwhen/README.md, "Escaping".
"""

from __future__ import annotations

import datetime
import io
import json
import re
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

__all__ = [
    "MARK",
    "escape_description_line",
    "escape_title",
    "is_tag",
    "load_yaml",
    "unescape",
    "yaml_value",
]

MARK: Final = "\u2060"
"""WORD JOINER, invisible: put where a character of the text would
otherwise start markwhen syntax (a tag, an id, a heading...), and taken out
again by the importer."""

TAG: Final = re.compile(r"[A-Za-z0-9_]+")
"""What markwhen reads as a tag after ``#`` (JavaScript's ``\\w``); all
digits (``#59``) is no tag."""

# -- the lines markwhen gives a meaning to -------------------------------------------------

COMMENT: Final = re.compile(r"\s*//")
SECTION: Final = re.compile(r"\s*(#{1,6})\s+(.*)\Z", re.DOTALL)
PROPERTY: Final = re.compile(r"(?!-)\s*([\w\-.]+):(?:\s|\Z)", re.ASCII)
THREE_DASHES: Final = "---"
TAG_IN_TEXT: Final = re.compile(r"(?:^|\s)#(?![0-9]+(?:\s|\Z))([A-Za-z0-9_]+)")
ID_IN_TEXT: Final = re.compile(r"(?:\W|^)(?:!(\w+)(\.(?:start|end))?|\.(?:start|end))", re.ASCII)
IMAGE: Final = re.compile(r"!\[")
LOCATION: Final = re.compile(r"\]\((?=(?:location|map)\))")
IMAGE_REMOVE: Final = re.compile(r"!\[([^\]<>]*)\]\(((?:https?://)?[\w./&?=\-#:,]+)\)", re.ASCII)
LOCATION_REMOVE: Final = re.compile(r"\[([^\]]+)\]\((?:location|map)\)")
# The groups of markwhen before 1.0 (markwhen's docs still show them):
LEGACY_GROUP: Final = re.compile(r"\s*(group|section)(?:\s+(.*))?\Z", re.DOTALL)
LEGACY_END: Final = re.compile(r"\s*(endGroup|endSection)\s*\Z")

# JavaScript's String.prototype.trim() takes these off both ends.
JS_SPACE: Final = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def is_tag(tag: str) -> bool:
    """Whether ``#tag`` is a markwhen tag that gives ``tag`` back."""
    return TAG.fullmatch(tag) is not None and not tag.isdigit()


def _inline(text: str) -> str:
    """``text`` with a mark after each character that would start a tag, an
    id, an image or a location; and one more mark where the text has marks
    of its own that :func:`unescape` would take one of."""
    if "#" in text:
        text = re.sub(r"#(?=[A-Za-z0-9_\u2060])", "#" + MARK, text)
    if "!" in text:
        text = re.sub(r"!(?=[\w\[\u2060])", "!" + MARK, text)
    if "." in text:
        text = re.sub(r"\.(?=start|end|\u2060)", "." + MARK, text)
    if "]" in text:
        text = _OWN_LOCATION_MARKS.sub("]" + MARK, text)
        text = LOCATION.sub("]" + MARK + "(", text)
    return text


_OWN_LOCATION_MARKS: Final = re.compile("\\](?=\u2060+\\()")
_LOCATION_MARK: Final = re.compile("\\]\u2060(\u2060*)\\(")


def _ends(text: str, *, start: bool = True) -> str:
    """A mark before leading and after trailing white space, which markwhen
    would trim, and before a mark or after a mark of the text's own at its
    ends (``start=False``: the text has its mark at the start already)."""
    if start and text and (text[0] in JS_SPACE or text[0] == MARK):
        text = MARK + text
    if text and (text[-1] in JS_SPACE or text[-1] == MARK):
        text = text + MARK
    return text


def escape_title(title: str) -> str:
    """The title as the text of an event's first line, after ``date:``."""
    return _ends(_inline(title))


def escape_description_line(line: str, starts_event: Any) -> str:
    """One line of a description. ``starts_event(line)`` says whether
    markwhen would read the line as the start of an event."""
    escaped = _inline(line)
    if (
        starts_event(escaped)
        or SECTION.match(escaped)
        or COMMENT.match(escaped)
        or PROPERTY.match(escaped)
        or escaped.startswith(THREE_DASHES)
        or LEGACY_GROUP.match(escaped)
        or LEGACY_END.match(escaped)
    ):
        return _ends(MARK + escaped, start=False)
    return _ends(escaped)


SOURCE_LINE: Final = re.compile(
    r"- \[((?:[^\]\\]|\\.)*)\]\((?:<([^<>\n]*)>|([^\s()<>]*))\)", re.DOTALL
)


def source_line(title: str, url: str) -> str:
    """A source as a Markdown link in a list item, ``- [title](url)``: ``\\``
    before a ``]`` or ``\\`` of the title, ``<url>`` when the URL has a
    space, a parenthesis or an angle bracket."""
    text = _inline(title).replace("\\", "\\\\").replace("]", "\\]")
    target = f"<{url}>" if re.search(r"[\s()<>]", url) else url
    return f"- [{text}]({target})"


def read_source_line(line: str) -> tuple[str, str] | None:
    """The title and URL of a line :func:`source_line` wrote."""
    match = SOURCE_LINE.fullmatch(line)
    if match is None:
        return None
    title = re.sub(r"\\(.)", r"\1", match[1])
    return unescape(title), match[2] if match[2] is not None else match[3]


def unescape(text: str) -> str:
    """The text without the marks the exporter put in."""
    if MARK not in text:
        return text
    if text.startswith(MARK):
        text = text[1:]
    if text.endswith(MARK):
        text = text[:-1]
    text = text.replace("#" + MARK, "#").replace("!" + MARK, "!").replace("." + MARK, ".")
    return _LOCATION_MARK.sub(r"]\1(", text) if "]" in text else text


# -- YAML ------------------------------------------------------------------------------------

_UNPRINTABLE: Final = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_PLAIN: Final = re.compile(r"[A-Za-z][A-Za-z0-9 _.,/()'+-]*")
_WORDS: Final = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def yaml_value(value: Any) -> str:
    """``value`` (JSON data) as a YAML 1.2 flow value on one line, which
    markwhen's parser and :func:`load_yaml` read back as the same value: a
    plain word where that is safe, else JSON, with ``#`` written ``\\u0023``
    (markwhen turns ``#word`` in a property line into ``)word`` before it
    reads the YAML)."""
    if isinstance(value, str) and _plain(value):
        return value
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    # What JSON leaves as it is but YAML refuses (DEL, the C1 controls,
    # U+FFFE and U+FFFF) or someone reads as the end of a line (U+2028, U+2029):
    text = _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return text.replace("#", "\\u0023")


def _plain(text: str) -> bool:
    return (
        _PLAIN.fullmatch(text) is not None
        and not text.endswith(" ")
        and "  " not in text
        and text.lower() not in _WORDS
    )


def load_yaml(text: str) -> Any:
    """YAML 1.2 (markwhen reads its header and properties with the JavaScript
    ``yaml`` package, YAML 1.2), with dates and times given back as the text
    they were written as. Raises ``ValueError`` with the reason."""
    reader = YAML(typ="safe", pure=True)
    try:
        data = reader.load(io.StringIO(text))
    except YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"not YAML: {problem}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # a value ruamel cannot build
        raise ValueError(f"not YAML: {exc}") from None
    return _texts(data)


def _texts(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    return value
