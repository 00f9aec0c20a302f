"""The files beside the iCalendar tests (``golden/``, ``producers/``,
``samples/``): the fixture ``ics_files``, and
``ics_file`` with the data_files mark (tests/helpers/data.py)."""

from __future__ import annotations

from helpers.data import data_fixtures

ics_files, pytest_generate_tests = data_fixtures(__file__, "ics")
