"""The plugin is found the way a stranger's plugin is: through its entry point."""

from __future__ import annotations

import importlib.metadata
import warnings
from pathlib import Path

import timeline
from timeline.testing import check_exporter, sample_timeline

import timeline_csv


def test_found_through_the_entry_point() -> None:
    (info,) = [p for p in timeline.get_plugins() if p.name == "timeline-csv"]
    assert info.distribution == "timeline-csv"
    assert info.version == importlib.metadata.version("timeline-csv") == timeline_csv.__version__
    assert info.hooks == ("register_exporters", "register_importers")
    assert (info.exporters, info.importers) == (("csv",), ("csv",))
    assert not info.builtin
    assert info.error is None


def test_registered_formats() -> None:
    exporter = timeline.exporters()["csv"]
    importer = timeline.importers()["csv"]
    assert isinstance(exporter, timeline_csv.CSVExporter)
    assert isinstance(importer, timeline_csv.CSVImporter)
    assert exporter.suffixes == importer.suffixes == (".csv",)
    assert exporter.media_type == importer.media_type == "text/csv"
    assert [o.name for o in exporter.options] == ["delimiter", "bom", "formulas"]
    assert [o.name for o in importer.options] == ["delimiter", "formulas", "language"]


def test_exporter_contract() -> None:
    check_exporter(timeline.exporters()["csv"])


def test_exporter_contract_on_the_example() -> None:
    check_exporter(timeline.exporters()["csv"], timeline.example("sco"))


def test_dump_and_load_by_suffix(tmp_path: Path) -> None:
    sample = sample_timeline()
    path = tmp_path / "sample.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        timeline.dump(sample, path)
    assert timeline.load(path).events == sample.events
