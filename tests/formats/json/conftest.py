"""The files beside the JSON tests (``ajv/``): the fixture ``json_files``, and
``json_file`` with the data_files mark (tests/helpers/data.py)."""

from __future__ import annotations

from helpers.data import data_fixtures

json_files, pytest_generate_tests = data_fixtures(__file__, "json")
