"""The registry (``timeline.registry``): the tables of what plugins provide,
the checks on what they register, the lookups and the listing of plugins.

Loading plugins (entry points, ``TIMELINE_LOAD_PLUGINS``, the hooks) is tested
in ``tests/test_plugins.py``.
"""

from __future__ import annotations

import json
import warnings
from typing import ClassVar

import attrs
import pytest
from helpers.plugins import Election, Lines, Plugin, Upper

import timeline
from timeline import Event, FormatError, PluginError, Timeline, files, registry
from timeline.plugins import DEFAULT_PLUGINS, pm
from timeline.testing import register_plugin, reset_plugins

# -- the tables and the lookups -----------------------------------------------------------


def test_the_tables_hold_what_the_default_plugins_register():
    assert list(timeline.exporters()) == ["ics", "json", "markdown"]
    assert list(timeline.importers()) == ["ics", "json"]
    assert list(timeline.kinds()) == ["event", "founding", "accession", "summit"]
    assert timeline.kinds()["summit"] is timeline.Summit


def test_a_plugin_registered_joins_the_tables_and_leaves_them():
    with register_plugin(Plugin(), name="test-plugin"):
        assert type(registry.get_exporter("upper")) is Upper
        assert type(registry.get_importer("lines")) is Lines
        assert registry.kinds()["election"] is Election
    assert "upper" not in registry.exporters()
    assert "lines" not in registry.importers()
    assert "election" not in registry.kinds()


def test_the_tables_returned_are_copies():
    registry.exporters().clear()
    registry.kinds().clear()
    assert "json" in registry.exporters()
    assert "event" in registry.kinds()


@pytest.mark.parametrize(
    ("lookup", "key", "message"),
    [
        pytest.param(
            registry.get_exporter, "yaml",
            "no format 'yaml' to export; available: ics, json, markdown "
            "(a plugin may provide it: see 'timeline plugins')",
            id="format-to-export",
        ),
        pytest.param(
            registry.get_importer, "markdown",
            "no format 'markdown' to import; available: ics, json "
            "(a plugin may provide it: see 'timeline plugins')",
            id="format-to-import",
        ),
        pytest.param(
            registry.exporter_for_suffix, ".txt",
            "cannot tell the format to export from suffix '.txt'; name it (format= in Python, "
            "-f on the command line; known suffixes: .ical, .icalendar, .ics, .json, .markdown, "
            ".md; a plugin may add others)",
            id="suffix-to-export",
        ),
        pytest.param(
            registry.importer_for_suffix, "",
            "cannot tell the format to import from no suffix; name it (format= in Python, "
            "--from on the command line; known suffixes: .ical, .icalendar, .ics, .json; "
            "a plugin may add others)",
            id="no-suffix-to-import",
        ),
    ],
)  # fmt: skip
def test_an_unknown_format_or_suffix_names_the_known_ones(lookup, key, message):
    with pytest.raises(FormatError) as caught:
        lookup(key)
    assert str(caught.value) == message


def test_a_suffix_names_a_format_regardless_of_case():
    assert registry.exporter_for_suffix(".ICS").name == "ics"
    assert registry.exporter_for_suffix(".md").name == "markdown"
    assert registry.importer_for_suffix(".Json").name == "json"


def test_a_built_in_format_claims_a_suffix_before_a_plugin_does():
    with register_plugin(Plugin(), name="test-plugin"):
        assert registry.exporter_for_suffix(".json").name == "json"
        assert registry.exporter_for_suffix(".upper").name == "upper"


class _Doubled(timeline.Exporter):
    """Claims a double suffix that ends in another format's."""

    name = "doubled"
    suffixes = (".doubled.json",)

    def write(self, tl, out, options):
        out.write("doubled\n")


class _DoubledIn(timeline.Importer):
    name = "doubled"
    suffixes = (".doubled.json",)

    def read(self, stream, options, source):
        return Timeline(title="doubled")


class _DoubledPlugin:
    @timeline.hookimpl
    def register_exporters(self, register):
        register(_Doubled())

    @timeline.hookimpl
    def register_importers(self, register):
        register(_DoubledIn())


