"""Fixtures for the HTML plugin's tests.

The browser tests drive Debian's Chromium (``apt-get install chromium``) with
Playwright for Python pointed at it; Playwright's own browser download is
never used. ``TIMELINE_CHROMIUM`` names another Chromium binary. When
Chromium is missing, the browser tests fail: they are not skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
import timeline

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SVG = "{http://www.w3.org/2000/svg}"


def pytest_configure(config: pytest.Config) -> None:
    if "html" not in timeline.exporters():
        chosen = os.environ.get("TIMELINE_LOAD_PLUGINS")
        if chosen is not None:
            raise pytest.UsageError(
                f"TIMELINE_LOAD_PLUGINS={chosen!r} leaves the timeline-html plugin out: "
                "unset it, or name timeline-html in it"
            )
        raise pytest.UsageError(
            "the timeline-html plugin is not installed: pip install -e plugins/timeline-html"
        )


@pytest.fixture
def parse() -> Callable[[str], Any]:
    """``parse(text)``: the page as an ElementTree, parsed by the HTML5
    algorithm; a parse error (invalid HTML) fails the test."""

    def parse(text: str) -> Any:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        return parser.parse(text)

    return parse


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: apt-get install chromium "
            "(or set TIMELINE_CHROMIUM); the browser tests need it"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Opened:
    """A page open in the browser, with what went wrong while it ran."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Opened]]:
    """``open_page(timeline, javascript=True, width=1280, height=800, **options)``:
    write the timeline with ``timeline.dump`` and the exporter's options
    (``locale="fa"``), and open the file."""
    contexts: list[Any] = []

    def open_page(
        t: timeline.Timeline,
        *,
        javascript: bool = True,
        width: int = 1280,
        height: int = 800,
        **options: Any,
    ) -> Opened:
        path = tmp_path / f"page-{len(contexts)}.html"
        timeline.dump(t, path, **options)
        context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        opened = Opened(context.new_page())
        opened.page.goto(path.as_uri())
        return opened

    yield open_page
    for context in contexts:
        context.close()
