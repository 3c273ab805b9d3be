"""Echoing user input in one short error line, whatever the input.

A message that quotes a value, a key or a path must stay on one line and
short, even for a 10 MB string or a value with newlines: :func:`shown` gives
the ``repr`` of a value (escapes included), cut to ``limit`` characters.
"""

from __future__ import annotations

from typing import Any

LIMIT = 60


def shorten(text: str, limit: int = LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with ``...`` if it was longer."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: max(limit - 3, 1)] + "..."


def shown(value: Any, limit: int = LIMIT) -> str:
    """The ``repr`` of ``value`` (``null`` for None), cut to ``limit`` characters."""
    text = "null" if value is None else repr(value)
    return text if len(text) <= limit else text[: max(limit - 3, 1)] + "..."
