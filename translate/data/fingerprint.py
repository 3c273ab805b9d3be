"""What a cache was built from, cheaply: file names, sizes, modification times and samples.

Every cache of the corpus (TFDS's prepared Multi30k, the ``data.cache`` files
of token ids, a run's tokenizer) records the fingerprint of the files it was
built from and is checked against the files of the next run. A file's
fingerprint reads at most ``2 * SAMPLE_BYTES`` of it (its head and its tail),
so it costs the same for a corpus of millions of lines.

Example:
    >>> before = files_fingerprint(["/data/train.de", "/data/train.en"])
    >>> difference(before, files_fingerprint(["/data/train.de", "/data/train.en"]))
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any

SAMPLE_BYTES = 1 << 16
# The parts of a file's fingerprint that say what is in it; its time may change
# without its content (a copy, a move to another machine).
CONTENT_KEYS = ("file", "size", "sample")


def file_fingerprint(path: str | os.PathLike) -> dict[str, Any]:
    """Name, size, modification time and a hash of the head and tail of one file.

    Args:
        path: The file.

    Returns:
        ``{"file": base name, "size": bytes, "mtime_ns": int, "sample": hex}``.
    """
    path = os.fspath(path)
    stat = os.stat(path)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        digest.update(handle.read(SAMPLE_BYTES))
        if stat.st_size > 2 * SAMPLE_BYTES:
            handle.seek(-SAMPLE_BYTES, os.SEEK_END)
        digest.update(handle.read(SAMPLE_BYTES))
    return {
        "file": os.path.basename(path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sample": digest.hexdigest()[:16],
    }


def files_fingerprint(paths: Iterable[str | os.PathLike]) -> dict[str, Any]:
    """The fingerprints of several files, with the folder they are in."""
    paths = [os.path.abspath(os.fspath(path)) for path in paths]
    folders = sorted({os.path.dirname(path) for path in paths})
    return {"folder": ", ".join(folders), "files": [file_fingerprint(path) for path in paths]}


def key(fingerprint: Any) -> str:
    """A short hex key of any JSON-able fingerprint."""
    text = json.dumps(fingerprint, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def difference(old: Any, new: Any, *, content_only: bool = False) -> str | None:
    """The first way ``new`` differs from ``old``, in words, or None if they match.

    Args:
        old: The recorded fingerprint (None when nothing was recorded).
        new: The fingerprint of the files now.
        content_only: Compare only what is in the files (name, size, sample),
            not their folder or modification time.

    Returns:
        E.g. ``"train.en: 12,345 bytes, now 12,301"``, or None.
    """
    if old is None:
        return "nothing recorded of the files it was built from"
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return None if old == new else f"{_brief(old)}, now {_brief(new)}"
    old_files, new_files = old.get("files"), new.get("files")
    if isinstance(old_files, list) and isinstance(new_files, list):
        old_names = [item.get("file") for item in old_files]
        new_names = [item.get("file") for item in new_files]
        if old_names != new_names:
            return f"files {', '.join(map(str, old_names))}, now {', '.join(map(str, new_names))}"
        for before, now in zip(old_files, new_files):
            change = _file_change(before, now, content_only)
            if change:
                return change
    for name in sorted(set(old) | set(new)):
        if name == "files" or (content_only and name == "folder"):
            continue
        before, now = old.get(name), new.get(name)
        if isinstance(before, dict) and isinstance(now, dict):
            change = difference(before, now, content_only=content_only)
            if change:
                return change
        elif before != now:
            return f"{name} {_brief(before)}, now {_brief(now)}"
    return None


def _file_change(before: dict, now: dict, content_only: bool) -> str | None:
    name = now.get("file")
    if before.get("size") != now.get("size"):
        return f"{name}: {_bytes(before.get('size'))} bytes, now {_bytes(now.get('size'))}"
    keys = CONTENT_KEYS if content_only else (*CONTENT_KEYS, "mtime_ns")
    for part in keys:
        if before.get(part) != now.get(part):
            what = "modified since" if part == "mtime_ns" else "content changed since"
            return f"{name}: {what} then (same size)"
    return None


def _bytes(size: Any) -> str:
    return f"{size:,}" if isinstance(size, int) else str(size)


def _brief(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."
