"""The plugin is found the way a stranger's plugin is: through its entry point."""

from __future__ import annotations

import importlib.metadata
import io
from pathlib import Path

import timeline
from timeline.testing import check_exporter

import timeline_html


def test_found_through_the_entry_point() -> None:
    (info,) = [p for p in timeline.get_plugins() if p.name == "timeline-html"]
    assert info.distribution == "timeline-html"
    assert info.version == importlib.metadata.version("timeline-html") == timeline_html.__version__
    assert info.hooks == ("register_exporters",)
    assert (info.exporters, info.importers) == (("html",), ())
    assert not info.builtin
    assert info.error is None


def test_registered_exporter() -> None:
    exporter = timeline.exporters()["html"]
    assert isinstance(exporter, timeline_html.HTMLExporter)
    assert exporter.suffixes == (".html", ".htm")
    assert exporter.media_type == "text/html"
    # One option: the reader's language (see test_html_locales.py).
    assert [option.name for option in exporter.options] == ["locale"]
    assert "html" not in timeline.importers()


def test_exporter_contract() -> None:
    check_exporter(timeline.exporters()["html"])


def test_exporter_contract_on_the_example() -> None:
    check_exporter(timeline.exporters()["html"], timeline.example("sco"))


def test_dump_by_suffix(tmp_path: Path) -> None:
    # What `timeline export example:sco -o sco.html` does.
    path = tmp_path / "sco.html"
    timeline.dump(timeline.example("sco"), path)
    text = path.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    assert text == timeline.dumps(timeline.example("sco"), "html")
    assert text.count('<a class="mark ') == 33


def test_the_page_needs_the_whole_timeline(tmp_path: Path) -> None:
    """The axis is scaled to every event: ``convert`` reads the timeline whole
    and writes the same page as ``dump``, and the JSON beside it too."""
    sco = timeline.example("sco")
    timeline.dump(sco, tmp_path / "sco.json")
    exporter = timeline.exporters()["html"]
    assert exporter.event_writer(sco, io.StringIO(), exporter.resolve_options({})) is None
    done = timeline.convert(tmp_path / "sco.json", [tmp_path / "out.html", tmp_path / "out.json"],
                            select=timeline.Selection(kinds=("summit",)))  # fmt: skip
    summits = sco.of_kind("summit")
    assert (done.streamed, done.events) == (False, len(summits))
    assert (tmp_path / "out.html").read_text("utf-8") == timeline.dumps(summits, "html")
    assert (tmp_path / "out.json").read_text("utf-8") == timeline.dumps(summits)
