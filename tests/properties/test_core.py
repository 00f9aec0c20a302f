"""Properties that hold for any timeline Hypothesis can think of.

The strategies come from ``timeline.testing``: every kind, every precision,
approximate, uncertain and BCE dates, ranges, zones, recurrence, and unicode
chosen to break formats. Run longer with ``HYPOTHESIS_PROFILE=thorough``.
The iCalendar and Markdown exports are checked by their own readers in
``tests/properties/test_exports.py``, the CSV plugin's in
``plugins/timeline-csv/tests/test_csv_trust.py``.
"""

from __future__ import annotations

import json
import warnings

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

import timeline
from timeline.schema import json_schema
from timeline.testing import dates, timelines

SCHEMA = jsonschema.Draft202012Validator(json_schema())


@given(timelines())
def test_json_round_trip_is_exact(t):
    text = timeline.dumps(t)
    assert timeline.loads(text) == t
    assert timeline.loads(timeline.dumps(t, compact=True)) == t


@given(timelines())
def test_json_output_is_valid_against_the_schema(t):
    assert list(SCHEMA.iter_errors(json.loads(timeline.dumps(t)))) == []


@given(timelines(max_events=6), st.sampled_from(sorted(timeline.exporters())))
def test_every_export_is_deterministic(t, name):
    # The calendar's DTSTAMP is the time of export unless it is given.
    options = {"dtstamp": "2026-01-01T00:00:00Z"} if name == "ics" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", timeline.ExportWarning)
        assert timeline.dumps(t, name, **options) == timeline.dumps(t, name, **options)


@given(dates())
def test_dates_round_trip_through_their_text(d):
    assert timeline.parse_date(d.isoformat()) == d
    assert timeline.Date.fromisoformat(str(d)) == d
    assert d.earliest <= d.latest or d.precision.name == "TIME"


@given(dates(), dates())
def test_order_is_total(a, b):
    assert (a == b) + (a < b) + (a > b) == 1
    assert (a < b) == (a.sort_key < b.sort_key)


@given(timelines(max_events=8))
def test_timeline_order_and_queries(t):
    events = list(t)
    assert events == sorted(events, key=lambda e: (e.start.sort_key, e.id))
    for event in events:
        assert event in t.between(event.start, event.last)
    assert sum(len(g) for g in t.group_by("year").values()) == len(t)


def test_check_exporter_holds_the_time_of_export_still():
    """An exporter that writes the time of export (as ics's DTSTAMP does) is
    deterministic for check_exporter: it runs with SOURCE_DATE_EPOCH set."""
    import itertools
    import os

    from timeline.testing import check_exporter

    ticks = itertools.count()

    class Stamped(timeline.Exporter):
        name = "stamped"
        suffixes = (".stamped",)
        media_type = "text/plain"
        description = "The time of export, then a line per event."

        def write(self, t, out, options):
            out.write(os.environ.get("SOURCE_DATE_EPOCH") or f"tick {next(ticks)}")
            for event in t:
                out.write(f"\n{event.id}")

    before = os.environ.get("SOURCE_DATE_EPOCH")
    check_exporter(Stamped())
    assert os.environ.get("SOURCE_DATE_EPOCH") == before
