"""Every example in README.md and docs/ runs, so the documentation cannot go stale
(and every ``>>>`` example in the package's docstrings, as a doctest).

For each page, in order, in one namespace and in a fresh working directory:

* a ```python block runs as a script; one that starts with ``>>>`` (or a
  ```pycon block) runs as a doctest, so the output it shows is checked;
* a ```text block right after a ```python block that printed something is
  what it must print (``...`` lines and ``...`` in a line as below);
* a ```console block holds commands, each after ``$ `` (a line ending in ``\\``
  goes on to the next), each followed by the output it must print: standard
  output and standard error as a terminal shows them, with a line ``...``
  standing for any lines. A command must succeed, unless its output shows an
  ``error:`` line, in which case it must fail. Commands run in bash, with the
  ``timeline`` of this environment first on the ``PATH``.

Other blocks (```sh for installing, ```json, ```toml, other ```text...) are
shown, not run; CI installs the project the way the README says. A page about
the first-party plugins in ``plugins/`` gets them registered from their
sources (``PAGE_PLUGINS``), as their entry points would register them. A block that must not run
is marked with ``<!-- no-test: the reason -->`` on the line before it; the
reason is required. Plugins that a page registers are unregistered after it.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import os
import re
import subprocess
import sys
import sysconfig
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from markdown_it import MarkdownIt

import timeline

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PYTHON = ("python", "py", "pycon")
PAGE_PLUGINS = {
    "docs/plugins-first-party.md": (
        "timeline-csv",
        "timeline-html",
        "timeline-timelinejs",
        "timeline-markwhen",
    )
}
NO_TEST = re.compile(r"<!--\s*no-test(?::\s*(?P<reason>.*?))?\s*-->", re.DOTALL)


@attrs.frozen
class Block:
    language: str
    text: str
    line: int
    """The line of the block's first line of code, counting from 1."""


def blocks(page: Path) -> Iterator[Block]:
    """The blocks of ``page`` that run, in order."""
    tokens = MarkdownIt("commonmark").parse(page.read_text("utf-8"))
    for before, token in zip([None, *tokens], tokens, strict=False):
        if token.type != "fence" or token.map is None:
            continue
        language = token.info.split()[0] if token.info.strip() else ""
        marker = NO_TEST.search(before.content) if before is not None else None
        if before is not None and before.type == "html_block" and marker:
            where = f"{page.relative_to(ROOT)}:{token.map[0] + 1}"
            assert marker.group("reason"), f"{where}: say why the block is not run: no-test: WHY"
            continue
        if language in (*PYTHON, "console", "text"):
            yield Block(language, token.content, token.map[0] + 2)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.plugins import load_plugins, pm

    monkeypatch.chdir(tmp_path)
    load_plugins()
    registered = {name for name, _ in pm.list_name_plugin()}
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    where = page.relative_to(ROOT)
    for distribution in PAGE_PLUGINS.get(str(where), ()):
        source = ROOT / "plugins" / distribution / "src"
        monkeypatch.syspath_prepend(str(source))
        pm.register(importlib.import_module(distribution.replace("-", "_")), name=distribution)
    printed = ""
    try:
        for block in blocks(page):
            if block.language == "text":
                if printed:
                    expected = block.text.rstrip("\n").split("\n")
                    shown = printed.rstrip("\n").split("\n")
                    message = f"{where}:{block.line}: printed\n{printed}--- expected ---\n"
                    assert matches(expected, [line.rstrip() for line in shown]), (
                        message + block.text
                    )
                printed = ""
            elif block.language == "console":
                run_console(block, where, tmp_path)
                printed = ""
            elif block.language == "pycon" or block.text.lstrip().startswith(">>>"):
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    run_doctest(block, where, namespace)
                explain_warnings(caught, page, block)
                printed = ""
            else:
                # Blank lines first, so that a traceback gives the line in the page.
                code = compile(
                    "\n" * (block.line - 1) + block.text, str(page), "exec", dont_inherit=True
                )
                output = io.StringIO()
                with contextlib.redirect_stdout(output), warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    exec(code, namespace)
                printed = output.getvalue()
                explain_warnings(w, page, block)
    finally:
        for name, plugin in pm.list_name_plugin():
            if name not in registered and plugin is not None:
                pm.unregister(plugin, name=name)


def explain_warnings(caught: list[warnings.WarningMessage], page: Path, block: Block) -> None:
    """An example may warn only with a timeline warning that its page
    explains: the page names the warning's class (``timeline.ExportWarning``)."""
    text = page.read_text(encoding="utf-8")
    for w in caught:
        name = w.category.__name__
        assert issubclass(w.category, timeline.TimelineWarning), (
            f"{page.name}:{block.line}: {name}: {w.message}"
        )
        assert name in text, (
            f"{page.name}:{block.line}: warns ({name}: {w.message}) but the page does not "
            f"say why: name {name} where it explains it"
        )


def run_doctest(block: Block, where: Path, namespace: dict[str, Any]) -> None:
    test = doctest.DocTestParser().get_doctest(
        block.text, namespace, f"{where}:{block.line}", str(where), block.line - 1
    )
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # the test ran in a copy of the namespace
    assert not runner.failures, "".join(report)


