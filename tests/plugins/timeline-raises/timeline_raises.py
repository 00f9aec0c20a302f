"""A plugin whose hook raises."""

import timeline


@timeline.hookimpl
def register_exporters(register):
    raise RuntimeError("configuration file missing")
