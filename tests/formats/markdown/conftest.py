"""The files beside the Markdown tests (``golden/``, ``hostile.json``,
``extensions.json``, ``pymarkdown.json``, ``mermaid/``): the fixture
``markdown_files``, and ``markdown_file`` with the data_files mark
(tests/helpers/data.py)."""

from __future__ import annotations

from helpers.data import data_fixtures

markdown_files, pytest_generate_tests = data_fixtures(__file__, "markdown")
