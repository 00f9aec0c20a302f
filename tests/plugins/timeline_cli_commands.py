"""A test plugin that adds a command, ``timeline count INPUT``, with the
``register_commands`` hook (see docs/cli.md), and whose second hook
implementation is broken (the others must work)."""

from __future__ import annotations

import click

import timeline


@click.command("count", help="print how many events a timeline has")
@click.argument("source", metavar="INPUT")
@click.option("--kind", help="count only the events of this kind")
def count(source: str, kind: str | None) -> None:
    loaded = (
        timeline.example(source[8:]) if source.startswith("example:") else timeline.load(source)
    )
    if kind is not None:
        loaded = loaded.of_kind(kind)
    click.echo(f"{len(loaded)} events")


@timeline.hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(count)
