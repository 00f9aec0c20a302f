"""Draw the Mermaid diagram that docs/markdown.md shows, for the docs site
(MkDocs shows a Mermaid block as code; GitHub draws it).

    python tests/formats/markdown/mermaid/picture.py [OUTPUT.png]

It takes the diagram from docs/markdown.md (the ```mermaid block after "It
renders like this"), which a test keeps equal to what the exporter writes,
draws it with the Mermaid of this folder's package-lock.json (``npm ci``
here first, or run the test suite once) in Debian's Chromium, headless,
through Playwright for Python (``pip install playwright``), and saves it to
``docs/images/markdown-mermaid.png`` (or OUTPUT.png). ``TIMELINE_CHROMIUM``
names another Chromium binary.
"""

from __future__ import annotations

import html
import os
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
PAGE = ROOT / "docs" / "markdown.md"
DEFAULT = ROOT / "docs" / "images" / "markdown-mermaid.png"
MERMAID = HERE / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def diagram() -> str:
    """The Mermaid block that follows "It renders like this" in docs/markdown.md."""
    text = PAGE.read_text(encoding="utf-8")
    after = text[text.index("It renders like this") :]
    found = re.search(r"^```mermaid\n(.*?)^```$", after, re.MULTILINE | re.DOTALL)
    if found is None:
        raise SystemExit(f"{PAGE}: no mermaid block after 'It renders like this'")
    return found.group(1)


def main(output: Path) -> None:
    if not MERMAID.is_file():
        raise SystemExit(f"{MERMAID} is missing: run 'npm ci' in {HERE}")
    page = (
        "<!doctype html><meta charset=utf-8><body style='margin:0;background:#fff'>"
        f"<pre class=mermaid>{html.escape(diagram())}</pre>"
        f"<script src='{MERMAID.as_uri()}'></script>"
        "<script>mermaid.initialize({startOnLoad: false, theme: 'default'});"
        "mermaid.run().then(() => document.body.dataset.drawn = 'yes');</script>"
    )
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "diagram.html"
        path.write_text(page, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            view = browser.new_page(viewport={"width": 1000, "height": 800}, color_scheme="light")
            view.goto(path.as_uri())
            view.wait_for_selector("body[data-drawn=yes]", timeout=30_000)
            output.parent.mkdir(parents=True, exist_ok=True)
            view.locator("pre.mermaid svg").screenshot(path=str(output))
        finally:
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
