"""docs/markdown.md says what the format writes: its examples are run, and
what they print is what the page shows, fenced and rendered."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[3] / "docs" / "markdown.md"
_FENCE = re.compile(r"^(?P<fence>`{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)\n", re.S | re.M)
# A rendered copy runs to the next heading, or to a picture of it (the diagram).
_RENDERED = re.compile(
    r"^It renders like this.*?:\n\n(?P<body>.*?)(?=^#{2,3} |^!\[|\Z)", re.S | re.M
)


def blocks() -> list[re.Match[str]]:
    return list(_FENCE.finditer(DOC.read_text("utf-8")))


def examples() -> list[tuple[str, str | None]]:
    """Each python block, with the markdown block that follows it, if any."""
    found = blocks()
    pairs = []
    for i, block in enumerate(found):
        if block["info"].strip() != "python":
            continue
        after = found[i + 1] if i + 1 < len(found) else None
        shown = None
        if after is not None and after["info"].strip() == "markdown":
            gap = DOC.read_text("utf-8")[block.end() : after.start()]
            if not gap.strip():
                shown = after["body"]
        pairs.append((block["body"], shown))
    return pairs


@pytest.mark.parametrize(("code", "shown"), examples())
def test_the_examples_print_what_the_page_shows(
    code: str, shown: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an example may write a file
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {"__name__": "__docs__"})
    printed = out.getvalue()
    if shown is not None:
        assert printed == shown
    # `print(x)  # result` says what the line prints.
    expected = [m[1] for m in re.finditer(r"^print\(.*\)\s+# (.*)$", code, re.M)]
    if expected:
        assert printed.splitlines() == expected


def test_the_rendered_copies_are_the_output() -> None:
    text = DOC.read_text("utf-8")
    shown = [b["body"] for b in blocks() if b["info"].strip() == "markdown"]
    rendered = [m["body"].strip() + "\n" for m in _RENDERED.finditer(text)]
    assert len(rendered) == len(shown) == 4
    for copy, output in zip(rendered, shown, strict=True):
        assert copy == output


def test_the_picture_of_the_diagram_follows_its_block() -> None:
    """The picture (made by tests/formats/markdown/mermaid/picture.py from the block
    before it) is there, right after the rendered diagram."""
    text = DOC.read_text("utf-8")
    pictures = re.findall(r"^```\n\n!\[[^\]]+\]\((images/[^)]+)\)$", text, re.M)
    assert pictures == ["images/markdown-mermaid.png"]
    assert (DOC.parent / pictures[0]).read_bytes().startswith(b"\x89PNG")


def test_the_options_table_lists_every_option() -> None:
    from timeline.registry import get_exporter

    text = DOC.read_text("utf-8")
    for option in get_exporter("markdown").options:
        assert f"| `{option.name}` |" in text
