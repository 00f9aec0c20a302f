"""The page in a real browser: Debian's Chromium, headless, driven by
Playwright for Python (see conftest.py). Each page is written with
``timeline.dump`` and opened from a file:// URL, as a person would open it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import timeline
from timeline import Event, Place, Source, Timeline
from timeline.testing import sample_timeline

Open = Callable[..., Any]
ASTANA = "sco-summit-2024-astana"

HOSTILE = Event(
    id="hostile",
    title="<script>alert(1)</script>",
    start="2010-01-01",
    description='<img src=x onerror="alert(2)">',
    url="javascript:alert(3)",
    place=Place(name='"><svg onload=alert(4)>'),
    sources=(Source(url="javascript:alert(5)", title="<b>source</b>"),),
)


# The pages in a locale are of the example, whose notes have no translation:
# its warning is checked in test_html_locales.py.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:\d[\d,]* texts? ha(s|ve) no .* translation:timeline.ExportWarning"
)


@pytest.fixture(scope="module")
def sco() -> Timeline:
    return timeline.example("sco")


def mark(page: Any, event_id: str) -> Any:
    return page.locator(f'.plot a.mark[href="#e-{event_id}"]')


def test_sco_page(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco)
    page = opened.page
    assert page.title() == "Shanghai Cooperation Organisation"
    assert page.locator(".plot a.mark").count() == len(sco) == 33
    assert page.locator("details.event").count() == len(sco)
    assert page.locator(".legend li").all_text_contents() == [
        "Event 2", "Founding 2", "Accession 4", "Summit 25",
    ]  # fmt: skip
    # What needs the script is shown: the tools; the panel waits for a choice.
    assert page.locator(".tools").first.is_visible()
    assert page.locator("#panel").is_hidden()
    assert opened.errors == []


def test_clicking_a_mark_shows_its_details(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco)
    page = opened.page
    mark(page, ASTANA).click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert panel.locator("h3").inner_text() == sco[ASTANA].title
    text = panel.inner_text()
    for words in ("3-4 July 2024", "Astana, Kazakhstan", "Host\nKazakhstan", "in person"):
        assert words in text
    assert panel.locator("a", has_text="2024_Astana_SCO_summit").get_attribute("href") == (
        "https://en.wikipedia.org/wiki/2024_Astana_SCO_summit"
    )
    assert mark(page, ASTANA).get_attribute("aria-current") == "true"
    # The event is open in the list too, and the page did not jump there.
    assert page.locator(f"#e-{ASTANA}").get_attribute("open") == ""
    assert page.evaluate("location.hash") == ""
    # Another mark replaces the panel's content.
    first = sco.events[0]
    mark(page, first.id).click()
    assert panel.locator("h3").inner_text() == first.title
    assert mark(page, ASTANA).get_attribute("aria-current") is None
    assert opened.errors == []


def test_keyboard(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco)
    page = opened.page
    # Tab goes to the skip link first, and from the zoom buttons to the marks.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the list of events"
    page.locator("button[data-action=zoom-in]").focus()
    page.keyboard.press("Tab")
    focused = "document.activeElement.getAttribute('href')"
    assert page.evaluate(focused) == f"#e-{sco.events[0].id}"
    # Arrows move between marks in time order; Enter and Space show the event.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == f"#e-{sco.events[2].id}"
    page.keyboard.press("Enter")
    assert page.locator("#panel h3").inner_text() == sco.events[2].title
    page.keyboard.press("End")
    page.keyboard.press("Space")
    assert page.locator("#panel h3").inner_text() == sco.events[-1].title
    page.keyboard.press("Home")
    assert page.evaluate(focused) == f"#e-{sco.events[0].id}"
    # In the list, each event is a summary: Enter and Space open and close it.
    summary = page.locator(f"#e-{sco.events[5].id} > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#e-{sco.events[5].id} .body").is_visible()
    page.keyboard.press(" ")
    assert page.locator(f"#e-{sco.events[5].id} .body").is_hidden()
    assert opened.errors == []


def test_hostile_text_is_shown_as_text(open_page: Open, sco: Timeline) -> None:
    t = sco.merge(Timeline(events=[HOSTILE]))
    opened = open_page(t)
    page = opened.page
    assert page.locator(".plot a.mark").count() == len(t) == 34
    title = page.locator("#e-hostile summary .title")
    assert title.inner_text() == "<script>alert(1)</script>"
    mark(page, "hostile").click()
    assert page.locator("#panel h3").inner_text() == "<script>alert(1)</script>"
    panel = page.locator("#panel").inner_text()
    assert '<img src=x onerror="alert(2)">' in panel
    assert "javascript:alert(3)" in panel
    assert '"><svg onload=alert(4)>' in panel
    page.locator("button[data-action=open-all]").click()
    assert page.locator("script").count() == 1
    assert page.locator("img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert opened.dialogs == []
    assert opened.errors == []


def test_without_javascript(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco, javascript=False)
    page = opened.page
    assert page.locator("details.event").count() == len(sco)
    assert page.locator(".plot a.mark").count() == len(sco)
    assert page.locator(f"#e-{ASTANA} > summary").is_visible()
    assert page.locator(".tools").first.is_hidden()
    assert page.locator("#panel").is_hidden()
    # A mark is a plain link to its event in the list.
    mark(page, ASTANA).click()
    assert page.url.endswith(f"#e-{ASTANA}")
    assert page.locator(f"#e-{ASTANA} > summary").is_visible()
    assert page.locator(f"#e-{ASTANA} > summary").inner_text().startswith("3-4 July 2024")
    assert opened.errors == []


def test_readable_on_a_phone(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco, width=390, height=844)
    page = opened.page
    # The page does not scroll sideways; the chart does, inside its frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroll = page.locator(".scroll")
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    mark(page, ASTANA).click()
    assert page.locator("#panel").is_visible()
    assert page.locator("#panel").bounding_box()["width"] <= 390
    assert opened.errors == []


BCE = Timeline(
    title="From 477 BCE",
    events=[
        Event(id="bce", title="477 BCE", start="-0476"),
        Event(id="ides", title="The Ides of March", start="-0043-03-15"),
        Event(id="about", title="About AD 14", start="0014~"),
        Event(id="late", title="Late", start="1999-12-31"),
    ],
)


def right_of_the_names(page: Any) -> list[str]:
    """What is wrong with the chart's layout: a mark or a gridline's label
    over the column of the lanes' names, a name that is cut off or not
    beside its lane, or a mark outside the axis."""
    problems = []
    column = page.locator(".lanes").bounding_box()
    column_right = column["x"] + column["width"]
    plot = page.locator(".plot").bounding_box()
    for mark in page.locator(".plot a.mark").all():
        box = mark.bounding_box()
        name = mark.get_attribute("href")
        if box["x"] < column_right:
            problems.append(
                f"{name} at x={box['x']:.1f} is over the names, which end at {column_right:.1f}"
            )
        if box["x"] < plot["x"] or box["x"] + box["width"] > plot["x"] + plot["width"]:
            problems.append(f"{name} is outside the plot")
    labels = page.locator(".plot > text").all()
    first_label = labels[0].bounding_box()
    if first_label["x"] < plot["x"]:
        problems.append(f"the first gridline's label {labels[0].text_content()!r} is cut off")
    bands = [rect.bounding_box() for rect in page.locator(".plot rect.band").all()]
    names = page.locator(".lanes li").all()
    for i, name in enumerate(names):
        text = name.locator("span")
        if text.evaluate("e => e.scrollWidth > e.clientWidth"):
            problems.append(f"the name {text.text_content()!r} is cut off")
        # Each name is beside its lane: the names' rows follow one another,
        # and the even lanes have a band behind them.
        if i > 0:
            above = names[i - 1].bounding_box()
            if round(name.bounding_box()["y"]) != round(above["y"] + above["height"]):
                problems.append(f"the name {text.text_content()!r} is not below the one above")
        if i % 2 == 0:
            band, box = bands[i // 2], name.bounding_box()
            if (round(box["y"]), round(box["height"])) != (round(band["y"]), round(band["height"])):
                problems.append(f"the name {text.text_content()!r} is not beside its lane")
    return problems


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("which", ["sco", "bce", "sample"])
def test_no_mark_under_the_names(open_page: Open, sco: Timeline, which: str, width: int) -> None:
    t = {"sco": sco, "bce": BCE, "sample": sample_timeline()}[which]
    opened = open_page(t, width=width)
    page = opened.page
    # Every mark is drawn, right of the names, before the chart is scrolled...
    assert page.locator(".plot a.mark").count() == len(t)
    assert right_of_the_names(page) == []
    # ...and the first mark, the earliest event, is right of the first gridline.
    first_mark = page.locator(".plot a.mark").first.bounding_box()
    first_line = page.locator(".plot line.grid").first.bounding_box()
    assert first_line["x"] < first_mark["x"]
    # Zoomed and scrolled to the end, the marks that scroll to the left go
    # out of sight at the names' edge: at each name, the name is on top.
    page.locator("button[data-action=zoom-in]").click()
    page.locator("button[data-action=zoom-in]").click()
    page.locator(".scroll").evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    for name in page.locator(".lanes li span").all():
        box = name.bounding_box()
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('.lanes') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top, name.text_content()
    assert opened.errors == []


def test_the_first_gridline_comes_before_the_first_event(open_page: Open, sco: Timeline) -> None:
    page = open_page(sco).page
    labels = page.locator(".plot > text").all_text_contents()
    assert labels == ["1995", "2000", "2005", "2010", "2015", "2020", "2025"]
    shanghai_five = mark(page, sco.events[0].id).bounding_box()
    tick_1995 = page.locator(".plot line.grid").first.bounding_box()
    tick_2000 = page.locator(".plot line.grid").nth(1).bounding_box()
    assert tick_1995["x"] < shanghai_five["x"] < tick_2000["x"]


def test_zoom(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco)
    page = opened.page
    plot = page.locator(".plot")
    width = plot.bounding_box()["width"]
    page.locator("button[data-action=zoom-in]").click()
    page.locator("button[data-action=zoom-in]").click()
    assert plot.bounding_box()["width"] == pytest.approx(4 * width, rel=0.01)
    assert page.locator("#zoom-level").inner_text() == "4×"
    page.locator("button[data-action=zoom-out]").click()
    assert plot.bounding_box()["width"] == pytest.approx(2 * width, rel=0.01)
    mark(page, ASTANA).click()
    assert page.locator("#panel").is_visible()
    assert opened.errors == []


def test_open_and_close_all(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco)
    page = opened.page
    page.locator("button[data-action=open-all]").click()
    assert page.locator("details.event[open]").count() == len(sco)
    page.locator("button[data-action=close-all]").click()
    assert page.locator("details.event[open]").count() == 0
    assert opened.errors == []


def test_dark_and_sample(open_page: Open, browser: Any, tmp_path: Any) -> None:
    path = tmp_path / "sample.html"
    timeline.dump(sample_timeline(), path)
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        assert page.locator(".plot a.mark").count() == len(sample_timeline())
        page.locator('.plot a.mark[href="#e-bce"]').click()
        assert page.locator("#panel h3").inner_text() == sample_timeline()["bce"].title
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(22, 23, 26)"
        assert errors == []
    finally:
        context.close()


def test_empty_page(open_page: Open) -> None:
    opened = open_page(Timeline(title="Nothing yet"))
    page = opened.page
    assert page.locator("main").inner_text() == "There are no events in this timeline."
    assert page.locator(".plot").count() == 0
    assert opened.errors == []


# -- in the reader's language ---------------------------------------------------------------------

OVERFLOWING = """() => Array.from(document.querySelectorAll("body *"))
    .filter((e) => !e.closest(".scroll") && !e.closest(".skip"))
    .filter((e) => { const r = e.getBoundingClientRect();
                     return r.width > 0 && (r.left < -0.5 || r.right > innerWidth + 0.5); })
    .map((e) => e.tagName + "." + e.className)"""
"""Every element outside the window's width, but the chart's plot (which
scrolls in its frame) and the skip link (off screen until focused)."""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_persian_page_is_right_to_left(open_page: Open, sco: Timeline, width: int) -> None:
    opened = open_page(sco, width=width, locale="fa")
    page = opened.page
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Nothing overflows: the page does not scroll sideways, and nothing is
    # outside the window but the plot, which scrolls in its frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING) == []
    # The axis labels are Persian years, under a chart that reads as the
    # English one does: time from left to right, no mark under the names.
    labels = page.locator(".plot > text").all_text_contents()
    assert labels == ["۱۹۹۵", "۲۰۰۰", "۲۰۰۵", "۲۰۱۰", "۲۰۱۵", "۲۰۲۰", "۲۰۲۵"]
    assert right_of_the_names(page) == []
    # The list reads from right to left: the date, then the title to its
    # left; the kind's colour is on the right, where each event begins.
    summary = page.locator(f"#e-{ASTANA} > summary")
    when, title = summary.locator(".when").bounding_box(), summary.locator(".title").bounding_box()
    if width > 390:
        assert when["x"] > title["x"] + title["width"] - 1
    details = page.locator(f"#e-{ASTANA}")
    right, left = details.evaluate(
        "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]"
    )
    assert (float(right.removesuffix("px")), left) > (5, "1px")
    assert "۱۴۰۳" not in summary.inner_text()  # Gregorian years, in Persian digits
    assert "۲۰۲۴" in summary.inner_text()
    # The skip link comes into the window when focused, and the panel works.
    page.keyboard.press("Tab")
    skip = page.locator(".skip").bounding_box()
    assert skip["x"] >= 0
    assert skip["x"] + skip["width"] <= width
    mark(page, ASTANA).click()
    panel = page.locator("#panel")
    assert panel.is_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert page.evaluate(OVERFLOWING) == []
    assert opened.errors == []  # the policy allows the right-to-left style


def test_a_russian_page_in_the_browser(open_page: Open, sco: Timeline) -> None:
    opened = open_page(sco, locale="ru")
    page = opened.page
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Перейти к списку событий"
    assert right_of_the_names(page) == []
    # The data's texts are the Russian ones: the title in the list and in the
    # panel, the city; the notes, which have no translation, are English and say so.
    russian = sco[ASTANA].translated("title", "ru")
    title = page.locator(f"#e-{ASTANA} > summary .title")
    assert title.inner_text() == russian
    assert title.get_attribute("lang") is None
    assert page.locator(f"#e-{ASTANA} .notes").get_attribute("lang") == "en"
    mark(page, ASTANA).click()
    panel = page.locator("#panel")
    assert panel.locator("h3").inner_text() == russian
    assert "Астана, Казахстан" in panel.inner_text()
    assert panel.locator(".notes").get_attribute("lang") == "en"
    assert panel.locator("a", has_text="Показать в списке").get_attribute("href") == f"#e-{ASTANA}"
    assert "Принимающая сторона\nКазахстан" in panel.inner_text()
    page.locator("button[data-action=zoom-in]").click()
    assert page.locator("#zoom-level").inner_text() == "2×"
    assert opened.errors == []  # the policy allows the script with its label in Russian