def test_the_longest_suffix_a_format_claims_picks_it(tmp_path):
    resolve = files.resolve_format
    assert resolve("export", target="sco.doubled.json").name == "json"  # no plugin claims it yet
    with register_plugin(_DoubledPlugin(), name="doubled"):
        assert resolve("export", target="sco.doubled.json").name == "doubled"
        assert resolve("export", target=tmp_path / "a.b.SCO.Doubled.JSON").name == "doubled"
        assert resolve("import", target="x.doubled.json").name == "doubled"
        assert resolve("export", target="sco.json").name == "json"
        assert resolve("export", target="sco.other.json").name == "json"
        assert resolve("export", target="v1.2.md").name == "markdown"
        with open(tmp_path / "s.doubled.json", "w", encoding="utf-8") as stream:
            assert resolve("export", target=stream).name == "doubled"
        timeline.dump(Timeline(), tmp_path / "t.doubled.json")
        assert (tmp_path / "t.doubled.json").read_text(encoding="utf-8") == "doubled\n"
        assert timeline.load(tmp_path / "t.doubled.json").title == "doubled"
    with pytest.raises(FormatError, match=r"from suffix '\.txt'"):
        resolve("export", target="sco.doubled.txt")
    with pytest.raises(FormatError, match="from no suffix"):
        resolve("export", target="sco")


def test_the_kind_table_is_the_same_object_until_the_plugins_change():
    table = registry.kind_table()
    assert registry.kind_table() is table
    assert table == tuple(registry.kinds().items())
    with register_plugin(Plugin(), name="test-plugin"):
        changed = registry.kind_table()
        assert changed is not table
        assert changed[-1] == ("election", Election)
    assert registry.kind_table() == table


def test_a_registered_format_knows_its_plugin():
    assert registry.get_exporter("json").plugin == "timeline.default_plugins.json_format"
    assert registry.get_importer("ics").plugin == "timeline.default_plugins.ics"
    with register_plugin(Plugin(), name="test-plugin"):
        assert registry.get_exporter("upper").plugin == "test-plugin"
    assert Upper().plugin is None


def test_the_default_plugins_are_named_as_timelines_own():
    """Errors call a default plugin's format ``timeline's exporter 'json'``, by
    the package its plugin is in."""
    assert all(name.startswith("timeline.default_plugins.") for name in DEFAULT_PLUGINS)

    class Failing(Upper):
        name = "failing"

        def write(self, tl, out, options):
            raise SystemExit(3)

    failing = Failing()
    failing.plugin = "timeline.default_plugins.json_format"
    with pytest.raises(PluginError) as caught:
        failing.write(Timeline(), None, {})
    assert str(caught.value) == "timeline's exporter 'failing' called sys.exit(3) while writing"


def test_reset_plugins_forgets_what_was_loaded(fresh_plugins):
    pm.register(Plugin(), name="test-plugin")
    assert "upper" in registry.exporters()
    reset_plugins()
    assert pm.get_plugin("test-plugin") is None
    assert "upper" not in registry.exporters()
    assert [p.name for p in timeline.get_plugins()] == list(DEFAULT_PLUGINS)


# -- what a plugin may register ----------------------------------------------------------------


def test_the_names_a_field_may_not_take():
    assert sorted(registry.RESERVED_FIELDS) == [
        "anniversary", "kind", "last", "occurrences", "overlaps", "parties", "rule",
        "translated", "translation",
    ]  # fmt: skip


