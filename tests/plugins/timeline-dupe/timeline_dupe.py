"""A plugin that registers a format name that is already taken."""

import timeline


class FakeJSON(timeline.Exporter):
    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    description = "Not the real JSON."

    def write(self, tl, out, options):
        out.write("{}")


@timeline.hookimpl
def register_exporters(register):
    register(FakeJSON())
