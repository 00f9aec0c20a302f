"""What real producers write, read leniently: one file per producer's shape
in tests/formats/ics/producers/ (see its README for the shape and the documentation
each follows), replayed against expected.json, which holds the events read
and the exact warnings.

The expected events were first checked by hand against the producers' own
meaning (the README); regenerate after a deliberate change and review the diff:

    python tests/formats/ics/test_producers.py --regenerate
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import timeline

if TYPE_CHECKING:
    from helpers.data import DataFolder

EXPECTED = "producers/expected.json"
FILES = "producers/*.ics"


def reading(path: Path) -> dict[str, Any]:
    """What the importer makes of a file: the timeline's title, each event's
    fields, and every warning (without the file's name)."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        t = timeline.load(path)
    prefix = f"{path}: "
    return {
        "title": t.title,
        "events": [_event(e) for e in t.events],
        "warnings": [
            str(w.message).removeprefix(prefix)
            for w in record
            if issubclass(w.category, timeline.ImporterWarning)
        ],
    }


def _event(event: timeline.Event) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": event.id, "title": event.title, "start": str(event.start)}
    if event.end is not None:
        fields["end"] = str(event.end)
    if event.recurrence is not None:
        fields["recurrence"] = event.recurrence
    if event.place is not None:
        fields["place"] = event.place.name
    if event.tags:
        fields["tags"] = list(event.tags)
    if event.notes:
        fields["notes"] = event.notes
    return fields


def all_readings(files: DataFolder) -> dict[str, Any]:
    return {path.name: reading(path) for path in files.paths(FILES)}


def test_every_producer_file_has_its_expectation(ics_files):
    names = [path.name for path in ics_files.paths(FILES)]
    assert sorted(ics_files.read_json(EXPECTED)) == names
    assert len(names) >= 11


@pytest.mark.data_files(FILES)
def test_a_producers_file_reads_as_expected(ics_file, ics_files):
    expected = ics_files.read_json(EXPECTED)[ics_file.name]
    assert reading(ics_file) == expected


@pytest.mark.data_files(FILES)
def test_strict_mode_refuses_what_the_lenient_mode_warns_about(ics_file, ics_files):
    expected = ics_files.read_json(EXPECTED)[ics_file.name]
    if not expected["warnings"]:
        timeline.load(ics_file, strict=True)
        return
    with pytest.raises(timeline.ValidationError) as info:
        timeline.load(ics_file, strict=True)
    assert info.value.count == len(expected["warnings"])


def test_the_expectations_are_what_regenerating_writes(ics_files):
    """The golden file is exactly what ``--regenerate`` would write."""
    assert ics_files.read_text(EXPECTED) == _render(all_readings(ics_files))


def _render(readings: dict[str, Any]) -> str:
    return json.dumps(readings, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(__doc__)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, as pytest has it
    from helpers.data import DataFolder

    files = DataFolder.beside(__file__)  # what the fixture ics_files is
    print(f"wrote {files.write(EXPECTED, _render(all_readings(files)))}")
