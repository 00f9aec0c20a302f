"""Plugins: hooks, discovery through entry points, isolation of broken plugins."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest
from helpers.plugins import Election, Plugin, Upper

import timeline
from timeline import Exporter, PluginError, Timeline
from timeline.plugins import pm
from timeline.testing import check_exporter, register_plugin, sample_timeline

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs"


# -- plugins installed as distributions ---------------------------------------------------


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The distributions under tests/plugins/, pip-installed into a folder of
    their own; Python started with that folder on its path finds them through
    their entry points, as it would find a user's plugins."""
    target = tmp_path_factory.mktemp("site")
    sources = sorted(str(p) for p in (HERE / "plugins").iterdir() if p.is_dir())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            *sources,
        ],
        check=True,
    )
    return target


def run(site: Path, code: str, load: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_LOAD_PLUGINS"}
    env["PYTHONPATH"] = str(site)
    if load is not None:
        env["TIMELINE_LOAD_PLUGINS"] = load
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


LISTING = """
    import json, attrs, timeline
    print(json.dumps({
        "plugins": [attrs.asdict(p) for p in timeline.get_plugins()],
        "exporters": sorted(timeline.exporters()),
        "kinds": sorted(timeline.kinds()),
    }))
"""


def third_party(listing: dict) -> dict[str, dict]:
    return {p["name"]: p for p in listing["plugins"] if not p["builtin"]}


class TestDiscovery:
    def test_all_plugins_load_when_the_variable_is_unset(self, plugin_site):
        result = run(plugin_site, LISTING, load=None)
        listing = json.loads(result.stdout)
        plugins = third_party(listing)
        assert plugins["timeline-shout"] == {
            "name": "timeline-shout",
            "distribution": "timeline-shout",
            "version": "1.2.3",
            "hooks": ["register_exporters", "register_kinds"],
            "exporters": ["shout"],
            "importers": [],
            "kinds": ["treaty"],
            "builtin": False,
            "error": None,
        }
        assert plugins["timeline-broken"]["error"] == (
            "cannot be imported: ImportError: this plugin needs a module that is not installed"
        )
        assert plugins["timeline-misspelt"]["error"] == (
            "implements unknown hook 'register_exporter' (did you mean 'register_exporters'?)"
        )
        assert plugins["timeline-dupe"]["error"] == (
            "registers exporter 'json', which plugin 'timeline.default_plugins.json_format' "
            "already provides"
        )
        assert plugins["timeline-raises"]["error"] == (
            "raised RuntimeError from its register_exporters hook: configuration file missing"
        )
        assert "shout" in listing["exporters"]
        assert "treaty" in listing["kinds"]

    def test_each_broken_plugin_is_reported_once(self, plugin_site):
        code = textwrap.dedent(LISTING) + "timeline.exporters(); timeline.get_plugins()\n"
        result = run(plugin_site, code, load=None)
        lines = [line for line in result.stderr.splitlines() if "PluginWarning" in line]
        assert len(lines) == 4, result.stderr
        assert any("plugin 'timeline-broken' cannot be imported" in line for line in lines)

    def test_the_real_json_exporter_survives_a_duplicate(self, plugin_site):
        code = "import timeline; print(timeline.dumps(timeline.Timeline(), compact=True))"
        result = run(plugin_site, code, load=None)
        assert result.stdout.startswith('{"format": "timeline-events"')

    def test_a_list_of_names_loads_only_those(self, plugin_site):
        result = run(plugin_site, LISTING, load="timeline-shout, Timeline_Nowhere")
        plugins = third_party(json.loads(result.stdout))
        assert sorted(plugins) == ["timeline-nowhere", "timeline-shout"]
        assert plugins["timeline-shout"]["error"] is None
        assert plugins["timeline-nowhere"]["error"] == (
            "is named in TIMELINE_LOAD_PLUGINS but is not installed"
        )

    def test_an_empty_value_loads_none(self, plugin_site):
        listing = json.loads(run(plugin_site, LISTING, load="").stdout)
        assert third_party(listing) == {}
        assert listing["exporters"] == sorted(timeline.exporters())

    def test_a_plugin_kind_round_trips_through_json(self, plugin_site):
        code = """
            import timeline
            Treaty = timeline.kinds()["treaty"]
            t = timeline.Timeline(events=[Treaty(title="Treaty of Shanghai", start="2001-06-15",
                                                 signatories=["CN", "RU"], pages=12)])
            text = timeline.dumps(t)
            assert timeline.loads(text) == t
            assert timeline.dumps(timeline.loads(text)) == text
            print(text)
        """
        text = run(plugin_site, code, load="timeline-shout").stdout
        event = json.loads(text)["events"][0]
        assert event == {
            "kind": "treaty",
            "id": "2001-06-15-treaty-of-shanghai",
            "title": "Treaty of Shanghai",
            "start": "2001-06-15",
            "signatories": ["CN", "RU"],
            "pages": 12,
        }

    def test_a_plugin_kind_is_validated_strictly(self, plugin_site):
        code = """
            import timeline
            doc = '{"format": "timeline-events", "version": 1, "events": [' \\
                  '{"kind": "treaty", "title": "x", "start": "2001", "pages": "12"}]}'
            try:
                timeline.loads(doc)
            except timeline.ValidationError as exc:
                print(exc)
        """
        out = run(plugin_site, code, load="timeline-shout").stdout
        assert "$.events[0].pages: expected an integer, not a string ('12')" in out

    def test_the_schema_describes_plugin_kinds(self, plugin_site):
        code = "import json, timeline.schema as s; print(json.dumps(s.json_schema()))"
        schema = json.loads(run(plugin_site, code, load="timeline-shout").stdout)
        treaty = schema["$defs"]["kind-treaty"]["properties"]
        assert treaty["pages"] == {"type": "integer", "title": "Pages"}

    def test_importing_timeline_loads_no_plugin_and_no_heavy_module(self, plugin_site):
        code = """
            import sys, timeline
            print(sorted(m for m in ("timeline_shout", "cattrs", "dateutil", "icalendar")
                         if m in sys.modules))
        """
        assert run(plugin_site, code, load=None).stdout.strip() == "[]"


# -- the hooks, one test each (test_every_hook_is_tested checks this) ----------------------


def test_hook_register_exporters():
    with register_plugin(Plugin(), name="test-plugin"):
        assert timeline.exporters()["upper"].description == "Titles in capitals."
        assert timeline.dumps(sample_timeline(), "upper", sep="|").startswith(
            "END OF THE WESTERN ROMAN EMPIRE (BY ONE COUNT)|TALKS BEGIN|"
        )
        check_exporter(timeline.exporters()["upper"])
    assert "upper" not in timeline.exporters()


def test_hook_register_importers(tmp_path):
    with register_plugin(Plugin(), name="test-plugin"):
        path = tmp_path / "history.lines"
        path.write_text("2001-06-15 SCO founded\n2017-06-09 India joins\n", encoding="utf-8")
        t = timeline.load(path)
        assert [(str(e.start), e.title) for e in t] == [
            ("2001-06-15", "SCO founded"),
            ("2017-06-09", "India joins"),
        ]
        assert timeline.loads("2001 Founded\n", "lines")["2001-founded"].title == "Founded"


def test_hook_register_kinds():
    with register_plugin(Plugin(), name="test-plugin"):
        t = Timeline(events=[Election(title="Vote", start="2024-03", winner="Someone")])
        text = timeline.dumps(t)
        assert timeline.loads(text) == t
        assert timeline.kinds()["election"] is Election
    with pytest.raises(timeline.ValidationError, match="unknown kind 'election'"):
        timeline.loads(text)
    with pytest.raises(timeline.TimelineError, match="which no plugin has registered"):
        timeline.dumps(t)


def test_hook_register_commands(capsys):
    """A plugin adds a click command; tests/cli/test_commands.py tests it as a user runs it."""
    import click

    from timeline.cli import main

    @click.command("hello")
    def hello() -> None:
        click.echo("hello")

    class Plugin:
        @timeline.hookimpl
        def register_commands(self, cli: click.Group) -> None:
            cli.add_command(hello)

    with register_plugin(Plugin(), name="hello-plugin"):
        assert main(["hello"]) == 0
    assert capsys.readouterr() == ("hello\n", "")


def test_every_hook_is_tested():
    """Each hook has a test called test_hook_<name> in this module."""
    hooks = {name for name in dir(pm.hook) if not name.startswith("_")}
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    tests = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert hooks == {
        "register_commands",
        "register_exporters",
        "register_importers",
        "register_kinds",
    }
    assert {f"test_hook_{name}" for name in hooks} <= tests


def test_every_hook_is_documented():
    """docs/plugins.md has a section per hook, with its signature."""
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    for name in dir(pm.hook):
        if name.startswith("_"):
            continue
        argnames = ", ".join(getattr(pm.hook, name).spec.argnames)
        assert re.search(rf"^### `{name}\({argnames}\)`$", text, re.MULTILINE), name


# -- rules and failures ----------------------------------------------------------------------


class Misspelt:
    __name__ = "misspelt"

    @timeline.hookimpl
    def register_exporter(self, register):
        raise AssertionError("never called")


class TestRules:
    def test_misspelt_hook_fails_loudly_naming_the_plugin(self):
        message = (
            r"plugin 'misspelt' implements unknown hook 'register_exporter' "
            r"\(did you mean 'register_exporters'\?\)"
        )
        with pytest.raises(PluginError, match=message), register_plugin(Misspelt(), "misspelt"):
            pass
        assert pm.get_plugin("misspelt") is None

    def test_check_pending_runs_after_loading(self, fresh_plugins):
        pm.register(Misspelt(), name="misspelt-early")
        try:
            with pytest.raises(PluginError, match="plugin 'misspelt-early' implements unknown"):
                timeline.exporters()
        finally:
            pm.unregister(name="misspelt-early")


# -- exports that fail leave nothing behind -----------------------------------------------------


class Failing(Exporter):
    name = "failing"
    suffixes = (".fail",)
    media_type = "text/plain"
    description = "Writes three events, then fails."
    raise_: ClassVar[type[BaseException]] = RuntimeError

    def write(self, tl, out, options):
        for i, event in enumerate(tl):
            if i == 3:
                raise self.raise_("the plugin broke halfway")
            out.write(event.title + "\n")


class Interrupted(Failing):
    name = "interrupted"
    suffixes = (".interrupted",)
    raise_ = KeyboardInterrupt


class FailingPlugin:
    __name__ = "failing-plugin"

    @timeline.hookimpl
    def register_exporters(self, register):
        register(Failing())
        register(Interrupted())


@pytest.mark.parametrize(
    ("suffix", "error"), [(".fail", RuntimeError), (".interrupted", KeyboardInterrupt)]
)
def test_a_failed_export_leaves_the_old_file_and_no_other(tmp_path, suffix, error):
    target = tmp_path / f"out{suffix}"
    target.write_text("the previous export\n", encoding="utf-8")
    target.chmod(0o640)
    with register_plugin(FailingPlugin(), name="failing-plugin"), pytest.raises(error):
        timeline.dump(sample_timeline(), target)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_export_creates_no_file(tmp_path):
    target = tmp_path / "new.fail"
    with register_plugin(FailingPlugin(), name="failing-plugin"), pytest.raises(RuntimeError):
        timeline.dump(sample_timeline(), target)
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    timeline.dump(sample_timeline(), target)
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "new.json"
    timeline.dump(sample_timeline(), target)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_folder_must_exist(tmp_path):
    with pytest.raises(timeline.TimelineError, match="does not exist"):
        timeline.dump(sample_timeline(), tmp_path / "no" / "such.json")


# -- the contract checker catches exporters that break it --------------------------------------


class Hoarding(Upper):
    name = "hoarding"

    def write(self, tl, out, options):
        out.write("".join(e.title + "\n" for e in tl))


class Moody(Upper):
    name = "moody"
    count: ClassVar[list[int]] = [0]

    def write(self, tl, out, options):
        self.count[0] += 1
        out.write(f"run {self.count[0]}\n")
        super().write(tl, out, options)


@pytest.mark.parametrize(
    ("exporter", "message"),
    [(Hoarding(), "write event by event"), (Moody(), "two exports of the same timeline differ")],
)
def test_check_exporter_catches_breaches(exporter, message):
    with pytest.raises(AssertionError, match=message):
        check_exporter(exporter)


def test_builtin_exporters_keep_the_contract():
    for exporter in timeline.exporters().values():
        check_exporter(exporter)


@pytest.mark.parametrize("script", [False, True])
def test_run_command_runs_the_command_with_the_plugins_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: bool
) -> None:
    """timeline.testing.run_command (docs/plugins.md): the command as a user runs
    it, with TIMELINE_LOAD_PLUGINS as given, whatever the environment says."""
    from timeline.testing import run_command

    monkeypatch.setenv("TIMELINE_LOAD_PLUGINS", "no-such-plugin")
    monkeypatch.setenv("COLUMNS", "20")
    done = run_command("formats", "json", plugins="", cwd=tmp_path, script=script)
    assert (done.returncode, done.stderr) == (0, "")
    assert "  json  .json  application/json  (built in)\n" in done.stdout
    done = run_command("plugins", "--json", plugins="", cwd=tmp_path, script=script)
    assert [p["name"] for p in json.loads(done.stdout) if not p["builtin"]] == []
    done = run_command("export", "missing.json", "-o", "x.ics", plugins="", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: missing.json: no such file\n"
