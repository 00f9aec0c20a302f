"""A test plugin whose ``register_commands`` hook raises: the command line
must name it in a warning and keep every other command."""

from __future__ import annotations

import click

import timeline


@timeline.hookimpl
def register_commands(cli: click.Group) -> None:
    raise RuntimeError("the commands plugin has a bug")
