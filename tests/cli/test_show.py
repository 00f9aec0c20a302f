"""``timeline show`` in words, and the command called in-process through ``main()``.

``tests/cli/test_commands.py`` runs the command as a subprocess; these tests call
:func:`timeline.cli.main` directly for what is easier to reach from inside: the
wording of every kind of date, and an export interrupted with Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import pytest

import timeline
from timeline import Event, Exporter, Timeline
from timeline.cli import main
from timeline.cli.console import Console, clip, printable
from timeline.testing import register_plugin, sample_timeline

SAMPLE = """\
Sample timeline
15 events, 477 BCE to 2025

477 BCE
  477 BCE                          event      End of the Western Roman Empire (by one count)

1996
  c. 1996                          event      Talks begin

2001
  15 Jun                           founding   Organisation founded — Shanghai, China

2002
  Jun?                             event      A meeting that may have happened
  15 Jun                           event      Founding anniversary (every year)

2006
  15 Jun                           event      上海合作组织 — منظمة شنغهاي للتعاون 🤝 Café

2009
  2009                             event      A year-long programme

2016
  14 Mar                           accession  Azerbaijan becomes a dialogue partner

2018
  9 Jun 10:00                      event      Opening ceremony
  10 Jun 12:30 UTC                 event      Press conference

2019
  31 Dec 2019 - 2 Jan 2020         event      New Year talks

2020
  Nov                              summit     Virtual summit

2024
  3-4 Jul                          summit     Astana summit — Astana, Kazakhstan
  4 Jul 10:00-18:00 (Asia/Almaty)  event      Heads of State Council — Astana, Kazakhstan

2025
  31 Aug - 1 Sep                   summit     Tianjin summit — Tianjin, China
"""


def test_show_every_kind_of_date(tmp_path, capsys):
    path = tmp_path / "sample.json"
    timeline.dump(sample_timeline(), path)
    assert main(["show", str(path)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (SAMPLE, "")


@pytest.mark.parametrize(
    ("text", "width", "clipped"),
    [
        ("short", 10, "short"),
        ("exactly 10", 10, "exactly 10"),
        ("a little too long", 10, "a little …"),
        ("上海合作组织", 6, "上海…"),  # two columns a character
        ("上海合作组织", 12, "上海合作组织"),
        ("Cafe\u0301 au lait", 5, "Cafe\u0301…"),  # the combining accent takes no column
        ("🤝🤝🤝", 4, "🤝…"),
    ],
)
def test_lines_are_cut_by_terminal_columns(text, width, clipped):
    assert clip(text, width) == clipped


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain 上海 🤝", "plain 上海 🤝"),
        ("\x1b]0;owned\x07\x1b[2J", "\\x1b]0;owned\\x07\\x1b[2J"),  # title, then clear screen
        ("\u202eevil\u202c.exe", "\\u202eevil\\u202c.exe"),  # a right-to-left override
        ("isolate \u2066x\u2069 mark \u200f", "isolate \\u2066x\\u2069 mark \\u200f"),
        ("csi \x9b31m next\x85line", "csi \\x9b31m next\\x85line"),  # C1 controls
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("tab\there", "tab\\x09here"),
        ("zero width \u200b space", "zero width \\u200b space"),
        ("unassigned \U000e0001 \ufdd0", "unassigned \\U000e0001 \\ufdd0"),
        # kept: spaces of every script, the joiners of emoji and scripts, flag tags
        ("no\u00a0break\u3000wide", "no\u00a0break\u3000wide"),
        ("👩\u200d💻 می\u200cخواهم", "👩\u200d💻 می\u200cخواهم"),
        ("\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
         "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"),
    ],
)  # fmt: skip
def test_what_a_terminal_would_act_on_is_escaped(text, shown):
    assert printable(text) == shown


def test_show_escapes_titles_places_and_the_timeline_title(tmp_path, capsys):
    """No title can reverse or hide the text after it, whether the output is
    a terminal or not (control characters never get into the model)."""
    t = Timeline(
        title="Evil\u202e title",
        events=[
            Event(title="Tab\there \u2066isolated\u2069", start="2001", notes="a\u2028b",
                  place=timeline.Place(name="Over\u202dride")),
        ],
    )  # fmt: skip
    path = tmp_path / "evil.json"
    timeline.dump(t, path)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == (
        "Evil\\u202e title\n1 event, 2001\n\n2001\n"
        "  2001  event  Tab\\x09here \\u2066isolated\\u2069 — Over\\u202dride\n"
    )
    assert out.replace("—", "-").isascii()


def test_messages_on_standard_error_are_escaped_line_by_line():
    """An error that quotes the input keeps its own lines; what the input put
    in it is escaped."""

    class Stream:
        text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    stream = Stream()
    console = Console(stream)  # type: ignore[arg-type]
    console.error("cannot read '\x1b[31mred.json'", ["2 problems\x07", "  \u202eline"])
    console.warning("title 'a\x9bb'")
    assert stream.text == (
        "error: cannot read '\\x1b[31mred.json'\n  2 problems\\x07\n    \\u202eline\n"
        "warning: title 'a\\x9bb'\n"
    )


class _Interrupted(Exporter):
    name = "interrupted"
    suffixes = (".interrupted",)
    media_type = "text/plain"
    description = "Writes one event, then Ctrl-C."

    def write(self, timeline: Timeline, out: TextIO, options: Mapping[str, Any]) -> None:
        out.write(f"{timeline.events[0].id}\n")
        raise KeyboardInterrupt


class _InterruptedPlugin:
    @timeline.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(_Interrupted())


def test_ctrl_c_leaves_the_outputs_as_they_were(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("sco.json").write_text("old\n", encoding="utf-8")
    with register_plugin(_InterruptedPlugin(), name="interrupted"):
        status = main(["export", "example:sco", "-o", "sco.json", "-o", "sco.interrupted"])
    assert status == 130
    assert capsys.readouterr() == ("", "error: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sco.json"]
    assert Path("sco.json").read_text("utf-8") == "old\n"


def test_main_returns_the_status_instead_of_exiting(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"timeline {timeline.__version__}\n"
    assert main(["validate"]) == 2
    assert capsys.readouterr().err == (
        "error: the following arguments are required: INPUT\n  (see 'timeline validate --help')\n"
    )


def test_standard_input_that_is_a_terminal_is_a_usage_error(capsys, monkeypatch):
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    assert main(["show", "-"]) == 2
    assert capsys.readouterr() == (
        "",
        "error: '-' reads standard input, which is a terminal here: pipe a file into it, "
        "as in 'timeline show - < events.json'\n",
    )
