"""A plugin with a misspelt hook name."""

import timeline


@timeline.hookimpl
def register_exporter(register):
    raise AssertionError("never called")
