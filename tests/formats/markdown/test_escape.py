"""The quick escaping of Markdown gives what the plain one gives.

``escape`` in ``timeline.default_plugins.markdown_format`` is written for
speed: its regex starts every alternative with the character it escapes, so
that the engine can skip to the next of them. The plain form here, one
character class and lookbehinds before the character, as the format first
had it, is the reference: on any text, with links and without, the two give
the same Markdown.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from timeline.default_plugins.markdown_format import block_start, escape, one_line

# -- the reference ------------------------------------------------------------------------------

_REFERENCE_ESCAPE = re.compile(
    r"[\\`*\[\]|<>~$^{]"
    r"|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#|[A-Za-z0-9]+;)"
    r"|(?<=[Ff][Tt][Pp]):(?=//)|(?<=[Ff][Tt][Pp][Ss]):(?=//)"
    r"|(?<=[Hh][Tt][Tt][Pp]):(?=//)|(?<=[Hh][Tt][Tt][Pp][Ss]):(?=//)"
    r"|(?<=www)(?<![^\W_]www)\."
    r"|=(?==)|:(?=[-+\w]+:)|(?<=[-+\w])@"
)
_REPLACE = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "{": "\\{",
    "|": "&#124;", "<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;", "$": "&#36;",
    "^": "&#94;", "=": "&#61;", ":": "&#58;", "@": "&#64;", ".": "\\.",
}  # fmt: skip
_HTTP_URL = re.compile(r"https?://[^\s<>|`\\\"\[\]]+", re.IGNORECASE)
_DESTINATION = re.compile(r"[\s()<>\\`\"|{}^]")
_REFERENCE = re.compile(r"&(?=#|[A-Za-z0-9]+;)")
_SHOWN_DECODED = re.compile(r"%(?!2[3-6BCF]|3[ABDF]|40)[0-9A-Fa-f]{2}")


def _plain(text: str) -> str:
    return _REFERENCE_ESCAPE.sub(lambda m: _REPLACE[m.group()], text)


def _trim(url: str) -> str:
    while url and (url[-1] in ".,:;!?'*_~" or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _link(url: str) -> str:
    if (
        _HTTP_URL.fullmatch(url) is not None
        and _REFERENCE.search(url) is None
        and _SHOWN_DECODED.search(url) is None
    ):
        return f"<{url}>"
    destination = _DESTINATION.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    text = reference_escape(url, links=False).replace("\\]", "&#93;")
    return f"[{text}]({_REFERENCE.sub('&amp;', destination)})"


def reference_escape(text: str, *, links: bool = True) -> str:
    """``escape`` as the format first wrote it: the reference of the quick one."""
    text = text.replace("\t", " ")
    if not links:
        return _plain(text)
    parts: list[str] = []
    position = 0
    for match in _HTTP_URL.finditer(text):
        url = _trim(match.group())
        if url.endswith("//"):
            continue
        before = _plain(text[position : match.start()])
        link = _link(url)
        if link.startswith("[") and before.endswith("!"):
            slashes = len(before) - 1 - len(before[:-1].rstrip("\\"))
            if slashes % 2 == 0:
                before = before[:-1] + "\\!"
        parts.append(before)
        parts.append(link)
        position = match.start() + len(url)
    parts.append(_plain(text[position:]))
    return "".join(parts)


# -- texts that take each branch ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("Привет, 世界 🌏", "Привет, 世界 🌏"),
        ("a\tb", "a b"),
        ("\\`*[]{}", "\\\\\\`\\*\\[\\]\\{}"),
        ("|<>~$^", "&#124;&lt;&gt;&#126;&#36;&#94;"),
        ("_a snake_case b_ _ __", "\\_a snake_case b\\_ \\_ \\_\\_"),
        ("é_é 1_2 _é", "é_é 1_2 \\_é"),
        ("&amp; &#1; & &x", "&amp;amp; &amp;#1; & &x"),
        ("ftp://a FTPS://b Http://c https://", "ftp&#58;//a FTPS&#58;//b <Http://c> https&#58;//"),
        ("ftp:/ ftp: x:// sftp://a", "ftp:/ ftp: x:// sftp&#58;//a"),
        ("www.a _www.b awww.c 1www.d WWW.e", "www\\.a \\_www\\.b awww.c 1www.d WWW.e"),
        ("www. at the end: www.", "www\\. at the end: www\\."),
        ("a==b = =", "a&#61;=b = ="),
        (":a: :+1: :-: x:y", "&#58;a: &#58;+1: &#58;-: x:y"),
        ("a@b @c -@ +@d", "a&#64;b @c -&#64; +&#64;d"),
        ("see https://example.org/a_b.", "see <https://example.org/a_b>."),
        ("!https://x.org/?&amp;b", "\\![https&#58;//x.org/?&amp;amp;b](https://x.org/?&amp;amp;b)"),
        ("\\!https://x.org/%21", "\\\\\\![https&#58;//x.org/%21](https://x.org/%21)"),
        ("!https://x.org/%2F", "!<https://x.org/%2F>"),
        ("x" * 10_000 + "_", "x" * 10_000 + "\\_"),
        ("_" + "x" * 10_000, "\\_" + "x" * 10_000),
    ],
)  # fmt: skip
def test_escape(text: str, markdown: str) -> None:
    assert escape(text) == markdown == reference_escape(text)


def test_escape_without_links() -> None:
    text = "see https://example.org/a_b www.x"
    assert escape(text, links=False) == "see https&#58;//example.org/a_b www\\.x"
    assert escape(text, links=False) == reference_escape(text, links=False)


# -- any text at all ----------------------------------------------------------------------------

# What the escapes look at: the characters they escape, the letters of the
# schemes and of www, word characters and not, and whole pieces of syntax.
_PIECES = st.sampled_from(
    [
        *"\\`*_[]{}|<>~$^&=:@.#;/!()%+-wWfFtTpPhHsSa1é_ \t\n",
        "www.", "_www.", "awww.", "ftp://", "FTPS://", "http://", "https://", "HTTPS://x.org",
        "https://example.org/a_(b)", "&#", "&amp;", "&x;", "%21", "%2F", ":smile:", ":+1:",
        "a@b", "==", "_x_", "snake_case", "![", "\\!", "://", "s://", "httpſ://x", ")", "//",
    ]
)  # fmt: skip
_TEXTS = st.lists(_PIECES | st.text(max_size=3), max_size=30).map("".join) | st.text()


@given(_TEXTS, st.booleans())
@example("ftp://a_www.b:c:@d==e", True)
@example("_www.ftps://&#1;", False)
@example("https://x.org/_:a:_", True)
@example("http://ftp://", True)
@example("https://. http://x https://a)", True)
def test_escape_is_the_reference(text: str, links: bool) -> None:
    assert escape(text, links=links) == reference_escape(text, links=links)


@given(_TEXTS)
def test_one_line_is_the_reference(text: str) -> None:
    lines = (line.strip() for line in text.replace("\t", " ").split("\n"))
    assert one_line(text) == reference_escape(" ".join(line for line in lines if line).strip())


# -- the start of a block -----------------------------------------------------------------------

_REFERENCE_LINE_START = re.compile(r"\d+(?=[.)])|(?=[#+-]|!!!|\?\?\?|: )")


def reference_block_start(markdown: str) -> str:
    """``block_start`` as the format first wrote it, with the regex alone."""
    start = _REFERENCE_LINE_START.match(markdown)
    if start is None:
        return markdown
    end = start.end()
    mark = markdown[end]
    return (
        markdown[:end] + {"?": "&#63;", ":": "&#58;"}.get(mark, "\\" + mark) + markdown[end + 1 :]
    )


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("", ""),
        ("x", "x"),
        ("1. a", "1\\. a"),
        ("١. a", "١\\. a"),  # an Arabic-Indic digit is a digit to \d
        ("². a", "². a"),  # a superscript is not
        ("!!! a", "\\!!! a"),
        (": a", "&#58; a"),
        ("+", "\\+"),
    ],
)
def test_block_start(markdown: str, expected: str) -> None:
    assert block_start(markdown) == expected == reference_block_start(markdown)


@given(st.lists(st.sampled_from([*"#+-!?:.) 1١²a", "!!!", "???", ": "]), max_size=8).map("".join))
def test_block_start_is_the_reference(markdown: str) -> None:
    assert block_start(markdown) == reference_block_start(markdown)
