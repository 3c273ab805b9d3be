"""What the corpus caches were built from, and keeping each cache true to it.

Every cache of the corpus (TFDS's prepared Multi30k, the ``data.cache`` files
of token ids or text, a run's tokenizer) records the fingerprint of the files
it was built from and is checked against the files of the next run. A file's
fingerprint (:func:`file_fingerprint`) reads at most ``2 * SAMPLE_BYTES`` of it
(its head and its tail), so it costs the same for a corpus of millions of lines.

``tf.data``'s file cache (``Dataset.cache(prefix)``) is keyed by its file name
alone: after the corpus or the tokenizer changed, the next run would read the
old token ids. Next to the cache, ``PREFIX.source.json`` records what it was
built from (the corpus's fingerprint, a hash of the tokenizer's models, the
pair limit: :func:`built_from`); :func:`prepare` deletes cache files whose
record is missing or different, so they are written again from the data now.

With subword sampling (``data.subword_sampling`` above 0) every epoch tokenizes
the training pairs again, so ``data.cache`` keeps the ``(source, target)`` text
instead (:func:`cached_text`): ``memory`` holds it in memory, ``none`` keeps
nothing (the corpus is read again every epoch), and a file prefix holds it in a
``tf.data`` file cache, recorded like a cache of token ids but marked as text,
so neither kind is ever read as the other.

Example:
    >>> before = files_fingerprint(["/data/train.de", "/data/train.en"])
    >>> difference(before, files_fingerprint(["/data/train.de", "/data/train.en"]))
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

import tensorflow as tf

from translate import TranslateError
from translate.config.messages import shorten, shown
from translate.runs.fileio import write_text

SAMPLE_BYTES = 1 << 16
# The parts of a file's fingerprint that say what is in it; its time may change
# without its content (a copy, a move to another machine).
CONTENT_KEYS = ("file", "size", "sample")
# Beside a data.cache file prefix: what its files were built from.
RECORD_SUFFIX = ".source.json"


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


# The fields of a corpus fingerprint (:func:`translate.data.sources.corpus_fingerprint`:
# what is read, then :func:`files_fingerprint`) and of each of its file records.
_FINGERPRINT_FIELDS = {"source": str, "pair": str, "split": str, "download": str, "folder": str}
_FILE_FIELDS = {"file": str, "size": int, "mtime_ns": int, "sample": str}


def check_fingerprint(record: Any, where: str) -> None:
    """Checks a corpus fingerprint read back from a file, field by field.

    Args:
        record: The parsed JSON (e.g. a tokenizer's ``built_from.json``).
        where: The file, named first in a message.

    Raises:
        TranslateError: Naming ``where``, the field and what was expected.
    """
    if not isinstance(record, dict):
        raise TranslateError(f"{where}: expected a JSON object, got {shown(record)}")
    for name, value in record.items():
        if name == "files":
            if not isinstance(value, list):
                raise TranslateError(f"{where}: field 'files' must be a list, got {shown(value)}")
            for number, item in enumerate(value):
                _check_fields(item, _FILE_FIELDS, f"{where}: field 'files[{number}]")
        elif name not in _FINGERPRINT_FIELDS:
            valid = ", ".join([*_FINGERPRINT_FIELDS, "files"])
            raise TranslateError(f"{where}: unknown field '{shorten(name)}'; valid fields: {valid}")
        elif not isinstance(value, str):
            raise TranslateError(f"{where}: field '{name}' must be str, got {_got(value)}")


def _check_fields(item: Any, fields: dict[str, type], where: str) -> None:
    """Checks one record of known ``fields``, each of its exact type (non-negative ints)."""
    if not isinstance(item, dict):
        raise TranslateError(f"{where}' must be an object of {', '.join(fields)}, got {_got(item)}")
    for name, value in item.items():
        kind = fields.get(name)
        if kind is None:
            raise TranslateError(f"{where}.{shorten(name)}' is unknown; valid: {', '.join(fields)}")
        if isinstance(value, bool) or not isinstance(value, kind):
            raise TranslateError(f"{where}.{name}' must be {kind.__name__}, got {_got(value)}")
        if kind is int and value < 0:
            raise TranslateError(f"{where}.{name}' is {value}; it must be >= 0")


def _got(value: Any) -> str:
    return "a serialized object" if isinstance(value, dict) else shown(value)


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
        # A record read back from a file may hold anything: a non-object is no file record.
        old_files = [item if isinstance(item, dict) else {"file": item} for item in old_files]
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


def built_from(corpus: Any, models: tuple[bytes, ...], limit: int) -> dict[str, Any]:
    """What a cache of token ids depends on.

    Args:
        corpus: The corpus fingerprint (``translate.data.sources.corpus_fingerprint``).
        models: The tokenizer's serialized SentencePiece models.
        limit: The training pair limit (0 = all).
    """
    digest = hashlib.sha256()
    for model in models:
        digest.update(model)
    return {"corpus": corpus, "tokenizer": digest.hexdigest()[:16], "limit": limit}


def _cache_files(prefix: str) -> list[str]:
    return sorted(
        glob.glob(glob.escape(prefix) + ".index") + glob.glob(glob.escape(prefix) + ".data-*")
    )


def prepare(prefix: str, source: dict[str, Any]) -> None:
    """Deletes the cache files at ``prefix`` unless they were built from ``source``.

    Args:
        prefix: The ``data.cache`` file prefix.
        source: What the cache must have been built from (:func:`built_from`).
    """
    files = _cache_files(prefix)
    if not files:
        return
    try:
        with open(prefix + RECORD_SUFFIX, encoding="utf-8") as handle:
            recorded = json.load(handle)
    except (OSError, ValueError):
        recorded = None
    change = difference(recorded, source)
    if change is None:
        return
    print(
        f"note: data.cache {prefix} is out of date ({change}); tokenizing the corpus again",
        file=sys.stderr,
        flush=True,
    )
    for path in [*files, prefix + RECORD_SUFFIX]:
        if os.path.exists(path):
            os.remove(path)


def record(prefix: str, source: dict[str, Any]) -> None:
    """Records what the (now complete) cache at ``prefix`` was built from."""
    if _cache_files(prefix):
        write_text(prefix + RECORD_SUFFIX, json.dumps(source, indent=1))


def text_cache_source(corpus_fingerprint: Any, limit: int) -> dict[str, Any]:
    """What a file cache of text pairs depends on: the corpus and the pair limit."""
    return {"contents": "text pairs", "corpus": corpus_fingerprint, "limit": limit}


def cached_text(
    pairs: tf.data.Dataset, cache: bool | str, corpus_fingerprint: Any, limit: int
) -> tuple[tf.data.Dataset, dict[str, Any] | None]:
    """``pairs`` cached as ``data.cache`` says, for tokenizing again every epoch.

    Args:
        pairs: ``(source, target)`` string pairs (already limited).
        cache: ``"memory"`` or True, ``"none"`` or False, or a file path prefix
            (its folder already checked).
        corpus_fingerprint: What ``pairs`` were read from.
        limit: The pair limit (0 = all).

    Returns:
        The pairs, and for a file cache what it is built from, for
        :func:`record` once the first pass filled it (None otherwise).
    """
    if cache is True or cache == "memory":
        return pairs.cache(), None
    if cache is False or cache == "none":
        return pairs, None
    source = text_cache_source(corpus_fingerprint, limit)
    prepare(cache, source)
    return pairs.cache(cache), source
