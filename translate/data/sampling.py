"""Subword regularisation in the training pipeline: the text is cached, not the token ids.

With ``data.subword_sampling`` above 0, every epoch tokenizes the training
pairs again with :meth:`translate.data.tokenizer.SubwordTokenizer.sampling`, so the
model sees a new segmentation of each sentence each time (Kudo, 2018). What
``data.cache`` keeps is then the ``(source, target)`` text, read once from the
corpus: ``memory`` holds it in memory, ``none`` keeps nothing (the corpus is
read again every epoch), and a file prefix holds it in a ``tf.data`` file
cache, recorded like a cache of token ids (:mod:`translate.data.token_cache`)
but marked as text, so neither kind is ever read as the other.
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf

from translate import TranslateError
from translate.data import token_cache
from translate.data.tokenizer import SubwordTokenizer


def sampling_tokenizer(tokenizer: SubwordTokenizer, alpha: float) -> SubwordTokenizer:
    """The tokenizer that samples the training segmentations.

    Args:
        tokenizer: The run's tokenizer.
        alpha: ``data.subword_sampling``, above 0.

    Raises:
        TranslateError: Naming the key, if the tokenizer is not a unigram model.
    """
    try:
        return tokenizer.sampling(alpha)
    except TranslateError as error:
        raise TranslateError(f"data.subword_sampling={alpha}: {error}") from None


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
        :func:`translate.data.token_cache.record` once the first pass filled
        it (None otherwise).
    """
    if cache is True or cache == "memory":
        return pairs.cache(), None
    if cache is False or cache == "none":
        return pairs, None
    source = text_cache_source(corpus_fingerprint, limit)
    token_cache.prepare(cache, source)
    return pairs.cache(cache), source
