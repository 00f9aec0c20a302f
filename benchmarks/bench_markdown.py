"""How fast the Markdown exporter is, against a plain f-string loop.

Both write the same events, in the same layout, to an in-memory stream: the
exporter with dates in words, country names, escaping and links; the loop
with ``str()`` of each value and no escaping at all. The ratio of the two is
what escaping and words cost.

    python benchmarks/bench_markdown.py                  # 100,000 events, list style
    python benchmarks/bench_markdown.py --events 10000 --style table --repeat 3
    python benchmarks/bench_markdown.py --locale ru      # also: the export in Russian

With ``--locale``, the export in that locale (dates, countries and labels from
CLDR and the catalogue) runs side by side with the English one, and the ratio
of the two is what the reader's language costs (docs/languages.md, "Speed").
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from typing import TextIO

import timeline
from timeline.model import kind_fields
from timeline.testing import synthetic_timeline
from timeline.timelines import Timeline


def plain_loop(t: Timeline, out: TextIO) -> None:
    """The events as the exporter lays them out (grouped by year, one item
    or row per event, the same fields), with f-strings and nothing else."""
    fields = {cls: tuple(f.name for f in kind_fields(cls)) for cls in {type(e) for e in t}}
    out.write(f"# {t.title}\n")
    for year, group in t.group_by("year").items():
        out.write(f"\n## {year}\n")
        for e in group.events:
            place = e.place
            text = f"\n- **{e.start}** — {e.title}\n"
            if e.description:
                text += f"\n    {e.description}\n"
            text += "\n"
            if place is not None:
                text += f"    - Place: {place.name}, {place.country}\n"
            for name in fields[type(e)]:
                value = getattr(e, name)
                if isinstance(value, tuple):
                    value = ", ".join(value)
                text += f"    - {name}: {value}\n"
            if e.tags:
                text += f"    - Tags: {', '.join(e.tags)}\n"
            if e.sources:
                text += "\n    Sources:\n\n"
                for n, s in enumerate(e.sources, 1):
                    text += f"    {n}. [{s.title}]({s.url})\n"
            out.write(text)


def plain_table_loop(t: Timeline, out: TextIO) -> None:
    fields = {cls: tuple(f.name for f in kind_fields(cls)) for cls in {type(e) for e in t}}
    out.write(f"# {t.title}\n")
    for year, group in t.group_by("year").items():
        out.write(f"\n## {year}\n\n| Date | Event | Place | Details | Notes | Sources |\n"
                  "| --- | --- | --- | --- | --- | --- |\n")  # fmt: skip
        for e in group.events:
            place = e.place
            details = "; ".join(f"{name}: {getattr(e, name)}" for name in fields[type(e)])
            sources = " ".join(f"[{s.title}]({s.url})" for s in e.sources)
            out.write(
                f"| {e.start} | {e.title} — {e.description} | "
                f"{'' if place is None else place.name} | {details} | {e.notes} | {sources} |\n"
            )


def plain_mermaid_loop(t: Timeline, out: TextIO) -> None:
    out.write(f"# {t.title}\n\n```mermaid\ntimeline\n    title {t.title}\n")
    for year, group in t.group_by("year").items():
        out.write(f"    section {year}\n")
        for e in group.events:
            out.write(f"        {e.start} : {e.title}\n")
    out.write("```\n")
    plain_loop(t, out)


LOOPS = {"list": plain_loop, "table": plain_table_loop, "mermaid": plain_mermaid_loop}


def measure(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The least CPU time of each run, taking turns, so that other work on
    the machine weighs on both alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best counts")
    parser.add_argument("--style", choices=tuple(LOOPS), default="list")
    parser.add_argument("--locale", default=None, help="also export in this locale (ru, zh-Hans)")
    args = parser.parse_args()

    t = synthetic_timeline(args.events)
    loop = LOOPS[args.style]

    def ours() -> None:
        timeline.dump(t, io.StringIO(newline=""), "markdown", style=args.style)

    def plain() -> None:
        loop(t, io.StringIO(newline=""))

    def localized() -> None:
        timeline.dump(t, io.StringIO(newline=""), "markdown", style=args.style, locale=args.locale)

    runs: dict[str, Callable[[], object]] = {"ours": ours, "plain": plain}
    if args.locale:
        runs["localized"] = localized
        localized()  # the locale's patterns and catalogue, read once
    ours()  # load the plugins, fill the caches of country names
    best = measure(args.repeat, runs)
    size = len(timeline.dumps(t, "markdown", style=args.style))
    print(f"{args.events:,} events, style {args.style}, least CPU time of {args.repeat} runs:")
    print(f"  timeline.dump(t, out, 'markdown'): {best['ours']:.3f} s ({size / 1e6:.1f} MB)")
    print(f"  a plain f-string loop:             {best['plain']:.3f} s")
    print(f"  ratio:                             {best['ours'] / best['plain']:.2f}x")
    if args.locale:
        print(
            f"  the same, locale {args.locale}:{' ' * max(1, 19 - len(args.locale))}"
            f"{best['localized']:.3f} s"
        )
        print(f"  locale / English:                  {best['localized'] / best['ours']:.2f}x")


if __name__ == "__main__":
    main()
