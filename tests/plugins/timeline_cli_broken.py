"""A plugin that cannot be imported, for the tests of ``timeline plugins``."""

raise ImportError("timeline_cli_broken needs a library that is not installed")
