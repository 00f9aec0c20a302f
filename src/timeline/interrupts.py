"""Whether a Ctrl-C was the user's, and what plugin code did, in words (``called sys.exit(7)``).

See docs/plugins.md, "What a plugin cannot do to the program", and docs/explanation/layout.md.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import attrs

__all__ = ["count_interrupt", "users_interrupt", "watching_interrupts", "what_it_did"]


@attrs.define
class _Interrupts:
    watched: bool = False
    """Whether Ctrl-C is being watched for (the command does; a program that
    uses the library does not, and every KeyboardInterrupt is then a Ctrl-C)."""
    received: int = 0
    """How many SIGINTs have come since watching started."""


_interrupts = _Interrupts()


def users_interrupt() -> bool:
    """Whether a :class:`KeyboardInterrupt` just caught is the user's: a Ctrl-C
    (SIGINT) was received, or nobody is watching to tell. Plugin code that
    raises KeyboardInterrupt itself, with no SIGINT, is a broken plugin."""
    return not _interrupts.watched or _interrupts.received > 0


def count_interrupt() -> None:
    """Count a signal that ends the command as a Ctrl-C does (SIGTERM, SIGHUP),
    so that the KeyboardInterrupt it raises is known to be the user's."""
    _interrupts.received += 1


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    count_interrupt()
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt


@contextlib.contextmanager
def watching_interrupts() -> Iterator[None]:
    """Count SIGINTs while the block runs, to tell a Ctrl-C from a
    KeyboardInterrupt that plugin code raised itself. Only where Python's
    own handler is in place, in the main thread: SIGINT ignored (a command
    started in the background) means that no KeyboardInterrupt is a Ctrl-C;
    a handler of someone else's is left alone, and nothing is watched."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous not in (signal.default_int_handler, signal.SIG_IGN):
        yield
        return
    if previous is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    _interrupts.watched, _interrupts.received = True, 0
    try:
        yield
    finally:
        _interrupts.watched = False
        if previous is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous)


def what_it_did(exc: BaseException, where: str = "") -> str:
    """What plugin code did, for a message: ``raised RuntimeError from its
    register_exporters hook: text``, ``called sys.exit(7)``. A Ctrl-C is
    raised again: it is the user's, not the plugin's.

    >>> what_it_did(SystemExit(7), "while writing")
    'called sys.exit(7) while writing'
    >>> what_it_did(ValueError("no"))
    'raised ValueError: no'
    """
    at = f" {where}" if where else ""
    if isinstance(exc, KeyboardInterrupt):
        if users_interrupt():
            raise exc
        return f"raised KeyboardInterrupt{at}, though no Ctrl-C was pressed"
    if isinstance(exc, SystemExit):
        return f"called sys.exit({'' if exc.code is None else repr(exc.code)}){at}"
    text = str(exc)
    return f"raised {type(exc).__name__}{at}" + (f": {text}" if text else "")
