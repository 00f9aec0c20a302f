"""Take the screenshot of the SCO example's page that the docs show.

    python plugins/timeline-html/scripts/screenshot.py [OUTPUT.png]

It writes the page with ``timeline.dump``, opens it in Debian's Chromium
(headless, through Playwright for Python) at a laptop's width, chooses the
Astana summit of 2024 on the chart, and saves the page from its top to the
end of that summit's sources to
``docs/images/sco-timeline.png`` (or OUTPUT.png). ``TIMELINE_CHROMIUM``
names another Chromium binary.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import timeline
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "docs" / "images" / "sco-timeline.png"
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTH, HEIGHT = 1280, 1000
CHOSEN = "sco-summit-2024-astana"


def main(output: Path) -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = Path(folder) / "sco.html"
        timeline.dump(timeline.example("sco"), page_path)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, color_scheme="light"
            )
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.locator(f'.plot a.mark[href="#e-{CHOSEN}"]').click()
            page.mouse.move(0, 0)  # no hover effect in the picture
            # From the top of the page to the end of the chosen event's sources.
            sources = page.locator("#panel .sources").bounding_box()
            height = min(HEIGHT, round(sources["y"] + sources["height"] + 10))
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(output), clip={"x": 0, "y": 0, "width": WIDTH, "height": height}
            )
        finally:
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