def run_console(block: Block, where: Path, cwd: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), str(Path(sys.executable).parent),
                                   env.get("PATH", "")])  # fmt: skip
    env.update({"COLUMNS": "80", "TZ": "UTC", "PYTHONUTF8": "1", "PYTHONUNBUFFERED": "1"})
    for line, command, expected in commands(block):
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False,
        )  # fmt: skip
        shown = [text.rstrip() for text in done.stdout.rstrip("\n").split("\n")]
        shown = [] if shown == [""] else shown
        context = f"{where}:{line}: $ {command}\n--- printed ---\n{done.stdout}"
        assert matches(expected, shown), f"{context}--- expected ---\n" + "\n".join(expected)
        fails = any(text.startswith("error:") for text in expected)
        assert (done.returncode != 0) == fails, f"{context}--- exit status {done.returncode}"


def commands(block: Block) -> Iterator[tuple[int, str, list[str]]]:
    """(line, command, expected output lines) for each ``$ `` command of a block."""
    lines = block.text.rstrip("\n").split("\n")
    assert lines[0].startswith("$ "), f"line {block.line}: a console block starts with '$ '"
    index = 0
    while index < len(lines):
        start = index
        command = lines[index].removeprefix("$ ")
        while command.endswith("\\"):
            index += 1
            command = command[:-1] + lines[index]
        index += 1
        expected = []
        while index < len(lines) and not lines[index].startswith("$ "):
            expected.append(lines[index].rstrip())
            index += 1
        while expected and not expected[-1]:
            expected.pop()
        yield block.line + start, command, expected


def matches(expected: list[str], shown: list[str]) -> bool:
    """Whether ``shown`` is ``expected``, where a line ``...`` stands for any
    lines and ``...`` in a line for any text."""
    if not expected:
        return not shown
    if expected[0] == "...":
        return any(matches(expected[1:], shown[i:]) for i in range(len(shown) + 1))
    return bool(shown) and same_line(expected[0], shown[0]) and matches(expected[1:], shown[1:])


def same_line(expected: str, shown: str) -> bool:
    if "..." not in expected:
        return expected == shown
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, shown) is not None


def test_the_harness_reads_console_blocks() -> None:
    block = Block("console", "$ timeline a \\\n  --b\nout\n\n$ timeline c\n$ d\n...\nend\n", 10)
    assert list(commands(block)) == [
        (10, "timeline a   --b", ["out"]),
        (14, "timeline c", []),
        (15, "d", ["...", "end"]),
    ]
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"])
    assert not matches(["a"], ["a", "b"])
    assert matches(["x ... z"], ["x y z"])
    assert matches(["x ...z"], ["x z"])
    assert not matches(["x ... z"], ["x y"])


def links(page: Path) -> Iterator[str]:
    """The targets of the links and images of ``page``."""
    for token in MarkdownIt("commonmark").parse(page.read_text("utf-8")):
        for child in token.children or ():
            target = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
            if isinstance(target, str):
                yield target


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_somewhere(page: Path) -> None:
    """MkDocs checks the links between the pages of docs/ in strict mode; this
    checks the README's too, and that no page links outside the repository."""
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.relative_to(ROOT)}: the link {target!r} leads nowhere"
        assert path.is_relative_to(ROOT), f"{page.relative_to(ROOT)}: {target!r} is outside"


def mermaid_blocks(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The Mermaid diagrams of a Markdown text, with the lines of their code."""
    return [
        (token.content, (token.map[0] + 1, token.map[1] - 1))
        for token in MarkdownIt("commonmark").parse(text)
        if token.type == "fence" and token.info.strip() == "mermaid" and token.map is not None
    ]


def test_the_readme_shows_the_diagram_the_markdown_exporter_draws() -> None:
    """The README's picture is the Mermaid diagram of ``timeline export
    example:sco -o sco.md --option style=mermaid``. When the exporter changes,
    regenerate it with ``TIMELINE_REGENERATE=1 python -m pytest tests/test_docs.py``."""
    import timeline

    drawn = mermaid_blocks(timeline.dumps(timeline.example("sco"), "markdown", style="mermaid"))
    assert drawn, "the Markdown exporter draws no Mermaid diagram of the example"
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    shown = mermaid_blocks(text)
    assert len(shown) == 1, "the README has one Mermaid diagram: the example's"
    if shown[0][0] != drawn[0][0] and os.environ.get("TIMELINE_REGENERATE"):
        lines = text.splitlines(keepends=True)
        first, end = shown[0][1]
        readme.write_text("".join([*lines[:first], drawn[0][0], *lines[end:]]), "utf-8")
        shown = mermaid_blocks(readme.read_text("utf-8"))
    assert shown[0][0] == drawn[0][0], (
        "regenerate it: TIMELINE_REGENERATE=1 pytest tests/test_docs.py"
    )


def _modules() -> list[str]:
    import pkgutil

    import timeline

    return sorted(
        info.name
        for info in pkgutil.walk_packages(timeline.__path__, "timeline.")
        if not info.name.endswith("__main__")
    )


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    """The ``>>>`` examples in the package's docstrings print what they show."""
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    for test in finder.find(module, name):
        if test.examples:
            runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()
