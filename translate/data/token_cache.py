"""Keeping a ``data.cache`` file of token ids true to the corpus and tokenizer it came from.

``tf.data``'s file cache (``Dataset.cache(prefix)``) is keyed by its file
name alone: after the corpus or the tokenizer changed, the next run would read
the old token ids. Next to the cache, ``PREFIX.source.json`` records what it
was built from (the corpus's :mod:`~translate.data.fingerprint`, a hash of the
tokenizer's models, the pair limit); :func:`prepare` deletes cache files whose
record is missing or different, so they are written again from the data now.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
from typing import Any

from translate.data import fingerprint
from translate.runs.fileio import write_text

RECORD_SUFFIX = ".source.json"


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
    change = fingerprint.difference(recorded, source)
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
