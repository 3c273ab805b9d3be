"""Ctrl-C and SIGTERM, raised only where TensorFlow can take an exception.

Python runs a signal's handler in the main thread, between two bytecodes of
whatever Python frame runs there, and also inside C code that checks for
signals. Some of TensorFlow's C++ code does that check without handling the
exception that follows: a ``KeyboardInterrupt`` raised while an ``EagerTensor``
is being built (``tf.constant``, ``tensor[row]``) can end the process with a
segmentation fault: no message, and the exit status -11 instead of 130.
``benchmarks/interrupt_stress.py`` sends SIGINT to ``translate`` processes in
mid-translation to check that none ends so (``docs/performance.md`` has its
counts).

So the handlers here look at the frame the signal interrupted. Anywhere but in
TensorFlow's own code (the project's code, Keras, the standard library) they
raise at once. In TensorFlow's code they raise nothing yet: they mark the
nearest calling frame outside TensorFlow, the way a debugger sets a breakpoint
(``frame.f_trace`` with :func:`sys.settrace`), and the exception is raised there
at its next line or return, once TensorFlow's call has come back. Ctrl-C raises
:class:`KeyboardInterrupt`, SIGTERM raises :class:`Terminated`, so one ``except
KeyboardInterrupt`` does the cleanup of both.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

_UNSAFE_PACKAGES = ("tensorflow", "tensorflow_text")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same cleanup runs (temporary files removed)."""


def in_tensorflow(frame: FrameType | None) -> bool:
    """Whether ``frame`` is a frame of TensorFlow's Python code (where C++ may be below it)."""
    if frame is None:
        return False
    package = str(frame.f_globals.get("__name__", "")).split(".", 1)[0]
    return package in _UNSAFE_PACKAGES


def _handle(signum: int, frame: FrameType | None) -> None:
    """SIGINT's and SIGTERM's handler: raises here, or in the nearest frame outside TensorFlow."""
    caller = frame
    while in_tensorflow(caller):
        caller = caller.f_back
    if caller is frame or caller is None:
        _raise(signum)

    def raise_here(frame: FrameType, event: str, arg: object) -> NoReturn:
        _raise(signum)  # Python then stops tracing: sys.settrace(None), f_trace cleared

    caller.f_trace = raise_here
    sys.settrace(_trace_no_new_frames)  # line and return events, in the marked frame only


def _trace_no_new_frames(frame: FrameType, event: str, arg: object) -> None:
    return None


def _raise(signum: int) -> NoReturn:
    if signum == signal.SIGTERM:
        raise Terminated()
    raise KeyboardInterrupt()


@contextlib.contextmanager
def raised_where_safe() -> Iterator[None]:
    """Installs the handlers for the ``with`` block, then restores the previous ones.

    SIGINT keeps an ignored disposition (a background job started with Ctrl-C
    ignored stays so), and nothing is installed outside the main thread, where
    Python allows no handler.
    """
    previous: dict[int, object] = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signum == signal.SIGINT and signal.getsignal(signum) == signal.SIG_IGN:
                continue
            previous[signum] = signal.signal(signum, _handle)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        if sys.gettrace() is _trace_no_new_frames:  # a mark not reached: the command is over
            sys.settrace(None)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
