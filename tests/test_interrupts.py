"""Telling a Ctrl-C from plugin code's KeyboardInterrupt (``timeline.interrupts``).

How the command and the guard of ``write``/``read`` use it is tested with real
plugins in ``tests/test_plugins_isolation.py``.
"""

from __future__ import annotations

import doctest
import signal

import pytest

import timeline.interrupts
import timeline.registry
from timeline.interrupts import count_interrupt, users_interrupt, watching_interrupts, what_it_did


@pytest.mark.parametrize("module", [timeline.interrupts, timeline.registry])
def test_the_examples_in_the_docstrings_run(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert (failures, tried > 0) == (0, True)


@pytest.mark.parametrize(
    ("exc", "where", "text"),
    [
        (SystemExit(), "", "called sys.exit()"),
        (SystemExit("bye"), "while writing", "called sys.exit('bye') while writing"),
        (RuntimeError(), "from its register_kinds hook", "raised RuntimeError from its register_kinds hook"),
        (ValueError("bad"), "while reading", "raised ValueError while reading: bad"),
    ],
)  # fmt: skip
def test_what_plugin_code_did_in_words(exc, where, text):
    assert what_it_did(exc, where) == text


def test_unwatched_every_keyboard_interrupt_is_the_users():
    assert users_interrupt()
    with pytest.raises(KeyboardInterrupt):
        what_it_did(KeyboardInterrupt())


def test_watched_a_keyboard_interrupt_is_the_users_only_after_a_signal():
    with watching_interrupts():
        assert not users_interrupt()
        assert what_it_did(KeyboardInterrupt(), "while writing") == (
            "raised KeyboardInterrupt while writing, though no Ctrl-C was pressed"
        )
        count_interrupt()  # as SIGTERM does in the command
        assert users_interrupt()
    assert users_interrupt()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