class TestRules:
    def test_duplicate_name_breaks_the_later_plugin_only(self):
        class Again:
            __name__ = "zz-again"

            @timeline.hookimpl
            def register_exporters(self, register):
                register(Upper())

        with register_plugin(Plugin(), name="test-plugin"), warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            with register_plugin(Again(), name="zz-again"):
                info = {p.name: p for p in timeline.get_plugins()}
                assert info["zz-again"].error == (
                    "registers exporter 'upper', which plugin 'test-plugin' already provides"
                )
                assert info["test-plugin"].error is None
                assert timeline.exporters()["upper"].__class__ is Upper

    def test_a_kind_with_a_field_that_hides_what_every_event_has_is_refused(self):
        """A field named ``parties`` hid ``Event.parties()``, and ``--involving``
        failed for a whole file; now the kind's plugin is broken, nothing else."""

        @attrs.frozen(kw_only=True)
        class Treaty(Event):
            kind: ClassVar[str] = "treaty"
            parties: tuple[str, ...] = attrs.field(default=(), converter=tuple)

        class Kinds:
            @timeline.hookimpl
            def register_kinds(self, register):
                register(Treaty)

        with warnings.catch_warnings(record=True), register_plugin(Kinds(), name="treaties"):
            warnings.simplefilter("always")
            info = {p.name: p for p in timeline.get_plugins()}
            assert info["treaties"].error == (
                "register_kinds: Treaty's field 'parties' would hide Event.parties, which "
                "formats and queries use; give it another name"
            )
            assert "treaty" not in timeline.kinds()
            sco = timeline.example("sco")
            assert len(sco.involving("India")) == len(sco.involving("IN")) > 0

    @pytest.mark.parametrize("name", ["last", "rule", "occurrences", "overlaps", "kind"])
    def test_every_name_a_field_would_hide_is_refused(self, name):
        Kind = attrs.make_class(
            "Kind", {name: attrs.field(default=None)}, bases=(Event,), frozen=True, kw_only=True
        )
        Kind.kind = "kind-with-" + name

        class Kinds:
            @timeline.hookimpl
            def register_kinds(self, register):
                register(Kind)

        with warnings.catch_warnings(record=True), register_plugin(Kinds(), name="hiding"):
            warnings.simplefilter("always")
            info = {p.name: p for p in timeline.get_plugins()}
            assert f"field {name!r} would hide Event.{name}" in info["hiding"].error

    def test_a_kind_or_importer_name_taken_breaks_the_later_plugin_only(self):
        """The same policy for kinds and importers: the built-in ones stay."""

        @attrs.frozen
        class OtherSummit(Event):
            kind: ClassVar[str] = "summit"

        class JSONAgain(Lines):
            name = "json"

        class Kinds:
            __name__ = "zz-kinds"

            @timeline.hookimpl
            def register_kinds(self, register):
                register(OtherSummit)

        class Importers:
            __name__ = "zz-importers"

            @timeline.hookimpl
            def register_importers(self, register):
                register(JSONAgain())  # an importer named json

        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            with (
                register_plugin(Kinds(), name="zz-kinds"),
                register_plugin(Importers(), name="zz-importers"),
            ):
                info = {p.name: p for p in timeline.get_plugins()}
                assert info["zz-kinds"].error == (
                    "registers kind 'summit', which plugin "
                    "'timeline.default_plugins.organisations' already provides"
                )
                assert info["zz-importers"].error == (
                    "registers importer 'json', which plugin "
                    "'timeline.default_plugins.json_format' already provides"
                )
                assert type(timeline.importers()["json"]).__module__ == (
                    "timeline.default_plugins.json_format"
                )
                doc = {"format": "timeline-events", "version": 1, "events": [
                    {"kind": "summit", "title": "S", "start": "2001", "organisation": "SCO"},
                ]}  # fmt: skip
                (summit,) = timeline.loads(json.dumps(doc))
                assert type(summit) is timeline.Summit

    @pytest.mark.parametrize(
        ("item", "message"),
        [
            (object(), "is not an instance of timeline.Exporter"),
            (Lines(), "is not an instance of timeline.Exporter"),
        ],
    )
    def test_register_checks_what_it_gets(self, item, message):
        class Bad:
            __name__ = "bad"

            @timeline.hookimpl
            def register_exporters(self, register):
                register(item)

        with warnings.catch_warnings(record=True), register_plugin(Bad(), name="bad"):
            info = {p.name: p for p in timeline.get_plugins()}
            assert message in info["bad"].error

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: str, "is not a subclass of timeline.Event"),
            (
                lambda: type("Plain", (Event,), {"kind": "plain"}),
                "not decorated with @attrs.frozen",
            ),
            (lambda: attrs.frozen(type("NoKind", (Event,), {})), "does not set its own 'kind'"),
            (lambda: attrs.frozen(type("Caps", (Event,), {"kind": "Caps"})), "not a lowercase"),
        ],
    )
    def test_register_kinds_checks_the_class(self, make, message):
        cls = make()

        class Bad:
            __name__ = "bad-kind"

            @timeline.hookimpl
            def register_kinds(self, register):
                register(cls)

        with warnings.catch_warnings(record=True), register_plugin(Bad(), name="bad-kind"):
            info = {p.name: p for p in timeline.get_plugins()}
            assert message in info["bad-kind"].error


# -- the listing -------------------------------------------------------------------------------


def test_get_plugins_lists_the_builtins():
    info = {p.name: p for p in timeline.get_plugins()}
    json_plugin = info["timeline.default_plugins.json_format"]
    assert json_plugin.builtin
    assert json_plugin.distribution == "timeline-events"
    assert json_plugin.version == timeline.__version__
    assert json_plugin.exporters == ("json",)
    assert json_plugin.importers == ("json",)
    assert info["timeline.default_plugins.kinds"].kinds == ("event",)
    assert info["timeline.default_plugins.organisations"].kinds == (
        "founding",
        "accession",
        "summit",
    )


def test_get_plugins_is_the_registrys():
    assert timeline.get_plugins is registry.get_plugins
    with register_plugin(Plugin(), name="test-plugin"):
        (info,) = [p for p in timeline.get_plugins() if p.name == "test-plugin"]
    assert info == timeline.PluginInfo(
        name="test-plugin",
        distribution=None,
        version=None,
        hooks=("register_exporters", "register_importers", "register_kinds"),
        exporters=("upper",),
        importers=("lines",),
        kinds=("election",),
    )
    assert not info.broken
