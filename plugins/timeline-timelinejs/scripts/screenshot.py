"""Take the screenshot of the SCO example in TimelineJS that the docs show.

    python plugins/timeline-timelinejs/scripts/screenshot.py [OUTPUT.png]

It writes the example with the ``timelinejs`` exporter, opens it in
TimelineJS3 (the npm package of ``tests/js``, installed with ``npm ci`` when
it is not yet) in Debian's Chromium (headless, through Playwright for
Python), goes to the Astana summit of 2024 and saves the whole timeline,
its slide and the time axis under it, to ``docs/images/sco-timelinejs.png``
(or OUTPUT.png). ``TIMELINE_CHROMIUM`` names another Chromium binary.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import timeline
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import CHROMIUM_ARGS, page_html  # noqa: E402  (the tests' page, the same options)

DEFAULT = ROOT / "docs" / "images" / "sco-timelinejs.png"
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1200, 880
CHOSEN = "sco-summit-2024-astana"


def main(output: Path) -> None:
    document = timeline.dumps(timeline.example("sco"), "timelinejs")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = Path(folder) / "sco.html"
        page_path.write_text(page_html(document), encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT},
                color_scheme="light",
                timezone_id="UTC",
            )
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_function("window.tlLoaded === true")
            page.evaluate(f"window.tl.goToId({CHOSEN!r})")
            page.wait_for_timeout(1500)  # the slide and the time axis move to it
            page.mouse.move(0, 0)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
        finally:
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
