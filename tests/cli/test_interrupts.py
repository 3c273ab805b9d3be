"""Ctrl-C and SIGTERM are raised where TensorFlow's C++ code cannot be below."""

from __future__ import annotations

import os
import signal
import time
import types
from pathlib import Path

import pytest

from translate.cli import interrupts


def _function_of_module(module_name: str, body):
    """``body`` rebuilt as a function whose frames belong to ``module_name``."""
    return types.FunctionType(body.__code__, {**body.__globals__, "__name__": module_name})


def _busy_loop(rounds: int, log: list, signum: int) -> None:
    """Sends ``signum`` to this process, then runs bytecodes for about ``rounds`` milliseconds."""
    os.kill(os.getpid(), signum)  # its handler runs within the next bytecodes, in this frame
    for _ in range(rounds):
        time.sleep(0.001)
        log.append(1)


def _raised_in(caught: pytest.ExceptionInfo) -> str:
    """The function the signal's handler interrupted to raise ``caught``."""
    entries = list(caught.traceback)
    first_own = next(
        i for i, entry in enumerate(entries) if entry.path == Path(interrupts.__file__)
    )
    return entries[first_own - 1].name


@pytest.fixture()
def handlers():
    """The module's handlers, with SIGINT's disposition made Python's even in a background job."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with interrupts.raised_where_safe():
            yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize(
    ("signal_name", "raised"),
    [("SIGINT", KeyboardInterrupt), ("SIGTERM", interrupts.Terminated)],
)
def test_a_signal_in_tensorflow_code_is_raised_once_that_code_has_returned(
    handlers, signal_name, raised
):
    in_tensorflow = _function_of_module("tensorflow.python.framework.fake", _busy_loop)
    log: list = []
    with pytest.raises(raised) as caught:
        in_tensorflow(200, log, getattr(signal, signal_name))
        log.append("returned")  # the mark: the next line of the frame that called TensorFlow
    assert len(log) == 200  # the loop ran to its end, and nothing in this frame after it
    assert _raised_in(caught).startswith("test_a_signal_in_tensorflow_code")


def test_a_signal_elsewhere_is_raised_at_once(handlers):
    log: list = []
    with pytest.raises(KeyboardInterrupt) as caught:
        _busy_loop(200, log, signal.SIGINT)
    assert len(log) < 200
    assert _raised_in(caught) == "_busy_loop"


def test_the_previous_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with interrupts.raised_where_safe():
        assert signal.getsignal(signal.SIGTERM) is interrupts._handle
    assert signal.getsignal(signal.SIGTERM) is before


def test_an_ignored_ctrl_c_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts.raised_where_safe():
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_frames_are_told_apart_by_their_module():
    assert interrupts.in_tensorflow(_function_of_module("tensorflow_text.x", _frame)())
    assert interrupts.in_tensorflow(_function_of_module("tensorflow", _frame)())
    assert not interrupts.in_tensorflow(_function_of_module("tensorflowish", _frame)())
    assert not interrupts.in_tensorflow(_frame())
    assert not interrupts.in_tensorflow(None)


def _frame():
    import sys

    return sys._getframe()
